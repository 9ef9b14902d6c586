/* See LICENSE file for copyright and license details. */
/*
 * names.c: named sandboxes' state, with no daemon: this user's state
 * directory, our own entry, and finding and checking others' entries.
 * It depends on util.c alone, and never signals a process (verbs.c does).
 *
 * Named sandboxes, with no daemon. Each user has a private directory that
 * holds one file per named sandbox. The sbx that runs a sandbox holds an
 * exclusive flock on its file for as long as it lives; the kernel drops
 * the lock however sbx ends, so a file that nobody holds is what a dead
 * sandbox left, and whoever finds one removes it. A name is claimed with
 * link(2), which fails when the name exists, so of two starts one wins.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "names.h"
#include "sbx.h"

#define NAMEMAX 64
#define NAMECHARS "abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

static int statedir = -1, entryfd = -1;
static char entryname[NAMEMAX + 1];

int
names_valid(const char *name)
{
	size_t n = strspn(name, NAMECHARS);

	return n && n <= NAMEMAX && !name[n] && name[0] != '.' &&
	    name[0] != '-' ? 0 : -1;
}

/* what names_reserve writes besides the command: six numbers and an
 * image's id */
#define ENTRYFIXED 384

int
names_fits(char **cmd)
{
	size_t n = ENTRYFIXED;

	for (; *cmd && n <= NAMES_ENTRYMAX; cmd++)
		n += sizeof("cmd=") + strlen(*cmd);
	return n <= NAMES_ENTRYMAX ? 0 : -1;
}

/*
 * $XDG_RUNTIME_DIR/sbx, /run/sbx for root, else /tmp/sbx-UID. It must be
 * ours and private: another user who made it first could otherwise read
 * or forge our sandboxes' files.
 */
static int
state_dir(void)
{
	char path[PATH_MAX];
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	unsigned uid = getuid();
	struct stat st;
	int n;

	/* not one inherited from another user, as su(1) passes it on */
	if (xdg && xdg[0] == '/' && stat(xdg, &st) == 0 && st.st_uid == uid)
		n = fmt(path, sizeof(path), "%s/sbx", xdg);
	else
		n = fmt(path, sizeof(path), uid ? "/tmp/sbx-%u" :
		    "/run/sbx", uid);
	if (n >= (int)sizeof(path))
		die("$XDG_RUNTIME_DIR: path too long");
	return open_private(path, "XDG_RUNTIME_DIR");
}

/* 1 while the sbx that wrote the file still holds it */
static int
alive(int fd)
{
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		if (flock(fd, LOCK_UN) < 0)
			die("flock(LOCK_UN):");
		return 0;
	}
	if (errno != EWOULDBLOCK)
		die("flock:");
	return 1;
}

/*
 * name's file, open on *fd without following a symlink, waiting on a
 * fifo or taking a terminal, and its stat: 1 if it could be opened to
 * read, 0 if only as a path (a symlink, a socket), -1 if there is none
 */
static int
open_entry(int dir, const char *name, struct stat *st, int *fd)
{
	int readable = 1;

	if ((*fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC)) < 0 && errno != ENOENT) {
		readable = 0;
		*fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (*fd < 0 && errno == ENOENT)
		return -1;
	if (*fd < 0 || fstat(*fd, st) < 0)
		die("open(%s):", name);
	return readable;
}

/* unlinks name if it still is the file st: 1 if st is no longer there
 * (a directory with files in it stays) */
