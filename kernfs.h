/* See LICENSE file for copyright and license details. */
/* the kernel's file systems inside: see kernfs.c */

/* before the pivot, under the root open on rootfd (root: its label) */
void setup_proc(int rootfd, const char *root);
void setup_dev(int rootfd, const char *root);
void setup_sys(int rootfd, const char *root, int netns);

struct plan;

/* an OCI bundle's: its /dev's default nodes and links, before the
 * pivot; after it, the root's propagation and read-only flag, the
 * maskedPaths and readonlyPaths, the sysctls and oomScoreAdj */
void kernfs_devices(int rootfd, const char *root);
void kernfs_bundle_devices(int rootfd, const char *root, const struct plan *p);
void kernfs_bundle(const struct plan *p);

/* after the pivot: the /proc masks; /dev/mqueue for a new IPC
 * namespace; /dev/console, bound to the pty's slave */
void mask_proc(void);
void setup_mqueue(void);
void setup_console(int slave);
