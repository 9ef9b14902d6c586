/* See LICENSE file for copyright and license details. */
/*
 * unpack.c: a layer's entries as files beneath one directory descriptor,
 * each name walked a component at a time with O_NOFOLLOW, never as a
 * path; it must never follow a symlink nor write outside that directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "pax.h"
#include "sbx.h"
#include "tar.h"
#include "unpack.h"

#define DIRFLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define OPAQUE "user.overlay.opaque"
/* one line naming the layer and the entry, and the end */
#define BAD(j, f, ...) die("%s: %s: " f, (j)->o->label, (j)->e->name, \
    ##__VA_ARGS__)

/* a directory whose mode and times are set last, when nothing more will
 * be made in it */
struct dir {
	size_t path;               /* in the job's names */
	unsigned mode;
	struct timespec ts[2];
	size_t depth, seq;
};

struct job {
	int top;                   /* the layer's directory */
	const struct unpack_opts *o;
	struct tar *t;
	const struct tar_entry *e;
	char path[PATH_MAX];       /* e's name, its components '/'-joined */
	unsigned long long used;   /* against o->maxbytes */
	int devices;               /* device nodes skipped */
	char cpath[PATH_MAX];      /* the directory walked last, and its fd */
	int cfd;
	struct dir *dirs;
	size_t ndirs, cap;
	char *names;               /* the dirs' paths, one after another */
	size_t nnames, namecap;
};

/* how walk meets a missing directory: makes it, or returns -1 */
enum { MAKE, TRY };

/* xattrs a layer must not carry: overlayfs's own, which it would take
 * for a redirect, an opaque directory or a whiteout; and file
 * capabilities, root's like a setuid bit, unless owners are kept */
static const struct {
	const char *prefix;
	int with_owners;
} dropped[] = {
	{ "trusted.overlay.", 0 },
	{ "user.overlay.", 0 },
	{ "security.capability", 1 },
};
/* what a filesystem or the kernel says of an xattr it will not have */
static const int refused[] = { ENOTSUP, EPERM, EACCES, EINVAL, E2BIG,
	ERANGE };

static char data[1 << 16];

/* name's components into path, '/'-joined, with no "." or empty one:
 * the last (NULL for the top). ".." is refused, never resolved. */
static char *
split(struct job *j, const char *name, char *path, const char *what)
{
	size_t n, at = 0;
	char *leaf = NULL;

	for (; *name; name += n) {
		while (*name == '/')
			name++;
		n = strcspn(name, "/");
		if (!n || (n == 1 && name[0] == '.'))
			continue;
		if (n == 2 && name[0] == '.' && name[1] == '.')
			BAD(j, "'..' in its %s", what);
		if (at)
			path[at++] = '/';
		leaf = path + at;
		memcpy(path + at, name, n);
		at += n;
	}
	path[at] = '\0';
	return leaf;
}

/* at's directory c, never through a symlink */
static int
open_dir(struct job *j, int at, const char *c, int how)
{
	int fd;

	fd = openat(at, c, DIRFLAGS);
	if (fd < 0 && errno == ENOENT && how == MAKE) {
		if (mkdirat(at, c, 0755) < 0)
			BAD(j, "mkdir(%s):", c);
		/* as the umask would not have it */
		if ((fd = openat(at, c, DIRFLAGS)) >= 0 && fchmod(fd, 0755) < 0)
			BAD(j, "chmod(%s):", c);
	}
	if (fd >= 0 || how == TRY)
		return fd;
	if (errno == ELOOP || errno == ENOTDIR)
		BAD(j, "%s is a symlink or not a directory", c);
	BAD(j, "open(%s):", c);
}

/* the directory path (components '/'-joined) beneath the top */
static int
walk(struct job *j, char *path, int how)
{
	char *c, *end, was;
	int fd = j->top, next;

	for (c = path; *c; c = end + 1) {
		end = strchrnul(c, '/');
		was = *end;
		*end = '\0';
		next = open_dir(j, fd, c, how);
		*end = was;
		if (fd != j->top && close(fd) < 0)
			BAD(j, "close:");
		if ((fd = next) < 0 || !was)
			break;
	}
	return fd;
}

