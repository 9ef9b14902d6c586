/* See LICENSE file for copyright and license details. */
/*
 * sbxtest: the test suite's helper, one static binary of small verbs, put
 * in the test rootfs and also run on the host.
 *   zombies N        orphan N children that exit at once
 *   nozombies SECS   wait until no zombie is left; print how many remain
 *   sigs [N]         report each signal received ("got N"); exit after N
 *   fds              print the open file descriptors
 *   raise N          die of signal N
 *   pending N CMD... exec CMD with signal N blocked and already pending
 *   nofds CMD...     exec CMD with only descriptors 0, 1 and 2 open
 *   default CMD...   exec CMD with every signal's action the default,
 *                    and none blocked
 *   block N,... CMD...  exec CMD with signals N,... blocked too
 *   ignore N,... CMD... exec CMD with signals N,... ignored too
 *   subreaper CMD... exec CMD as a child subreaper, as a supervisor that
 *                    starts init would
 *   tiocsti          try to push input into stdin's terminal: TIOCSTI,
 *                    the same with high bits set, TIOCLINUX; print errnos
 *   sys NAME...      call each system call with zero arguments; print
 *                    NAME:ERRNO (or NAME:ok)
 *   foreign          getpid through the i386 and the x32 system call
 *                    entries; print ABI:ERRNO (or ABI:ok)
 *   tree DEPTH       a chain of DEPTH processes, each orphaning the next
 *   daemon FILE SECS double-fork a daemon that, on SIGTERM, waits SECS
 *                    then writes FILE
 *   enosys NAME,... CMD...  exec CMD with those system calls failing with
 *                    ENOSYS, as on a kernel that predates them
 *   exewatch SECS    CVE-2019-5736's attacker: hold the executable of the
 *                    first process that appears (/proc/PID/exe, O_PATH),
 *                    kill it, then try to write to that file; print each
 *                    step ("watching" once ready); give up after SECS
 *   ttyid            print stdin's DEV:RDEV, as stat -c %d:%r does
 *   hosttty DEV:RDEV print each open descriptor that is that file (the
 *                    host's terminal), or "none"
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static volatile sig_atomic_t last, got[64], ngot;

static void
onsig(int sig)
{
	last = sig;
	if (ngot < 64)
		got[ngot++] = sig;
}

static int
zombies(int n)
{
	pid_t pid;
	int i;

	if ((pid = fork()) < 0)
		return perror("fork"), 1;
	if (pid == 0) {
		for (i = 0; i < n; i++) {
			pid_t c = fork();
			if (c < 0)
				return perror("fork"), 1;
			if (c == 0)
				_exit(0);
		}
		_exit(0);
	}
	return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}

static int
count_zombies(void)
{
	char path[300], buf[512], *p;
	struct dirent *d;
	DIR *dir;
	int fd, n, count = 0;

	if (!(dir = opendir("/proc")))
		return perror("/proc"), -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if ((p = strrchr(buf, ')')) && p[1] == ' ' && p[2] == 'Z')
			count++;
	}
	closedir(dir);
	return count;
}

static int
nozombies(double secs)
{
	struct timespec ts = { 0, 1000000 };
	int n, i;

	for (i = 0; (n = count_zombies()) > 0 && i < secs * 1000; i++)
		nanosleep(&ts, NULL);
	printf("zombies: %d\n", n);
	return n != 0;
}

static int
sigs(int count)
{
	struct sigaction sa = { .sa_handler = onsig };
	sigset_t all, none;
	int sig;

	/* taken only inside sigsuspend: none can slip in between; and one
	 * handler at a time, or the kernel stacks a later signal's handler
	 * on an earlier one's and the later is recorded first */
	sigfillset(&all);
	sigfillset(&sa.sa_mask);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (sig = 1; sig <= SIGRTMAX; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			sigaction(sig, &sa, NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (count > 0) {
		while (!ngot)
			sigsuspend(&none);
		for (sig = 0; sig < ngot && count > 0; sig++, count--)
			printf("got %d\n", (int)got[sig]);
		ngot = 0;
		fflush(stdout);
	}
	return 0;
}

static int
fds(void)
{
	struct dirent *d;
	DIR *dir;
	const char *sep = "";

	if (!(dir = opendir("/proc/self/fd")))
		return perror("/proc/self/fd"), 1;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.' && atoi(d->d_name) != dirfd(dir)) {
			printf("%s%s", sep, d->d_name);
			sep = " ";
		}
	printf("\n");
	return closedir(dir);
}

