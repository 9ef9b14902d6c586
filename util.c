/* See LICENSE file for copyright and license details. */
/*
 * util.c: failing (one line, the step, the call, the path, a hint), the
 * step label, the report pipe, helpers over files, paths and time, and
 * the id maps written to a child.
 * Knows no sandbox: it must never include a header above sbx.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcode.h"
#include "fmt.h"
#include "hint.h"
#include "jsonout.h"
#include "sbx.h"
#include "tty.h"

static int reportfd = -1; /* in the child: where failures go */
static int reportin = -1; /* in the parent: where they come from */
static int plain;          /* reportfd takes the bare line: no code */
static int logfd = -1;    /* --log of the OCI runtime: failures too */
static int logjson;
static const char *step;  /* what is being set up, for messages */
static int faults;        /* the steps entered: see enter() */

int
put_all(int fd, const char *s, size_t n)
{
	ssize_t w;

	for (; n; s += w, n -= w)
		if ((w = write(fd, s, n)) < 0)
			return -1;
	return 0;
}

int
put_whole(int dir, const char *name, const char *text, size_t len,
    int durable)
{
	char tmp[NAME_MAX + 16];
	int fd, e;

	fmt(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	if ((fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		return -1;
	if (put_all(fd, text, len) < 0 || (durable && fsync(fd) < 0)) {
		/* failing already: the first error is the one to tell */
		e = errno;
		(void)close(fd);
		errno = e;
		return -1;
	}
	return close(fd) < 0 || renameat(dir, tmp, dir, name) < 0 ? -1 : 0;
}

/* "sbx: STEP: msg[: strerror (hint)]\n" into msg, one line of sane
 * length and with no control byte (a name must not drive the user's
 * terminal) */
__attribute__((format(printf, 3, 0), nonnull(3))) static int
compose(char *msg, size_t size, const char *f, va_list ap)
{
	char body[8192];
	int e = errno, n, i, why = f[0] && f[strlen(f) - 1] == ':';
	const char *h;

	n = vfmt(body, sizeof(body), f, ap);
	if (n >= (int)sizeof(body))
		n = sizeof(body) - 1;
	/* a long path keeps its head, its tail and the reason */
	if (n > 600) {
		memcpy(body + 500, "...", 3);
		memmove(body + 503, body + n - 60, 60);
		n = 563;
	}
	body[n] = '\0';
	for (i = 0; i < n; i++)
		if ((unsigned char)body[i] < 0x20 || body[i] == 0x7f)
			body[i] = '?';
	h = why ? hint(step, body, e) : NULL;
	n = fmt(msg, size - 1, "sbx: %s%s%s%s%s%s%s%s", step ? step : "",
	    step ? ": " : "", body, why ? " " : "", why ? strerror(e) : "",
	    h ? " (" : "", h ? h : "", h ? ")" : "");
	if (n > (int)size - 2)
		n = size - 2;
	msg[n++] = '\n';
	return n;
}

/* the failure also as the OCI engine reads it: a line of text, or
 * containerd's JSON, whose last "error" msg it shows */
static void
log_line(const char *msg, size_t n)
{
	char line[1400];
	size_t len;

	if (logfd < 0)
		return;
	if (!logjson) {
		put_all(logfd, msg, n);
		return;
	}
	len = fmt(line, sizeof(line), "{\"level\":\"error\",\"msg\":");
	len += json_quote(line + len, sizeof(line) - len, msg, n && msg[n - 1]
	    == '\n' ? n - 1 : n);
	len += fmt(line + len, len < sizeof(line) ? sizeof(line) - len : 0,
	    "}\n");
	if (len < sizeof(line))
		put_all(logfd, line, len);
}

void
log_to(const char *path, int json)
{
	if ((logfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) < 0)
		die("open(%s):", path);
	logjson = json;
}

/* sends the message where the user sees it: the parent's stderr, or the
 * report pipe in the child */
__attribute__((noreturn, format(printf, 2, 0), nonnull(2))) static void
vfail(int code, const char *f, va_list ap)
{
	char msg[1024], theirs[1024];
	ssize_t len;
	int n;

	msg[0] = code;
	n = 1 + compose(msg + 1, sizeof(msg) - 1, f, ap);
	if (reportfd >= 0) {
		if (write(reportfd, msg + plain, n - plain) < 0) {
			/* nobody left to tell */
		}
		_exit(code);
	}
	tty_restore();
	/* the child may have failed first, and so made us fail: its
	 * message, already in the pipe, is the one that tells why */
	if (reportin >= 0 && fcntl(reportin, F_SETFL, O_NONBLOCK) == 0 &&
	    (len = read(reportin, theirs, sizeof(theirs))) > 0) {
		code = (unsigned char)theirs[0];
		put_all(2, theirs + 1, len - 1);
		log_line(theirs + 1, len - 1);
		exit(code);
	}
	put_all(2, msg + 1, n - 1);
	log_line(msg + 1, n - 1);
	exit(code);
}

void
warn(const char *f, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, f);
	n = compose(msg, sizeof(msg), f, ap);
	va_end(ap);
	put_all(2, msg, n);
}

void
fail(int code, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vfail(code, f, ap);
	/* vfail does not return */
	/* cppcheck-suppress va_end_missing */
}

void
die(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vfail(EXIT_SETUP, f, ap);
	/* vfail does not return */
	/* cppcheck-suppress va_end_missing */
}

void
report_to(int fd)
{
	reportfd = fd;
	faults = 100;
}

int
report_pass(void)
{
	if (reportfd >= 0 && fcntl(reportfd, F_SETFD, 0) < 0)
		die("fcntl(report pipe):");
	return reportfd;
}

void
report_plain(void)
{
	reportfd = 2;
	plain = 1;
}

void
report_from(int fd)
{
	reportin = fd;
}

/*
 * A profiling build (make SBXFLAGS=-DPROFILE, used by make bench) prints
 * on stderr how many microseconds each step took, as "P|C STEP US", P for
 * the parent, C for the child.
 */
#ifdef PROFILE
static void
profile(void)
{
	static struct timespec last;
	struct timespec t;
	char line[96];
	int n;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (step) {
		n = fmt(line, sizeof(line), "%c %s %ld\n", faults >= 100 ?
		    'C' : 'P', step, (t.tv_sec - last.tv_sec) * 1000000 +
		    (t.tv_nsec - last.tv_nsec) / 1000);
		if (write(2, line, n < (int)sizeof(line) ? n : (int)sizeof(line) -
		    1) < 0) {
			/* a profile is best effort */
		}
	}
	last = t;
}
#endif

/*
 * A test build (make SBXFLAGS=-DFAULTS) fails the N-th step when
 * SBX_FAULT=N, so the tests can prove each failure is one line, status
 * 125, and nothing left over. The parent's steps count from 1, the
 * child's from 101.
 */
void
enter(const char *name)
{
#ifdef PROFILE
	profile();
#endif
#ifdef FAULTS
	const char *at = getenv("SBX_FAULT");

	step = name;
	if (at && ++faults == atoi(at)) {
		errno = EIO;
		die("injected fault %d:", faults);
	}
#endif
	step = name;
}

char *
slurp(int dir, const char *path, size_t max, size_t *len)
{
	char *buf = NULL, *more;
	size_t cap = 0;
	ssize_t n = 1;
	int fd;

	if ((fd = openat(dir, path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	for (*len = 0; n > 0; *len += n) {
		/* room for one byte more than max: then it holds more */
		if (*len == cap) {
			if (cap > max)
				die("%s: more than %lu bytes", path,
				    (unsigned long)max);
			cap = cap ? 2 * cap : 65536;
			cap = cap > max ? max + 1 : cap;
			if (!(more = realloc(buf, cap + 1)))
				die("malloc:");
			buf = more;
		}
		if ((n = read(fd, buf + *len, cap - *len)) < 0)
			die("read(%s):", path);
	}
	buf[*len] = '\0';
	if (close(fd) < 0)
		die("close(%s):", path);
	return buf;
}

char *
next_line(char **at, const char *end)
{
	char *line = *at;

	if (line >= end)
		return NULL;
	*at = line + strcspn(line, "\n");
	if (*at < end)
		*(*at)++ = '\0';
	return line;
}

char *
fdpath(char *buf, int fd)
{
	fmt(buf, FDPATH_MAX, "/proc/self/fd/%d", fd);
	return buf;
}

int
same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

void
deadline(struct timespec *then, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, then);
	then->tv_sec += ms / 1000 + (then->tv_nsec + ms % 1000 * 1000000) /
	    1000000000;
	then->tv_nsec = (then->tv_nsec + ms % 1000 * 1000000) % 1000000000;
}

int
until(const struct timespec *then)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(then->tv_sec - now.tv_sec) * 1000 +
	    (then->tv_nsec - now.tv_nsec) / 1000000;
	return ms > INT_MAX ? INT_MAX : ms > 0 ? ms : 0;
}

int
path_walk(const char *dirs, const char *name, int (*try)(const char *))
{
	char path[PATH_MAX];
	const char *end;
	int why = ENOENT, e;

	for (; ; dirs = end + 1) {
		end = strchrnul(dirs, ':');
		if (fmt(path, sizeof(path), "%.*s/%s", (int)(end - dirs),
		    dirs, name) < sizeof(path) && (e = try(path)) != ENOENT) {
			if (!e)
				return 0;
			why = e;
		}
		if (!*end)
			return why;
	}
}

int
open_private(const char *path, const char *var)
{
	struct stat st;
	int fd;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		die("mkdir(%s):", path);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		die("open(%s):", path);
	if (fstat(fd, &st) < 0)
		die("stat(%s):", path);
	if (st.st_uid != getuid() || st.st_mode & 077)
		die("%s: owner %u, mode %03o: must be uid %u's, mode 700"
		    " (hint: remove it, or set %s)", path, (unsigned)st.st_uid,
		    st.st_mode & 0777, (unsigned)getuid(), var);
	return fd;
}

/* the file at path below dir, never through a symlink */
/* fd if it is a regular file (a fifo would block its reader), else -1 */
static int
regular(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return fd;
	if (close(fd) < 0)
		die("close:");
	errno = EINVAL;
	return -1;
}

int
open_in(int dir, const char *path)
{
	char comp[NAME_MAX + 1];
	const char *end;
	int fd = dir, next;

	for (;;) {
		end = strchrnul(path, '/');
		if (end - path > NAME_MAX || end == path ||
		    !strncmp(path, "..", end - path))
			return errno = EINVAL, -1;
		fmt(comp, sizeof(comp), "%.*s", (int)(end - path), path);
		next = openat(fd, comp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    (*end ? O_DIRECTORY : O_NONBLOCK));
		if (fd != dir && close(fd) < 0)
			die("close:");
		if (next >= 0 && !*end)
			return regular(next);
		if (next < 0)
			return next;
		fd = next;
		path = end + 1;
	}
}

void
proc_write(int dirfd, const char *name, const char *text, pid_t pid)
{
	int fd;
	ssize_t n = strlen(text);

	if ((fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC)) < 0)
		die("open(/proc/%d/%s):", (int)pid, name);
	if (write(fd, text, n) != n)
		die("write(/proc/%d/%s, \"%s\"):", (int)pid, name, text);
	if (close(fd) < 0)
		die("close(/proc/%d/%s):", (int)pid, name);
}

/* tool PID IN HOST COUNT...: the map's words as its arguments; hint, if
 * any, after its failure */
void
map_tool(const char *tool, pid_t pid, const char *map, const char *hint)
{
	char buf[512], num[16], line[640], *args[40], *w, *at;
	size_t n;
	int argc = 0, st;
	pid_t m;

	fmt(buf, sizeof(buf), "%s", map);
	fmt(num, sizeof(num), "%d", (int)pid);
	args[argc++] = (char *)tool;
	args[argc++] = num;
	n = fmt(line, sizeof(line), "%s %s", tool, num);
	for (w = strtok_r(buf, " \n", &at); w && argc < 39;
	    w = strtok_r(NULL, " \n", &at)) {
		args[argc++] = w;
		n += fmt(line + n, n < sizeof(line) ? sizeof(line) - n : 0,
		    " %s", w);
	}
	args[argc] = NULL;
	if ((m = fork()) < 0)
		die("fork:");
	if (m == 0) {
		execvp(tool, args);
		_exit(127);
	}
	if (waitpid(m, &st, 0) < 0)
		die("waitpid(%s):", tool);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("%s: failed%s%s", line, hint ? " " : "", hint ? hint : "");
}/* the caller as 0, then its range from 1 */
static const char *
range_map(char *map, size_t n, unsigned id, const unsigned long range[2])
{
	fmt(map, n, "0 %u 1 1 %lu %lu", id, range[0], range[1]);
	return map;
}

/* the files are reached through a directory opened right after clone,
 * so a pid reused meanwhile cannot get our maps; setgroups is denied
 * before an unprivileged gid_map (CVE-2014-8989) */
void
map_ids(pid_t pid, unsigned uid, unsigned gid, const unsigned long *subuid,
    const unsigned long *subgid)
{
	char path[32], map[64];
	int dirfd;

	fmt(path, sizeof(path), "/proc/%d", (int)pid);
	if ((dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(%s):", path);
	fmt(map, sizeof(map), "%u %u 1", uid, (unsigned)getuid());
	if (subuid)
		map_tool("newuidmap", pid, range_map(map, sizeof(map),
		    getuid(), subuid), NULL);
	else
		proc_write(dirfd, "uid_map", map, pid);
	fmt(map, sizeof(map), "%u %u 1", gid, (unsigned)getgid());
	/* newgidmap applies the administrator's setgroups policy itself */
	if (subgid) {
		map_tool("newgidmap", pid, range_map(map, sizeof(map),
		    getgid(), subgid), NULL);
	} else {
		proc_write(dirfd, "setgroups", "deny", pid);
		proc_write(dirfd, "gid_map", map, pid);
	}
	if (close(dirfd) < 0)
		die("close(%s):", path);
}
