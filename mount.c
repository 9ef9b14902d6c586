/* See LICENSE file for copyright and license details. */
/*
 * mount.c: the child's mounts of paths: the root, its layers, the user's
 * binds and tmpfs, the pivot. Every path inside is opened beneath the
 * root, one component at a time: never through a symlink, never "..".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fmt.h"
#include "plan.h"
#include "idmap.h"
#include "mount.h"
#include "sbx.h"

#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif

/* read by the kernel, not by us */
/* cppcheck-suppress unusedStructMember */
struct mountattr { uint64_t set, clr, propagation, userns_fd; };

/*
 * Opens path below dirfd one component at a time, never following a
 * symlink and never leaving dirfd, creating missing directories. A hostile
 * rootfs can put a symlink anywhere; this is how none of them can send a
 * mount or a write to a host path.
 */
int
open_beneath(int dirfd, const char *root, const char *path)
{
	char comp[NAME_MAX + 1];
	const char *p = path, *end;
	int fd = dirfd, next;

	while (*p) {
		for (; *p == '/'; p++)
			;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		if (end - p > NAME_MAX)
			die("%s%s: name too long", root, path);
		memcpy(comp, p, end - p);
		comp[end - p] = '\0';
		if (!strcmp(comp, ".."))
			die("%s%s: '..' not allowed", root, path);
		next = openat(fd, comp, O_PATH | O_NOFOLLOW | O_DIRECTORY |
		    O_CLOEXEC);
		if (next < 0 && errno == ENOENT) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST)
				die("mkdir(%s%s):", root, path);
			next = openat(fd, comp, O_PATH | O_NOFOLLOW |
			    O_DIRECTORY | O_CLOEXEC);
		}
		if (next < 0)
			die("open(%s%s):", root, path);
		if (fd != dirfd && close(fd) < 0)
			die("close(%s%s):", root, path);
		fd = next;
		p = end;
	}
	if (fd == dirfd && (fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0)
		die("dup(%s):", root);
	return fd;
}

/* mounts onto an opened directory, so nothing can swap the path after */
void
mount_at(int rootfd, const char *root, const char *dir, const char *src,
    const char *type, unsigned long flags, const char *data)
{
	char buf[FDPATH_MAX];
	int fd = open_beneath(rootfd, root, dir);

	if (mount(src, fdpath(buf, fd), type, flags, data) < 0)
		die("mount(%s%s):", root, dir);
	if (close(fd) < 0)
		die("close(%s%s):", root, dir);
}

/* the old way, one mount: it must repeat the flags the kernel locked,
 * or it is refused */
static void
remount_with(const char *path, const char *what, unsigned long flags)
{
	struct statvfs sv;

	if (statvfs(path, &sv) < 0)
		die("statvfs(%s):", what);
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags |
	    (sv.f_flag & (ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC |
	    ST_NOATIME | ST_NODIRATIME | ST_RELATIME)), NULL) < 0)
		die("mount(%s, MS_REMOUNT%s%s%s%s):", what, flags & MS_RDONLY ?
		    "|MS_RDONLY" : "", flags & MS_NOSUID ? "|MS_NOSUID" : "",
		    flags & MS_NODEV ? "|MS_NODEV" : "", flags & MS_NOEXEC ?
		    "|MS_NOEXEC" : "");
}

/* mountinfo's escapes (\040 for a space) undone, in place */
static char *
unescape(char *s)
{
	char *r = s, *w = s;

	for (; *r; r++)
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] &&
		    r[3]) {
			*w++ = (r[1] - '0') * 64 + (r[2] - '0') * 8 + r[3] - '0';
			r += 3;
		} else {
			*w++ = *r;
		}
	*w = '\0';
	return s;
}

/* before mount_setattr (Linux 5.12) no flag recurses: each mount below
 * the one open on fd, as mountinfo lists them, in turn */
