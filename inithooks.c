/* See LICENSE file for copyright and license details. */
/*
 * inithooks.c: init's part of an OCI container's start. Its own hooks
 * run here, after the pivot and the lock-down, as children of init, so
 * a hook from a hostile rootfs gets no more than the process will: its
 * ids, capabilities and seccomp filter, and no image of the host's sbx
 * in the container to reach through /proc.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exitcode.h"
#include "fmt.h"
#include "inithooks.h"

static struct {
	int report;     /* where a failure goes: REPORT, then wait */
	int started;    /* whether create has ended: a bare reason */
} in = { .report = -1 };

/* the one way a step here fails: init ends, and says why where the
 * runtime waits for it: the report pipe, as a byte with the exit code
 * then a line; once create has ended, the fifo, as a bare reason, for
 * start; with neither, stderr */
__attribute__((noreturn, format(printf, 2, 0))) static void
vfailed(const char *who, const char *f, va_list ap)
{
	char msg[PATH_MAX + 256];
	int fd = in.report >= 0 ? in.report : 2, bare = in.started;
	size_t n = 0;

	if (!bare)
		n = fmt(msg, sizeof(msg), "%c%s: ", EXIT_SETUP, who);
	n += vfmt(msg + n, sizeof(msg) - n, f, ap);
	if (n >= sizeof(msg) - 1)
		n = sizeof(msg) - 2;
	if (!bare)
		msg[n++] = '\n';
	if (write(fd, msg + (fd == 2), n - (fd == 2)) < 0) {
		/* nobody left to tell */
	}
	_exit(EXIT_SETUP);
}

/* a hook that failed */
__attribute__((noreturn, format(printf, 1, 2))) static void
failed(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vfailed("sbx: hooks", f, ap);
	/* cppcheck-suppress va_end_missing */
}

/* init that failed */
__attribute__((noreturn, format(printf, 1, 2))) static void
broken(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vfailed("init", f, ap);
	/* cppcheck-suppress va_end_missing */
}

/* a place in the file, and where its argvs go */
struct cursor {
	char *at, *end;
	char **slot;
};

static char *
next(struct cursor *c)
{
	char *s = c->at, *nul;

	if (s >= c->end || !(nul = memchr(s, '\0', c->end - s)))
		return NULL;
	c->at = nul + 1;
	return s;
}

/* a count up to max, or -1 with why */
static long
count(struct cursor *c, long max, const char **why)
{
	static char bad[96];
	char *s = next(c), *end;
	long n;

	if (!s)
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (!errno && end != s && !*end && n >= 0 && n <= max)
		return n;
	fmt(bad, sizeof(bad), "the hooks' file: %.40s: not a count", s);
	*why = bad;
	return -1;
}

/* n strings, as an argv in the slots; NULL if the file is cut short */
static char **
strings(struct cursor *c, long n)
{
	char **v = c->slot;

	for (; n > 0; n--)
		if (!(*c->slot++ = next(c)))
			return NULL;
	*c->slot++ = NULL;
	return v;
}

static const char *
parse_hook(struct cursor *c, struct inithook *k)
{
	const char *why = "the hooks' file is cut short";
	long n;

	if (!(k->kind = next(c)) || (k->ms = count(c, LONG_MAX / 1000,
	    &why)) < 0 || !(k->path = next(c)) ||
	    (n = count(c, LONG_MAX, &why)) < 0 || !(k->argv = strings(c, n)))
		return why;
	if (strcmp(k->kind, HOOK_IN_CREATE) && strcmp(k->kind, HOOK_IN_START))
		return "the hooks' file: a kind that is none";
	if (!k->argv[0])
		return "the hooks' file: a hook with no args";
	k->env = NULL;
	if (c->end - c->at >= 2 && !memcmp(c->at, "-", 2))
		return next(c), NULL;
	if ((n = count(c, LONG_MAX, &why)) < 0 || !(k->env = strings(c, n)))
		return why;
	return NULL;
}

