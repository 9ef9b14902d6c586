/* See LICENSE file for copyright and license details. */
/*
 * sbx: a rootless sandbox. The parent parses, clones the child into new
 * user, pid, mount and uts namespaces, maps its ids and releases it; the
 * child builds the new root and execs the embedded init. Only the parent
 * talks to the user: the child reports a failure as one message on a
 * close-on-exec pipe, whose EOF without a message means the exec worked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caps.h"
#include "exitcode.h"
#include "fmt.h"
#include "millis.h"
#include "names.h"
#include "sbx.h"
#include "seccomp.h"
#include "signames.h"
#include "tty.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x1
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#define PROC_MAGIC 0x9fa0

/* read by the kernel, not by us */
/* cppcheck-suppress unusedStructMember */
struct mountattr { uint64_t set, clr, propagation, userns_fd; };

/* init, built first, rides inside this binary (see the Makefile) */
__asm__(
"	.section .rodata.init,\"a\"\n"
"	.balign 16\n"
"	.globl sbx_init\n"
"	.hidden sbx_init\n"
"sbx_init:\n"
"	.incbin \"" INIT_PATH "\"\n"
"	.globl sbx_init_end\n"
"	.hidden sbx_init_end\n"
"sbx_init_end:\n"
"	.previous\n");
extern const char sbx_init[], sbx_init_end[];

enum {
	OPT_ROOT, OPT_HOSTNAME, OPT_BIND, OPT_ROBIND, OPT_TMPFS, OPT_READONLY,
	OPT_CHDIR, OPT_SETENV, OPT_UNSETENV, OPT_CLEARENV, OPT_UID, OPT_GID,
	OPT_NET, OPT_IPC, OPT_CGROUPNS, OPT_TIMENS, OPT_ALL, OPT_RLIMIT,
	OPT_TIMEOUT, OPT_OVERLAY, OPT_OVERLAYDIR, OPT_LOWER, OPT_MAPUSERS,
	OPT_MAPGROUPS, OPT_PTY, OPT_NOPTY,
	OPT_CAPADD, OPT_CAPDROP, OPT_SECCOMP, OPT_NOUSERNS, OPT_NAME,
	OPT_DETACH, OPT_LOG, OPT_JSON, OPT_DEVBIND, OPT_HELP, OPT_VERSION,
};
#define BIT(id) ((uint64_t)1 << (id))

static const struct {
	char shortname;
	const char *longname;
	int hasarg, id;
} options[] = {
	{ 'r', "root", 1, OPT_ROOT },
	{ 'h', "hostname", 1, OPT_HOSTNAME },
	{ 'b', "bind", 1, OPT_BIND },
	{ 'B', "ro-bind", 1, OPT_ROBIND },
	{ 0, "dev-bind", 1, OPT_DEVBIND },
	{ 't', "tmpfs", 1, OPT_TMPFS },
	{ 'R', "read-only", 0, OPT_READONLY },
	{ 'w', "chdir", 1, OPT_CHDIR },
	{ 'e', "setenv", 1, OPT_SETENV },
	{ 0, "unsetenv", 1, OPT_UNSETENV },
	{ 'E', "clearenv", 0, OPT_CLEARENV },
	{ 'u', "uid", 1, OPT_UID },
	{ 'g', "gid", 1, OPT_GID },
	{ 'n', "net", 0, OPT_NET },
	{ 0, "ipc", 0, OPT_IPC },
	{ 0, "cgroupns", 0, OPT_CGROUPNS },
	{ 0, "timens", 0, OPT_TIMENS },
	{ 'a', "all", 0, OPT_ALL },
	{ 0, "rlimit", 1, OPT_RLIMIT },
	{ 0, "timeout", 1, OPT_TIMEOUT },
	{ 'o', "overlay", 0, OPT_OVERLAY },
	{ 0, "overlay-dir", 1, OPT_OVERLAYDIR },
	{ 'l', "lower", 1, OPT_LOWER },
	{ 0, "map-users", 0, OPT_MAPUSERS },
	{ 0, "map-groups", 0, OPT_MAPGROUPS },
	{ 0, "pty", 0, OPT_PTY },
	{ 0, "no-pty", 0, OPT_NOPTY },
	{ 0, "cap-add", 1, OPT_CAPADD },
	{ 0, "cap-drop", 1, OPT_CAPDROP },
	{ 0, "seccomp", 1, OPT_SECCOMP },
	{ 0, "no-userns", 0, OPT_NOUSERNS },
	{ 0, "name", 1, OPT_NAME },
	{ 'd', "detach", 0, OPT_DETACH },
	{ 0, "log", 1, OPT_LOG },
	{ 0, "json", 0, OPT_JSON },
	{ 0, "help", 0, OPT_HELP },
	{ 0, "version", 0, OPT_VERSION },
};

/* host nodes bound into the sandbox's /dev, mknod being denied in a
 * userns; each checked to be the device it should be */
static const struct { const char *name; unsigned major, minor; } devnodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

/* /proc entries that tell about or act on the host (the runc defaults;
 * CVE-2015-3630): covered by an empty one, or made read-only */
static const char *const procmasked[] = {
	"acpi", "asound", "kcore", "keys", "latency_stats", "timer_list",
	"timer_stats", "sched_debug", "scsi", "interrupts",
};
static const char *const procreadonly[] = {
	"bus", "fs", "irq", "sys", "sysrq-trigger",
};

