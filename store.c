/* See LICENSE file for copyright and license details. */
/*
 * store.c: the image store: its private directory, each layer unpacked
 * once by diff_id (and once more for each --map-users range that keeps
 * its owners), the configs read back. A layer is visible only once whole
 * and checked; nothing outside the store is ever written.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "inflate.h"
#include "json.h"
#include "owners.h"
#include "sha256.h"
#include "store.h"
#include "sbx.h"
#include "pax.h"
#include "tar.h"
#include "unpack.h"

/* what one layer may expand to */
#define LAYERMAX (64ULL << 30)

static int storefd = -1;
static char storepath[PATH_MAX];
/* the ids the layers keep, each a variant of its own */
static struct owners keep;
/* a layer being unpacked, removed if we die first */
static char unpacking[PATH_MAX];

/* the layers reach mount(2) by path, so no one else may be able to swap
 * a directory on the way: each must be root's or ours, and writable by
 * no one else unless sticky (as /tmp) */
static void
check_parents(void)
{
	char path[PATH_MAX];
	struct stat st;
	size_t n;

	fmt(path, sizeof(path), "%s", storepath);
	for (n = strlen(path); n > 1; ) {
		while (n > 1 && path[n - 1] != '/')
			n--;
		path[n > 1 ? n - 1 : 1] = '\0';
		if (stat(path, &st) < 0) {
			if (errno != ENOENT)
				die("stat(%s):", path);
		} else if ((st.st_uid && st.st_uid != getuid()) ||
		    (st.st_mode & 022 && !(st.st_mode & S_ISVTX))) {
			die("%s: owner %u, mode %03o: others could change the"
			    " store's path (hint: set XDG_DATA_HOME to a directory"
			    " only you and root can write)", path,
			    (unsigned)st.st_uid, st.st_mode & 07777);
		}
		n = strlen(path);
	}
}

/*
 * $XDG_DATA_HOME/sbx; else /var/lib/sbx for root, ~/.local/share/sbx for
 * the others.
 * Private, as the state directory is: another user who could write in it
 * could change what our sandboxes run.
 */
int
store_open(void)
{
	const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char path[PATH_MAX];
	struct rlimit rl;
	size_t n;

	if (storefd >= 0)
		return storefd;
	if (data && data[0] == '/')
		n = fmt(storepath, sizeof(storepath), "%s/sbx", data);
	else if (!getuid())
		n = fmt(storepath, sizeof(storepath), "/var/lib/sbx");
	else if (home && home[0] == '/')
		n = fmt(storepath, sizeof(storepath), "%s/.local/share/sbx",
		    home);
	else
		die("no store: $HOME and $XDG_DATA_HOME are unset");
	if (n >= sizeof(storepath))
		die("%s: path too long", storepath);
	check_parents();
	/* its parents, made as the XDG spec makes them */
	if (fmt(path, sizeof(path), "%s", storepath))
		for (n = 1; path[n]; n++)
			if (path[n] == '/') {
				path[n] = '\0';
				if (mkdir(path, 0700) < 0 && errno != EEXIST)
					die("mkdir(%s):", path);
				path[n] = '/';
			}
	storefd = open_private(storepath, "XDG_DATA_HOME");
	/* store_remove holds one descriptor per level, and a layer may be
	 * PATH_MAX / 2 levels deep */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096 &&
	    rl.rlim_max > rl.rlim_cur) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			die("setrlimit(RLIMIT_NOFILE):");
	}
	if ((mkdirat(storefd, "layers", 0700) < 0 && errno != EEXIST) ||
	    (mkdirat(storefd, "images", 0700) < 0 && errno != EEXIST) ||
	    (mkdirat(storefd, "tags", 0700) < 0 && errno != EEXIST) ||
	    (mkdirat(storefd, "tmp", 0700) < 0 && errno != EEXIST))
		die("mkdir(%s/...):", storepath);
	return storefd;
}

const char *
store_path(void)
{
	return storepath;
}

/* the whole tree at name below dir, made writable first where an image
 * left a directory read-only */
