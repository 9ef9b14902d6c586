/* See LICENSE file for copyright and license details. */
/*
 * limit.c: the limits a plan asks for, as the command line writes them:
 * rlimits by name, and the cgroup's (sizes, counts, CPUs, weights). No
 * system call; a bad value dies here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "limit.h"
#include "millis.h"
#include "plan.h"
#include "sbx.h"

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

int
limits_rlimit(const char *name, size_t len, const char **canon)
{
	size_t i;

	for (i = 0; i < LEN(rlimits); i++)
		if (len == strlen(rlimits[i].name) &&
		    !strncasecmp(name, rlimits[i].name, len)) {
			*canon = rlimits[i].name;
			return rlimits[i].res;
		}
	return -1;
}

void
limits_add_rlimit(struct plan *p, const char *name, const char *val)
{
	const char *eq = strchr(val, '='), *colon;
	int res = -1;

	if (p->nrlim == MAXOPS)
		die("%s: more than %d limits", name, MAXOPS);
	if (eq)
		res = limits_rlimit(val, eq - val, &p->rlim[p->nrlim].name);
	if (res < 0)
		die("%s '%s': must be NAME=SOFT[:HARD] with NAME one of as,"
		    " core, cpu, data, fsize, locks, memlock, msgqueue, nice,"
		    " nofile, nproc, rss, rtprio, rttime, sigpending, stack",
		    name, val);
	p->rlim[p->nrlim].res = res;
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

/* bytes, with an optional K, M, G or T (powers of 1024, any case, a B
 * after them allowed): above 0; -1 for anything else */
static long long
size_of(const char *s)
{
	static const char units[] = "kmgt";
	unsigned long long n;
	const char *u;
	char *end;
	int shift = 0;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (end == s || s[0] == '-' || errno || !n)
		return -1;
	if (*end && (u = strchr(units, *end | 0x20))) {
		shift = 10 * (int)(u - units + 1);
		end++;
	}
	if ((*end | 0x20) == 'b' && shift)
		end++;
	if (*end || n > (1ULL << 62) >> shift)
		return -1;
	return (long long)(n << shift);
}

static long long
count_of(const char *s, long long max)
{
	long long n;
	char *end;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (end == s || *end || errno || n < 1 || n > max)
		return -1;
	return n;
}

void
limits_set(struct plan *p, int kind, const char *name, const char *val)
{
	struct limits *l = &p->limits;
	long long n;
	long ms;

	switch (kind) {
	case LIMIT_MEMORY:
	case LIMIT_MEMHIGH:
		if ((n = size_of(val)) < 0)
			die("%s '%s': not a size above 0 (bytes, or with K, M,"
			    " G or T: 512M)", name, val);
		*(kind == LIMIT_MEMORY ? &l->memory : &l->memhigh) = n;
		if (kind == LIMIT_MEMORY)
			l->memtext = val;
		break;
	case LIMIT_PIDS:
		if ((l->pids = count_of(val, 4194304)) < 0)
			die("%s '%s': not a number from 1 to 4194304", name, val);
		break;
	case LIMIT_CPUS:
		/* in thousandths, as seconds are in milliseconds */
		if ((ms = millis_of(val)) < 10 || ms > 1024000)
			die("%s '%s': not a number of CPUs from 0.01 to 1024",
			    name, val);
		l->cpuquota = ms * 100;
		break;
	default:
		if ((n = count_of(val, 10000)) < 0)
			die("%s '%s': not a weight from 1 to 10000", name, val);
		*(kind == LIMIT_CPUWEIGHT ? &l->cpuweight : &l->ioweight) = n;
	}
	l->any = 1;
}
