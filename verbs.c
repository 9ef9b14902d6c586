/* See LICENSE file for copyright and license details. */
/*
 * verbs.c: sbx ps, kill, stop and wait, on this user's named sandboxes,
 * through the entries names.c keeps; it never makes or changes an entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "names.h"
#include "verbs.h"
#include "sbx.h"

/* through a pidfd taken before init is checked: then it is that
 * process, never one that got its pid since; -1 if it has ended */
static int
signal_init(const struct entry *e, int sig)
{
	int pfd, dir, r;

	if ((pfd = syscall(SYS_pidfd_open, e->init, 0)) < 0 &&
	    errno != ENOSYS) {
		if (errno != ESRCH)
			die("pidfd_open(%d):", (int)e->init);
		return -1;
	}
	if ((dir = names_check_init(e)) < 0) {
		r = -1;
	} else {
		r = pfd >= 0 ? syscall(SYS_pidfd_send_signal, pfd, sig, NULL,
		    0) : kill(e->init, sig);
		if (r < 0 && errno != ESRCH)
			die("kill(%d, %d):", (int)e->init, sig);
		if (close(dir) < 0)
			die("close(/proc/%d):", (int)e->init);
	}
	if (pfd >= 0 && close(pfd) < 0)
		die("close(pidfd):");
	return r;
}

int
verb_kill(const char *name, int sig)
{
	struct entry e = { 0 };
	int fd = names_open_live(name, &e);

	/* without one: the image's StopSignal, or TERM */
	sig = sig ? sig : e.stopsig > 0 && e.stopsig < 65 ? e.stopsig : SIGTERM;
	if (signal_init(&e, sig) < 0)
		die("%s: the sandbox has ended", name);
	if (close(fd) < 0)
		die("close(%s):", name);
	return 0;
}

static void
tick(int sig)
{
	(void)sig;
}

/*
 * 1 once the sandbox's sbx has ended, its lock then ours to take; 0 if
 * ms (if not 0) ran out first. A timer that ticks, rather than one alarm,
 * breaks the wait even if a tick comes just before flock starts.
 */
static int
wait_end(int fd, const char *name, long ms)
{
	struct sigaction sa = { .sa_handler = tick };
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, off = { 0 };
	struct timespec end;
	int ended = 0;

	deadline(&end, ms);
	if (ms && (sigaction(SIGALRM, &sa, NULL) < 0 ||
	    setitimer(ITIMER_REAL, &it, NULL) < 0))
		die("setitimer:");
	while (!(ended = (flock(fd, LOCK_SH) == 0))) {
		if (errno != EINTR)
			die("flock(%s):", name);
		if (ms && !until(&end))
			break;
	}
	if (ms && setitimer(ITIMER_REAL, &off, NULL) < 0)
		die("setitimer:");
	return ended;
}

/* TERM, then KILL after ms (at once if 0); done once sbx has ended */
int
verb_stop(const char *name, long ms)
{
	struct entry e = { 0 };
	int live, fd = names_open(name, &e, &live);

	if (live && !e.init)
		die("%s: still starting", name);
	if (live && signal_init(&e, e.stopsig > 0 && e.stopsig < 65 ?
	    e.stopsig : SIGTERM) == 0 &&
	    (!ms || !wait_end(fd, name, ms)))
		signal_init(&e, SIGKILL);
	/* bounded: a forged file may be held by something else */
	if (live && !wait_end(fd, name, 10000))
		die("%s: its sbx has not ended", name);
	if (close(fd) < 0)
		die("close(%s):", name);
	return 0;
}

/* like waitpid, collects the status: the file goes once read */
int
verb_wait(const char *name)
{
	struct entry e = { 0 };
	int live, fd = names_open(name, &e, &live);

	if (live) {
		wait_end(fd, name, 0);
		names_reread(fd, &e);
	}
	if (e.status < 0)
		die("%s: its sbx ended without a status (killed?)", name);
	names_collect(fd, name);
	return e.status;
}

/* ps writes through one buffer, flushed when full and at the end */
static char out[4096];
static size_t outlen;

