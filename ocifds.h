/* See LICENSE file for copyright and license details. */
/* an OCI container's descriptors: see ocifds.c */
#include <sys/types.h>

struct oci;
struct plan;

/* its stdio: the engine's console socket for its terminal, or what we
 * were given, never a terminal of ours */
void oci_stdio(struct plan *p, const struct oci *o);
/* --pid-file: pid into path (NULL: none) */
void oci_pidfile(const char *path, pid_t pid);
/* --preserve-fds n: 3 to 3+n-1 checked open, close-on-exec until the
 * process's exec */
void oci_keep_fds(int n);