static void
remount_below(int fd, const char *what, unsigned long flags)
{
	char top[PATH_MAX], buf[FDPATH_MAX], path[PATH_MAX], *info, *at, *mnt;
	size_t n, size;
	int i;
	ssize_t len;

	if ((len = readlink(fdpath(buf, fd), top, sizeof(top) - 1)) < 0)
		die("readlink(%s):", what);
	top[len] = '\0';
	/* "/" as the top: every mount is below it */
	n = strcmp(top, "/") ? strlen(top) : 0;
	if (!(info = slurp(AT_FDCWD, "/proc/self/mountinfo", SLURP_HOST,
	    &size)))
		die("open(/proc/self/mountinfo):");
	/* the fifth field is where it is mounted */
	for (at = info; (mnt = next_line(&at, info + size)); ) {
		for (i = 0; mnt && i < 4; i++)
			mnt = strchr(mnt, ' ') ? strchr(mnt, ' ') + 1 : NULL;
		if (!mnt)
			continue;
		mnt[strcspn(mnt, " ")] = '\0';
		/* reached through fd: a path from our root could end in the
		 * tree that the bind of "/" on itself covers */
		if (!strncmp(unescape(mnt), top, n) && mnt[n] == '/' &&
		    mnt[n + 1] && fmt(path, sizeof(path), "%s%s", buf,
		    mnt + n) < sizeof(path))
			remount_with(path, what, flags);
	}
	free(info);
}

/*
 * Adds MS_RDONLY, MS_NOSUID, MS_NODEV or MS_NOEXEC (the same bits as
 * MOUNT_ATTR_*) to the mount open on fd, and to every mount below it if
 * recursive. Flags are only ever added: the kernel locks those a user
 * namespace inherited, and a bind copies its source's.
 */
void
restrict_mount(int fd, const char *what, unsigned long flags, int recursive)
{
	struct mountattr attr = { flags, 0, 0, 0 };
	char buf[FDPATH_MAX];

	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ?
	    AT_RECURSIVE : 0), &attr, sizeof(attr)) == 0)
		return;
	if (errno != ENOSYS)
		die("mount_setattr(%s):", what);
	remount_with(fdpath(buf, fd), what, flags);
	if (recursive)
		remount_below(fd, what, flags);
}

/* the upper and work directories of a throwaway layer, in a tmpfs that is
 * mounted nowhere, so it goes away with the sandbox */
static void
tmp_layer(char *upper, char *work, size_t n)
{
	int fs, mnt;

	if ((fs = syscall(SYS_fsopen, "tmpfs", 1 /* FSOPEN_CLOEXEC */)) < 0 ||
	    syscall(SYS_fsconfig, fs, 6 /* FSCONFIG_CMD_CREATE */, NULL, NULL,
	    0) < 0 || (mnt = syscall(SYS_fsmount, fs, 1 /* FSMOUNT_CLOEXEC */,
	    0)) < 0)
		die("tmpfs for the layer:");
	if (close(fs) < 0 || mkdirat(mnt, "upper", 0755) < 0 ||
	    mkdirat(mnt, "work", 0755) < 0)
		die("mkdir(upper, work):");
	fmt(upper, n, "/proc/self/fd/%d/upper", mnt);
	fmt(work, n, "/proc/self/fd/%d/work", mnt);
}

