/* See LICENSE file for copyright and license details. */
/*
 * init.c: PID 1 for sandboxes, containers and initramfs: options, signals,
 * the command, reaping. A booted system's mounts and reboot are boot.c's.
 *
 * Two phases. Until the command is spawned init may die with a message
 * and exit 125. After that it must never exit except with the command's
 * status: as PID 1 its death kills every process of the namespace (or
 * panics the kernel), so every later failure is warned about and lived with.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "exitcode.h"
#include "fmt.h"
#include "inithooks.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#include "millis.h"
#include "signames.h"

static const char usage[] =
"usage: init [-sgwvP] [-p SIGNAL] [-e CODE]... [--grace SECS] [--boot]\n"
"            [--] command [arg...]\n"
"       init --exec [--] command [arg...]\n"
"  -s          register as child subreaper (automatic when not PID 1)\n"
"  -g          forward signals to the command's process group\n"
"  -p SIGNAL   receive SIGNAL when init's parent dies, and pass it on\n"
"  -e CODE     report exit code CODE of the command as 0 (repeatable)\n"
"  -w          warn about each reaped process that is not the command\n"
"  -v          print diagnostics on stderr\n"
"  -P          pause: run no command, exit 0 on SIGTERM or SIGINT\n"
"  --grace SECS  on exit, give the remaining processes SIGTERM and up to\n"
"              SECS seconds before SIGKILL\n"
"  --boot      act as the init of a booted system (detected when started\n"
"              by the kernel): mount /proc /sys /dev /run, power off at end\n"
"  --exec      no init: exec the command in place, its signal mask and\n"
"              handlers as they are (sbx exec's)\n"
"  --version   print the version and exit\n"
"environment, as tini's: TINI_SUBREAPER (as -s), TINI_KILL_PROCESS_GROUP\n"
"  (as -g), TINI_VERBOSITY (0: no warnings, 2 or 3: as -v; -v wins)\n";

static struct {
	int subreaper, group, pdeathsig, warnreap, pause, boot, exec, mask;
	int verbose; /* -1: no warnings, 0: warnings, more: diagnostics */
	long grace; /* milliseconds; -1: none given */
	unsigned char zero[256 / 8]; /* exit codes reported as 0 */
	char **argv, *wait, *hooks; /* the last two: OCI's */
} opt = { .grace = -1 };

static sigset_t allsigs;
/* the command's signal mask: the one init was started with, or
 * --sigmask's; bit N-1 for signal N, the kernel's own layout of a sigset */
static uint64_t cmdmask;
_Static_assert(_NSIG / 8 == sizeof(cmdmask), "a sigset of 64 bits");
static pid_t cmd;
/* the terminal's foreground group before us: -1 when stdin is not our
 * controlling terminal, 0 when the group is outside our pid namespace */
static int ttyfg = -1;
static int ttyown; /* the command gets the terminal */

static void shutdown_system(int how, int code);

static void
say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0) {
		/* nowhere else to say it */
	}
}

__attribute__((format(printf, 1, 0), nonnull(1))) static void
vwarn(const char *f, va_list ap)
{
	char msg[1024];
	int e = errno;
	size_t n = 6;

	/* what was written, not what would have been: a long message is
	 * cut, and still ends in the reason and a newline */
	memcpy(msg, "init: ", 6);
	vfmt(msg + n, sizeof(msg) - n - 64, f, ap);
	n = strlen(msg);
	if (f[0] && f[strlen(f) - 1] == ':')
		fmt(msg + n, sizeof(msg) - n - 2, " %s", strerror(e));
	n = strlen(msg);
	memcpy(msg + n, "\n", 2);
	say(2, msg);
}

