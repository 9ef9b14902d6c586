/* See LICENSE file for copyright and license details. */
/*
 * bench: the measuring half of make bench (tests/bench/run is the rest).
 *   bench startup N NAME CMD... [;; NAME CMD...]...
 *       runs each command N times, interleaved (A B A B ...) so that the
 *       machine's noise hits all alike; prints per command the median,
 *       the 10th and 90th percentiles in microseconds, and failures
 *   bench parallel P SECS ROUNDS NAME CMD... [;; NAME CMD...]...
 *       P loops at once run the command for SECS; the commands take turns
 *       for ROUNDS rounds; prints the median of its runs per second
 *   bench signals N CMD...
 *       CMD (an init whose command is "sbxtest sigs N") gets N SIGUSR1s,
 *       each once the last was reported; prints the microseconds it took
 *   bench time CMD...
 *       prints the microseconds CMD took
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXC 16
#define MAXRUNS 100000

struct cand {
	char *name, **argv;
	double *us;
	long runs, failed;
};

static double times[MAXC][MAXRUNS];

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* runs argv with stdio on /dev/null; 0 if it exited 0 */
static int
run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* NAME CMD... [;; NAME CMD...]... into c; how many */
static int
candidates(char **argv, struct cand *c)
{
	int k = 0;

	while (*argv && k < MAXC) {
		c[k].name = *argv++;
		c[k].argv = argv;
		c[k].us = times[k];
		c[k].runs = c[k].failed = 0;
		while (*argv && strcmp(*argv, ";;"))
			argv++;
		if (*argv)
			*argv++ = NULL;
		k++;
	}
	return k;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, long n, double p)
{
	qsort(v, n, sizeof(*v), cmp);
	return n ? v[(long)(p * (n - 1) + 0.5)] : 0;
}

static int
startup(long n, char **argv)
{
	struct cand c[MAXC];
	int k = candidates(argv, c), j;

	if (n > MAXRUNS)
		n = MAXRUNS;
	long i;
	double t;

	for (j = 0; j < k; j++)
		run(c[j].argv); /* warm the caches once */
	for (i = 0; i < n; i++)
		for (j = 0; j < k; j++) {
			t = now();
			if (run(c[j].argv) < 0)
				c[j].failed++;
			c[j].us[c[j].runs++] = now() - t;
		}
	for (j = 0; j < k; j++)
		printf("%s %.0f %.0f %.0f %ld\n", c[j].name,
		    pct(c[j].us, n, 0.5), pct(c[j].us, n, 0.1),
		    pct(c[j].us, n, 0.9), c[j].failed);
	return 0;
}

/* P loops of argv for secs: how many runs finished */
static long
loops(int p, double secs, char **argv)
{
	int fds[2], i;
	long total = 0, got;
	double end = now() + secs * 1e6;

	if (pipe(fds) < 0)
		return -1;
	for (i = 0; i < p; i++)
		if (fork() == 0) {
			long done = 0;

			close(fds[0]);
			while (now() < end)
				done += run(argv) == 0;
			if (write(fds[1], &done, sizeof(done)) < 0)
				_exit(1);
			_exit(0);
		}
	close(fds[1]);
	while (read(fds[0], &got, sizeof(got)) == sizeof(got))
		total += got;
	close(fds[0]);
	while (wait(NULL) > 0)
		;
	return total;
}

static int
parallel(int p, double secs, int rounds, char **argv)
{
	struct cand c[MAXC];
	int k = candidates(argv, c), j, r;

	for (r = 0; r < rounds; r++)
		for (j = 0; j < k; j++)
			c[j].us[c[j].runs++] = loops(p, secs, c[j].argv) / secs;
	for (j = 0; j < k; j++)
		printf("%s %.0f %.0f %.0f\n", c[j].name,
		    pct(c[j].us, rounds, 0.5), pct(c[j].us, rounds, 0),
		    pct(c[j].us, rounds, 1));
	return 0;
}

/* the first child of pid: the init that unshare --fork started */
static pid_t
child_of(pid_t pid)
{
	char path[64];
	FILE *f;
	int c = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
	    (int)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	if (fscanf(f, "%d", &c) != 1)
		c = 0;
	fclose(f);
	return c;
}

static int
signals(long n, char **argv)
{
	char line[64];
	int fds[2], status;
	pid_t pid, init = 0;
	long i;
	double t = 0;
	FILE *out;

	if (pipe(fds) < 0 || (pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]), close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	if (!(out = fdopen(fds[0], "r")))
		return 1;
	/* "ready": the command has its handler in place */
	for (i = -1; i < n; i++) {
		if (i == 0)
			t = now();
		if (i >= 0)
			kill(init, SIGUSR1);
		if (!fgets(line, sizeof(line), out)) {
			fprintf(stderr, "bench: lost at %ld\n", i);
			break;
		}
		while (!init)
			init = child_of(pid);
	}
	fclose(out);
	waitpid(pid, &status, 0);
	if (i < n)
		return 1;
	printf("%.0f\n", now() - t);
	return 0;
}

int
main(int argc, char *argv[])
{
	double t;

	if (argc > 3 && !strcmp(argv[1], "startup"))
		return startup(atol(argv[2]), argv + 3);
	if (argc > 5 && !strcmp(argv[1], "parallel"))
		return parallel(atoi(argv[2]), atof(argv[3]), atoi(argv[4]),
		    argv + 5);
	if (argc > 3 && !strcmp(argv[1], "signals"))
		return signals(atol(argv[2]), argv + 3);
	if (argc > 2 && !strcmp(argv[1], "time")) {
		t = now();
		if (run(argv + 2) < 0)
			return 1;
		printf("%.0f\n", now() - t);
		return 0;
	}
	fprintf(stderr, "usage: bench startup|parallel|signals|time ...\n");
	return 2;
}