static const struct { const char *name, *target; } devlinks[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

/* signals the parent passes on to the sandbox */
static const int forwarded[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
};

enum { VERB_RUN, VERB_PS, VERB_EXEC, VERB_KILL, VERB_STOP, VERB_WAIT };

/* the verbs: the words each takes after it, and the options it knows */
static const struct {
	const char *name, *usage;
	int min, max;
	uint64_t opts;
} verbs[] = {
	[VERB_RUN] = { "run", "[options] [--] [command [arg...]]", 0, 0,
	    ~BIT(OPT_JSON) },
	[VERB_PS] = { "ps", "ps [--json]", 0, 0, BIT(OPT_JSON) },
	[VERB_EXEC] = { "exec", "exec [--pty|--no-pty] [-w DIR] [-e NAME=VALUE]"
	    " NAME [--] [command [arg...]]", 1, INT_MAX, BIT(OPT_PTY) |
	    BIT(OPT_NOPTY) | BIT(OPT_CHDIR) | BIT(OPT_SETENV) |
	    BIT(OPT_UNSETENV) },
	[VERB_KILL] = { "kill", "kill NAME [SIGNAL]", 1, 2, 0 },
	[VERB_STOP] = { "stop", "stop NAME [SECONDS]", 1, 2, 0 },
	[VERB_WAIT] = { "wait", "wait NAME", 1, 1, 0 },
};

static const char usage[] =
"usage: sbx [options] [--] [command [arg...]]\n"
"       sbx ps [--json] | exec NAME [command...] | kill NAME [SIGNAL]\n"
"       sbx stop NAME [SECONDS] | wait NAME\n"
"Run command (default /bin/sh) in a new rootless sandbox.\n"
"  -r, --root DIR       the sandbox's root directory (default: the host's /)\n"
"  -h, --hostname NAME  the sandbox's hostname (default: sbx)\n"
"  -b, --bind SRC[:DST] bind host path SRC at DST inside (default: SRC)\n"
"  -B, --ro-bind SRC[:DST]  the same, read-only all the way down\n"
"      --dev-bind SRC[:DST]  like -b, with its device nodes working\n"
"  -t, --tmpfs DIR      an empty tmpfs at DIR\n"
"  -R, --read-only      the root itself read-only\n"
"  -o, --overlay        a throwaway writable layer over the rootfs\n"
"      --overlay-dir DIR  keep that layer in DIR (DIR.work beside it)\n"
"  -l, --lower DIR      another read-only layer under the rootfs\n"
"  -w, --chdir DIR      the working directory inside (default: /)\n"
"  -e, --setenv NAME=VALUE  set a variable; --unsetenv NAME removes one\n"
"  -E, --clearenv       start from an empty environment (and a PATH)\n"
"  -u, --uid N, -g, --gid N  the ids inside (default: 0)\n"
"      --map-users, --map-groups  map 1... onto the caller's range in\n"
"                       /etc/subuid, /etc/subgid (newuidmap, newgidmap)\n"
"  -n, --net            a new network namespace with only loopback\n"
"      --ipc, --cgroupns, --timens  new IPC, cgroup, time namespaces\n"
"  -a, --all            every namespace the kernel offers\n"
"      --rlimit NAME=SOFT[:HARD]  a resource limit (nofile, nproc, ...)\n"
"      --timeout SECS   SIGTERM after SECS, SIGKILL 2s later; exit 124\n"
"      --pty, --no-pty  a pseudo-terminal of its own (default: when stdin\n"
"                       is the terminal sbx runs in the foreground of)\n"
"      --cap-add CAP    keep capability CAP (or ALL) too\n"
"      --cap-drop CAP   drop capability CAP (or ALL)\n"
"      --seccomp on|off the seccomp filter (default: on)\n"
"      --no-userns      deny creating user namespaces inside\n"
"      --name NAME      register it as NAME, for the verbs below\n"
"  -d, --detach         run it in the background; print sbx's pid\n"
"      --log FILE       with -d: its stdout and stderr go to FILE\n"
"      --help           print this help and exit\n"
"      --version        print the version and exit\n"
"Verbs, on this user's named sandboxes:\n"
"  ps [--json]          list them: name, pid, uptime, command\n"
"  exec NAME [cmd...]   run cmd (default /bin/sh) inside NAME, as its own\n"
"                       command runs (--pty, --no-pty, -w, -e as above)\n"
"  kill NAME [SIGNAL]   signal NAME's command (default TERM)\n"
"  stop NAME [SECS]     TERM, and KILL after SECS (default 10)\n"
"  wait NAME            wait for NAME to end (or to have ended); exit\n"
"                       with its status\n"
"Exit status: the command's, 128+N if it died of signal N, 125 if sbx\n"
"failed, 126 if the command cannot be executed, 127 if it is not found.\n";

#define MAXOPS 64
#define NSBIT(id) (1 << ((id) - OPT_NET))

/* the namespaces beyond the four, and the file that says one exists */
static const struct { int id, flag; const char *file; } namespaces[] = {
	{ OPT_NET, CLONE_NEWNET, "/proc/self/ns/net" },
	{ OPT_IPC, CLONE_NEWIPC, "/proc/self/ns/ipc" },
	{ OPT_CGROUPNS, CLONE_NEWCGROUP, "/proc/self/ns/cgroup" },
	/* clone() has no room for it: the child unshares it before exec */
	{ OPT_TIMENS, 0, "/proc/self/ns/time" },
};

static const struct { const char *name; int res; } rlimits[] = {
	{ "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
	{ "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE },
	{ "locks", RLIMIT_LOCKS }, { "memlock", RLIMIT_MEMLOCK },
	{ "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE },
	{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
	{ "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
	{ "rttime", RLIMIT_RTTIME }, { "sigpending", RLIMIT_SIGPENDING },
	{ "stack", RLIMIT_STACK },
};
#define DEFPATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* a mount, or a change to the environment, in the order given */
struct op {
	int id; /* OPT_BIND, OPT_ROBIND, OPT_TMPFS; OPT_SETENV, ... */
	const char *src, *dst;
};

struct plan {
	const char *root, *hostname, *chdir;
	char **argv;
	struct op mounts[MAXOPS], env[MAXOPS];
	int nmounts, nenv, readonly;
	int overlay;    /* a writable layer: in a tmpfs, or in overlaydir */
	const char *overlaydir, *lowers[MAXOPS];
	int nlowers;
	unsigned uid, gid;
	int mapusers, mapgroups;
	unsigned long subuid[2], subgid[2]; /* first id, count */
	uint64_t caps;  /* capabilities kept */
	uint64_t capadd; /* those asked for: ambient for a non-zero uid */
	int seccomp;    /* the seccomp filter is on */
	int nouserns;   /* no new user namespace inside */
	int ns;         /* OPT_NET... as bits: namespaces beyond the four */
	int nsall;      /* -a: every one of them this kernel has */
	struct { int res; const char *name; rlim_t soft, hard; } rlim[MAXOPS];
	int nrlim;
	long timeout;   /* milliseconds; 0: none */
	int foreground; /* found on stdin: the terminal's foreground group */
	int pty;        /* a pty of its own: -1 when the terminal says */
	int verb;       /* VERB_RUN, or what to do to the sandbox called name */
	const char *name, *log;
	int detach, json, signal;
	int stdio[3];   /* -d: what the sandbox gets as 0, 1, 2 (-1: ours) */
	int pipes[3];   /* or its end of a pipe sbx relays to a terminal */
	int ready;      /* -d: written once the sandbox runs */
	uint64_t given; /* the options given, as BIT(OPT_...) */
};

static const char *defaultcmd[] = { "/bin/sh", NULL };

static int reportfd = -1; /* in the child: where failures go */
/* the caller's signal mask, for the command: bit N-1 for signal N, the
 * kernel's own layout of a sigset, which rt_sigprocmask reads and writes */
static uint64_t callermask;
_Static_assert(_NSIG / 8 == sizeof(callermask), "a sigset of 64 bits");
static int reportin = -1; /* in the parent: where they come from */
static const char *step;   /* what is being set up, for messages */

/* all of s, or -1 */
static int
put_all(int fd, const char *s, size_t n)
{
	ssize_t w;

	for (; n; s += w, n -= w)
		if ((w = write(fd, s, n)) < 0)
			return -1;
	return 0;
}

/* "sbx: STEP: msg[: strerror]\n" into msg, one line of sane length and
 * with no control byte (a name must not drive the user's terminal) */
__attribute__((format(printf, 3, 0), nonnull(3))) static int
compose(char *msg, size_t size, const char *f, va_list ap)
{
	char body[8192];
	int e = errno, n, i, why = f[0] && f[strlen(f) - 1] == ':';

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
	n = fmt(msg, size - 1, "sbx: %s%s%s%s%s", step ? step : "",
	    step ? ": " : "", body, why ? " " : "", why ? strerror(e) : "");
	if (n > (int)size - 2)
		n = size - 2;
	msg[n++] = '\n';
	return n;
}

/* sends the message where the user sees it: the parent's stderr, or the
 * report pipe in the child */
__attribute__((noreturn, format(printf, 2, 0), nonnull(2))) static void
vfail(int code, const char *f, va_list ap)
{
	char msg[1024], theirs[1024];
	ssize_t len;
	int n;

#ifdef FUZZ
	fuzz_fail();
#endif
	msg[0] = code;
	n = 1 + compose(msg + 1, sizeof(msg) - 1, f, ap);
	if (reportfd >= 0) {
		if (write(reportfd, msg, n) < 0) {
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
		exit(code);
	}
	put_all(2, msg + 1, n - 1);
	exit(code);
}

/* in the parent only: the child has no one to tell but the report pipe */
__attribute__((format(printf, 1, 2))) static void
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

/*
 * Names the set-up step that follows, for messages. A test build (make
 * CPPFLAGS+=-DFAULTS) fails the N-th step when SBX_FAULT=N, so the tests
 * can prove each failure is one line, status 125, and nothing left over.
 * The parent's steps count from 1, the child's from 101.
 */
static int faults;

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

/* -b, -B SRC[:DST] (split at the first colon), -t DIR */
static void
add_mount(struct plan *p, int id, const char *name, const char *val)
{
	struct op *m = &p->mounts[p->nmounts];
	const char *colon = strchr(val, ':');
	static char dsts[MAXOPS][PATH_MAX];

	if (p->nmounts == MAXOPS)
		die("%s: more than %d mounts", name, MAXOPS);
	if (!*val || colon == val)
		die("%s '%s': empty path", name, val);
	m->id = id;
	m->src = m->dst = val;
	if (id != OPT_TMPFS && colon) {
		if (colon - val >= PATH_MAX)
			die("%s '%.20s...': path too long", name, val);
		memcpy(dsts[p->nmounts], val, colon - val);
		dsts[p->nmounts][colon - val] = '\0';
		m->src = dsts[p->nmounts];
		m->dst = colon + 1;
	}
	if (m->dst[0] != '/')
		die("%s '%s': the place inside must be an absolute path", name,
		    val);
	p->nmounts++;
}

static void
add_env(struct plan *p, int id, const char *name, const char *val)
{
	const char *eq = val ? strchr(val, '=') : NULL;

	if (p->nenv == MAXOPS)
		die("%s: more than %d changes to the environment", name,
		    MAXOPS);
	if (id == OPT_SETENV && (!eq || eq == val))
		die("%s '%s': must be NAME=VALUE", name, val);
	if (id == OPT_UNSETENV && (!*val || strchr(val, '=')))
		die("%s '%s': must be a variable's name", name, val);
	p->env[p->nenv++] = (struct op){ id, val, NULL };
}

/* overlayfs takes its layers as one string: these would split it */
static const char *
layer_path(const char *name, const char *val)
{
	if (!*val || strpbrk(val, ",:\\"))
		die("%s '%s': must be a path without ',', ':' or '\\'", name,
		    val);
	return val;
}

/* a limit's value: a number or "unlimited" */
static int
limit_value(const char *s, size_t n, rlim_t *v)
{
	unsigned long long x;
	char *end;

	if ((n == 9 && !strncmp(s, "unlimited", 9)) ||
	    (n == 8 && !strncmp(s, "infinity", 8))) {
		*v = RLIM_INFINITY;
		return 0;
	}
	errno = 0;
	x = strtoull(s, &end, 10);
	if (!n || s[0] == '-' || (size_t)(end - s) != n || errno ||
	    x >= RLIM_INFINITY)
		return -1;
	*v = x;
	return 0;
}

/* --rlimit NAME=SOFT[:HARD]; one value sets both */
static void
add_rlimit(struct plan *p, const char *name, const char *val)
{
	const char *eq = strchr(val, '='), *colon;
	size_t i;

	if (p->nrlim == MAXOPS)
		die("%s: more than %d limits", name, MAXOPS);
	for (i = 0; eq && i < LEN(rlimits); i++)
		if ((size_t)(eq - val) == strlen(rlimits[i].name) &&
		    !strncasecmp(val, rlimits[i].name, eq - val))
			break;
	if (!eq || i == LEN(rlimits))
		die("%s '%s': must be NAME=SOFT[:HARD] with NAME one of as,"
		    " core, cpu, data, fsize, locks, memlock, msgqueue, nice,"
		    " nofile, nproc, rss, rtprio, rttime, sigpending, stack",
		    name, val);
	p->rlim[p->nrlim].res = rlimits[i].res;
	p->rlim[p->nrlim].name = rlimits[i].name;
	colon = strchr(eq + 1, ':');
	if (limit_value(eq + 1, colon ? (size_t)(colon - eq - 1) :
	    strlen(eq + 1), &p->rlim[p->nrlim].soft) < 0 ||
	    limit_value(colon ? colon + 1 : eq + 1, strlen(colon ? colon + 1 :
	    eq + 1), &p->rlim[p->nrlim].hard) < 0)
		die("%s '%s': a limit is a number or unlimited", name, val);
	if (p->rlim[p->nrlim].soft > p->rlim[p->nrlim].hard)
		die("%s '%s': the soft limit is above the hard one", name,
		    val);
	p->nrlim++;
}

/* seconds, decimals allowed, as milliseconds; 0 only if zero says */
static long
millis(const char *name, const char *val, int zero)
{
	long ms = millis_of(val);

	if (ms == MILLIS_TOO_LONG)
		die("%s '%s': more than a year", name, val);
	if (ms < 0 || (!ms && !zero))
		die("%s '%s': not a number of seconds %s 0", name, val,
		    zero ? "from" : "above");
	return ms;
}

static unsigned
id_number(const char *name, const char *val)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(val, &end, 10);
	if (!*val || *end || errno || val[0] == '-' || n > 4294967294UL)
		die("%s '%s': not a number from 0 to 4294967294", name, val);
	return n;
}

/* the options that only set a flag */
static const struct { int id; size_t off; int val; } flags[] = {
	{ OPT_READONLY, offsetof(struct plan, readonly), 1 },
	{ OPT_OVERLAY, offsetof(struct plan, overlay), 1 },
	{ OPT_PTY, offsetof(struct plan, pty), 1 },
	{ OPT_NOPTY, offsetof(struct plan, pty), 0 },
	{ OPT_MAPUSERS, offsetof(struct plan, mapusers), 1 },
	{ OPT_MAPGROUPS, offsetof(struct plan, mapgroups), 1 },
	{ OPT_ALL, offsetof(struct plan, nsall), 1 },
	{ OPT_NOUSERNS, offsetof(struct plan, nouserns), 1 },
	{ OPT_DETACH, offsetof(struct plan, detach), 1 },
	{ OPT_JSON, offsetof(struct plan, json), 1 },
};

static void
apply(struct plan *p, int id, const char *name, const char *val)
{
	uint64_t bit;
	size_t i;

	p->given |= BIT(id);
	for (i = 0; i < LEN(flags); i++)
		if (flags[i].id == id)
			*(int *)((char *)p + flags[i].off) = flags[i].val;
	switch (id) {
	case OPT_ROOT:
		if (!*val)
			die("%s: empty directory name", name);
		p->root = val;
		break;
	case OPT_HOSTNAME:
		if (!*val || strlen(val) > 64)
			die("%s '%s': must be 1 to 64 bytes", name, val);
		p->hostname = val;
		break;
	case OPT_BIND:
	case OPT_ROBIND:
	case OPT_DEVBIND:
	case OPT_TMPFS:
		add_mount(p, id, name, val);
		break;
	case OPT_OVERLAYDIR:
		p->overlay = 1;
		p->overlaydir = layer_path(name, val);
		break;
	case OPT_LOWER:
		if (p->nlowers == MAXOPS)
			die("%s: more than %d layers", name, MAXOPS);
		p->lowers[p->nlowers++] = layer_path(name, val);
		break;
	case OPT_CHDIR:
		if (!*val)
			die("%s: empty directory name", name);
		p->chdir = val;
		break;
	case OPT_SETENV:
	case OPT_UNSETENV:
	case OPT_CLEARENV:
		add_env(p, id, name, val);
		break;
	case OPT_NET:
	case OPT_IPC:
	case OPT_CGROUPNS:
	case OPT_TIMENS:
		p->ns |= NSBIT(id);
		break;
	case OPT_RLIMIT:
		add_rlimit(p, name, val);
		break;
	case OPT_TIMEOUT:
		p->timeout = millis(name, val, 0);
		break;
	case OPT_UID:
		p->uid = id_number(name, val);
		break;
	case OPT_GID:
		p->gid = id_number(name, val);
		break;
	case OPT_CAPADD:
	case OPT_CAPDROP:
		if (!(bit = caps_bit(val)))
			die("%s '%s': no such capability", name, val);
		p->caps = id == OPT_CAPADD ? p->caps | bit : p->caps & ~bit;
		p->capadd = id == OPT_CAPADD ? p->capadd | bit :
		    p->capadd & ~bit;
		break;
	case OPT_SECCOMP:
		if (strcmp(val, "on") && strcmp(val, "off"))
			die("%s '%s': must be on or off", name, val);
		p->seccomp = !strcmp(val, "on");
		break;
	case OPT_NAME:
		if (names_valid(val) < 0)
			die("%s '%s': 1 to 64 letters, digits, '_', '.' or '-',"
			    " not first '.' or '-'", name, val);
		p->name = val;
		break;
	case OPT_LOG:
		if (!*val)
			die("%s: empty file name", name);
		p->log = val;
		break;
	case OPT_HELP:
		put_all(1, usage, sizeof(usage) - 1);
		exit(0);
	case OPT_VERSION:
		put_all(1, "sbx " VERSION "\n", sizeof("sbx " VERSION "\n") - 1);
		exit(0);
	}
}

/* finds argv[i]'s option; sets *val to an attached value ("-rX", "--a=X") */
static int
lookup(const char *arg, const char **val)
{
	size_t i, n;

	*val = NULL;
	for (i = 0; i < LEN(options); i++) {
		if (arg[1] != '-') {
			if (arg[1] != options[i].shortname)
				continue;
			if (arg[2])
				*val = arg + 2;
			return i;
		}
		n = strlen(options[i].longname);
		if (strncmp(arg + 2, options[i].longname, n) ||
		    (arg[2 + n] && arg[2 + n] != '='))
			continue;
		if (arg[2 + n])
			*val = arg + 3 + n;
		return i;
	}
	return -1;
}

/* options from argv[i] on, up to the first other word: its index */
static int
parse_options(int argc, char *argv[], int i, struct plan *p, int *dashes)
{
	char name[72];
	const char *val;
	int o;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			*dashes = 1;
			return i + 1;
		}
		if ((o = lookup(argv[i], &val)) < 0)
			die("%s: unknown option (see sbx --help)", argv[i]);
		/* messages name the option as written, without "=value" */
		fmt(name, sizeof(name), "%s%.*s", argv[i][1] == '-' ?
		    "--" : "-", argv[i][1] == '-' ? 64 : 1, argv[i][1] == '-' ?
		    options[o].longname : argv[i] + 1);
		if (options[o].hasarg && !val && (val = argv[++i]) == NULL)
			die("%s: missing value", name);
		if (!options[o].hasarg && val)
			die("%s: takes no value", name);
		apply(p, options[o].id, name, val);
	}
	return i;
}

/* the words after a verb: a name, then a signal, seconds or a command */
static void
parse_verb(struct plan *p, int n, char **w)
{
	if (n < verbs[p->verb].min || n > verbs[p->verb].max)
		die("usage: sbx %s", verbs[p->verb].usage);
	if (n && names_valid(w[0]) < 0)
		die("%s: no such sandbox (sbx ps lists them)", w[0]);
	p->name = w[0];
	if (p->verb == VERB_KILL && (p->signal = n > 1 ? signum(w[1]) :
	    SIGTERM) < 0)
		die("%s: no such signal", w[1]);
	if (p->verb == VERB_STOP)
		p->timeout = n > 1 ? millis("SECONDS", w[1], 1) : 10000;
	if (p->verb != VERB_EXEC)
		return;
	n--, w++;
	if (n && !strcmp(w[0], "--"))
		n--, w++;
	p->argv = n ? w : (char **)defaultcmd;
}

/* turns the command line into a plan; makes no system call */
static void
parse(int argc, char *argv[], struct plan *p)
{
	uint64_t bad;
	int i, v, dashes = 0;

	*p = (struct plan){ .root = "/", .hostname = "sbx",
	    .caps = caps_default, .seccomp = 1, .pty = -1,
	    .stdio = { -1, -1, -1 }, .pipes = { -1, -1, -1 }, .ready = -1 };
	i = parse_options(argc, argv, 1, p, &dashes);
	for (v = 1; !dashes && i < argc && v < (int)LEN(verbs); v++)
		if (!strcmp(argv[i], verbs[v].name)) {
			p->verb = v;
			enter(verbs[v].name);
			i = parse_options(argc, argv, i + 1, p, &dashes);
			break;
		}
	if ((bad = p->given & ~verbs[p->verb].opts))
		for (v = 0; v < (int)LEN(options); v++)
			if (bad & BIT(options[v].id))
				die("--%s: not an option here (see sbx --help)",
				    options[v].longname);
	if (p->verb) {
		parse_verb(p, argc - i, argv + i);
		return;
	}
	p->argv = i < argc ? argv + i : (char **)defaultcmd;
	if (p->name && names_fits(p->argv) < 0)
		die("--name: a command that long cannot be recorded (%d MiB at"
		    " most)", NAMES_ENTRYMAX >> 20);
	/* the caller is 0 inside, the range from 1 on */
	if ((p->mapusers && p->uid) || (p->mapgroups && p->gid))
		die("--map-users and --map-groups map the caller to 0: -u and"
		    " -g must then be 0");
	if (p->log && !p->detach)
		die("--log: only with --detach");
	/* overlayfs would take the rest as another option, silently */
	if ((p->overlay || p->nlowers) && strpbrk(p->root, ",:\\"))
		die("-r '%s': with -o or -l, must be a path without ',', ':'"
		    " or '\\'", p->root);
	if (p->detach && p->pty == 1)
		die("--pty: a detached sandbox has no terminal");
}

/* our user's name, from /etc/passwd, or "" */
/* the next line of a buffer from names_slurp, NUL-terminated; NULL at
 * the end */
static char *
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

/* our user's name, from /etc/passwd, or "" */
static void
user_name(char *name, size_t n)
{
	char *buf, *at, *line, *f, *end;
	size_t len;

	name[0] = '\0';
	if (!(buf = names_slurp(AT_FDCWD, "/etc/passwd", SLURP_HOST, &len)))
		return;
	for (at = buf; (line = next_line(&at, buf + len)); )
		if ((f = strchr(line, ':')) && (f = strchr(f + 1, ':')) &&
		    strtoul(f + 1, &end, 10) == getuid() && *end == ':') {
			fmt(name, n, "%.*s", (int)strcspn(line, ":"), line);
			break;
		}
	free(buf);
}

/* a line of /etc/subuid (or subgid), "NAME-OR-ID:FIRST:COUNT": 1 if it
 * is num's or name's and gives a range that fits in 32 bits */
static int
range_of(const char *line, const char *num, const char *name,
    unsigned long range[2])
{
	size_t len = strcspn(line, ":");
	const char *p = line + len;
	char *end;
	int i;

	if (!((len == strlen(num) && !strncmp(line, num, len)) ||
	    (*name && len == strlen(name) && !strncmp(line, name, len))))
		return 0;
	for (i = 0; i < 2; i++, p = end) {
		if (*p++ != ':' || *p < '0' || *p > '9')
			return 0;
		errno = 0;
		range[i] = strtoul(p, &end, 10);
		if (errno || range[i] > 0xffffffffUL)
			return 0;
	}
	return (!*p || *p == '\n') && range[1] > 0 &&
	    range[0] + range[1] <= 0x100000000UL;
}

/* the first range in /etc/subuid (or subgid) for our name or id */
static void
find_range(const char *file, unsigned id, unsigned long range[2])
{
	char name[256], num[16], *buf, *at, *line;
	size_t len;

	user_name(name, sizeof(name));
	fmt(num, sizeof(num), "%u", id);
	if (!(buf = names_slurp(AT_FDCWD, file, SLURP_HOST, &len)))
		die("open(%s):", file);
	for (at = buf; (line = next_line(&at, buf + len)); )
		if (range_of(line, num, name, range)) {
			free(buf);
			return;
		}
	die("%s: no range for %s (id %u)", file, *name ? name : "this user",
	    id);
}

/* newuidmap or newgidmap, found through PATH */
static void
find_mapper(const char *tool)
{
	char path[PATH_MAX];
	const char *dirs = getenv("PATH"), *end;

	for (dirs = dirs ? dirs : DEFPATH; ; dirs = end + 1) {
		end = strchrnul(dirs, ':');
		fmt(path, sizeof(path), "%.*s/%s", (int)(end - dirs), dirs,
		    tool);
		if (access(path, X_OK) == 0)
			return;
		if (!*end)
			die("%s not found (hint: apt-get install uidmap)", tool);
	}
}

/* a host id the sandbox's user namespace maps */
static int
mapped(unsigned id, unsigned caller, int ranged, const unsigned long r[2])
{
	return id == caller || (ranged && id >= r[0] && id - r[0] < r[1]);
}

/* 1 if the sandbox's user namespace cannot map st's owner or group */
static int
unmapped(const struct plan *p, const struct stat *st)
{
	return !mapped(st->st_uid, getuid(), p->mapusers, p->subuid) ||
	    !mapped(st->st_gid, getgid(), p->mapgroups, p->subgid);
}

/*
 * overlayfs copies a file up with its owner and group, which must then
 * be mapped: otherwise every write under it fails inside with EOVERFLOW.
 * The rootfs's top directory and what it holds tell, at no real cost.
 */
static void
check_layer_owners(const struct plan *p)
{
	struct stat st;
	struct dirent *d = NULL;
	DIR *dir;

	enter("overlay");
	if (!(dir = opendir(p->root)) || fstat(dirfd(dir), &st) < 0)
		die("opendir(%s):", p->root);
	while (!unmapped(p, &st) && (d = readdir(dir)))
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
		    fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			st.st_uid = getuid(), st.st_gid = getgid();
	if (unmapped(p, &st))
		warn("warning: %s%s%s belongs to %u:%u, which the sandbox cannot"
		    " map: writing under it will fail with EOVERFLOW (hint:"
		    " chown -R %u:%u %s, or --map-users and --map-groups)",
		    p->root, d ? "/" : "", d ? d->d_name : "",
		    (unsigned)st.st_uid, (unsigned)st.st_gid,
		    (unsigned)getuid(), (unsigned)getgid(), p->root);
	if (closedir(dir) < 0)
		die("closedir(%s):", p->root);
}

/* what the host must provide, checked before anything is set up */
static void
check_host(struct plan *p)
{
	struct stat st;
	int i;

	enter("rootfs");
	if (stat(p->root, &st) < 0)
		die("stat(%s):", p->root);
	if (!S_ISDIR(st.st_mode))
		die("%s: not a directory", p->root);
	enter("namespaces");
	for (i = 0; (p->ns || p->nsall) && i < (int)LEN(namespaces); i++) {
		if (access(namespaces[i].file, F_OK) == 0)
			p->ns |= p->nsall ? NSBIT(namespaces[i].id) : 0;
		else if (p->ns & NSBIT(namespaces[i].id))
			die("%s: this kernel has no such namespace",
			    namespaces[i].file);
	}
	enter("id map");
	if (p->mapusers) {
		find_mapper("newuidmap");
		find_range("/etc/subuid", getuid(), p->subuid);
	}
	if (p->mapgroups) {
		find_mapper("newgidmap");
		find_range("/etc/subgid", getgid(), p->subgid);
	}
	if (p->overlay)
		check_layer_owners(p);
	enter("bind");
	for (i = 0; i < p->nmounts; i++)
		if (p->mounts[i].id != OPT_TMPFS && stat(p->mounts[i].src,
		    &st) < 0)
			die("stat(%s):", p->mounts[i].src);
}

static void
write_file(int dirfd, const char *name, const char *text, pid_t pid)
{
	int fd;
	ssize_t n = strlen(text);

	if ((fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC)) < 0)
		die("open(/proc/%d/%s):", (int)pid, name);
	if (write(fd, text, n) != n)
		die("write(/proc/%d/%s, \"%s\"): %s%s", (int)pid, name, text,
		    strerror(errno), errno == EPERM ? " (hint: AppArmor or"
		    " SELinux may restrict unprivileged user namespaces)" : "");
	if (close(fd) < 0)
		die("close(/proc/%d/%s):", (int)pid, name);
}

/* setgroups must be denied before an unprivileged gid_map (CVE-2014-8989);
 * the files are reached through a directory opened right after clone */
/* newuidmap PID 0 ID 1 1 FIRST COUNT: the caller, and its range */
static void
run_mapper(const char *tool, pid_t pid, unsigned inside, unsigned id,
    const unsigned long range[2])
{
	char a[6][24];
	pid_t m;
	int st;

	fmt(a[0], 24, "%d", (int)pid);
	fmt(a[1], 24, "%u", inside);
	fmt(a[2], 24, "%u", id);
	fmt(a[3], 24, "1");
	fmt(a[4], 24, "%lu", range[0]);
	fmt(a[5], 24, "%lu", range[1]);
	if ((m = fork()) < 0)
		die("fork:");
	if (m == 0) {
		execlp(tool, tool, a[0], a[1], a[2], "1", a[3], a[4], a[5],
		    (char *)NULL);
		_exit(127);
	}
	if (waitpid(m, &st, 0) < 0)
		die("waitpid(%s):", tool);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("%s %s %s %s 1 %s %s %s: failed", tool, a[0], a[1], a[2],
		    a[3], a[4], a[5]);
}

static void
write_maps(pid_t pid, const struct plan *p)
{
	char path[32], map[64];
	int dirfd;

	enter("id map");
	fmt(path, sizeof(path), "/proc/%d", (int)pid);
	if ((dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(%s):", path);
	fmt(map, sizeof(map), "%u %u 1", p->uid, (unsigned)getuid());
	if (p->mapusers)
		run_mapper("newuidmap", pid, p->uid, getuid(), p->subuid);
	else
		write_file(dirfd, "uid_map", map, pid);
	fmt(map, sizeof(map), "%u %u 1", p->gid, (unsigned)getgid());
	/* newgidmap applies the administrator's setgroups policy itself */
	if (p->mapgroups) {
		run_mapper("newgidmap", pid, p->gid, getgid(), p->subgid);
	} else {
		write_file(dirfd, "setgroups", "deny", pid);
		write_file(dirfd, "gid_map", map, pid);
	}
	if (close(dirfd) < 0)
		die("close(%s):", path);
}

/* a mount point missing from a read-only root cannot be made */
static const char ro_hint[] = " (hint: with -R it must exist in the root,"
    " or be under a -t)";

/*
 * Opens path below dirfd one component at a time, never following a
 * symlink and never leaving dirfd, creating missing directories. A hostile
 * rootfs can put a symlink anywhere; this is how none of them can send a
 * mount or a write to a host path.
 */
static int
open_beneath(int dirfd, const char *root, const char *path)
{
	char comp[NAME_MAX + 1];
	const char *p = path, *end;
	int fd = dirfd, next;

	while (*p) {
		for (; *p == '/'; p++)
			;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		if (end - p > NAME_MAX)
			die("%s%s: name too long", root, path);
		memcpy(comp, p, end - p);
		comp[end - p] = '\0';
		if (!strcmp(comp, ".."))
			die("%s%s: '..' not allowed", root, path);
		next = openat(fd, comp, O_PATH | O_NOFOLLOW | O_DIRECTORY |
		    O_CLOEXEC);
		if (next < 0 && errno == ENOENT) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST)
				die("mkdir(%s%s): %s%s", root, path,
				    strerror(errno), errno == EROFS ? ro_hint :
				    "");
			next = openat(fd, comp, O_PATH | O_NOFOLLOW |
			    O_DIRECTORY | O_CLOEXEC);
		}
		if (next < 0)
			die("open(%s%s): %s%s", root, path,
			    strerror(errno), errno == ENOTDIR || errno == ELOOP ?
			    " (a symlink or a file where a directory must be)" :
			    "");
		if (fd != dirfd && close(fd) < 0)
			die("close(%s%s):", root, path);
		fd = next;
		p = end;
	}
	if (fd == dirfd && (fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0)
		die("dup(%s):", root);
	return fd;
}

#define FDPATH_MAX 32

static char *
fdpath(char *buf, int fd)
{
	fmt(buf, FDPATH_MAX, "/proc/self/fd/%d", fd);
	return buf;
}

/* mounts onto an opened directory, so nothing can swap the path after */
static void
mount_at(int rootfd, const char *root, const char *dir, const char *src,
    const char *type, unsigned long flags, const char *data)
{
	char buf[FDPATH_MAX];
	int fd = open_beneath(rootfd, root, dir);

	if (mount(src, fdpath(buf, fd), type, flags, data) < 0)
		die("mount(%s%s): %s%s", root, dir, strerror(errno),
		    errno == EPERM && type && !strcmp(type, "proc") ?
		    " (hint: the host's /proc has mounts over it, as in"
		    " containers and in sbx itself)" : "");
	if (close(fd) < 0)
		die("close(%s%s):", root, dir);
}

/* the old way, one mount: it must repeat the flags the kernel locked,
 * or it is refused */
static void
remount_with(const char *path, const char *what, unsigned long flags)
{
	struct statvfs sv;

	if (statvfs(path, &sv) < 0)
		die("statvfs(%s):", what);
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags |
	    (sv.f_flag & (ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC |
	    ST_NOATIME | ST_NODIRATIME | ST_RELATIME)), NULL) < 0)
		die("mount(%s, MS_REMOUNT%s%s%s%s):", what, flags & MS_RDONLY ?
		    "|MS_RDONLY" : "", flags & MS_NOSUID ? "|MS_NOSUID" : "",
		    flags & MS_NODEV ? "|MS_NODEV" : "", flags & MS_NOEXEC ?
		    "|MS_NOEXEC" : "");
}

/* mountinfo's escapes (\040 for a space) undone, in place */
static char *
unescape(char *s)
{
	char *r = s, *w = s;

	for (; *r; r++)
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] &&
		    r[3]) {
			*w++ = (r[1] - '0') * 64 + (r[2] - '0') * 8 + r[3] - '0';
			r += 3;
		} else {
			*w++ = *r;
		}
	*w = '\0';
	return s;
}