/* what must be told whatever the verbosity */
__attribute__((format(printf, 1, 2))) static void
tell(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

/* a warning, which TINI_VERBOSITY=0 silences, as tini's */
__attribute__((format(printf, 1, 2))) static void
warn(const char *fmt, ...)
{
	va_list ap;

	if (opt.verbose < 0)
		return;
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

/* before the command runs: a booted system powers off, anything else exits */
__attribute__((noreturn, format(printf, 1, 2))) static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	if (opt.boot)
		shutdown_system(RB_POWER_OFF, EXIT_SETUP);
	exit(EXIT_SETUP);
}

/* *n: val, a number from 0 to max in base 10 (16 for a mask); or -1 */
static int
number(const char *val, unsigned long long max, int base,
    unsigned long long *n)
{
	char *end;

	errno = 0;
	*n = strtoull(val, &end, base);
	return !isxdigit((unsigned char)*val) || *end || errno || *n > max ?
	    -1 : 0;
}

/* one option; its value is val, and *used says whether it took it */
static void
apply(const char *name, int c, const char *val, int *used)
{
	unsigned long long n;

	*used = strchr("peGMYWH", c) != NULL;
	if (*used && !val)
		die("%s: missing value", name);
	switch (c) {
	case 's': opt.subreaper = 1; break;
	case 'g': opt.group = 1; break;
	case 'w': opt.warnreap = 1; break;
	case 'v': opt.verbose++; break;
	case 'P': opt.pause = 1; break;
	case 'B': opt.boot = 1; break;
	case 'X': opt.exec = 1; break;
	case 'p':
		if ((opt.pdeathsig = signum(val)) < 0)
			die("-p %s: not a signal name or number", val);
		break;
	case 'e':
		if (number(val, 255, 10, &n) < 0)
			die("-e %s: not an exit code from 0 to 255", val);
		opt.zero[n / 8] |= 1 << (n % 8);
		break;
	case 'Y': /* TINI_VERBOSITY, unless -v said otherwise */
		if (number(val, 1000, 10, &n) < 0)
			die("%s=%s: not a number from 0 to 3", name, val);
		if (!opt.verbose)
			opt.verbose = (int)n - 1;
		break;
	case 'M': /* as /proc/PID/status shows it: bit N-1 for signal N */
		if (number(val, ULLONG_MAX, 16, &n) < 0)
			die("--sigmask %s: not a signal mask", val);
		cmdmask = n;
		opt.mask = 1;
		break;
	case 'W': opt.exec = 1; opt.wait = (char *)val; break;
	case 'H': opt.exec = 1; opt.hooks = (char *)val; break;
	case 'G':
		if ((opt.grace = millis_of(val)) < 0)
			die("--grace %s: not a number of seconds", val);
		break;
	case 'h': say(1, usage); exit(0);
	case 'V': say(1, "init " VERSION "\n"); exit(0);
	default: die("%s: unknown option (see init --help)", name);
	}
}

static const struct { const char *name; int c; } longopts[] = {
	{ "grace", 'G' }, { "boot", 'B' }, { "exec", 'X' }, { "version", 'V' },
	{ "help", 'h' }, { "sigmask", 'M' }, { "wait", 'W' }, { "hooks", 'H' },
};

/* tini's environment, which images set in their Dockerfile; read after
 * the command line, which so wins (-s and -g have no way back) */
static const struct { const char *name; int c; } envopts[] = {
	{ "TINI_SUBREAPER", 's' }, { "TINI_KILL_PROCESS_GROUP", 'g' },
	{ "TINI_VERBOSITY", 'Y' },
};

/* getopt's way: flags grouped (-sg), values attached (-pTERM,
 * --grace=2) or not; the first word that is no option ends them */
static void
parse(int argc, char *argv[])
{
	char name[3] = "-?";
	const char *a, *eq;
	size_t i, k;
	int n, used, found;

	for (n = 1; n < argc && (a = argv[n])[0] == '-' && a[1]; n++) {
		if (!strcmp(a, "--")) {
			n++;
			break;
		}
		if (a[1] != '-') {
			for (k = 1, used = 0; a[k] && !used; k++) {
				name[1] = a[k];
				apply(name, strchr("sgpewvPhV", a[k]) ? a[k] : '?',
				    a[k + 1] ? a + k + 1 : argv[n + 1], &used);
				n += used && !a[k + 1];
			}
			continue;
		}
		/* as getopt_long: a name, or a prefix of only one */
		eq = strchrnul(a, '=');
		for (i = 0, k = LEN(longopts), found = 0; i < LEN(longopts); i++)
			if (!strncmp(a + 2, longopts[i].name, eq - a - 2) &&
			    (size_t)(eq - a - 2) <= strlen(longopts[i].name))
				found++, k = i;
		i = found == 1 ? k : LEN(longopts);
		if (i == LEN(longopts) || (*eq && !strchr("GMWH", longopts[i].c)))
			die("%s: unknown option (see init --help)", a);
		apply(longopts[i].name[0] == 'g' ? "--grace" : a,
		    longopts[i].c, *eq ? eq + 1 : argv[n + 1], &used);
		n += used && !*eq;
	}
	opt.argv = argv + n;
	for (i = 0; !opt.exec && i < LEN(envopts); i++)
		if ((eq = getenv(envopts[i].name)))
			apply(envopts[i].name, envopts[i].c, eq, &used);
	if (opt.boot && getpid() != 1) {
		opt.boot = 0;
		die("--boot: init is not PID 1");
	}
	if (opt.exec && (opt.pause || opt.boot))
		die("--exec: not with -P or --boot");
	if (opt.pause && *opt.argv)
		die("-P takes no command");
	if (!opt.pause && !opt.boot && !*opt.argv)
		die("no command given (see init --help)");
}

/* socket activation: the descriptors were meant for us, hand them on;
 * the variable is changed in place, as setenv would need malloc */
static void
pass_listen_fds(void)
{
	extern char **environ;
	static char var[32];
	char **e;

	for (e = environ; *e; e++)
		if (!strncmp(*e, "LISTEN_PID=", 11) &&
		    strtol(*e + 11, NULL, 10) == getppid()) {
			fmt(var, sizeof(var), "LISTEN_PID=%d", (int)getpid());
			*e = var;
		}
}

static int
in_path(const char *cmd)
{
	char path[4096];
	const char *d = getenv("PATH"), *end;
	struct stat st;
	int found;

	for (d = d ? d : "/usr/local/bin:/bin:/usr/bin"; ; d = end + 1) {
		end = strchrnul(d, ':');
		fmt(path, sizeof(path), "%.*s/%s", (int)(end - d), d, cmd);
		if ((found = (stat(path, &st) == 0)) || !*end)
			return found;
	}
}

/* the command in our place, or 127 if it is not found, 126 if it cannot
 * be executed, as in a shell */
__attribute__((noreturn)) static void
become(char **argv)
{
	char *file = argv[0];
	int e;

	execvp(file, argv);
	/* execvp says EACCES for a PATH directory we may not search, even
	 * when the command is nowhere: that is "not found", as in a shell */
	if (errno == EACCES && !strchr(file, '/') && !in_path(file))
		errno = ENOENT;
	e = errno; /* tell may change it */
	tell("exec %s:", file);
	_exit(e == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

__attribute__((noreturn)) static void
exec_command(char **argv)
{
	if (setpgid(0, 0) < 0)
		warn("setpgid:");
	if (ttyown && tcsetpgrp(0, getpid()) < 0)
		warn("tcsetpgrp:");
	pass_listen_fds();
	/* a wrapper must not show: the command gets the mask and the
	 * ignored signals init was given (tini's too), through the system
	 * call, which keeps libc's own signals as they were */
	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &cmdmask, NULL,
	    _NSIG / 8) < 0)
		warn("sigprocmask:");
	become(argv);
}

static pid_t
spawn(char **argv)
{
	pid_t pid;

	ttyfg = tcgetpgrp(0);
	/* only from the foreground: a background init leaves the terminal
	 * to its shell (in sbx both groups are out of sight, so both 0) */
	ttyown = ttyfg >= 0 && ttyfg == getpgrp();
	if ((pid = fork()) < 0)
		die("fork:");
	if (pid == 0)
		exec_command(argv);
	/* both sides set the group, so a signal to it cannot race the child */
	if (setpgid(pid, pid) < 0 && errno != EACCES && errno != ESRCH)
		warn("setpgid %d:", (int)pid);
	if (opt.verbose > 0)
		warn("spawned %s as pid %d", argv[0], (int)pid);
	return pid;
}

static void
forward(int sig)
{
	pid_t to = opt.group ? -cmd : cmd;

	if (opt.verbose > 0)
		warn("forwarding signal %d to %d", sig, (int)to);
	if (kill(to, sig) < 0 && errno != ESRCH)
		warn("kill %d %d:", (int)to, sig);
}

/* reaps every exited child; returns 1 once the command is among them */
static int
reap(int *status)
{
	pid_t pid;
	int st, done = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == cmd) {
			*status = st;
			done = 1;
		} else if (opt.warnreap) {
			warn("Reaped zombie process with pid=%d", (int)pid);
		}
	}
	if (pid < 0 && errno != ECHILD)
		warn("waitpid:");
	return done;
}