static void
flush_out(void)
{
	size_t off = 0;
	ssize_t w;

	for (; off < outlen; off += w)
		if ((w = write(1, out + off, outlen - off)) < 0)
			die("write(stdout):");
	outlen = 0;
}

__attribute__((format(printf, 1, 2))) static void
say(const char *f, ...)
{
	char buf[256];
	va_list ap;
	size_t n;

	va_start(ap, f);
	n = vfmt(buf, sizeof(buf), f, ap);
	va_end(ap);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (outlen + n > sizeof(out))
		flush_out();
	memcpy(out + outlen, buf, n);
	outlen += n;
}

/* 12s, 3m04s, 5h06m, 7d08h */
static void
print_uptime(long long s)
{
	char buf[32];

	s = s < 0 ? 0 : s;
	if (s < 60)
		fmt(buf, sizeof(buf), "%llds", s);
	else if (s < 3600)
		fmt(buf, sizeof(buf), "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		fmt(buf, sizeof(buf), "%lldh%02lldm", s / 3600,
		    s / 60 % 60);
	else
		fmt(buf, sizeof(buf), "%lldd%02lldh", s / 86400,
		    s / 3600 % 24);
	say(" %7s  ", buf);
}

/* a control byte in a command must not drive the user's terminal */
static void
print_text(const char *s)
{
	for (; *s; s++)
		say("%c", (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static void
print_json(const char *s)
{
	say("\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			say("\\%c", *s);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			say("\\u%04x", (unsigned char)*s);
		else
			say("%c", *s);
	}
	say("\"");
}

/* a count its cgroup keeps, from the first of files in dir that there
 * is; -1 if none */
static long long
usage(const char *dir, const char *const *files)
{
	char path[PATH_MAX], buf[32];
	long long n = -1;
	ssize_t len;
	int fd;

	/* a sandbox could write its entry: only a cgroup's file is read */
	for (; dir && !strncmp(dir, "/sys/fs/cgroup/", 15) && *files; files++) {
		fmt(path, sizeof(path), "%s/%s", dir, *files);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[len > 0 ? len : 0] = '\0';
		n = len > 0 ? atoll(buf) : -1;
		break;
	}
	return n;
}

static void
print_usage(const struct entry *e)
{
	static const char *const mem[] = { "memory.current",
	    "memory.usage_in_bytes", NULL }, *const pids[] = { "pids.current",
	    NULL };
	long long m = usage(e->memcg, mem), n = usage(e->pidscg, pids);

	if (m < 0)
		say(",\"memory\":null");
	else
		say(",\"memory\":%lld", m);
	if (n < 0)
		say(",\"pids\":null");
	else
		say(",\"pids\":%lld", n);
}

/* what ps shows of each sandbox */
struct listing { int json, shown; };

static void
print_entry(const char *name, const struct entry *e, void *arg)
{
	struct listing *l = arg;
	long long up = time(NULL) - e->time;
	int i, json = l->json, first = !l->shown++;

	if (json) {
		say("%s{\"name\":", first ? "" : ",\n");
		print_json(name);
		say(",\"pid\":%d,\"init\":%d,\"started\":%lld,"
		    "\"uptime\":%lld,\"command\":[", (int)e->pid, (int)e->init,
		    e->time, up < 0 ? 0 : up);
		for (i = 0; i < e->ncmd; i++) {
			say("%s", i ? "," : "");
			print_json(e->cmd[i]);
		}
		say("]");
		print_usage(e);
		say("}");
		return;
	}
	say("%-16s %7d", name, (int)e->pid);
	print_uptime(up);
	for (i = 0; i < e->ncmd; i++) {
		say("%s", i ? " " : "");
		print_text(e->cmd[i]);
	}
	say("\n");
}

int
verb_ps(int json)
{
	struct listing l = { json, 0 };

	if (json)
		say("[");
	else
		say("%-16s %7s %7s  %s\n", "NAME", "PID", "UPTIME", "COMMAND");
	names_each(print_entry, &l);
	if (json)
		say("]\n");
	flush_out();
	return 0;
}
