/* See LICENSE file for copyright and license details. */
/* the sandbox's cgroup: see cgroup.c */
#include <sys/types.h>

struct plan;

/* in the parent, before the clone: the cgroup p's limits (or --cgroup)
 * ask for, made and limited, and removed at exit; if there is one, a
 * cgroup namespace p asks for is the child's to make (latens) */
void cgroup_prepare(struct plan *p);
/* the sandbox's cgroup of the memory controller (memory 1) or of the
 * pids one; NULL if it has none */
const char *cgroup_dir(int memory);
/* sbx exec's: the cgroups of the sandbox's init, whose /proc directory
 * is proc, to place the command in, as it is limited */
void cgroup_of(int proc);
/* the child pid into it, before it is released */
void cgroup_enter(pid_t pid);
/* once the sandbox has ended with status: the OOM killer's line if it
 * took the sandbox, and the cgroup removed */
void cgroup_finish(int status);
void cgroup_remove(void);
/* an OCI container's, once create has made it: the cgroups, one per
 * line, for delete to remove, and not removed at our exit; NULL if none
 * is ours to remove */
const char *cgroup_keep(void);
/* delete's: what is left in each of list's cgroups killed, and each
 * removed; list is changed */
void cgroup_delete(char *list);