/* with -g the command's group had its SIGTERM as one, and a second
 * is no warning: many programs take it to mean "now" */
static int
signal_child(pid_t pid, int sig)
{
	if (opt.group && sig == SIGTERM && getpgid(pid) == cmd)
		return 1;
	return kill(pid, sig) == 0;
}

/* sends sig to each child we have now; returns how many there were */
static int
signal_children(int sig)
{
	char path[64], buf[4096];
	ssize_t i, n;
	long pid = 0;
	int fd, count = 0;

	fmt(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return kill(-cmd, sig) == 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = pid * 10 + buf[i] - '0';
			} else if (pid) {
				count += signal_child(pid, sig);
				pid = 0;
			}
		}
	}
	if (pid)
		count += signal_child(pid, sig);
	/* after the spawn: told, and lived with */
	if (close(fd) < 0)
		warn("close(%s):", path);
	return count;
}

/* waits for children until none is left or the deadline; 1 if none left */
static int
wait_children(long ms)
{
	struct timespec ts, end;
	siginfo_t si;
	long left;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += ms % 1000 * 1000000;
	for (;;) {
		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (pid < 0 && errno == ECHILD)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		left = (end.tv_sec - ts.tv_sec) * 1000 +
		    (end.tv_nsec - ts.tv_nsec) / 1000000;
		if (left <= 0)
			return 0;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = left % 1000 * 1000000;
		sigtimedwait(&allsigs, &si, &ts);
	}
}