static int
unlink_same(int dir, const char *name, const struct stat *st)
{
	struct stat now;

	if (fstatat(dir, name, &now, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			die("stat(%s):", name);
		return 1;
	}
	return !same_inode(&now, st) || unlinkat(dir, name,
	    S_ISDIR(st->st_mode) ? AT_REMOVEDIR : 0) == 0 || errno == ENOENT;
}

/* 1 if we took fd's lock, 0 if someone holds it: never waits for it */
static int
take_lock(int fd, const char *name)
{
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 1;
	if (errno != EWOULDBLOCK)
		die("flock(%s):", name);
	return 0;
}

/*
 * Removes name if nobody holds it (and if it is the file same, when
 * given); 1 if it is gone. Only the holder of its lock may remove a
 * file, so once we hold it and name still is that file, nobody can swap
 * it under us. What has no lock of its own (a symlink, a socket) is
 * removed under the directory's. An sbx only ever links a regular file,
 * so nothing else there is a sandbox's.
 */
static int
prune(int dir, const char *name, const struct stat *same)
{
	struct stat st;
	int fd, lock, readable, gone;

	if ((readable = open_entry(dir, name, &st, &fd)) < 0)
		return 1;
	if ((lock = readable ? fd : openat(dir, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		die("open(state directory):");
	gone = (same && !same_inode(same, &st)) || (take_lock(lock, name) &&
	    unlink_same(dir, name, &st));
	if ((!readable && close(lock) < 0) || close(fd) < 0)
		die("close(%s):", name);
	return gone;
}

/* the file open on fd, parsed into e; -1 if no sbx wrote it: not a
 * regular file, bigger than any of ours (names_fits sees to that), or
 * not starting with the pid each of ours starts with */
static int
read_entry(int fd, struct entry *e)
{
	struct stat st;
	char *p, *end;
	ssize_t n = 0, len = 0;
	size_t nrec = 1;

	free(e->buf);
	free(e->cmd);
	*e = (struct entry){ .status = -1 };
	if (fstat(fd, &st) < 0)
		die("stat(%s):", entryname);
	if (!S_ISREG(st.st_mode) || st.st_size > NAMES_ENTRYMAX)
		return -1;
	if (!(e->buf = malloc(st.st_size + 1)))
		die("malloc:");
	while (len < st.st_size && (n = pread(fd, e->buf + len,
	    st.st_size - len, len)) > 0)
		len += n;
	if (n < 0)
		die("read(%s):", entryname);
	e->buf[len] = '\0';
	end = e->buf + len;
	for (p = e->buf; p < end; p += strlen(p) + 1)
		nrec++;
	if (!(e->cmd = calloc(nrec, sizeof(char *))))
		die("malloc:");
	for (p = e->buf; p < end; p += strlen(p) + 1) {
		if (!strncmp(p, "pid=", 4))
			e->pid = atoi(p + 4);
		else if (!strncmp(p, "init=", 5))
			e->init = atoi(p + 5);
		else if (!strncmp(p, "start=", 6))
			e->start = strtoull(p + 6, NULL, 10);
		else if (!strncmp(p, "time=", 5))
			e->time = strtoll(p + 5, NULL, 10);
		else if (!strncmp(p, "status=", 7))
			e->status = atoi(p + 7);
		else if (!strncmp(p, "stop=", 5))
			e->stopsig = atoi(p + 5);
		else if (!strncmp(p, "image=", 6))
			e->image = p + 6;
		else if (!strncmp(p, "memcg=", 6))
			e->memcg = p + 6;
		else if (!strncmp(p, "pidscg=", 7))
			e->pidscg = p + 7;
		else if (!strncmp(p, "cmd=", 4))
			e->cmd[e->ncmd++] = p + 4;
	}
	if (!strncmp(e->buf, "pid=", 4) && e->pid > 0)
		return 0;
	e->status = -1;
	return -1;
}

/*
 * What name's file says: LIVE while its sbx holds it, ENDED once that
 * sbx recorded a status and exited; GONE if there is none, or it was
 * an sbx's that died with no status, now removed. JUNK if no sbx wrote
 * it, now removed; KEPT if it cannot be: something holds it, or it is a
 * directory with files in it. A sandbox can write any of these, and
 * must not break ps for the rest, nor hang it.
 */
enum { GONE, LIVE, ENDED, JUNK, KEPT };

static const char *const fates[] = {
	[GONE] = "no such sandbox (sbx ps lists them)",
	[JUNK] = "not a sandbox's state file: removed",
	[KEPT] = "not a sandbox's state file: left in place",
};

/* name's file, open on *fd (or -1) and read into e; its fate above */
static int
look(int dir, const char *name, struct entry *e, int *fd)
{
	struct stat st;
	int readable, live = 0, ours = 0;

	fmt(entryname, sizeof(entryname), "%s", name);
	if ((readable = open_entry(dir, name, &st, fd)) < 0)
		return GONE;
	/* read after the check: an sbx records its status before it lets go */
	if (readable) {
		live = alive(*fd);
		ours = read_entry(*fd, e) == 0;
	}
	if (ours && live)
		return LIVE;
	if (ours && e->status >= 0)
		return ENDED;
	if (close(*fd) < 0)
		die("close(%s):", name);
	*fd = -1;
	if (ours)
		return prune(dir, name, &st), GONE;
	return !live && prune(dir, name, &st) ? JUNK : KEPT;
}

/* makes way for our file at name: what a dead sbx, or no sbx, left
 * goes; dies if a live sandbox has it, or if what is there must stay */
static void
make_way(int dir, const char *name)
{
	struct entry e = { 0 };
	int fd, state = look(dir, name, &e, &fd);

	free(e.buf);
	free(e.cmd);
	if (fd >= 0 && close(fd) < 0)
		die("close(%s):", name);
	if (state == LIVE || (state == ENDED && !prune(dir, name, NULL)))
		die("%s: a sandbox of that name is running", name);
	if (state == KEPT)
		die("%s: %s", name, fates[KEPT]);
}

/* one "key=value" record, in one write: a reader sees it whole or not */
static void
record(const char *key, const char *val)
{
	struct iovec iov[2] = { { (char *)key, strlen(key) },
	    { (char *)val, strlen(val) + 1 } };

	if (writev(entryfd, iov, 2) != (ssize_t)(iov[0].iov_len +
	    iov[1].iov_len))
		die("write(%s):", entryname);
}

static void
record_number(const char *key, long long n)
{
	char num[24];

	fmt(num, sizeof(num), "%lld", n);
	record(key, num);
}

/* the file is made nameless, locked and written, then linked: nobody
 * ever sees it half-written or unlocked */
void
names_reserve(const char *name, char **cmd, int stopsig, const char *image)
{
	char path[32];
	int i;

	enter("name");
	statedir = state_dir();
	fmt(entryname, sizeof(entryname), "%s", name);
	if ((entryfd = openat(statedir, ".", O_TMPFILE | O_RDWR | O_APPEND |
	    O_CLOEXEC, 0600)) < 0)
		die("open(O_TMPFILE):");
	/* held until we exit: that is what says the sandbox lives */
	if (flock(entryfd, LOCK_EX) < 0)
		die("flock(%s):", name);
	record_number("pid=", getpid());
	record_number("time=", time(NULL));
	if (stopsig)
		record_number("stop=", stopsig);
	if (image)
		record("image=", image);
	for (i = 0; cmd[i]; i++)
		record("cmd=", cmd[i]);
	fmt(path, sizeof(path), "/proc/self/fd/%d", entryfd);
	while (linkat(AT_FDCWD, path, statedir, name, AT_SYMLINK_FOLLOW) < 0) {
		if (errno != EEXIST)
			die("link(%s):", name);
		make_way(statedir, name);
	}
}

/* field n of /proc/PID/stat: 4 the parent, 22 the start time, which
 * with the pid names one process; 0 if it cannot be read */
static unsigned long long
stat_field(int procdir, int n)
{
	char buf[1024], *p;
	ssize_t len;
	int fd, i;

	if ((fd = openat(procdir, "stat", O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	if (close(fd) < 0)
		die("close(/proc/PID/stat):");
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	/* after the name, which may hold spaces and parentheses */
	p = strrchr(buf, ')');
	for (i = 2; p && i < n; i++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

static int
open_proc(pid_t pid)
{
	char path[32];

	fmt(path, sizeof(path), "/proc/%d", (int)pid);
	return pid > 0 ? open(path, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
}

/* 1 if the process's namespace ns is ours, 0 if not, -1 if unknown */
static int
same_ns(int procdir, const char *ns)
{
	struct stat a, b;
	char self[32];

	fmt(self, sizeof(self), "/proc/self/%s", ns);
	if (fstatat(procdir, ns, &a, 0) < 0 || stat(self, &b) < 0)
		return -1;
	return same_inode(&a, &b);
}

/*
 * The /proc directory of e's init, checked, or -1 if that is not it.
 * init must have the start time recorded, be the child of the sbx
 * recorded, and be in a user, pid and mount namespace not ours; that
 * sbx must be in our user and pid namespaces, where nothing a sandbox
 * starts can be. A forged file can then point at no process but the
 * init of one of our own sandboxes.
 */
int
names_check_init(const struct entry *e)
{
	int init = open_proc(e->init), sbx = open_proc(e->pid), ok;

	ok = init >= 0 && sbx >= 0 && e->start &&
	    stat_field(init, 22) == e->start &&
	    stat_field(init, 4) == (unsigned long long)e->pid &&
	    same_ns(sbx, "ns/user") == 1 && same_ns(sbx, "ns/pid") == 1 &&
	    same_ns(init, "ns/user") == 0 && same_ns(init, "ns/pid") == 0 &&
	    same_ns(init, "ns/mnt") == 0;
	if (sbx >= 0 && close(sbx) < 0)
		die("close(/proc/%d):", (int)e->pid);
	if (!ok && init >= 0 && close(init) < 0)
		die("close(/proc/%d):", (int)e->init);
	return ok ? init : -1;
}

/* sbx's own arguments, from its /proc/PID/cmdline: not from the file,
 * which a sandbox may have written */
static void
read_args(const char *name, struct entry *e, int init)
{
	char path[32], *p;
	size_t len;

	fmt(path, sizeof(path), "/proc/%d/cmdline", (int)e->pid);
	if (!(e->argbuf = slurp(AT_FDCWD, path, SLURP_ARGS, &len)))
		die("%s: the sandbox has ended", name);
	if (!(e->args = calloc(len + 1, sizeof(char *))))
		die("malloc:");
	for (p = e->argbuf; p < e->argbuf + len; p += strlen(p) + 1)
		e->args[e->nargs++] = p;
	/* still init's parent: the pid was not reused while we read */
	if (stat_field(init, 4) != (unsigned long long)e->pid)
		die("%s: the sandbox has ended", name);
}

int
names_open_init(const char *name, struct entry *e)
{
	int init = names_check_init(e);

	if (init < 0)
		die("%s: the sandbox has ended", name);
	read_args(name, e, init);
	return init;
}

void
names_publish(pid_t init)
{
	unsigned long long start;
	int dir;

	if (entryfd < 0)
		return;
	enter("name");
	if ((dir = open_proc(init)) < 0 || !(start = stat_field(dir, 22)))
		die("/proc/%d/stat: cannot be read", (int)init);
	record_number("start=", start);
	record_number("init=", init);
	if (close(dir) < 0)
		die("close(/proc/%d):", (int)init);
}

void
names_cgroups(const char *memory, const char *pids)
{
	if (entryfd < 0)
		return;
	if (memory)
		record("memcg=", memory);
	if (pids)
		record("pidscg=", pids);
}

/* the status stays for sbx wait; the lock goes when we exit */
void
names_finish(int status)
{
	if (entryfd >= 0)
		record_number("status=", status);
}

int
names_open(const char *name, struct entry *e, int *live)
{
	int dir = state_dir(), fd, state;

	state = look(dir, name, e, &fd);
	if (close(dir) < 0)
		die("close(state directory):");
	if (fates[state])
		die("%s: %s", name, fates[state]);
	*live = state == LIVE;
	return fd;
}

int
names_open_live(const char *name, struct entry *e)
{
	int live, fd = names_open(name, e, &live);

	if (!live)
		die("%s: the sandbox has ended", name);
	if (!e->init)
		die("%s: still starting", name);
	return fd;
}

void
names_find(const char *name, struct entry *e)
{
	if (close(names_open_live(name, e)) < 0)
		die("close(%s):", name);
}

/* sbx wait's last step: the ended sandbox's file goes, once read */
void
names_collect(int fd, const char *name)
{
	struct stat st;
	int dir = state_dir();

	if (fstat(fd, &st) < 0 || flock(fd, LOCK_UN) < 0)
		die("flock(%s):", name);
	prune(dir, name, &st);
	if (close(fd) < 0 || close(dir) < 0)
		die("close(%s):", name);
}

void
names_reread(int fd, struct entry *e)
{
	read_entry(fd, e);
}

static int
valid(const struct dirent *d)
{
	return names_valid(d->d_name) == 0;
}

/* files of sandboxes that died are pruned on the way */
void
names_each(void (*show)(const char *, const struct entry *, void *),
    void *arg)
{
	struct entry e = { 0 };
	struct dirent **names;
	char path[FDPATH_MAX];
	int dir = state_dir(), fd, i, n;

	if ((n = scandir(fdpath(path, dir), &names, valid, alphasort)) < 0)
		die("scandir(state directory):");
	for (i = 0; i < n; i++) {
		if (look(dir, names[i]->d_name, &e, &fd) == LIVE)
			show(names[i]->d_name, &e, arg);
		if (fd >= 0 && close(fd) < 0)
			die("close(%s):", names[i]->d_name);
		free(names[i]);
	}
	free(names);
	free(e.buf);
	free(e.cmd);
	if (close(dir) < 0)
		die("close(state directory):");
}