const char *
inithooks_parse(char *buf, size_t len, struct hookfile *f)
{
	struct cursor c = { buf, buf + len, NULL };
	size_t strs = 0, i;
	const char *why;

	for (i = 0; i < len; i++)
		strs += !buf[i];
	/* a hook is 5 strings at least, and adds 2 NULLs */
	f->n = 0;
	f->of = calloc(strs / 5 + 1, sizeof(*f->of));
	f->strs = c.slot = calloc(strs + 2 * (strs / 5) + 2, sizeof(char *));
	if (!f->of || !f->strs)
		return "out of memory";
	if (!(f->state = next(&c)))
		return "the hooks' file is cut short";
	while (c.at < c.end)
		if ((why = parse_hook(&c, &f->of[f->n++])))
			return why;
	return NULL;
}

static void
load(int fd, struct hookfile *f)
{
	struct stat st;
	const char *why;
	char *buf;

	if (fstat(fd, &st) < 0 || st.st_size > 64 << 20 ||
	    !(buf = malloc(st.st_size + 1)) ||
	    pread(fd, buf, st.st_size, 0) != st.st_size || close(fd) < 0)
		broken("read(hooks' file %d): %s", fd, strerror(errno));
	if ((why = inithooks_parse(buf, st.st_size, f)))
		broken("%s", why);
}

