/* See LICENSE file for copyright and license details. */
/* the child's mounts of paths: see mount.c */
struct plan;


/* the host's side, before anything is set up: the root is a directory;
 * the layers' owners can be mapped (a warning if not), and the binds'
 * sources exist (after idmap_check, which finds the ranges) */
void mount_check_root(const struct plan *p);
void mount_check_sources(const struct plan *p);

/* in the child, in this order: the root bound on itself (over its
 * layers), nosuid and nodev all the way down; returns it open. Then the
 * user's mounts, in order; then the pivot into it, which closes it. */
int setup_root(const struct plan *p);
void setup_mounts(int rootfd, const char *root, const struct plan *p);
/* an OCI bundle's mounts, in its order, in place of the user's */
void setup_bundle_mounts(int rootfd, const char *root, const struct plan *p);
void pivot_into(int rootfd, const char *root);

/*
 * For the other mounts of the child (kernfs.c). root is the label for
 * messages. open_beneath opens path below dirfd, creating missing
 * directories; mount_at mounts there; restrict_mount adds MS_RDONLY,
 * MS_NOSUID, MS_NODEV or MS_NOEXEC to the mount open on fd (and to all
 * below it if recursive).
 */
int open_beneath(int dirfd, const char *root, const char *path);
void mount_at(int rootfd, const char *root, const char *dir, const char *src,
    const char *type, unsigned long flags, const char *data);
void restrict_mount(int fd, const char *what, unsigned long flags,
    int recursive);
