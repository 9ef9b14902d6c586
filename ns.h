/* See LICENSE file for copyright and license details. */
/* namespaces: see ns.c */
#include <stddef.h>

struct plan;


/* the host has the namespaces asked for (with -a: adds all it has) */
void ns_check(struct plan *p);
/* clone()'s flags for them, the four included */
long ns_clone_flags(const struct plan *p);
/* in the child, first: the uts namespace's hostname */
void setup_hostname(const struct plan *p);
/* in the child, after the pivot: loopback up, /dev/mqueue, a time
 * namespace for init; and --no-userns's sysctl, before the /proc masks */
void setup_namespaces(const struct plan *p);
void forbid_userns(void);

/* sbx exec: opens the NS_JOINED namespaces of the process whose /proc
 * directory is proc, -1 for each that is already ours (dies if one of
 * user, pid, mount is); then joins the user and pid namespaces (before
 * the fork, so the child is born in them), and the rest (in the child) */
void ns_open(int proc, int *ns);
void join_birth(int *ns);
void join_rest(int *ns);
/* an OCI bundle's, by path: [from, to) of sbx exec's order (user, pid:
 * the parent's, before clone; the others: the child's) */
void ns_join_paths(const char *const *paths, size_t from, size_t to);
/* the parent's copies, once the child has its own */
void ns_close(int *ns);
