/* See LICENSE file for copyright and license details. */
/*
 * supervise.c: the host's side while a sandbox runs: its signals, its
 * report, the relays of its terminal or pipes, the timeout, and -d. It
 * never touches anything inside but through those descriptors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcode.h"
#include "fmt.h"
#include "names.h"
#include "plan.h"
#include "supervise.h"
#include "sbx.h"
#include "tty.h"

/* signals the parent passes on to the sandbox */
static const int forwarded[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
};

/* held until signalfd takes them: none is lost during set-up; the
 * system call, for the caller's mask with libc's own signals in it */
void
block_signals(sigset_t *set, uint64_t *caller)
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
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, set, caller,
	    _NSIG / 8) < 0)
		die("sigprocmask:");
	sigdelset(set, SIGPIPE);
}

/*
 * No descriptor of a host terminal enters the sandbox: without a pty,
 * each of stdin, stdout, stderr that is a terminal becomes a pipe that
 * sbx relays. In a session of its own, outside job control, the sandbox
 * could otherwise read what the user types into the shell next (or
 * into a password prompt), with no SIGTTIN to stop it.
 */
void
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
void
close_pipes(const struct plan *p)
{
	int i;

	for (i = 0; i < 3; i++)
		if (p->pipes[i] >= 0 && close(p->pipes[i]) < 0)
			die("close(pipe):");
}

static int
status_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
	    WEXITSTATUS(status);
}

/* a message means the child failed before init; EOF means init runs,
 * and so does a lone NUL, which says it (1; else 0) */
int
read_report(int fd, pid_t pid)
{
	char msg[1024];
	ssize_t n, len = 0;

	enter("report");
	while ((n = read(fd, msg + len, sizeof(msg) - len)) > 0)
		len += n;
	if (n < 0)
		die("read:");
	report_from(-1);
	if (close(fd) < 0)
		die("close:");
	if (len == 0 || (len == 1 && !msg[0]))
		return len;
	put_all(2, msg + 1, len - 1);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	names_finish((unsigned char)msg[0]);
	exit((unsigned char)msg[0]);
}

/* the pty's master, from inside, relayed to and from the user's
 * terminal, raw for it */
int
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

/* --timeout is up: SIGTERM, then SIGKILL two seconds later */
static int
expire(pid_t pid, struct timespec *end, int late)
{
	if (kill(pid, late ? SIGKILL : SIGTERM) < 0 && errno != ESRCH)
		die("kill(%d):", (int)pid);
	end->tv_sec += late ? 3600 : 2;
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
int
supervise(pid_t pid, const sigset_t *set, long timeout, int master)
{
	struct signalfd_siginfo si;
	struct timespec end;
	struct pollfd fds[1 + RELAY_MAX];
	int sfd, status, late = 0, wait;

	enter("supervise");
	if ((sfd = signalfd(-1, set, SFD_CLOEXEC)) < 0)
		die("signalfd:");
	deadline(&end, timeout);
	for (;;) {
		fds[0] = (struct pollfd){ sfd, POLLIN, 0 };
		wait = relay_fds(fds + 1);
		if (timeout && (wait < 0 || until(&end) < wait))
			wait = until(&end);
		if (poll(fds, LEN(fds), wait) < 0 && errno != EINTR)
			die("poll:");
		if (timeout && !until(&end))
			late = expire(pid, &end, late);
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
void
detach(struct plan *p)
{
	int ready[2], status;
	char c, num[16];
	size_t n;
	pid_t pid;

	choose_stdio(p);
	if (pipe2(ready, O_CLOEXEC) < 0)
		die("pipe:");
	p->waiter = getpid();
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
void
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