static void
uncache(struct job *j)
{
	if (j->cfd >= 0 && close(j->cfd) < 0)
		BAD(j, "close:");
	j->cfd = -1;
}

/* the directory that holds leaf, the last of j->path: the top, or the
 * one walked for the entry before if it is the same (entries come by
 * directory) */
static int
parent(struct job *j, char *leaf)
{
	if (leaf == j->path)
		return j->top;
	leaf[-1] = '\0';
	if (j->cfd < 0 || strcmp(j->cpath, j->path)) {
		uncache(j);
		j->cfd = walk(j, j->path, MAKE);
		strcpy(j->cpath, j->path);
	}
	leaf[-1] = '/';
	return j->cfd;
}

static void
rmtree(struct job *j, int at, const char *name)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (!unlinkat(at, name, AT_REMOVEDIR))
		return;
	if (errno != ENOTEMPTY && errno != EEXIST)
		BAD(j, "rmdir(%s):", name);
	if ((fd = openat(at, name, DIRFLAGS)) < 0 || !(d = fdopendir(fd)))
		BAD(j, "open(%s):", name);
	while ((errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!unlinkat(fd, de->d_name, 0))
			continue;
		if (errno != EISDIR)
			BAD(j, "unlink(%s):", de->d_name);
		rmtree(j, fd, de->d_name);
	}
	if (errno || closedir(d) < 0 || unlinkat(at, name, AT_REMOVEDIR) < 0)
		BAD(j, "rmdir(%s):", name);
}

/* room for the entry at leaf: an earlier one of its name goes, but a
 * directory stays for a directory (1) */
static int
clear(struct job *j, int at, const char *leaf, int dir)
{
	struct stat st;

	if (fstatat(at, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		BAD(j, "stat:");
	}
	if (S_ISDIR(st.st_mode) && dir)
		return 1;
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(at, leaf, 0) < 0)
			BAD(j, "unlink:");
		return 0;
	}
	/* the directory walked last may be beneath it (if it is not its
	 * parent, at): walk again next time */
	if (j->cfd != at)
		uncache(j);
	rmtree(j, at, leaf);
	return 0;
}

static unsigned
mode(const struct job *j)
{
	int k = j->o->keep_owners;

	return j->e->mode & (01777 | (k & UNPACK_UIDS ? 04000 : 0) |
	    (k & UNPACK_GIDS ? 02000 : 0));
}

static void
mtimes(const struct tar_entry *e, struct timespec ts[2])
{
	ts[0].tv_sec = ts[1].tv_sec = e->mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = e->nsec;
}

static int
wanted(const struct job *j, const char *name)
{
	size_t i;

	for (i = 0; i < LEN(dropped); i++)
		if (!strncmp(name, dropped[i].prefix, strlen(dropped[i].prefix)))
			return dropped[i].with_owners &&
			    j->o->keep_owners & UNPACK_UIDS;
	return 1;
}

/* the archive's ids that are kept; -1 leaves the caller's */
static uid_t
uid(const struct job *j)
{
	return j->o->keep_owners & UNPACK_UIDS ? j->e->uid : (uid_t)-1;
}

static gid_t
gid(const struct job *j)
{
	return j->o->keep_owners & UNPACK_GIDS ? j->e->gid : (gid_t)-1;
}

static void
unowned(const struct job *j)
{
	if (errno == EINVAL)
		BAD(j, "chown(%u:%u): an id the maps do not hold (hint: a"
		    " larger range in /etc/subuid or /etc/subgid)", j->e->uid,
		    j->e->gid);
	BAD(j, "chown(%u:%u):", j->e->uid, j->e->gid);
}

/* the owner first (a chown clears capabilities), then the xattrs */
static void
own(struct job *j, int fd)
{
	const struct tar_xattr *x;
	size_t i;
	int k;

	if (j->o->keep_owners && fchown(fd, uid(j), gid(j)) < 0)
		unowned(j);
	for (k = 0; k < j->e->nxattr; k++) {
		x = &j->e->xattr[k];
		if (!wanted(j, x->name) ||
		    !fsetxattr(fd, x->name, x->value, x->len, 0))
			continue;
		for (i = 0; i < LEN(refused) && refused[i] != errno; i++)
			;
		if (i == LEN(refused))
			BAD(j, "setxattr(%s):", x->name);
	}
}