/* before mount_setattr (Linux 5.12) no flag recurses: each mount below
 * the one open on fd, as mountinfo lists them, in turn */
static void
remount_below(int fd, const char *what, unsigned long flags)
{
	char top[PATH_MAX], buf[FDPATH_MAX], path[PATH_MAX], *info, *at, *mnt;
	size_t n, size;
	int i;
	ssize_t len;

	if ((len = readlink(fdpath(buf, fd), top, sizeof(top) - 1)) < 0)
		die("readlink(%s):", what);
	top[len] = '\0';
	/* "/" as the top: every mount is below it */
	n = strcmp(top, "/") ? strlen(top) : 0;
	if (!(info = names_slurp(AT_FDCWD, "/proc/self/mountinfo", SLURP_HOST,
	    &size)))
		die("open(/proc/self/mountinfo):");
	/* the fifth field is where it is mounted */
	for (at = info; (mnt = next_line(&at, info + size)); ) {
		for (i = 0; mnt && i < 4; i++)
			mnt = strchr(mnt, ' ') ? strchr(mnt, ' ') + 1 : NULL;
		if (!mnt)
			continue;
		mnt[strcspn(mnt, " ")] = '\0';
		/* reached through fd: a path from our root could end in the
		 * tree that the bind of "/" on itself covers */
		if (!strncmp(unescape(mnt), top, n) && mnt[n] == '/' &&
		    mnt[n + 1] && fmt(path, sizeof(path), "%s%s", buf,
		    mnt + n) < sizeof(path))
			remount_with(path, what, flags);
	}
	free(info);
}

