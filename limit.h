/* See LICENSE file for copyright and license details. */
/* the limits a plan asks for: see limit.c */
#include <stddef.h>

struct plan;

/* the resource whose name (as, nofile...; any case) is name[0..len),
 * with its name as sbx writes it; -1 if none is */
int limits_rlimit(const char *name, size_t len, const char **canon);
/* --rlimit NAME=SOFT[:HARD]; one value sets both */
void limits_add_rlimit(struct plan *p, const char *name, const char *val);

/* the cgroup's limits, each of its option (name) */
enum { LIMIT_MEMORY, LIMIT_MEMHIGH, LIMIT_PIDS, LIMIT_CPUS, LIMIT_CPUWEIGHT,
	LIMIT_IOWEIGHT };
void limits_set(struct plan *p, int kind, const char *name, const char *val);