static int
ttyid(void)
{
	struct stat st;

	if (fstat(0, &st) < 0)
		return perror("fstat"), 1;
	printf("%llu:%llu\n", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_rdev);
	return 0;
}

/* by device and inode's device both: the sandbox's own devpts numbers
 * its ptys from 0 too */
static int
hosttty(const char *id)
{
	struct dirent *d;
	struct stat st;
	char mine[64];
	int fd, found = 0;
	DIR *dir;

	if (!(dir = opendir("/proc/self/fd")))
		return perror("/proc/self/fd"), 1;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.' && (fd = atoi(d->d_name)) != dirfd(dir) &&
		    fstat(fd, &st) == 0) {
			snprintf(mine, sizeof(mine), "%llu:%llu",
			    (unsigned long long)st.st_dev,
			    (unsigned long long)st.st_rdev);
			if (S_ISCHR(st.st_mode) && !strcmp(mine, id))
				printf("%sfd %d", found++ ? " " : "", fd);
		}
	printf("%s\n", found ? "" : "none");
	return closedir(dir);
}

static int
raise_(int sig)
{
	sigset_t none;

	signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	raise(sig);
	return 1;
}

static int
pending(int sig, char **argv)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(sig);
	/* blocked, so raise returned */
	/* cppcheck-suppress unreachableCode */
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