/*
 * Adds MS_RDONLY, MS_NOSUID, MS_NODEV or MS_NOEXEC (the same bits as
 * MOUNT_ATTR_*) to the mount open on fd, and to every mount below it if
 * recursive. Flags are only ever added: the kernel locks those a user
 * namespace inherited, and a bind copies its source's.
 */
static void
restrict_mount(int fd, const char *what, unsigned long flags, int recursive)
{
	struct mountattr attr = { flags, 0, 0, 0 };
	char buf[FDPATH_MAX];

	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ?
	    AT_RECURSIVE : 0), &attr, sizeof(attr)) == 0)
		return;
	if (errno != ENOSYS)
		die("mount_setattr(%s):", what);
	remount_with(fdpath(buf, fd), what, flags);
	if (recursive)
		remount_below(fd, what, flags);
}

#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif

/* the upper and work directories of a throwaway layer, in a tmpfs that is
 * mounted nowhere, so it goes away with the sandbox */
static void
tmp_layer(char *upper, char *work, size_t n)
{
	int fs, mnt;

	if ((fs = syscall(SYS_fsopen, "tmpfs", 1 /* FSOPEN_CLOEXEC */)) < 0 ||
	    syscall(SYS_fsconfig, fs, 6 /* FSCONFIG_CMD_CREATE */, NULL, NULL,
	    0) < 0 || (mnt = syscall(SYS_fsmount, fs, 1 /* FSMOUNT_CLOEXEC */,
	    0)) < 0)
		die("tmpfs for the layer: %s%s", strerror(errno), errno ==
		    ENOSYS ? " (hint: -o needs Linux 5.2 or later; or give"
		    " --overlay-dir)" : "");
	if (close(fs) < 0 || mkdirat(mnt, "upper", 0755) < 0 ||
	    mkdirat(mnt, "work", 0755) < 0)
		die("mkdir(upper, work):");
	fmt(upper, n, "/proc/self/fd/%d/upper", mnt);
	fmt(work, n, "/proc/self/fd/%d/work", mnt);
}