void
store_remove(int dir, const char *name)
{
	struct dirent *d;
	DIR *sub;
	int fd;

	if (unlinkat(dir, name, 0) == 0 || errno == ENOENT)
		return;
	if (errno != EISDIR && errno != EPERM)
		die("unlink(%s):", name);
	/* a directory it cannot yet read (mode 000) is made so first: a
	 * directory, as unlink said, in a store only we can write to */
	if (fchmodat(dir, name, 0700, 0) < 0 || (fd = openat(dir, name,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    !(sub = fdopendir(fd)))
		die("opendir(%s):", name);
	while ((d = readdir(sub)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			store_remove(dirfd(sub), d->d_name);
	if (closedir(sub) < 0)
		die("closedir(%s):", name);
	if (unlinkat(dir, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		die("rmdir(%s):", name);
}

void
store_ids(const unsigned long *subuid, const unsigned long *subgid)
{
	keep.uid[0] = subuid ? subuid[0] : 0;
	keep.uid[1] = subuid ? subuid[1] : 0;
	keep.gid[0] = subgid ? subgid[0] : 0;
	keep.gid[1] = subgid ? subgid[1] : 0;
}

const char *
store_layer_name(char *buf, size_t n, const char *hex)
{
	return owners_name(buf, n, hex, &keep);
}

struct removal {
	int dir;
	const char *name;
};

static void
remove_it(void *arg)
{
	struct removal *r = arg;

	store_remove(r->dir, r->name);
}

void
store_remove_layer(int dir, const char *name)
{
	struct removal r = { dir, name };
	struct owners o;

	if (!owners_inside() && owners_of(name, &o))
		owners_run(&o, remove_it, &r);
	else
		store_remove(dir, name);
}

static void
remove_unpacking(void)
{
	if (unpacking[0] && storefd >= 0) {
		store_remove_layer(storefd, unpacking);
		unpacking[0] = '\0';
	}
}

/* the reads of a layer: its blob as stored, then as unpacked, each
 * summed on the way */
struct chain {
	int fd;
	struct sha256 blob, diff;
	struct gz *gz;
	const char *label;
};

static ssize_t
read_blob(void *arg, void *buf, size_t n)
{
	struct chain *c = arg;
	ssize_t r = read(c->fd, buf, n);

	if (r > 0)
		sha256_add(&c->blob, buf, r);
	return r;
}

/* a gzip error is the layer's, said as gunzip says it */
static ssize_t
read_diff(void *arg, void *buf, size_t n)
{
	struct chain *c = arg;
	ssize_t r = c->gz ? gz_read(c->gz, buf, n) : read_blob(c, buf, n);

	if (r > 0)
		sha256_add(&c->diff, buf, r);
	if (r < 0 && c->gz)
		die("%s: %s", c->label, gz_error(c->gz));
	return r;
}

/* the stream's rest, after the tar's end or in place of the tar */
static void
drain(struct chain *c, ssize_t (*rd)(void *, void *, size_t))
{
	char buf[65536];
	ssize_t n;

	while ((n = rd(c, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		die("read(%s):", c->label);
}

/* the digests of what was read, against those the image gives */
static void
check_digests(struct chain *c, const char *blob, const char *diff)
{
	char hex[65];

	sha256_hex(&c->blob, hex);
	if (blob && strcmp(hex, blob))
		die("%s: the blob's sha256 is %s, not the digest the manifest"
		    " gives", c->label, hex);
	sha256_hex(&c->diff, hex);
	if (diff && strcmp(hex, diff))
		die("%s: the layer's sha256 is %s, not its diff_id", c->label,
		    hex);
}

/* reads of fd, gzip or plain as its first bytes say */
static void
open_chain(struct chain *c, int fd, const char *label)
{
	unsigned char magic[4];
	ssize_t n;

	c->fd = fd;
	c->gz = NULL;
	c->label = label;
	sha256_init(&c->blob);
	sha256_init(&c->diff);
	if ((n = pread(fd, magic, sizeof(magic), 0)) < 0)
		die("read(%s):", label);
	if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] ==
	    0x2f && magic[3] == 0xfd)
		die("%s: a zstd layer (hint: skopeo copy"
		    " --dest-compress-format gzip, then import that)", label);
	if (gz_magic(magic, n) && !(c->gz = gz_open(read_blob, c)))
		die("malloc:");
}

/* the layer's tar from fd into the directory open on dir; or, if dir is
 * -1, only read, to check the digests of a layer the store has */
static void
unpack_layer(int dir, int fd, const char *blob, const char *diff,
    const char *label)
{
	struct unpack_opts o = { label, LAYERMAX, (keep.uid[1] ? UNPACK_UIDS :
	    0) | (keep.gid[1] ? UNPACK_GIDS : 0) };
	struct chain c;
	struct tar *t;

	open_chain(&c, fd, label);
	if (dir >= 0) {
		if (!(t = tar_open(read_diff, &c)))
			die("malloc:");
		unpack(dir, t, &o);
		tar_close(t);
	}
	drain(&c, read_diff);
	if (c.gz)
		gz_close(c.gz);
	check_digests(&c, blob, diff);
}

/* the blob alone against its digest */
static void
check_blob(int fd, const char *blob, const char *label)
{
	struct chain c;

	c.fd = fd;
	c.label = label;
	sha256_init(&c.blob);
	/* never added to, but check_digests finishes it too */
	sha256_init(&c.diff);
	drain(&c, read_blob);
	check_digests(&c, blob, NULL);
}

/* whether blob was seen to unpack to diff, as the layer's record says;
 * and the record of one that was */
static int
known_blob(const char *diff, const char *blob)
{
	char name[96], *buf;
	size_t len;
	int found;

	fmt(name, sizeof(name), "layers/%s.blobs", diff);
	if (!blob || !(buf = slurp(store_open(), name, 1 << 20, &len)))
		return 0;
	found = strstr(buf, blob) != NULL;
	free(buf);
	return found;
}

static void
record_blob(const char *diff, const char *blob)
{
	char name[96], line[80];
	int fd;

	if (!blob)
		return;
	fmt(name, sizeof(name), "layers/%s.blobs", diff);
	fmt(line, sizeof(line), "%s\n", blob);
	if ((fd = openat(store_open(), name, O_WRONLY | O_CREAT | O_APPEND |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 || put_all(fd, line,
	    strlen(line)) < 0 || close(fd) < 0)
		die("write(%s/%s):", storepath, name);
}

/* holds the layer's lock: one unpack of it at a time, and a partial
 * one left by a killed sbx is ours to remove */
static int
store_lock(const char *diff)
{
	char name[96];
	int fd;

	fmt(name, sizeof(name), "layers/%s.lock", diff);
	if ((fd = openat(store_open(), name, O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0 || flock(fd, LOCK_EX) < 0)
		die("lock(%s/%s):", storepath, name);
	return fd;
}

struct unpacking {
	int dir, fd;
	const char *blob, *diff, *label;
};

static void
unpack_it(void *arg)
{
	struct unpacking *u = arg;

	unpack_layer(u->dir, u->fd, u->blob, u->diff, u->label);
}

/* into tmp/NAME, renamed into place once whole and checked; a layer
 * that keeps ids is unpacked as their owner */
static void
unpack_new(int layers, int blobfd, const char *blob, const char *diff,
    const char *label)
{
	char name[LAYERNAME_MAX], tmp[LAYERNAME_MAX + 4];
	struct unpacking u = { -1, blobfd, blob, diff, label };

	store_layer_name(name, sizeof(name), diff);
	fmt(tmp, sizeof(tmp), "tmp/%s", name);
	fmt(unpacking, sizeof(unpacking), "%s", tmp);
	atexit(remove_unpacking);
	store_remove_layer(storefd, tmp);
	if (mkdirat(storefd, tmp, 0755) < 0 || (u.dir = openat(storefd,
	    tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		die("mkdir(%s/%s):", storepath, tmp);
	if (keep.uid[1] || keep.gid[1])
		owners_run(&keep, unpack_it, &u);
	else
		unpack_it(&u);
	if (close(u.dir) < 0 || renameat(storefd, tmp, layers, name) < 0)
		die("rename(%s/%s):", storepath, tmp);
	unpacking[0] = '\0';
	record_blob(diff, blob);
}

void
store_layer(int blobfd, const char *blob, const char *diff)
{
	char name[LAYERNAME_MAX], label[80];
	struct stat st;
	int layers, lock;

	enter("layer");
	if ((layers = openat(store_open(), "layers", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) < 0)
		die("open(%s/layers):", storepath);
	lock = store_lock(diff);
	fmt(label, sizeof(label), "sha256:%.12s", blob ? blob : diff);
	if (fstatat(layers, store_layer_name(name, sizeof(name), diff), &st,
	    AT_SYMLINK_NOFOLLOW) < 0) {
		unpack_new(layers, blobfd, blob, diff, label);
	} else if (known_blob(diff, blob)) {
		check_blob(blobfd, blob, label);
	} else {
		/* the store has the layer, but not from this blob: it must
		 * be the same, or an image could claim another's layer */
		unpack_layer(-1, blobfd, blob, diff, label);
		record_blob(diff, blob);
	}
	if (close(lock) < 0 || close(layers) < 0)
		die("close(%s/layers):", storepath);
}

int
store_sub(const char *sub)
{
	int fd;

	if ((fd = openat(store_open(), sub, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) < 0)
		die("open(%s/%s):", storepath, sub);
	return fd;
}

DIR *
store_dir(const char *sub)
{
	DIR *d;

	if (!(d = fdopendir(store_sub(sub))))
		die("opendir(%s/%s):", storepath, sub);
	return d;
}

const char *
store_hex(const char *digest)
{
	if (!digest || strncmp(digest, "sha256:", 7) ||
	    strspn(digest + 7, "0123456789abcdef") != 64 || digest[71])
		return NULL;
	return digest + 7;
}

/* what killed imports and unpacks left in tmp, for prune, which owns
 * the store: no unpack runs, and an import's goes once its sbx is gone */
void
store_prune_tmp(void)
{
	struct dirent *d;
	DIR *dir = store_dir("tmp");

	while ((d = readdir(dir)))
		if ((!strncmp(d->d_name, "import.", 7) && kill(atoi(d->d_name +
		    7), 0) < 0 && errno == ESRCH) || (strspn(d->d_name,
		    "0123456789abcdef") == 64 && (!d->d_name[64] ||
		    d->d_name[64] == '-')))
			store_remove_layer(dirfd(dir), d->d_name);
	if (closedir(dir) < 0)
		die("closedir(%s/tmp):", storepath);
}

struct json *
store_config(const char *id)
{
	char name[80], err[128], *buf;
	struct json *j;
	int dir = store_sub("images");
	size_t len;

	fmt(name, sizeof(name), "%s.json", id);
	if (!(buf = slurp(dir, name, 4 << 20, &len)))
		die("open(%s/images/%s):", storepath, name);
	if (close(dir) < 0)
		die("close(%s/images):", storepath);
	if (!(j = json_parse(buf, len, err, sizeof(err))))
		die("%s/images/%s: %s", storepath, name, err);
	free(buf);
	return j;
}

/* the store's own lock: shared by imports and by the sbx of every
 * sandbox run from an image, for as long as they last; prune takes it
 * alone, or refuses, so that it never removes what one of them uses */
static void
hold(int how)
{
	static int fd = -1;

	if (fd < 0 && (fd = openat(store_open(), "lock", O_RDWR | O_CREAT |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		die("open(%s/lock):", storepath);
	if (flock(fd, how) == 0)
		return;
	if (errno == EWOULDBLOCK)
		die("an import or a sandbox run from an image uses the store:"
		    " prune once they end");
	die("flock(%s/lock):", storepath);
}

void
store_share(void)
{
	hold(LOCK_SH);
}

void
store_own(void)
{
	hold(LOCK_EX | LOCK_NB);
}