static int
nofds(char **argv)
{
	int fd;

	for (fd = 3; fd < 1024; fd++)
		close(fd);
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

/* through the system call: libc refuses the signals it keeps */
static int
default_(char **argv)
{
	/* the kernel's struct, read by the kernel */
	/* cppcheck-suppress unusedStructMember */
	struct { void (*handler)(int); unsigned long flags, restorer, mask; }
	    sa = { SIG_DFL, 0, 0, 0 };
	unsigned long long none = 0;
	int sig;

	for (sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &sa, NULL, 8);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

/* block or ignore: a shell may not ignore every signal (dash keeps SEGV) */
static int
block(int ignore, char *list, char **argv)
{
	sigset_t set;
	char *n;

	sigemptyset(&set);
	for (n = strtok(list, ","); n; n = strtok(NULL, ","))
		if (ignore)
			signal(atoi(n), SIG_IGN);
		else
			sigaddset(&set, atoi(n));
	sigprocmask(SIG_BLOCK, &set, NULL);
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

/* the attribute outlives the exec */
static int
subreaper(char **argv)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return perror("sbxtest: prctl"), 2;
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

static const char *
errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case ENOTTY: return "ENOTTY";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EBADF: return "EBADF";
	default: return "other";
	}
}

static int
tiocsti(void)
{
	char c = 'x';

	errno = 0;
	ioctl(0, TIOCSTI, &c);
	printf("TIOCSTI:%s ", errname(errno));
	errno = 0;
	syscall(SYS_ioctl, 0, 0x100000000UL | TIOCSTI, &c);
	printf("TIOCSTI|1<<32:%s ", errname(errno));
	errno = 0;
	ioctl(0, TIOCLINUX, &c);
	printf("TIOCLINUX:%s\n", errname(errno));
	return 0;
}

static const struct { const char *name; long nr; } calls[] = {
	{ "kexec_load", SYS_kexec_load }, { "kexec_file_load", SYS_kexec_file_load },
	{ "init_module", SYS_init_module }, { "finit_module", SYS_finit_module },
	{ "delete_module", SYS_delete_module }, { "keyctl", SYS_keyctl },
	{ "add_key", SYS_add_key }, { "request_key", SYS_request_key },
	{ "bpf", SYS_bpf }, { "perf_event_open", SYS_perf_event_open },
	{ "userfaultfd", SYS_userfaultfd },
	{ "open_by_handle_at", SYS_open_by_handle_at }, { "acct", SYS_acct },
	{ "swapon", SYS_swapon }, { "swapoff", SYS_swapoff },
	{ "reboot", SYS_reboot }, { "syslog", SYS_syslog },
	{ "iopl", SYS_iopl }, { "ioperm", SYS_ioperm }, { "clone3", SYS_clone3 },
	{ "getpid", SYS_getpid },
	/* newer than the oldest kernel sbx runs on: enosys makes them fail */
	{ "openat2", 437 }, { "close_range", 436 }, { "mount_setattr", 442 },
	{ "pidfd_open", 434 }, { "pidfd_send_signal", 424 },
	{ "execveat", SYS_execveat }, { "memfd_create", SYS_memfd_create },
	{ "fsopen", 430 }, { "fsmount", 432 },
};

static int
sys(char **names)
{
	size_t i;

	for (; *names; names++) {
		for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			if (!strcmp(*names, calls[i].name))
				break;
		if (i == sizeof(calls) / sizeof(calls[0]))
			return fprintf(stderr, "no call %s\n", *names), 2;
		errno = 0;
		if (syscall(calls[i].nr, 0, 0, 0, 0, 0, 0) >= 0)
			errno = 0;
		printf("%s:%s%s", calls[i].name, errname(errno),
		    names[1] ? " " : "\n");
	}
	return 0;
}

static int
foreign(void)
{
#if defined(__x86_64__)
	long r;

	/* i386's getpid is 20, entered with int $0x80 */
	__asm__ volatile ("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	printf("i386:%s ", errname(r < 0 ? (int)-r : 0));
	errno = 0;
	r = syscall(0x40000000L | SYS_getpid);
	printf("x32:%s\n", errname(r < 0 ? errno : 0));
	return 0;
#else
	return puts("not x86_64"), 1;
#endif
}

static int
tree(int depth)
{
	pid_t pid;

	while (depth-- > 0) {
		if ((pid = fork()) < 0)
			return perror("fork"), 1;
		if (pid > 0)
			_exit(0); /* the child is orphaned */
	}
	return 0;
}

static int
daemon_(const char *file, int secs)
{
	sigset_t term, old;
	pid_t pid;
	int fd;

	/* caught from before the forks, and taken only in sigsuspend: the
	 * SIGTERM init sends as soon as the command returns is not lost */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	signal(SIGTERM, onsig);
	if ((pid = fork()) < 0)
		return perror("fork"), 1;
	if (pid > 0)
		return waitpid(pid, NULL, 0) == pid ? 0 : 1;
	setsid();
	if ((pid = fork()) != 0)
		_exit(pid < 0);
	while (last != SIGTERM)
		sigsuspend(&old);
	sleep(secs);
	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		_exit(1);
	if (write(fd, "flushed\n", 8) != 8)
		_exit(1);
	_exit(close(fd) != 0);
}

/* each pid now in /proc: marked in seen, or the first unmarked one
 * whose executable can be opened, its descriptor in *fd */
static pid_t
scan(unsigned char *seen, size_t n, int *fd)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	long pid;
	pid_t found = 0;

	if (!(dir = opendir("/proc")))
		return perror("/proc"), -1;
	while (!found && (d = readdir(dir))) {
		if ((pid = atol(d->d_name)) <= 0 || (size_t)pid >= n * 8 ||
		    pid == getpid() || seen[pid / 8] & 1 << pid % 8)
			continue;
		if (!fd) {
			seen[pid / 8] |= 1 << pid % 8;
			continue;
		}
		/* refused while it is not dumpable: tried again next time */
		snprintf(path, sizeof(path), "/proc/%ld/exe", pid);
		if ((*fd = open(path, O_PATH)) >= 0)
			found = pid;
	}
	closedir(dir);
	return found;
}

/* once pid has exited, its executable is no longer busy */
static void
await_exit(pid_t pid)
{
	struct timespec ts = { 0, 1000000 };
	char path[64], buf[512], *p;
	int fd, i, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 2000; i++, nanosleep(&ts, NULL)) {
		if ((fd = open(path, O_RDONLY)) < 0)
			return;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		if (n <= 0 || ((p = strrchr(buf, ')')) && p[1] == ' ' &&
		    (p[2] == 'Z' || p[2] == 'X')))
			return;
	}
}