/* a symlink's or a fifo's owner, mode and times, by name */
static void
own_at(struct job *j, int at, const char *leaf, int chmod)
{
	struct timespec ts[2];

	mtimes(j->e, ts);
	if (j->o->keep_owners && fchownat(at, leaf, uid(j), gid(j),
	    AT_SYMLINK_NOFOLLOW) < 0)
		unowned(j);
	/* it follows a symlink, but this is the fifo just made */
	if (chmod && fchmodat(at, leaf, mode(j), 0) < 0)
		BAD(j, "chmod:");
	if (utimensat(at, leaf, ts, AT_SYMLINK_NOFOLLOW) < 0)
		BAD(j, "set its times:");
}

static void
make_file(struct job *j, int at, const char *leaf)
{
	struct timespec ts[2];
	ssize_t n;
	int fd;

	clear(j, at, leaf, 0);
	if ((fd = openat(at, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		BAD(j, "create:");
	while ((n = tar_read(j->t, data, sizeof(data))) > 0)
		if (put_all(fd, data, n) < 0)
			BAD(j, "write:");
	if (n < 0)
		BAD(j, "%s", tar_error(j->t));
	own(j, fd);
	mtimes(j->e, ts);
	if (fchmod(fd, mode(j)) < 0 || futimens(fd, ts) < 0)
		BAD(j, "set its mode and times:");
	if (close(fd) < 0)
		BAD(j, "close:");
}

/* a hard link: to an earlier entry's file, found as a name is, so never
 * through a symlink nor outside; never to a directory */
static void
make_link(struct job *j, int at, const char *leaf)
{
	char path[PATH_MAX], *to;
	struct stat st;
	int dir = j->top;

	if (!(to = split(j, j->e->link, path, "link")))
		BAD(j, "hard link to the top");
	if (to != path) {
		to[-1] = '\0';
		dir = walk(j, path, TRY);
		to[-1] = '/';
	}
	if (dir < 0 || fstatat(dir, to, &st, AT_SYMLINK_NOFOLLOW) < 0)
		BAD(j, "hard link to %s: no such file in the layer", path);
	if (S_ISDIR(st.st_mode))
		BAD(j, "hard link to %s: a directory", path);
	clear(j, at, leaf, 0);
	if (linkat(dir, to, at, leaf, 0) < 0)
		BAD(j, "hard link to %s:", path);
	if (dir != j->top && close(dir) < 0)
		BAD(j, "close:");
}

static void
make_symlink(struct job *j, int at, const char *leaf)
{
	clear(j, at, leaf, 0);
	if (symlinkat(j->e->link, at, leaf) < 0)
		BAD(j, "symlink:");
	own_at(j, at, leaf, 0);
}

static void
make_fifo(struct job *j, int at, const char *leaf)
{
	clear(j, at, leaf, 0);
	if (mknodat(at, leaf, S_IFIFO | 0600, 0) < 0)
		BAD(j, "mkfifo:");
	own_at(j, at, leaf, 1);
}

static void
make_device(struct job *j, int at, const char *leaf)
{
	(void)at, (void)leaf;
	if (!j->devices++)
		warn("%s: %s: device nodes are skipped", j->o->label,
		    j->e->name);
}

/* buf, or where it moved to have room for n more of size, past len of
 * its *cap */
static void *
grow(struct job *j, void *buf, size_t *cap, size_t len, size_t n,
    size_t size)
{
	size_t want = *cap ? *cap : 64;

	while (want - len < n)
		want *= 2;
	if (want != *cap && !(buf = realloc(buf, want * size)))
		BAD(j, "out of memory");
	*cap = want;
	return buf;
}

/* the directory's mode and times wait for the end: see finish */
static void
defer(struct job *j)
{
	size_t n = strlen(j->path) + 1;
	struct dir *d;
	const char *c;

	j->dirs = grow(j, j->dirs, &j->cap, j->ndirs, 1, sizeof(*j->dirs));
	j->names = grow(j, j->names, &j->namecap, j->nnames, n, 1);
	d = &j->dirs[j->ndirs];
	d->path = j->nnames;
	memcpy(j->names + j->nnames, j->path, n);
	j->nnames += n;
	d->mode = mode(j);
	mtimes(j->e, d->ts);
	for (d->depth = *j->path != '\0', c = j->path; *c; c++)
		d->depth += *c == '/';
	d->seq = j->ndirs++;
}

static void
make_dir(struct job *j, int at, const char *leaf)
{
	int fd;

	if (!clear(j, at, leaf, 1) && mkdirat(at, leaf, 0700) < 0)
		BAD(j, "mkdir:");
	if ((fd = openat(at, leaf, DIRFLAGS)) < 0)
		BAD(j, "open:");
	own(j, fd);
	defer(j);
	if (close(fd) < 0)
		BAD(j, "close:");
}

static const struct {
	char type;
	void (*make)(struct job *j, int at, const char *leaf);
} makers[] = {
	{ '0', make_file }, { '1', make_link }, { '2', make_symlink },
	{ '3', make_device }, { '4', make_device }, { '5', make_dir },
	{ '6', make_fifo },
};

/* OCI's markers, in the form overlayfs reads with userxattr */
static void
whiteout(struct job *j, int at, const char *name)
{
	if (!strcmp(name, ".wh..opq")) {
		if (fsetxattr(at, OPAQUE, "y", 1, 0) < 0)
			BAD(j, "setxattr(" OPAQUE "):");
		return;
	}
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		BAD(j, "a whiteout of nothing");
	clear(j, at, name, 0);
	/* a 0:0 character device, which needs no privilege since 5.8 */
	if (mknodat(at, name, S_IFCHR, makedev(0, 0)) < 0)
		BAD(j, "whiteout: mknod(%s):", name);
}

static void
place(struct job *j)
{
	char *leaf = split(j, j->e->name, j->path, "name");
	size_t i;
	int at;

	if (!leaf) {
		if (j->e->type != '5')
			BAD(j, "the top must be a directory");
		own(j, j->top);
		defer(j);
		return;
	}
	at = parent(j, leaf);
	if (!strncmp(leaf, ".wh.", 4)) {
		whiteout(j, at, leaf + 4);
		return;
	}
	for (i = 0; i < LEN(makers) && makers[i].type != j->e->type; i++)
		;
	if (i == LEN(makers))
		BAD(j, "entry type '%c' is not supported", j->e->type);
	makers[i].make(j, at, leaf);
}

/* deeper first, so no parent's mode bars the way to a child; in the
 * archive's order among equals, so that a later entry of a name wins */
static int
deeper(const void *a, const void *b)
{
	const struct dir *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? 1 : -1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
finish(struct job *j)
{
	struct dir *d;
	char *path;
	size_t i;
	int fd;

	if (j->ndirs)
		qsort(j->dirs, j->ndirs, sizeof(*j->dirs), deeper);
	for (i = 0; i < j->ndirs; i++) {
		d = &j->dirs[i];
		/* else a later entry replaced it: nothing to do */
		path = j->names + d->path;
		if ((fd = walk(j, path, TRY)) >= 0 && (fchmod(fd, d->mode) < 0
		    || futimens(fd, d->ts) < 0 || (fd != j->top && close(fd) < 0)))
			die("%s: %s: set its mode and times:", j->o->label, path);
	}
	free(j->dirs);
	free(j->names);
}

void
unpack(int dirfd, struct tar *t, const struct unpack_opts *o)
{
	unsigned long long max = o->maxbytes, add;
	struct job j;
	int r;

	memset(&j, 0, sizeof(j));
	j.top = dirfd;
	j.o = o;
	j.t = t;
	j.cfd = -1;
	while ((r = tar_next(t, &j.e)) > 0) {
		/* before a byte is written: a bomb ends here */
		add = UNPACK_ENTRY_COST + j.e->size;
		if (max && (add > max || j.used > max - add))
			die("%s: expands past %llu bytes", o->label, max);
		j.used += add;
		place(&j);
	}
	if (r < 0)
		die("%s: %s", o->label, tar_error(t));
	uncache(&j);
	finish(&j);
}