/* --overlay-dir DIR: DIR, and DIR.work beside it, made if missing */
static void
kept_layer(const char *dir, char *upper, char *work, size_t n)
{
	fmt(upper, n, "%s", dir);
	fmt(work, n, "%s.work", dir);
	if ((mkdir(upper, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(work, 0700) < 0 && errno != EEXIST))
		die("mkdir(%s):", errno == EEXIST ? work : upper);
}

/* the rootfs, with -l's layers under it, under a writable layer if -o */
static void
setup_overlay(const struct plan *p, const char *root)
{
	char opts[8192], upper[PATH_MAX], work[PATH_MAX];
	int i, n;

	enter("overlay");
	n = fmt(opts, sizeof(opts), "userxattr,lowerdir=%s", root);
	for (i = 0; i < p->nlowers && n < (int)sizeof(opts); i++)
		n += fmt(opts + n, sizeof(opts) - n, ":%s", p->lowers[i]);
	if (p->overlay) {
		if (p->overlaydir)
			kept_layer(p->overlaydir, upper, work, sizeof(upper));
		else
			tmp_layer(upper, work, sizeof(upper));
		n += fmt(opts + n, sizeof(opts) - n,
		    ",upperdir=%s,workdir=%s", upper, work);
	}
	if (n >= (int)sizeof(opts))
		die("the layers' paths are too long");
	if (mount("overlay", root, "overlay", 0, opts) < 0)
		die("mount(overlay on %s): %s%s", root, strerror(errno),
		    errno == EINVAL ? " (hint: overlayfs in a user namespace"
		    " needs Linux 5.11 or later)" : "");
}

static int
setup_root(const struct plan *p)
{
	const char *root = p->root;
	struct stat st, slash;
	int fd;

	enter("root");
	/* / stays out of reach of the host's mounts and ours out of its */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("mount(/, MS_PRIVATE):");
	if (stat(root, &st) < 0 || stat("/", &slash) < 0)
		die("stat(%s):", root);
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("mount(%s, MS_BIND):", root);
	if (p->overlay || p->nlowers)
		setup_overlay(p, root);
	/* opened after the bind, so it is the bind mount's root; a walk to
	 * our own root stops below mounts on it, but "/.." climbs onto them */
	if (st.st_dev == slash.st_dev && st.st_ino == slash.st_ino)
		root = "/..";
	if ((fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(%s):", root);
	/* before our own mounts, which keep their modes: a device node on
	 * the rootfs would give raw access to a host disk, and -R covers
	 * every submount (the host's /tmp and /home under the default root) */
	restrict_mount(fd, p->root, MS_NOSUID | MS_NODEV | (p->readonly ?
	    MS_RDONLY : 0), 1);
	return fd;
}

/* opened before /dev is covered, and checked: a char device or nothing */
static int
open_hostnode(size_t i)
{
	char path[32];
	struct stat st;
	int fd;

	fmt(path, sizeof(path), "/dev/%s", devnodes[i].name);
	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		die("open(%s):", path);
	if (fstat(fd, &st) < 0)
		die("stat(%s):", path);
	if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != devnodes[i].major ||
	    minor(st.st_rdev) != devnodes[i].minor)
		die("%s: not character device %u:%u on the host", path,
		    devnodes[i].major, devnodes[i].minor);
	return fd;
}

static void
bind_devnode(int devfd, const char *root, const char *name, int hostfd)
{
	char src[FDPATH_MAX], dst[FDPATH_MAX];
	int fd;

	fd = openat(devfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0666);
	if (fd < 0)
		die("open(%s/dev/%s):", root, name);
	if (mount(fdpath(src, hostfd), fdpath(dst, fd), NULL, MS_BIND,
	    NULL) < 0)
		die("mount(/dev/%s on %s/dev/%s):", name, root, name);
	if (close(fd) < 0 || close(hostfd) < 0)
		die("close(%s/dev/%s):", root, name);
}

static void
setup_dev(int rootfd, const char *root)
{
	char dev[PATH_MAX];
	int hostfd[LEN(devnodes)], devfd;
	size_t i;

	enter("dev");
	for (i = 0; i < LEN(devnodes); i++)
		hostfd[i] = open_hostnode(i);
	mount_at(rootfd, root, "/dev", "tmpfs", "tmpfs",
	    MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k");
	/* the fresh tmpfs is ours alone: nothing in it can be a trap */
	devfd = open_beneath(rootfd, root, "/dev");
	for (i = 0; i < LEN(devnodes); i++)
		bind_devnode(devfd, root, devnodes[i].name, hostfd[i]);
	for (i = 0; i < LEN(devlinks); i++)
		if (symlinkat(devlinks[i].target, devfd, devlinks[i].name) < 0)
			die("symlink(%s/dev/%s):", root, devlinks[i].name);
	if (fmt(dev, sizeof(dev), "%s/dev", root) >= sizeof(dev))
		die("%s/dev: path too long", root);
	mount_at(devfd, dev, "/pts", "devpts", "devpts",
	    MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
	mount_at(devfd, dev, "/shm", "tmpfs", "tmpfs",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777");
	if (close(devfd) < 0)
		die("close(%s/dev):", root);
}

/* a proc that is no procfs would let writes meant for it land elsewhere */
static void
setup_proc(int rootfd, const char *root)
{
	struct statfs sf;
	int fd;

	enter("proc");
	mount_at(rootfd, root, "/proc", "proc", "proc",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	fd = open_beneath(rootfd, root, "/proc");
	if (fstatfs(fd, &sf) < 0)
		die("statfs(%s/proc):", root);
	if (sf.f_type != PROC_MAGIC)
		die("%s/proc: not a procfs after mounting it", root);
	if (close(fd) < 0)
		die("close(%s/proc):", root);
}

/* the host's /sys, read-only all the way down (CVE-2023-25809), with its
 * firmware tables out of sight */
static void
setup_sys(int rootfd, const char *root, int netns)
{
	char buf[FDPATH_MAX];
	int fd;

	enter("sys");
	/* with a network namespace of its own the sandbox may have a sysfs
	 * of its own, which shows that namespace's devices */
	if (netns)
		mount_at(rootfd, root, "/sys", "sysfs", "sysfs", MS_RDONLY |
		    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	else
		mount_at(rootfd, root, "/sys", "/sys", NULL, MS_BIND | MS_REC,
		    NULL);
	fd = open_beneath(rootfd, root, "/sys");
	restrict_mount(fd, "/sys", MS_RDONLY | MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, 1);
	if (close(fd) < 0)
		die("close(%s/sys):", root);
	fd = openat(rootfd, "sys/firmware", O_PATH | O_NOFOLLOW | O_DIRECTORY |
	    O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return;
	if (fd < 0 || mount("tmpfs", fdpath(buf, fd), "tmpfs", MS_RDONLY |
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0)
		die("mask(%s/sys/firmware):", root);
	if (close(fd) < 0)
		die("close(%s/sys/firmware):", root);
}

/* makes /proc/name read-only, bound on itself first if bind is set */
static void
readonly_proc_entry(int procfd, const char *name, int bind)
{
	char buf[FDPATH_MAX];
	int fd;

	if ((fd = openat(procfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return;
		die("open(/proc/%s):", name);
	}
	if (bind) {
		if (mount(fdpath(buf, fd), fdpath(buf, fd), NULL, MS_BIND |
		    MS_REC, NULL) < 0)
			die("mount(/proc/%s, MS_BIND):", name);
		if (close(fd) < 0)
			die("close(/proc/%s):", name);
		/* opened again: the bind is on top of what fd was */
		fd = openat(procfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			die("open(/proc/%s):", name);
	}
	restrict_mount(fd, name, MS_RDONLY, 1);
	if (close(fd) < 0)
		die("close(/proc/%s):", name);
}

/* covers a /proc entry with an empty one: a read-only tmpfs for a
 * directory, /dev/null for a file */
/* covers /proc/name with an empty read-only tmpfs (a directory) or a
 * read-only /dev/null (a file). The first of each is made, the others
 * are binds of it: a bind keeps the read-only flag, and costs less. */
static void
mask_proc_entry(int procfd, const char *name, int made[2])
{
	char buf[FDPATH_MAX], src[FDPATH_MAX];
	struct stat st;
	int fd, dir;

	if ((fd = openat(procfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return;
		die("open(/proc/%s):", name);
	}
	if (fstat(fd, &st) < 0)
		die("stat(/proc/%s):", name);
	dir = S_ISDIR(st.st_mode) ? 0 : 1;
	if (made[dir] >= 0 ? mount(fdpath(src, made[dir]), fdpath(buf, fd),
	    NULL, MS_BIND, NULL) : dir == 0 ? mount("tmpfs", fdpath(buf, fd),
	    "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") :
	    mount("/dev/null", fdpath(buf, fd), NULL, MS_BIND, NULL))
		die("mount(over /proc/%s):", name);
	if (close(fd) < 0)
		die("close(/proc/%s):", name);
	if (made[dir] >= 0)
		return;
	if (dir)
		readonly_proc_entry(procfd, name, 0);
	if ((made[dir] = openat(procfd, name, O_PATH | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		die("open(/proc/%s):", name);
}

/* after the pivot: /proc is ours by then, nothing in it can be a trap */
static void
mask_proc(int nouserns)
{
	size_t i;
	int fd, made[2] = { -1, -1 };

	enter("proc");
	/* this user namespace may then make no other; set while /proc/sys
	 * is still writable */
	if (nouserns && ((fd = open("/proc/sys/user/max_user_namespaces",
	    O_WRONLY | O_CLOEXEC)) < 0 || write(fd, "0\n", 2) != 2 ||
	    close(fd) < 0))
		die("write(/proc/sys/user/max_user_namespaces):");
	if ((fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(/proc):");
	for (i = 0; i < LEN(procmasked); i++)
		mask_proc_entry(fd, procmasked[i], made);
	for (i = 0; i < 2; i++)
		if (made[i] >= 0 && close(made[i]) < 0)
			die("close(/proc mask):");
	for (i = 0; i < LEN(procreadonly); i++)
		readonly_proc_entry(fd, procreadonly[i], 1);
	if (close(fd) < 0)
		die("close(/proc):");
}

/* the place for a bound file: created empty if missing, never a link */
static int
open_file_beneath(int rootfd, const char *root, const char *path)
{
	char dir[PATH_MAX];
	const char *base = strrchr(path, '/') + 1;
	struct stat st;
	int dirfd, fd;

	fmt(dir, sizeof(dir), "%.*s", (int)(base - path), path);
	dirfd = open_beneath(rootfd, root, dir);
	fd = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if ((fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0644)) < 0 || close(fd) < 0)
			die("create(%s%s): %s%s", root, path, strerror(errno),
			    errno == EROFS ? ro_hint : "");
		fd = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0 || fstat(fd, &st) < 0)
		die("open(%s%s):", root, path);
	if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
		die("%s%s: a %s where a file must be", root, path,
		    S_ISLNK(st.st_mode) ? "symlink" : "directory");
	if (close(dirfd) < 0)
		die("close(%s%s):", root, dir);
	return fd;
}

static void
bind_mount(int rootfd, const char *root, const struct op *m)
{
	char src[FDPATH_MAX], dst[FDPATH_MAX];
	struct stat st;
	int sfd, dfd;

	if ((sfd = open(m->src, O_PATH | O_CLOEXEC)) < 0 || fstat(sfd, &st))
		die("open(%s):", m->src);
	dfd = S_ISDIR(st.st_mode) ? open_beneath(rootfd, root, m->dst) :
	    open_file_beneath(rootfd, root, m->dst);
	if (mount(fdpath(src, sfd), fdpath(dst, dfd), NULL, MS_BIND | MS_REC,
	    NULL) < 0)
		die("mount(%s on %s%s):", m->src, root, m->dst);
	if (close(dfd) < 0 || close(sfd) < 0)
		die("close(%s):", m->src);
	/* opened again: the bind is on top of what dfd was. A device node
	 * or a setuid file in a bound directory works only with --dev-bind,
	 * and then no setuid file either (bubblewrap's rule) */
	dfd = S_ISDIR(st.st_mode) ? open_beneath(rootfd, root, m->dst) :
	    open_file_beneath(rootfd, root, m->dst);
	restrict_mount(dfd, m->dst, MS_NOSUID | (m->id == OPT_DEVBIND ? 0 :
	    MS_NODEV) | (m->id == OPT_ROBIND ? MS_RDONLY : 0), 1);
	if (close(dfd) < 0)
		die("close(%s%s):", root, m->dst);
}

/* -b, -B and -t, in the order given, after /proc /dev and /sys so they
 * may cover parts of them */
static void
setup_mounts(int rootfd, const char *root, const struct plan *p)
{
	int i;

	for (i = 0; i < p->nmounts; i++) {
		if (p->mounts[i].id == OPT_TMPFS) {
			enter("tmpfs");
			mount_at(rootfd, root, p->mounts[i].dst, "tmpfs",
			    "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
		} else {
			enter("bind");
			bind_mount(rootfd, root, &p->mounts[i]);
		}
	}
}

/* loopback, up: a new network namespace has it, down */
static void
setup_loopback(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		die("socket:");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("ioctl(lo, SIOCGIFFLAGS):");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("ioctl(lo, SIOCSIFFLAGS):");
	if (close(fd) < 0)
		die("close(socket):");
}

/* after the pivot, while we still have every capability */
static void
setup_namespaces(const struct plan *p)
{
	enter("namespaces");
	if (p->ns & NSBIT(OPT_NET))
		setup_loopback();
	if (p->ns & NSBIT(OPT_IPC) && (mkdir("/dev/mqueue", 0755) < 0 ||
	    mount("mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, NULL) < 0))
		die("mount(mqueue on /dev/mqueue):");
	/* init enters it when it is exec'd */
	if (p->ns & NSBIT(OPT_TIMENS) && unshare(CLONE_NEWTIME) < 0)
		die("unshare(CLONE_NEWTIME):");
}

static void
setup_rlimits(const struct plan *p)
{
	int i;

	enter("rlimit");
	for (i = 0; i < p->nrlim; i++) {
		struct rlimit r = { p->rlim[i].soft, p->rlim[i].hard };
		if (setrlimit(p->rlim[i].res, &r) < 0)
			die("setrlimit(%s):", p->rlim[i].name);
	}
}

/* the environment the command gets: the caller's, changed in order */
static void
setup_env(const struct plan *p)
{
	int i, cleared = 0;

	enter("env");
	for (i = 0; i < p->nenv; i++) {
		if (p->env[i].id == OPT_CLEARENV)
			cleared = clearenv() == 0;
		else if (p->env[i].id == OPT_UNSETENV)
			unsetenv(p->env[i].src);
		else if (putenv((char *)p->env[i].src) < 0)
			die("putenv:");
	}
	if (cleared && !getenv("PATH") && setenv("PATH", DEFPATH, 1) < 0)
		die("setenv(PATH):");
}

/* pivot_root(".", ".") stacks the old root on the new one, then the
 * detach drops it: no path to the host's tree is left (never chroot) */
static void
pivot_into(int rootfd, const char *root)
{
	enter("pivot");
	if (fchdir(rootfd) < 0)
		die("chdir(%s):", root);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root(%s):", root);
	if (umount2(".", MNT_DETACH) < 0)
		die("umount2(old root):");
	if (chdir("/") < 0)
		die("chdir(/):");
	if (close(rootfd) < 0)
		die("close(%s):", root);
}

/* 0 if path can be executed, else why not */
static int
unrunnable(const char *path)
{
	struct stat st;

	/* a directory we may not search hides nothing we could run */
	if (stat(path, &st) < 0)
		return errno == EACCES ? ENOENT : errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	return access(path, X_OK) < 0 ? errno : 0;
}

/* the same lookup init will do, done here so a typo fails cleanly */
static void
check_command(const char *cmd, const char *root)
{
	char path[PATH_MAX];
	const char *dirs = getenv("PATH"), *end;
	int why = ENOENT, e;

	enter("exec");
	if (!*cmd)
		fail(EXIT_NOTFOUND, "'': command not found");
	if (strchr(cmd, '/'))
		why = unrunnable(cmd);
	else if (!dirs)
		dirs = "/usr/local/bin:/bin:/usr/bin";
	for (; !strchr(cmd, '/') && why; dirs = end + 1) {
		end = strchrnul(dirs, ':');
		if (fmt(path, sizeof(path), "%.*s/%s", (int)(end - dirs),
		    dirs, cmd) < sizeof(path) &&
		    ((e = unrunnable(path)) == 0 || e != ENOENT))
			why = e;
		if (!*end)
			break;
	}
	if (why == ENOENT || why == ENOTDIR)
		fail(EXIT_NOTFOUND, "%s: command not found in %s", cmd,
		    root);
	if (why)
		fail(EXIT_NOEXEC, "%s: %s", cmd, strerror(why));
}

/* close-on-exec for everything above 2: no host descriptor gets in */
static void
close_fds(void)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	int fd;

	enter("fds");
	/* a directory on 0, 1 or 2 is a way out to the host's tree
	 * (CVE-2024-21626): refused, as runc does */
	for (fd = 0; fd < 3; fd++)
		if (fstat(fd, &st) == 0 && (S_ISDIR(st.st_mode) ||
		    (fcntl(fd, F_GETFL) & O_PATH)))
			die("descriptor %d is a directory or O_PATH: refused",
			    fd);
	if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	if (!(dir = opendir("/proc/self/fd")))
		die("opendir(/proc/self/fd):");
	while ((d = readdir(dir)))
		if ((fd = atoi(d->d_name)) > 2 && fd != dirfd(dir) &&
		    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
			die("fcntl(%d, FD_CLOEXEC):", fd);
	if (closedir(dir) < 0)
		die("closedir(/proc/self/fd):");
}

/* a sealed memfd: nothing inside can write to it through /proc/1/exe */
static int
init_memfd(void)
{
	const char *p = sbx_init;
	ssize_t n;
	int fd;

	enter("init");
	/* asked to be executable: where vm.memfd_noexec is 1 a memfd is
	 * otherwise not; kernels before 6.3 know no MFD_EXEC */
	fd = memfd_create("init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		die("memfd_create: %s%s", strerror(errno), errno == EACCES ?
		    " (hint: sysctl vm.memfd_noexec=2 forbids executable"
		    " memfds)" : errno == ENOSYS ? " (hint: sbx needs Linux"
		    " 3.17 or later)" : "");
	for (; p < sbx_init_end; p += n)
		if ((n = write(fd, p, sbx_init_end - p)) < 0)
			die("write(memfd):");
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_WRITE) < 0)
		die("fcntl(memfd, F_ADD_SEALS):");
	return fd;
}

/* mode: init's first option; viaproc: whether, before Linux 3.19, the
 * memfd may be reached through /proc/self/fd, a path resolved in the
 * sandbox's /proc */
static void
exec_init(int fd, const char *mode, char **argv, int viaproc)
{
	extern char **environ;
	char *args[4096];
	int i, n = 0;

	args[n++] = "init";
	args[n++] = (char *)mode;
	args[n++] = "--";
	for (i = 0; argv[i] && n < (int)LEN(args) - 1; i++)
		args[n++] = argv[i];
	if (argv[i])
		die("too many arguments");
	args[n] = NULL;
	enter("init");
	syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
	if (errno == ENOSYS && viaproc) {
		char path[32];

		fmt(path, sizeof(path), "/proc/self/fd/%d", fd);
		execve(path, args, environ);
	}
	die("execveat(memfd): %s%s", strerror(errno), errno == EACCES ?
	    " (hint: sysctl vm.memfd_noexec=2 forbids executable memfds)" :
	    errno == ENOSYS ? " (hint: sbx exec into a sandbox that keeps"
	    " SYS_ADMIN needs Linux 3.19 or later)" : "");
}

/* the command's terminal: a pty of our own devpts, also /dev/console
 * for init's; its master goes to the parent */
static void
setup_pty(int sock, int console)
{
	char src[FDPATH_MAX], dst[FDPATH_MAX];
	int master, slave, fd;

	if ((master = pty_inside(&slave)) < 0)
		die("open(/dev/ptmx):");
	if (console && ((fd = open("/dev/console", O_WRONLY | O_CREAT |
	    O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    mount(fdpath(src, slave), fdpath(dst, fd), NULL, MS_BIND,
	    NULL) < 0 || close(fd) < 0))
		die("mount(pty on /dev/console):");
	if (fd_send(sock, master) < 0)
		die("sendmsg(pty):");
	if (close(master) < 0 || (slave > 2 && close(slave) < 0))
		die("close(pty):");
}

/* the sandbox's stdin, stdout and stderr: the pipes sbx relays, or
 * those -d chose */
static void
setup_stdio(const struct plan *p)
{
	int i, fd;

	for (i = 0; i < 3; i++)
		if ((fd = p->pipes[i] >= 0 ? p->pipes[i] : p->stdio[i]) >= 0 &&
		    dup2(fd, i) < 0)
			die("dup2(%d):", i);
}

/* the last steps before the exec, the same for init and for sbx exec's
 * command: its terminal, then no way back to the host's descriptors,
 * privileges or system calls */
static void
lock_down(const struct plan *p, int sock, int console)
{
	enter("pty");
	setup_stdio(p);
	if (p->pty)
		setup_pty(sock, console);
	/* no controlling terminal: nothing inside can push input into it
	 * or open it as /dev/tty, and a background sbx does not take it
	 * from its shell */
	else if (setsid() < 0)
		die("setsid:");
	if (sock >= 0 && close(sock) < 0)
		die("close(socket):");
	close_fds();
	if (caps_apply(p->caps, p->uid ? p->capadd : 0) < 0)
		die("capabilities:");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl(PR_SET_NO_NEW_PRIVS):");
	/* last: the filter also binds what set-up would still have done */
	if (p->seccomp && seccomp_install(p->nouserns ? SBX_NO_USERNS : 0) < 0)
		die("seccomp:");
}

/*
 * The forwarded signals stay blocked through the exec of init, which
 * blocks the rest: none sent after the report pipe's EOF can be lost (to
 * PID 1 of a pid namespace the kernel drops a signal from outside whose
 * action is the default, unless it is blocked). Unblocked here, one sent
 * between the exec and init's first instruction would be; so init is
 * told the caller's mask instead, to give the command, as it would give
 * the one it was started with.
 */
static int
child(const struct plan *p, int go, int sock)
{
	char c, label[PATH_MAX], mask[32];
	int rootfd, initfd, n;

	/* EOF on go also covers the parent dying before this prctl */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("prctl(PR_SET_PDEATHSIG):");
	if (read(go, &c, 1) != 1)
		_exit(EXIT_SETUP);
	/* no ptrace and no /proc/PID peeking into set-up, from now that the
	 * parent is done with our maps (it makes /proc/PID root's); exec
	 * resets it */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die("prctl(PR_SET_DUMPABLE):");
	if (close(go) < 0)
		die("close(sync pipe):");
	enter("hostname");
	if (sethostname(p->hostname, strlen(p->hostname)) < 0)
		die("sethostname(%s):", p->hostname);
	rootfd = setup_root(p);
	/* the prefix for messages about paths inside: "/" shows as "" */
	n = fmt(label, sizeof(label), "%s", p->root);
	while (n > 0 && label[n - 1] == '/')
		label[--n] = '\0';
	setup_proc(rootfd, label);
	setup_dev(rootfd, label);
	setup_sys(rootfd, label, p->ns & NSBIT(OPT_NET));
	setup_mounts(rootfd, label, p);
	initfd = init_memfd();
	pivot_into(rootfd, p->root);
	mask_proc(p->nouserns);
	setup_namespaces(p);
	setup_rlimits(p);
	enter("chdir");
	if (p->chdir && chdir(p->chdir) < 0)
		die("chdir(%s):", p->chdir);
	setup_env(p);
	check_command(p->argv[0], p->root);
	lock_down(p, sock, 1);
	fmt(mask, sizeof(mask), "--sigmask=%llx",
	    (unsigned long long)callermask);
	exec_init(initfd, mask, p->argv, 1);
	return EXIT_SETUP;
}

/* the socket the pty's master comes back through, if there is a pty */
static int
pty_socket(const struct plan *p, int sock[2])
{
	sock[0] = sock[1] = -1;
	return p->pty ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sock) : 0;
}

static pid_t
spawn(const struct plan *p, int *report, int *ptysock)
{
	long cflags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS |
	    SIGCHLD;
	int go[2], rep[2], sock[2];
	size_t i;
	pid_t pid;
	char c = 1;

	enter("namespaces");
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0 ||
	    pty_socket(p, sock) < 0)
		die("pipe:");
	for (i = 0; i < LEN(namespaces); i++)
		if (p->ns & NSBIT(namespaces[i].id))
			cflags |= namespaces[i].flag;
	pid = syscall(SYS_clone, cflags, NULL, NULL, NULL, NULL);
	if (pid < 0)
		die("clone: %s%s", strerror(errno), errno == EPERM ||
		    errno == ENOSPC ||
		    errno == EUSERS ? " (hint: user namespaces may be disabled:"
		    " see sysctl user.max_user_namespaces and"
		    " kernel.unprivileged_userns_clone)" : "");
	if (pid == 0) {
		faults = 100;
		reportfd = rep[1];
		enter("start");
		if (close(go[1]) < 0 || close(rep[0]) < 0 ||
		    (sock[0] >= 0 && close(sock[0]) < 0))
			die("close(pipes):");
		_exit(child(p, go[0], sock[1]));
	}
	if (close(go[0]) < 0 || close(rep[1]) < 0 ||
	    (sock[1] >= 0 && close(sock[1]) < 0))
		die("close(pipes):");
	reportin = rep[0];
	*ptysock = sock[0];
	write_maps(pid, p);
	enter("release");
	if (write(go[1], &c, 1) != 1 || close(go[1]) < 0)
		die("write(sync pipe):");
	*report = rep[0];
	return pid;
}

static int
status_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
	    WEXITSTATUS(status);
}

/* a message means the child failed before init; EOF means init runs */
static void
read_report(int fd, pid_t pid)
{
	char msg[1024];
	ssize_t n, len = 0;

	enter("report");
	while ((n = read(fd, msg + len, sizeof(msg) - len)) > 0)
		len += n;
	if (n < 0)
		die("read:");
	reportin = -1;
	if (close(fd) < 0)
		die("close:");
	if (len == 0)
		return;
	put_all(2, msg + 1, len - 1);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	names_finish((unsigned char)msg[0]);
	exit((unsigned char)msg[0]);
}

/* ms until then, or 0 if it is past; at most what poll() can wait, so
 * a deadline weeks away waits in turns instead of wrapping */
static int
until(const struct timespec *then)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(then->tv_sec - now.tv_sec) * 1000 +
	    (then->tv_nsec - now.tv_nsec) / 1000000;
	return ms > INT_MAX ? INT_MAX : ms > 0 ? ms : 0;
}

/* --timeout is up: SIGTERM, then SIGKILL two seconds later */
static int
expire(pid_t pid, struct timespec *deadline, int late)
{
	if (kill(pid, late ? SIGKILL : SIGTERM) < 0 && errno != ESRCH)
		die("kill(%d):", (int)pid);
	deadline->tv_sec += late ? 3600 : 2;
	return late + 1;
}

/* a signal for the sandbox, or news for us: SIGWINCH a new size for the
 * pty; SIGCONT (fg or bg, which the relays see for themselves) does not
 * concern the sandbox, which was not stopped with us */
static void
forward(pid_t pid, int sig, int master)
{
	if (sig == SIGWINCH && master >= 0)
		tty_winsize(master);
	else if (sig != SIGCHLD && sig != SIGCONT && kill(pid, sig) < 0 &&
	    errno != ESRCH)
		die("kill(%d, %d):", (int)pid, sig);
}

/* forwards signals until the sandbox ends, relaying its stdio; with a
 * timeout, 124 as timeout(1) says */
static int
supervise(pid_t pid, const sigset_t *set, long timeout, int master)
{
	struct signalfd_siginfo si;
	struct timespec deadline;
	struct pollfd fds[1 + RELAY_MAX];
	int sfd, status, late = 0, wait;

	enter("supervise");
	if ((sfd = signalfd(-1, set, SFD_CLOEXEC)) < 0)
		die("signalfd:");
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout / 1000;
	deadline.tv_nsec += timeout % 1000 * 1000000;
	for (;;) {
		fds[0] = (struct pollfd){ sfd, POLLIN, 0 };
		wait = relay_fds(fds + 1);
		if (timeout && (wait < 0 || until(&deadline) < wait))
			wait = until(&deadline);
		if (poll(fds, LEN(fds), wait) < 0 && errno != EINTR)
			die("poll:");
		if (timeout && !until(&deadline))
			late = expire(pid, &deadline, late);
		if (relay_run(fds + 1) < 0)
			die("close(pipe):");
		if (!(fds[0].revents & POLLIN))
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			die("read(signalfd):");
		if (si.ssi_signo == SIGCHLD &&
		    waitpid(pid, &status, WNOHANG) == pid) {
			relay_drain();
			return late ? 124 : status_code(status);
		}
		forward(pid, si.ssi_signo, master);
	}
}

/* held until signalfd takes them: none is lost during set-up; the
 * system call, for the caller's mask with libc's own signals in it */
static void
block_signals(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (i = 0; i < LEN(forwarded); i++)
		sigaddset(set, forwarded[i]);
	/* a child that died early makes writes to it fail with EPIPE, not
	 * kill us: its own message then says why (the command gets the
	 * caller's mask) */
	sigaddset(set, SIGPIPE);
	/* still continues us, but is not forwarded: see supervise() */
	sigaddset(set, SIGCONT);
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, set, &callermask,
	    _NSIG / 8) < 0)
		die("sigprocmask:");
	sigdelset(set, SIGPIPE);
}

/* the pty's master, from inside, relayed to and from the user's
 * terminal, raw for it */
static int
take_pty(const struct plan *p, int sock)
{
	int master = -1;

	enter("pty");
	if (p->pty && (master = fd_recv(sock)) < 0)
		die("recvmsg(pty):");
	if (sock >= 0 && close(sock) < 0)
		die("close(socket):");
	if (master < 0)
		return -1;
	if (relay_add(0, master, RELAY_IN) < 0 || relay_add(master, 1, 0) < 0)
		die("fcntl(pty, O_NONBLOCK):");
	if (isatty(0) && tty_raw() < 0)
		die("tcsetattr(stdin, raw):");
	return master;
}

/*
 * No descriptor of a host terminal enters the sandbox: without a pty,
 * each of stdin, stdout, stderr that is a terminal becomes a pipe that
 * sbx relays. In a session of its own, outside job control, the sandbox
 * could otherwise read what the user types into the shell next (or
 * into a password prompt), with no SIGTTIN to stop it.
 */
static void
make_pipes(struct plan *p)
{
	int i, fd, end[2];

	enter("stdio");
	for (i = 0; i < 3 && !p->pty; i++) {
		if (!isatty(fd = p->stdio[i] >= 0 ? p->stdio[i] : i))
			continue;
		if (pipe2(end, O_CLOEXEC) < 0)
			die("pipe:");
		/* the sandbox reads stdin's pipe, and writes the others */
		p->pipes[i] = end[i > 0];
		if ((i ? relay_add(end[0], fd, RELAY_SHUT) : relay_add(fd,
		    end[1], RELAY_IN | RELAY_SHUT)) < 0)
			die("fcntl(pipe, O_NONBLOCK):");
	}
}

/* the sandbox has its ends of them now */
static void
close_pipes(const struct plan *p)
{
	int i;

	for (i = 0; i < 3; i++)
		if (p->pipes[i] >= 0 && close(p->pipes[i]) < 0)
			die("close(pipe):");
}

/*
 * -d: the sandbox's stdin, stdout and stderr. A file the caller gave is
 * kept; a terminal, pipe or socket becomes /dev/null (stdout and stderr
 * the --log file), so that nothing in the background reads the terminal
 * and pid=$(sbx -d ...) returns at once.
 */
static void
choose_stdio(struct plan *p)
{
	struct stat st;
	int i, null, log = -1;

	enter("detach");
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		die("open(/dev/null):");
	if (p->log && (log = open(p->log, O_WRONLY | O_CREAT | O_APPEND |
	    O_NOCTTY | O_CLOEXEC, 0666)) < 0)
		die("open(%s):", p->log);
	for (i = 0; i < 3; i++)
		p->stdio[i] = i && log >= 0 ? log : fstat(i, &st) == 0 &&
		    S_ISREG(st.st_mode) ? -1 : null;
}

/* -d: the sbx that stays holds no descriptor of the caller's but its
 * stdio: a make jobserver's pipe, say, must see its EOF */
static void
keep_only(const struct plan *p)
{
	struct dirent *d;
	DIR *dir;
	int fd;

	if (!(dir = opendir("/proc/self/fd")))
		die("opendir(/proc/self/fd):");
	while ((d = readdir(dir)))
		if ((fd = atoi(d->d_name)) > 2 && fd != dirfd(dir) &&
		    fd != p->ready && fd != p->stdio[0] && fd != p->stdio[1] &&
		    fd != p->stdio[2] && close(fd) < 0)
			die("close(%d):", fd);
	if (closedir(dir) < 0)
		die("closedir(/proc/self/fd):");
}

/* -d: the caller waits until the sandbox runs, then prints the pid of
 * the sbx that keeps it and returns; or fails as that sbx does. That sbx
 * goes on in a session of its own, away from the caller's terminal. */
static void
detach(struct plan *p)
{
	int ready[2], status;
	char c, num[16];
	size_t n;
	pid_t pid;

	choose_stdio(p);
	if (pipe2(ready, O_CLOEXEC) < 0)
		die("pipe:");
	if ((pid = fork()) < 0)
		die("fork:");
	if (pid == 0) {
		if (close(ready[0]) < 0 || setsid() < 0)
			die("setsid:");
		p->ready = ready[1];
		p->pty = 0;
		keep_only(p);
		return;
	}
	if (close(ready[1]) < 0)
		die("close(pipe):");
	if (read(ready[0], &c, 1) == 1) {
		n = fmt(num, sizeof(num), "%d\n", (int)pid);
		exit(put_all(1, num, n) < 0 ? EXIT_SETUP : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid:");
	exit(status_code(status));
}

/* -d: the sandbox runs; we let go of the caller's stdio too */
static void
report_ready(const struct plan *p)
{
	int i;

	if (p->ready < 0)
		return;
	enter("detach");
	for (i = 0; i < 3; i++)
		if (p->stdio[i] >= 0 && dup2(p->stdio[i], i) < 0)
			die("dup2(%d):", i);
	if (write(p->ready, "", 1) != 1 || close(p->ready) < 0)
		die("write(ready pipe):");
}

static int
run(struct plan *p)
{
	sigset_t set;
	int report, status, sock, master;
	pid_t pid;

	check_host(p);
	if (p->detach)
		detach(p);
	if (p->name)
		names_reserve(p->name, p->argv);
	block_signals(&set);
	p->foreground = !p->detach && isatty(0) && tcgetpgrp(0) == getpgrp();
	if (p->pty < 0)
		p->pty = p->foreground;
	make_pipes(p);
	pid = spawn(p, &report, &sock);
	close_pipes(p);
	read_report(report, pid);
	names_publish(pid);
	report_ready(p);
	master = take_pty(p, sock);
	status = supervise(pid, &set, p->timeout, master);
	tty_restore();
	names_finish(status);
	return status;
}

/* the namespaces sbx exec joins, the user namespace first: it is what
 * gives the right to join the others */
static const struct { const char *file; int flag; } joined[] = {
	{ "ns/user", CLONE_NEWUSER }, { "ns/pid", CLONE_NEWPID },
	{ "ns/mnt", CLONE_NEWNS }, { "ns/uts", CLONE_NEWUTS },
	{ "ns/ipc", CLONE_NEWIPC }, { "ns/net", CLONE_NEWNET },
	{ "ns/cgroup", CLONE_NEWCGROUP }, { "ns/time", CLONE_NEWTIME },
};

/* init's namespaces that are not ours, opened while its /proc directory
 * is known to be init's; -1 for the others. A namespace that cannot be
 * opened although we have one means init is exiting: joining the rest
 * would leave the command half on the host. */
static void
open_namespaces(int proc, int *ns)
{
	struct stat a, b;
	char self[32];
	size_t i;

	enter("namespaces");
	for (i = 0; i < LEN(joined); i++) {
		fmt(self, sizeof(self), "/proc/self/%s", joined[i].file);
		ns[i] = openat(proc, joined[i].file, O_RDONLY | O_CLOEXEC);
		if (stat(self, &b) < 0)
			continue;
		if (ns[i] < 0 || fstat(ns[i], &a) < 0)
			die("open(/proc/PID/%s): %s (the sandbox is ending?)",
			    joined[i].file, strerror(errno));
		if (a.st_ino != b.st_ino || a.st_dev != b.st_dev)
			continue;
		/* the user, pid and mount namespaces are what make it one */
		if (i < 3)
			die("%s: the sandbox's namespace is ours",
			    joined[i].file);
		if (close(ns[i]) < 0)
			die("close(%s):", joined[i].file);
		ns[i] = -1;
	}
}

static void
join(const int *ns, size_t from, size_t to)
{
	size_t i;

	enter("namespaces");
	for (i = from; i < to; i++)
		if (ns[i] >= 0 && (setns(ns[i], joined[i].flag) < 0 ||
		    close(ns[i]) < 0))
			die("setns(%s):", joined[i].file);
}

/* init's environment, which its command got too */
static char **
read_environ(int proc)
{
	char *buf, **env, *p;
	size_t len, n = 0;

	enter("env");
	if (!(buf = names_slurp(proc, "environ", SLURP_ARGS, &len)))
		die("open(/proc/PID/environ):");
	for (p = buf; p < buf + len; p += strlen(p) + 1)
		n++;
	if (!(env = calloc(n + 1, sizeof(*env))))
		die("malloc:");
	for (n = 0, p = buf; p < buf + len; p += strlen(p) + 1)
		env[n++] = p;
	return env;
}

/*
 * Inside, as the sandbox's own command is set up inside. Until its exec
 * this process is the host's sbx, out of reach from inside (not dumpable,
 * its mm the host user namespace's); the exec of anything else than init
 * would put that image inside, dumpable: a command that is a link to
 * /proc/self/exe would run it there, for its /proc/PID/exe to be held,
 * and the file overwritten once it is no longer busy (CVE-2019-5736).
 * So the exec is of init, from a sealed memfd, and init execs the command
 * in place.
 */
static int
exec_child(const struct plan *p, const int *ns, char **env, int sock)
{
	extern char **environ;
	int initfd;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("prctl(PR_SET_PDEATHSIG):");
	initfd = init_memfd();
	join(ns, 2, LEN(joined));
	setup_rlimits(p);
	enter("chdir");
	if (chdir(p->chdir ? p->chdir : "/") < 0)
		die("chdir(%s):", p->chdir ? p->chdir : "/");
	environ = env;
	setup_env(p);
	check_command(p->argv[0], p->name);
	lock_down(p, sock, 0);
	/* init --exec leaves the mask as it is, for the command: the
	 * caller's; this process is no PID 1, so a signal unblocked here
	 * acts on it, and none is lost */
	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &callermask, NULL,
	    _NSIG / 8) < 0)
		die("sigprocmask:");
	/* the sandbox's /proc is its own: one that may mount could make
	 * /proc/self/fd/N lead to /proc/self/exe, our image */
	exec_init(initfd, "--exec", p->argv,
	    !(p->caps & caps_bit("SYS_ADMIN")));
	return EXIT_SETUP;
}

/* we join the user and pid namespaces, so that our child is born in the
 * sandbox's, and stay out of its mount namespace: nothing inside can
 * see us, and we touch no path once inside */
static pid_t
spawn_into(const struct plan *p, const int *ns, char **env, int *report,
    int *ptysock)
{
	int rep[2], sock[2];
	pid_t pid;

	if (pipe2(rep, O_CLOEXEC) < 0 || pty_socket(p, sock) < 0)
		die("pipe:");
	join(ns, 0, 2);
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die("prctl(PR_SET_DUMPABLE):");
	if ((pid = fork()) < 0)
		die("fork: %s%s", strerror(errno), errno == ENOMEM ?
		    " (the sandbox is ending)" : "");
	if (pid == 0) {
		reportfd = rep[1];
		if (close(rep[0]) < 0 || (sock[0] >= 0 && close(sock[0]) < 0))
			die("close(pipes):");
		_exit(exec_child(p, ns, env, sock[1]));
	}
	if (close(rep[1]) < 0 || (sock[1] >= 0 && close(sock[1]) < 0))
		die("close(pipes):");
	reportin = *report = rep[0];
	*ptysock = sock[0];
	return pid;
}

/* sbx exec: a command in a named sandbox, set up as its own command
 * was: same ids, directory, environment, limits, capabilities,
 * no_new_privs, seccomp filter, and a pty when stdin is a terminal */
static int
exec_in(const struct plan *x)
{
	struct entry e = { 0 };
	struct plan p;
	sigset_t set;
	char **env;
	int proc, ns[LEN(joined)], report, sock, master, status;
	pid_t pid;

	names_find(x->name, &e);
	proc = names_open_init(x->name, &e);
	parse(e.nargs, e.args, &p);
	p.argv = x->argv;
	p.chdir = x->chdir ? x->chdir : p.chdir;
	memcpy(p.env, x->env, sizeof(p.env));
	p.nenv = x->nenv;
	p.foreground = isatty(0) && tcgetpgrp(0) == getpgrp();
	p.pty = x->pty < 0 ? p.foreground : x->pty;
	open_namespaces(proc, ns);
	env = read_environ(proc);
	if (close(proc) < 0)
		die("close(/proc/%d):", (int)e.init);
	block_signals(&set);
	make_pipes(&p);
	pid = spawn_into(&p, ns, env, &report, &sock);
	close_pipes(&p);
	read_report(report, pid);
	master = take_pty(&p, sock);
	status = supervise(pid, &set, 0, master);
	tty_restore();
	return status;
}

int
main(int argc, char *argv[])
{
	struct plan p;

	parse(argc, argv, &p);
	switch (p.verb) {
	case VERB_PS:
		return names_ps(p.json);
	case VERB_EXEC:
		return exec_in(&p);
	case VERB_KILL:
		return names_kill(p.name, p.signal);
	case VERB_STOP:
		return names_stop(p.name, p.timeout);
	case VERB_WAIT:
		return names_wait(p.name);
	}
	return run(&p);
}