static int
exewatch(double secs)
{
	static unsigned char seen[(1 << 22) / 8];
	struct timespec ts = { 0, 1000000 }, now, end;
	char path[64], target[4096];
	ssize_t len;
	pid_t pid = 0;
	int fd = -1, w, i;

	scan(seen, sizeof(seen), NULL);
	printf("watching\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += (time_t)secs;
	do {
		if ((pid = scan(seen, sizeof(seen), &fd)) < 0)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (!pid && now.tv_sec < end.tv_sec);
	if (!pid)
		return puts("no process seen"), 1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	len = readlink(path, target, sizeof(target) - 1);
	target[len > 0 ? len : 0] = '\0';
	printf("held the executable: %s\n", target);
	printf("kill: %s\n", kill(pid, SIGKILL) < 0 ? strerror(errno) : "ok");
	await_exit(pid);
	for (i = 0; (w = open(path, O_WRONLY)) < 0 && errno == ETXTBSY &&
	    i < 2000; i++)
		nanosleep(&ts, NULL);
	if (w < 0)
		return printf("open for writing: %s\n", strerror(errno)), 0;
	if (write(w, "pwned\n", 6) < 0)
		return printf("write: %s\n", strerror(errno)), 0;
	printf("wrote to it\n");
	return 0;
}

/* a seccomp filter: ENOSYS for each call named, the rest allowed */
static int
enosys(char *list, char **argv)
{
	struct sock_filter f[64];
	struct sock_fprog prog;
	char *name;
	size_t i;
	int n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	for (name = strtok(list, ","); name && n < 60; name = strtok(NULL, ",")) {
		for (i = 0; i < LEN(calls) && strcmp(calls[i].name, name); i++)
			;
		if (i == LEN(calls)) {
			fprintf(stderr, "sbxtest: %s: no such call here\n", name);
			return 2;
		}
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    calls[i].nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		    SECCOMP_RET_ERRNO | ENOSYS);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	prog.len = n;
	prog.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("sbxtest: seccomp");
		return 2;
	}
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

/* an engine's console socket at path: one connection, one message of one
 * byte with the pty's master; what the container writes to it, to
 * stdout, until its end; and the payload's length, to stderr */
static int
console(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char byte[8], ctl[CMSG_SPACE(sizeof(int))], buf[4096];
	struct iovec iov = { byte, sizeof(byte) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int s, conn, master;
	ssize_t n;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0 ||
	    (conn = accept(s, NULL, NULL)) < 0 || (n = recvmsg(conn, &msg, 0)) < 0)
		return perror("console"), 1;
	if (!(c = CMSG_FIRSTHDR(&msg)) || c->cmsg_type != SCM_RIGHTS)
		return fprintf(stderr, "console: no descriptor\n"), 1;
	memcpy(&master, CMSG_DATA(c), sizeof(int));
	fprintf(stderr, "payload %zd\n", n);
	while ((n = read(master, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *verb = argc > 1 ? argv[1] : "";
	const char *a = argc > 2 ? argv[2] : "0";

	if (!strcmp(verb, "zombies"))
		return zombies(atoi(a));
	if (!strcmp(verb, "nozombies"))
		return nozombies(atof(a));
	if (!strcmp(verb, "sigs"))
		return sigs(argc > 2 ? atoi(a) : 1);
	if (!strcmp(verb, "fds"))
		return fds();
	if (!strcmp(verb, "raise"))
		return raise_(atoi(a));
	if (!strcmp(verb, "pending") && argc > 3)
		return pending(atoi(a), argv + 3);
	if (!strcmp(verb, "nofds") && argc > 2)
		return nofds(argv + 2);
	if (!strcmp(verb, "default") && argc > 2)
		return default_(argv + 2);
	if (!strcmp(verb, "block") && argc > 3)
		return block(0, argv[2], argv + 3);
	if (!strcmp(verb, "ignore") && argc > 3)
		return block(1, argv[2], argv + 3);
	if (!strcmp(verb, "subreaper") && argc > 2)
		return subreaper(argv + 2);
	if (!strcmp(verb, "tiocsti"))
		return tiocsti();
	if (!strcmp(verb, "sys") && argc > 2)
		return sys(argv + 2);
	if (!strcmp(verb, "foreign"))
		return foreign();
	if (!strcmp(verb, "tree"))
		return tree(atoi(a));
	if (!strcmp(verb, "daemon") && argc > 3)
		return daemon_(argv[2], atoi(argv[3]));
	if (!strcmp(verb, "enosys") && argc > 3)
		return enosys(argv[2], argv + 3);
	if (!strcmp(verb, "exewatch"))
		return exewatch(atof(a));
	if (!strcmp(verb, "ttyid"))
		return ttyid();
	if (!strcmp(verb, "hosttty") && argc > 2)
		return hosttty(argv[2]);
	if (!strcmp(verb, "console") && argc > 2)
		return console(argv[2]);
	fprintf(stderr, "usage: sbxtest zombies|nozombies|sigs|fds|raise|pending|nofds|default|block|ignore|subreaper|tiocsti|sys|foreign|tree|daemon|enosys|exewatch|ttyid|hosttty|console"
	    " ...\n");
	return 2;
}