/* the hook's stdin: the state, in a pipe, which holds all of it */
static int
state_pipe(const char *state)
{
	int p[2];
	size_t len = strlen(state);

	/* never blocking: a pipe of a user past pipe-user-pages-soft holds
	 * a page or two, and the state would then not fit */
	if (len >= 65536 || pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		broken("pipe(state): %s", strerror(errno));
	if (write(p[1], state, len) != (ssize_t)len)
		broken("pipe(state): the state (%d bytes) does not fit",
		    (int)len);
	if (close(p[1]) < 0 || fcntl(p[0], F_SETFL, 0) < 0)
		broken("pipe(state): %s", strerror(errno));
	return p[0];
}

/* in the hook's process: the state on stdin, init's stderr for its
 * output, a session of its own, no signal blocked, no descriptor of
 * ours; then its exec */
__attribute__((noreturn)) static void
become_hook(const struct inithook *k, int state)
{
	extern char **environ;
	char msg[PATH_MAX + 64];
	sigset_t none;
	int fd, e;

	sigemptyset(&none);
	if (dup2(state, 0) < 0 || dup2(2, 1) < 0 || setsid() < 0 ||
	    sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		_exit(EXIT_SETUP);
	if (syscall(SYS_close_range, 3, ~0U, 0) < 0)
		for (fd = 3; fd < 1024; fd++)
			close(fd);
	execve(k->path, k->argv, k->env ? k->env : environ);
	e = errno;
	fmt(msg, sizeof(msg), "sbx: hooks: execve(%s): %s\n", k->path,
	    strerror(e));
	if (write(2, msg, strlen(msg)) < 0) {
		/* nowhere to say it */
	}
	_exit(e == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

static long
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* its wait status, or -1 once its timeout has passed and its group is
 * killed; SIGCHLD is blocked, for its wakeup */
static int
await(pid_t kid, long ms)
{
	long end = now() + ms, left;
	sigset_t chld;
	struct timespec ts;
	int st;
	pid_t r;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	while ((r = waitpid(kid, &st, WNOHANG)) != kid) {
		if (r < 0 && errno != EINTR)
			broken("waitpid: %s", strerror(errno));
		if (ms && (left = end - now()) <= 0) {
			kill(-kid, SIGKILL);
			kill(kid, SIGKILL);
			while (waitpid(kid, &st, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		ts.tv_sec = ms ? left / 1000 : 1;
		ts.tv_nsec = ms ? left % 1000 * 1000000 : 0;
		sigtimedwait(&chld, NULL, &ts);
	}
	/* what it left behind and has ended, reaped now: the process,
	 * which takes init's place, would not know them */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return st;
}

static void
run_one(const struct inithook *k, int i, const char *state)
{
	int fd = state_pipe(state), st;
	pid_t kid;

	if ((kid = fork()) < 0)
		broken("fork: %s", strerror(errno));
	if (kid == 0)
		become_hook(k, fd);
	if (close(fd) < 0)
		broken("close(pipe): %s", strerror(errno));
	if ((st = await(kid, k->ms)) == 0)
		return;
	if (st < 0)
		failed("%s hook %d (%s): killed at its timeout, %ld s", k->kind,
		    i, k->path, k->ms / 1000);
	if (WIFSIGNALED(st))
		failed("%s hook %d (%s): killed by signal %d (%s)", k->kind, i,
		    k->path, WTERMSIG(st), strsignal(WTERMSIG(st)));
	failed("%s hook %d (%s): exit status %d", k->kind, i, k->path,
	    WEXITSTATUS(st));
}

/* each hook of kind, in the file's order */
static void
run_kind(const struct hookfile *f, const char *kind)
{
	int i, n = 0;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->of[i].kind, kind))
			run_one(&f->of[i], n++, f->state);
}

static int
descriptor(const char *name, const char *s, char stop, const char **end)
{
	char *e;
	long n;

	errno = 0;
	n = strtol(s, &e, 10);
	if (errno || e == s || *e != stop || n < 3 || n > 1023)
		broken("%s=%s: not a descriptor from 3 to 1023", name, s);
	if (end)
		*end = e + 1;
	return (int)n;
}

static void
await_start(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(EXIT_SETUP);
	in.started = 1;
	in.report = fd;
}

void
inithooks_run(const char *hooks, const char *wait)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	sigset_t chld, mask;
	static struct hookfile f;
	const char *r;
	int fifo = wait ? descriptor("--wait", wait, '\0', NULL) : -1, file;

	/* a hook, or what it leaves running, has our ids: dumpable, we
	 * would let it take the report pipe or the fifo through /proc/1/fd
	 * (to hang create or start, or forge what they say) or ptrace us;
	 * the process's exec makes it dumpable again */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		broken("prctl(PR_SET_DUMPABLE): %s", strerror(errno));
	/* ignored, SIGCHLD would leave no hook to wait for */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigaction(SIGCHLD, &dfl, &old) < 0 ||
	    sigprocmask(SIG_BLOCK, &chld, &mask) < 0)
		_exit(EXIT_SETUP);
	if (hooks) {
		file = descriptor("--hooks", hooks, ',', &r);
		/* run's, open until the exec of the process */
		in.report = descriptor("--hooks", r, '\0', NULL);
		if (fcntl(in.report, F_SETFD, FD_CLOEXEC) < 0)
			broken("fcntl(%d): %s", in.report, strerror(errno));
		load(file, &f);
		run_kind(&f, HOOK_IN_CREATE);
	}
	if (fifo >= 0) {
		/* create's word that init lives: an EOF alone could be our
		 * end among the hooks */
		if (in.report >= 0 && (write(in.report, "", 1) != 1 ||
		    close(in.report) < 0))
			_exit(EXIT_SETUP);
		await_start(fifo);
	}
	run_kind(&f, HOOK_IN_START);
	/* none of theirs is left for the process to see */
	while (sigtimedwait(&chld, NULL, &(struct timespec){ 0 }) > 0)
		;
	/* open till the exec: its close is how start knows the process runs */
	if ((fifo >= 0 && fcntl(fifo, F_SETFD, FD_CLOEXEC) < 0) ||
	    sigaction(SIGCHLD, &old, NULL) < 0 ||
	    sigprocmask(SIG_SETMASK, &mask, NULL) < 0)
		_exit(EXIT_SETUP);
}
