/* See LICENSE file for copyright and license details. */
/* the sandbox's cgroup: see cgroup.c */
#include <sys/types.h>

struct plan;

/* in the parent, before the clone: the cgroup p's limits (or --cgroup)
 * ask for, made and limited; 0 if they ask for none. Removed at exit */
int cgroup_prepare(const struct plan *p);
/* the sandbox's cgroup of the memory controller (memory 1) or of the
 * pids one; NULL if it has none */
const char *cgroup_dir(int memory);
/* the child pid into it, before it is released */
void cgroup_enter(pid_t pid);
/* once the sandbox has ended with status: the OOM killer's line if it
 * took the sandbox, and the cgroup removed */
void cgroup_finish(int status);
void cgroup_remove(void);
