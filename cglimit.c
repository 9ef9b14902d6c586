/* See LICENSE file for copyright and license details. */
/*
 * cglimit.c: a plan's limits into a cgroup's files, as cgroup v2 and v1
 * name them. It makes and moves nothing: see cgroup.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cglimit.h"
#include "fmt.h"
#include "plan.h"
#include "sbx.h"

/* value into dir's file; -1 with errno if that fails */
int
cg_try_put(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX];
	int fd, e;

	fmt(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	if (put_all(fd, value, strlen(value)) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* the same, dying if it fails, unless the file is not there and need
 * is 0 (-1 then) */
int
cg_put(const char *dir, const char *file, const char *value, int need)
{
	if (cg_try_put(dir, file, value) == 0)
		return 0;
	if (errno == ENOENT && !need)
		return -1;
	die("write(%s/%s, %s):", dir, file, value);
}

__attribute__((noreturn)) static void
no_weights(const char *dir)
{
	die("--io-weight: %s: no I/O weights here (hint: they need the BFQ"
	    " scheduler, or cgroup v2's io.cost)", dir);
}

void
cglimit_v2(const struct limits *l, const char *d)
{
	char v[64];

	if (l->memory && fmt(v, sizeof(v), "%lld", l->memory))
		cg_put(d, "memory.max", v, 1);
	/* swap included: memory.max, or memswap, is all there is */
	if (l->memory && (l->memswap < 0 ? fmt(v, sizeof(v), "max") :
	    fmt(v, sizeof(v), "%lld", l->memswap > l->memory ? l->memswap -
	    l->memory : 0)))
		cg_put(d, "memory.swap.max", v, 0);
	if (l->memhigh && fmt(v, sizeof(v), "%lld", l->memhigh))
		cg_put(d, "memory.high", v, 1);
	if (l->memlow && fmt(v, sizeof(v), "%lld", l->memlow))
		cg_put(d, "memory.low", v, 1);
	if (l->pids && fmt(v, sizeof(v), "%lld", l->pids))
		cg_put(d, "pids.max", v, 1);
	if (l->cpuquota && fmt(v, sizeof(v), "%ld %ld", l->cpuquota,
	    l->cpuperiod ? l->cpuperiod : 100000))
		cg_put(d, "cpu.max", v, 1);
	/* OCI's shares of 2 to 262144 onto weights of 1 to 10000 */
	if ((l->cpuweight || l->cpushares) && fmt(v, sizeof(v), "%lld",
	    l->cpuweight ? l->cpuweight : 1 + (l->cpushares - 2) * 9999 /
	    262142))
		cg_put(d, "cpu.weight", v, 1);
	if (l->ioweight && fmt(v, sizeof(v), "default %d", l->ioweight) &&
	    cg_put(d, "io.weight", v, 0) < 0 && fmt(v, sizeof(v), "%d",
	    l->ioweight) && cg_put(d, "io.bfq.weight", v, 0) < 0)
		no_weights(d);
}

void
cglimit_v1(const struct limits *l, char dir[][PATH_MAX])
{
	char v[64];

	if (l->memory && fmt(v, sizeof(v), "%lld", l->memory))
		cg_put(dir[C_MEMORY], "memory.limit_in_bytes", v, 1);
	if (l->memory && fmt(v, sizeof(v), "%lld", l->memswap ? l->memswap :
	    l->memory))
		cg_put(dir[C_MEMORY], "memory.memsw.limit_in_bytes", v, 0);
	/* v1 has no throttle point; its soft limit is the nearest */
	if ((l->memhigh || l->memlow) && fmt(v, sizeof(v), "%lld",
	    l->memhigh ? l->memhigh : l->memlow))
		cg_put(dir[C_MEMORY], "memory.soft_limit_in_bytes", v, 1);
	if (l->pids && fmt(v, sizeof(v), "%lld", l->pids))
		cg_put(dir[C_PIDS], "pids.max", v, 1);
	if (l->cpuquota && fmt(v, sizeof(v), "%ld", l->cpuperiod ?
	    l->cpuperiod : 100000)) {
		cg_put(dir[C_CPU], "cpu.cfs_period_us", v, 1);
		fmt(v, sizeof(v), "%ld", l->cpuquota);
		cg_put(dir[C_CPU], "cpu.cfs_quota_us", v, 1);
	}
	/* weights of 1 to 10000 onto shares of 2 to 262144, 10 to 1000 */
	if ((l->cpuweight || l->cpushares) && fmt(v, sizeof(v), "%lld",
	    l->cpushares ? l->cpushares : 2 + (l->cpuweight - 1) * 262142LL /
	    9999))
		cg_put(dir[C_CPU], "cpu.shares", v, 1);
	if (l->ioweight && fmt(v, sizeof(v), "%d", 10 + (l->ioweight - 1) *
	    990 / 9999) && cg_put(dir[C_IO], "blkio.weight", v, 0) < 0 &&
	    cg_put(dir[C_IO], "blkio.bfq.weight", v, 0) < 0)
		no_weights(dir[C_IO]);
}
