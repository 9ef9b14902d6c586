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
 *   default CMD...   exec CMD with every signal's action the default
 *   tree DEPTH       a chain of DEPTH processes, each orphaning the next
 *   daemon FILE SECS double-fork a daemon that, on SIGTERM, waits SECS
 *                    then writes FILE
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t last;

static void
onsig(int sig)
{
	last = sig;
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
	struct timespec ts = { 0, 20000000 };
	int n, i;

	for (i = 0; (n = count_zombies()) > 0 && i < secs * 50; i++)
		nanosleep(&ts, NULL);
	printf("zombies: %d\n", n);
	return n != 0;
}

static int
sigs(int count)
{
	struct sigaction sa = { .sa_handler = onsig };
	sigset_t none;
	int sig;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig <= SIGRTMAX; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			sigaction(sig, &sa, NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (count-- > 0) {
		while (!last)
			pause();
		printf("got %d\n", (int)last);
		fflush(stdout);
		last = 0;
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
	struct { void (*handler)(int); unsigned long flags, restorer, mask; }
	    sa = { SIG_DFL, 0, 0, 0 };
	int sig;

	for (sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &sa, NULL, 8);
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
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
	pid_t pid;
	int fd;

	if ((pid = fork()) < 0)
		return perror("fork"), 1;
	if (pid > 0)
		return waitpid(pid, NULL, 0) == pid ? 0 : 1;
	setsid();
	if ((pid = fork()) != 0)
		_exit(pid < 0);
	signal(SIGTERM, onsig);
	while (last != SIGTERM)
		pause();
	sleep(secs);
	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		_exit(1);
	if (write(fd, "flushed\n", 8) != 8)
		_exit(1);
	_exit(close(fd) != 0);
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
	if (!strcmp(verb, "tree"))
		return tree(atoi(a));
	if (!strcmp(verb, "daemon") && argc > 3)
		return daemon_(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: sbxtest zombies|nozombies|sigs|fds|raise|pending|nofds|default|tree|daemon"
	    " ...\n");
	return 2;
}
