/* See LICENSE file for copyright and license details. */
/*
 * hookrun.c: runs an OCI bundle's hooks of the host, each where
 * runtime-spec's lifecycle places it, with the runtime's rights. Those
 * of the container are init's to run, inside, with its process's rights
 * (see inithooks.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcode.h"
#include "fmt.h"
#include "hooks.h"
#include "hookrun.h"
#include "lockdown.h"
#include "sbx.h"

/* the state as a hook's stdin: a file, which no hook can make a write
 * of ours block on by not reading it */
static int
state_file(const char *state)
{
	int fd = memfd_create("state", MFD_CLOEXEC);

	if (fd < 0 || put_all(fd, state, strlen(state)) < 0 ||
	    lseek(fd, 0, SEEK_SET) < 0)
		die("memfd(state):");
	return fd;
}

/* in the hook's process: its stdio, a session of its own (no terminal
 * of ours; its group killed whole at its timeout), its environment, its
 * place; then its exec */
__attribute__((noreturn)) static void
become_hook(const struct hook *k, int in, int out)
{
	extern char **environ;
	sigset_t none;

	report_plain();
	sigemptyset(&none);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 ||
	    setsid() < 0 || sigprocmask(SIG_SETMASK, &none, NULL) < 0 ||
	    prctl(PR_SET_DUMPABLE, 0) < 0)
		die("hook's process:");
	close_fds(3);
	execve(k->path, k->argv, k->env ? k->env : environ);
	fail(errno == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC, "execve(%s):",
	    k->path);
}

/* what is left to read of out, once the hook is gone: not what a child
 * of it that keeps out open writes later */
static void
drain(int out)
{
	char buf[4096];
	ssize_t n;

	if (fcntl(out, F_SETFL, O_NONBLOCK) < 0)
		return;
	while ((n = read(out, buf, sizeof(buf))) > 0)
		put_all(2, buf, n);
}

/* the hook's output on our stderr until it ends; its wait status, or -1
 * once its timeout has passed and its group is killed */
static int
relay(pid_t kid, int out, long ms)
{
	struct pollfd pfd = { out, POLLIN, 0 };
	struct timespec end;
	char buf[4096];
	int st, left, slice;
	ssize_t n;
	pid_t r;

	deadline(&end, ms);
	for (;;) {
		if ((r = waitpid(kid, &st, WNOHANG)) == kid) {
			drain(out);
			return st;
		}
		if (r < 0 && errno != EINTR)
			die("waitpid:");
		if ((left = ms ? until(&end) : INT_MAX) == 0) {
			/* the hook too, if it left its session's group */
			kill(-kid, SIGKILL);
			kill(kid, SIGKILL);
			while (waitpid(kid, &st, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		/* once out is closed, a look at the hook each 10 ms */
		slice = pfd.fd < 0 ? 10 : 100;
		if (poll(&pfd, 1, left < slice ? left : slice) < 0 &&
		    errno != EINTR)
			die("poll:");
		if (pfd.fd >= 0 && pfd.revents) {
			if ((n = read(out, buf, sizeof(buf))) > 0)
				put_all(2, buf, n);
			else
				pfd.fd = -1;
		}
	}
}

static const char *
run_one(const struct hook *k, int kind, int i, const char *state)
{
	static char why[PATH_MAX + 128];
	char how[64];
	int in = state_file(state), out[2], st;
	pid_t kid;

	if (pipe2(out, O_CLOEXEC) < 0)
		die("pipe:");
	if ((kid = fork()) < 0)
		die("fork:");
	if (kid == 0)
		become_hook(k, in, out[1]);
	if (close(out[1]) < 0 || close(in) < 0)
		die("close(pipe):");
	st = relay(kid, out[0], k->timeout);
	if (close(out[0]) < 0)
		die("close(pipe):");
	if (st == 0)
		return NULL;
	if (st < 0)
		fmt(how, sizeof(how), "killed at its timeout, %ld s",
		    k->timeout / 1000);
	else if (WIFSIGNALED(st))
		fmt(how, sizeof(how), "killed by signal %d (%s)",
		    WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		fmt(how, sizeof(how), "exit status %d", WEXITSTATUS(st));
	fmt(why, sizeof(why), "%s hook %d (%s): %s", hook_names[kind], i, k->path,
	    how);
	return why;
}

const char *
hooks_run(const struct hooks *h, int kind, const char *state)
{
	const char *why;
	int i;

	enter("hooks");
	for (i = 0; h && i < h->n[kind]; i++) {
		if (!(why = run_one(&h->of[kind][i], kind, i, state)))
			continue;
		if (kind < HOOK_POSTSTART)
			return why;
		warn("%s", why);
	}
	return NULL;
}
