/* See LICENSE file for copyright and license details. */
/* limits into a cgroup's files: see cglimit.c */
#include <limits.h>

struct limits;

/* the v2 controllers, with the v1 hierarchy of each */
enum { C_MEMORY, C_PIDS, C_CPU, C_IO, C_N };

/* value into dir's file; -1 with errno if that fails */
int cg_try_put(const char *dir, const char *file, const char *value);
/* the same, dying if it fails, unless the file is not there and need
 * is 0 (-1 then) */
int cg_put(const char *dir, const char *file, const char *value, int need);
/* l into the sandbox's cgroup: v2's dir, or v1's, one per C_ */
void cglimit_v2(const struct limits *l, const char *dir);
void cglimit_v1(const struct limits *l, char dir[][PATH_MAX]);