/* --overlay-dir DIR: DIR, and DIR.work beside it, made if missing */
static void
kept_layer(const char *dir, char *upper, char *work, size_t n)
{
	fmt(upper, n, "%s", dir);
	fmt(work, n, "%s.work", dir);
	if ((mkdir(upper, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(work, 0700) < 0 && errno != EEXIST))
		die("mkdir(%s):", errno == EEXIST ? work : upper);
}

/* the rootfs, with -l's layers under it, under a writable layer if -o */
static void
setup_overlay(const struct plan *p, const char *root)
{
	char opts[8192], upper[PATH_MAX], work[PATH_MAX], fdp[FDPATH_MAX];
	int i, n, fd[MAXLAYERS];

	enter("overlay");
	n = fmt(opts, sizeof(opts), "userxattr,lowerdir=%s", root);
	/* by descriptor: the kernel takes one page of options, and a long
	 * path per layer would fit few layers in it */
	for (i = 0; i < p->nlowers && n < (int)sizeof(opts); i++) {
		if ((fd[i] = open(p->lowers[i], O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) < 0)
			die("open(%s):", p->lowers[i]);
		n += fmt(opts + n, sizeof(opts) - n, ":%s", fdpath(fdp, fd[i]));
	}
	if (p->overlay) {
		if (p->overlaydir)
			kept_layer(p->overlaydir, upper, work, sizeof(upper));
		else
			tmp_layer(upper, work, sizeof(upper));
		n += fmt(opts + n, sizeof(opts) - n,
		    ",upperdir=%s,workdir=%s", upper, work);
	}
	if (n >= (int)sizeof(opts))
		die("the layers' paths are too long");
	if (mount("overlay", root, "overlay", 0, opts) < 0)
		die("mount(overlay on %s):", root);
	while (i-- > 0)
		if (close(fd[i]) < 0)
			die("close(%s):", p->lowers[i]);
}

int
setup_root(const struct plan *p)
{
	const char *root = p->root;
	struct stat st, slash;
	int fd;

	enter("root");
	/* / stays out of reach of the host's mounts and ours out of its */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("mount(/, MS_PRIVATE):");
	if (stat(root, &st) < 0 || stat("/", &slash) < 0)
		die("stat(%s):", root);
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("mount(%s, MS_BIND):", root);
	if (p->overlay || p->nlowers)
		setup_overlay(p, root);
	/* opened after the bind, so it is the bind mount's root; a walk to
	 * our own root stops below mounts on it, but "/.." climbs onto them */
	if (same_inode(&st, &slash))
		root = "/..";
	if ((fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(%s):", root);
	/* before our own mounts, which keep their modes: a device node on
	 * the rootfs would give raw access to a host disk, and -R covers
	 * every submount (the host's /tmp and /home under the default root) */
	/* -R over a writable layer (an image's): the layer takes the mount
	 * points the kernel's file systems need, before it is read-only */
	if (p->overlay && p->readonly && ((mkdirat(fd, "proc", 0755) < 0 &&
	    errno != EEXIST) || (mkdirat(fd, "dev", 0755) < 0 && errno !=
	    EEXIST) || (mkdirat(fd, "sys", 0755) < 0 && errno != EEXIST)))
		die("mkdir(%s/proc, dev, sys):", p->root);
	/* a bundle's root is as it asks, made read-only once its mounts
	 * are made */
	if (!p->oci)
		restrict_mount(fd, p->root, MS_NOSUID | MS_NODEV |
		    (p->readonly ? MS_RDONLY : 0), 1);
	return fd;
}

/* the place for a bound file: created empty if missing, never a link */
static int
open_file_beneath(int rootfd, const char *root, const char *path)
{
	char dir[PATH_MAX];
	const char *base = strrchr(path, '/') + 1;
	struct stat st;
	int dirfd, fd;

	fmt(dir, sizeof(dir), "%.*s", (int)(base - path), path);
	dirfd = open_beneath(rootfd, root, dir);
	fd = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if ((fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0644)) < 0 || close(fd) < 0)
			die("create(%s%s):", root, path);
		fd = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0 || fstat(fd, &st) < 0)
		die("open(%s%s):", root, path);
	if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
		die("%s%s: a %s where a file must be", root, path,
		    S_ISLNK(st.st_mode) ? "symlink" : "directory");
	if (close(dirfd) < 0)
		die("close(%s%s):", root, dir);
	return fd;
}

static void
bind_mount(int rootfd, const char *root, const struct op *m)
{
	char src[FDPATH_MAX], dst[FDPATH_MAX];
	struct stat st;
	int sfd, dfd;

	if ((sfd = open(m->src, O_PATH | O_CLOEXEC)) < 0 || fstat(sfd, &st))
		die("open(%s):", m->src);
	dfd = S_ISDIR(st.st_mode) ? open_beneath(rootfd, root, m->dst) :
	    open_file_beneath(rootfd, root, m->dst);
	if (mount(fdpath(src, sfd), fdpath(dst, dfd), NULL, MS_BIND | MS_REC,
	    NULL) < 0)
		die("mount(%s on %s%s):", m->src, root, m->dst);
	if (close(dfd) < 0 || close(sfd) < 0)
		die("close(%s):", m->src);
	/* opened again: the bind is on top of what dfd was. A device node
	 * or a setuid file in a bound directory works only with --dev-bind,
	 * and then no setuid file either (bubblewrap's rule) */
	dfd = S_ISDIR(st.st_mode) ? open_beneath(rootfd, root, m->dst) :
	    open_file_beneath(rootfd, root, m->dst);
	restrict_mount(dfd, m->dst, MS_NOSUID | (m->kind == MOUNT_DEVBIND ? 0 :
	    MS_NODEV) | (m->kind == MOUNT_ROBIND ? MS_RDONLY : 0), 1);
	if (close(dfd) < 0)
		die("close(%s%s):", root, m->dst);
}

/* -b, -B and -t, in the order given, after /proc /dev and /sys so they
 * may cover parts of them */
void
setup_mounts(int rootfd, const char *root, const struct plan *p)
{
	int i;

	for (i = 0; i < p->nmounts; i++) {
		if (p->mounts[i].kind == MOUNT_TMPFS) {
			enter("tmpfs");
			mount_at(rootfd, root, p->mounts[i].dst, "tmpfs",
			    "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
		} else {
			enter("bind");
			bind_mount(rootfd, root, &p->mounts[i]);
		}
	}
}

/* the mount at dst, as it is now: a directory, or a bound file */
static int
open_target(int rootfd, const char *root, const char *dst, int file)
{
	return file ? open_file_beneath(rootfd, root, dst) :
	    open_beneath(rootfd, root, dst);
}

/* a kernel file system the bundle asks for; in a user namespace that
 * may not mount it (sysfs without a network namespace, cgroup), the
 * host's, bound read-only instead, as runc does rootless */
static void
mount_fs(int rootfd, const char *root, const struct mnt *m)
{
	char buf[FDPATH_MAX];
	const char *host = !strcmp(m->type, "sysfs") ? "/sys" :
	    !strncmp(m->type, "cgroup", 6) ? "/sys/fs/cgroup" : NULL;
	int fd = open_beneath(rootfd, root, m->dst), err;

	if (mount(m->src, fdpath(buf, fd), !strcmp(m->type, "cgroup") ?
	    "cgroup2" : m->type, m->flags, m->data) == 0)
		goto done;
	err = errno;
	if (!host || (err != EPERM && err != EBUSY && err != EINVAL)) {
		errno = err;
		die("mount(%s on %s%s):", m->type, root, m->dst);
	}
	if (mount(host, fdpath(buf, fd), NULL, MS_BIND | MS_REC, NULL) < 0)
		die("mount(%s on %s%s, MS_BIND):", host, root, m->dst);
	if (close(fd) < 0)
		die("close(%s%s):", root, m->dst);
	fd = open_beneath(rootfd, root, m->dst);
	restrict_mount(fd, m->dst, MS_RDONLY | MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, 1);
done:
	if (close(fd) < 0)
		die("close(%s%s):", root, m->dst);
}

/* a bind the bundle asks for: its flags need a second step */
static void
mount_bind(int rootfd, const char *root, const struct mnt *m)
{
	char buf[FDPATH_MAX];
	struct stat st;
	int fd, file;

	if (stat(m->src, &st) < 0)
		die("stat(%s):", m->src);
	file = !S_ISDIR(st.st_mode);
	fd = open_target(rootfd, root, m->dst, file);
	if (mount(m->src, fdpath(buf, fd), NULL, MS_BIND | (m->flags &
	    MS_REC), NULL) < 0)
		die("mount(%s on %s%s, MS_BIND):", m->src, root, m->dst);
	if (close(fd) < 0)
		die("close(%s%s):", root, m->dst);
	if (!(m->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)))
		return;
	fd = open_target(rootfd, root, m->dst, file);
	restrict_mount(fd, m->dst, m->flags & (MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC), (m->flags & MS_REC) != 0);
	if (close(fd) < 0)
		die("close(%s%s):", root, m->dst);
}

void
setup_bundle_mounts(int rootfd, const char *root, const struct plan *p)
{
	const struct mnt *m;
	char buf[FDPATH_MAX];
	int i, fd;

	for (i = 0; i < p->nocimounts; i++) {
		m = &p->ocimounts[i];
		enter(m->type ? m->type : "bind");
		if (m->type)
			mount_fs(rootfd, root, m);
		else
			mount_bind(rootfd, root, m);
		if (!m->prop)
			continue;
		fd = open_beneath(rootfd, root, m->dst);
		if (mount(NULL, fdpath(buf, fd), NULL, m->prop, NULL) < 0 ||
		    close(fd) < 0)
			die("mount(%s%s, propagation):", root, m->dst);
	}
}

/* pivot_root(".", ".") stacks the old root on the new one, then the
 * detach drops it: no path to the host's tree is left (never chroot) */
void
pivot_into(int rootfd, const char *root)
{
	enter("pivot");
	if (fchdir(rootfd) < 0)
		die("chdir(%s):", root);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root(%s):", root);
	if (umount2(".", MNT_DETACH) < 0)
		die("umount2(old root):");
	if (chdir("/") < 0)
		die("chdir(/):");
	if (close(rootfd) < 0)
		die("close(%s):", root);
}

/*
 * overlayfs copies a file up with its owner and group, which must then
 * be mapped: otherwise every write under it fails inside with EOVERFLOW.
 * The rootfs's top directory and what it holds tell, at no real cost.
 */
static void
check_layer_owners(const struct plan *p)
{
	struct stat st;
	struct dirent *d = NULL;
	DIR *dir;

	enter("overlay");
	if (!(dir = opendir(p->root)) || fstat(dirfd(dir), &st) < 0)
		die("opendir(%s):", p->root);
	while (idmap_maps(p, &st) && (d = readdir(dir)))
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
		    fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			st.st_uid = getuid(), st.st_gid = getgid();
	if (!idmap_maps(p, &st))
		warn("warning: %s%s%s belongs to %u:%u, which the sandbox cannot"
		    " map: writing under it will fail with EOVERFLOW (hint:"
		    " chown -R %u:%u %s, or --map-users and --map-groups)",
		    p->root, d ? "/" : "", d ? d->d_name : "",
		    (unsigned)st.st_uid, (unsigned)st.st_gid,
		    (unsigned)getuid(), (unsigned)getgid(), p->root);
	if (closedir(dir) < 0)
		die("closedir(%s):", p->root);
}

void
mount_check_root(const struct plan *p)
{
	struct stat st;

	enter("rootfs");
	if (stat(p->root, &st) < 0)
		die("stat(%s):", p->root);
	if (!S_ISDIR(st.st_mode))
		die("%s: not a directory", p->root);
}

void
mount_check_sources(const struct plan *p)
{
	struct stat st;
	int i;

	if (p->overlay)
		check_layer_owners(p);
	enter("bind");
	for (i = 0; i < p->nmounts; i++)
		if (p->mounts[i].kind != MOUNT_TMPFS && stat(p->mounts[i].src,
		    &st) < 0)
			die("stat(%s):", p->mounts[i].src);
}