/*
 * The command is gone; the others get SIGTERM and the grace to go too.
 * As PID 1 that is everyone in the namespace, and the kernel kills the
 * rest when we exit. Elsewhere we must find them: they are our children,
 * or become so as their parents die, since we are their subreaper.
 */
static void
end_others(void)
{
	long grace = opt.grace;

	if (getpid() == 1) {
		if (grace > 0 && kill(-1, SIGTERM) == 0)
			wait_children(grace);
		return;
	}
	if (grace < 0)
		grace = 1000;
	/* -g, as dumb-init: the whole group, also those whose parent lives
	 * on, and which so are no child of ours */
	if (opt.group && kill(-cmd, SIGTERM) < 0 && errno != ESRCH)
		warn("kill -%d:", (int)cmd);
	if (signal_children(SIGTERM) && !wait_children(grace))
		while (signal_children(SIGKILL))
			wait_children(1000);
}

/* code: the exit status where the system cannot be powered off */
static void
shutdown_system(int how, int code)
{
	/* kill(-1) from anything but PID 1 would reach every process we may
	 * signal, far beyond our own */
	if (getpid() != 1)
		exit(code);
	if (kill(-1, SIGTERM) == 0)
		wait_children(opt.grace >= 0 ? opt.grace : 2000);
	if (kill(-1, SIGKILL) == 0)
		wait_children(1000);
	boot_end(how, code, warn);
}

static int
exit_code(int status)
{
	int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
	    WEXITSTATUS(status);

	if (opt.zero[code / 8] & 1 << (code % 8))
		return 0;
	return code;
}

static int
supervise(void)
{
	siginfo_t si;
	int sig, how, status = 0;

	for (;;) {
		if ((sig = sigwaitinfo(&allsigs, &si)) < 0) {
			if (errno != EINTR)
				warn("sigwaitinfo:");
			continue;
		}
		if (sig == SIGCHLD) {
			if (reap(&status))
				break;
		} else if (opt.pause) {
			if (sig == SIGTERM || sig == SIGINT)
				return 0;
		} else if (opt.boot && (how = boot_how(sig))) {
			shutdown_system(how, 0);
		} else {
			forward(sig);
		}
	}
	if (opt.verbose > 0)
		warn("command exited with status %d", exit_code(status));
	if (ttyown && ttyfg > 0 && tcsetpgrp(0, ttyfg) < 0)
		warn("tcsetpgrp %d:", ttyfg);
	return exit_code(status);
}

int
main(int argc, char *argv[])
{
	const char *failed;
	int code;

	/* first: in boot mode a failure must power off, never exit */
	if (boot_detect())
		opt.boot = 1;
	parse(argc, argv);
	/* sbx exec's way in, and an OCI container's after its hooks and
	 * start: this sealed image runs first, never the host's sbx; the
	 * mask is the command's */
	if (opt.wait || opt.hooks)
		inithooks_run(opt.hooks, opt.wait);
	/* an OCI run's process: the mask its caller had, not sbx's */
	if (opt.exec && opt.mask && syscall(SYS_rt_sigprocmask, SIG_SETMASK,
	    &cmdmask, NULL, _NSIG / 8) < 0)
		die("sigprocmask:");
	if (opt.exec)
		become(opt.argv);
	/* all blocked from the start, with the real-time ones libc keeps
	 * for itself: one sent before the command exists waits and is
	 * forwarded once it does; a kill -33 from outside cannot end us */
	memset(&allsigs, 0xff, sizeof(allsigs));
	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &allsigs,
	    opt.mask ? NULL : &cmdmask, _NSIG / 8) < 0)
		die("sigprocmask:");
	if (prctl(PR_SET_NAME, "init") < 0)
		warn("prctl PR_SET_NAME:");
	/* nothing that runs as our uid may ptrace us, read our memory, or
	 * clear our parent-death signal and so outlive sbx; the command's
	 * exec makes it dumpable again */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die("prctl PR_SET_DUMPABLE:");
	if ((opt.subreaper || getpid() != 1) &&
	    prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("prctl PR_SET_CHILD_SUBREAPER:");
	if (opt.pdeathsig && prctl(PR_SET_PDEATHSIG, opt.pdeathsig) < 0)
		die("prctl PR_SET_PDEATHSIG:");
	if (opt.boot && (failed = boot_mount(warn)))
		die("%s:", failed);
	if (!opt.pause)
		cmd = spawn(opt.boot ? boot_command(opt.argv) : opt.argv);
	if (chdir("/") < 0)
		warn("chdir /:");
	code = supervise();
	if (opt.boot)
		shutdown_system(RB_POWER_OFF, code);
	end_others();
	return code;
}
