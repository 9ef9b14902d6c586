/* See LICENSE file for copyright and license details. */
/*
 * kernfs.c: the kernel's file systems inside: /dev (its nodes, links,
 * pts, shm, console, mqueue), /proc and its masks, /sys. Only mounts of
 * our own or of checked host nodes: never a path the rootfs chose.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fmt.h"
#include "kernfs.h"
#include "mount.h"
#include "plan.h"
#include "sbx.h"

#define PROC_MAGIC 0x9fa0

/* host nodes bound into the sandbox's /dev, mknod being denied in a
 * userns; each checked to be the device it should be */
static const struct { const char *name; unsigned major, minor; } devnodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const struct { const char *name, *target; } devlinks[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

/* opened before /dev is covered, and checked: a char device or nothing */
static int
open_hostnode(size_t i)
{
	char path[32];
	struct stat st;
	int fd;

	fmt(path, sizeof(path), "/dev/%s", devnodes[i].name);
	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		die("open(%s):", path);
	if (fstat(fd, &st) < 0)
		die("stat(%s):", path);
	if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != devnodes[i].major ||
	    minor(st.st_rdev) != devnodes[i].minor)
		die("%s: not character device %u:%u on the host", path,
		    devnodes[i].major, devnodes[i].minor);
	return fd;
}

static void
bind_devnode(int devfd, const char *root, const char *name, int hostfd)
{
	char src[FDPATH_MAX], dst[FDPATH_MAX];
	int fd;

	fd = openat(devfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0666);
	if (fd < 0)
		die("open(%s/dev/%s):", root, name);
	if (mount(fdpath(src, hostfd), fdpath(dst, fd), NULL, MS_BIND,
	    NULL) < 0)
		die("mount(/dev/%s on %s/dev/%s):", name, root, name);
	if (close(fd) < 0 || close(hostfd) < 0)
		die("close(%s/dev/%s):", root, name);
}

/* host's node bound on name below dirfd: on what is there (never through
 * a link, never opening a device the rootfs put there), or on a file
 * made of mode; -1 with errno */
static int
bind_node(int dirfd, const char *name, int host, unsigned mode)
{
	char src[FDPATH_MAX], dst[FDPATH_MAX];
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0 || mount(fdpath(src, host), fdpath(dst, fd), NULL, MS_BIND,
	    NULL) < 0)
		return -1;
	return close(fd) < 0 || close(host) < 0 ? -1 : 0;
}

/* a bundle's /dev (its own tmpfs, or the rootfs's): the default nodes,
 * bound from the host's over what may be there, and the links */
void
kernfs_devices(int rootfd, const char *root)
{
	int hostfd[LEN(devnodes)], devfd;
	size_t i;

	enter("devices");
	for (i = 0; i < LEN(devnodes); i++)
		hostfd[i] = open_hostnode(i);
	devfd = open_beneath(rootfd, root, "/dev");
	for (i = 0; i < LEN(devnodes); i++)
		if (bind_node(devfd, devnodes[i].name, hostfd[i], 0666) < 0)
			die("mount(/dev/%s on %s/dev/%s):", devnodes[i].name,
			    root, devnodes[i].name);
	for (i = 0; i < LEN(devlinks); i++)
		if (symlinkat(devlinks[i].target, devfd, devlinks[i].name) < 0 &&
		    errno != EEXIST)
			die("symlink(%s/dev/%s):", root, devlinks[i].name);
	if (close(devfd) < 0)
		die("close(%s/dev):", root);
}

/* a bundle's device as root: made, owned as it says */
static void
make_device(int dirfd, const char *base, const struct dev *d)
{
	if (unlinkat(dirfd, base, 0) < 0 && errno != ENOENT)
		die("unlink(%s):", d->path);
	if (mknodat(dirfd, base, d->mode, makedev(d->major, d->minor)) < 0 ||
	    fchownat(dirfd, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fchmodat(dirfd, base, d->mode & 07777, 0) < 0)
		die("mknod(%s):", d->path);
}

/* the host's node of that type and number: udev's name for it, else the
 * first in /dev; -1 if none */
static int
host_node(const struct dev *d)
{
	char path[48];
	struct dirent *e;
	struct stat st;
	DIR *dev;
	int fd = -1;

	fmt(path, sizeof(path), "/dev/%s/%u:%u", S_ISBLK(d->mode) ? "block" :
	    "char", d->major, d->minor);
	if ((fd = open(path, O_PATH | O_CLOEXEC)) >= 0 || !(dev =
	    opendir("/dev")))
		return fd;
	while (fd < 0 && (e = readdir(dev)))
		if (fstatat(dirfd(dev), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    0 && (st.st_mode & S_IFMT) == (d->mode & S_IFMT) &&
		    st.st_rdev == makedev(d->major, d->minor))
			fd = openat(dirfd(dev), e->d_name, O_PATH | O_NOFOLLOW |
			    O_CLOEXEC);
	if (closedir(dev) < 0)
		die("closedir(/dev):");
	return fd;
}

/* in a user namespace, which may make none: the host's node of that
 * number, bound */
static void
bind_device(int dirfd, const char *base, const struct dev *d)
{
	struct stat st;
	int host;

	if ((host = host_node(d)) < 0 || fstat(host, &st) < 0 ||
	    (st.st_mode & S_IFMT) != (d->mode & S_IFMT) ||
	    major(st.st_rdev) != d->major || minor(st.st_rdev) != d->minor)
		die("%s: no %u:%u on the host, which is what a user namespace"
		    " can bind", d->path, d->major, d->minor);
	if (bind_node(dirfd, base, host, 0600) < 0)
		die("mount(%s, MS_BIND):", d->path);
}

void
kernfs_bundle_devices(int rootfd, const char *root, const struct plan *p)
{
	char dir[PATH_MAX];
	const struct dev *d;
	int i, dirfd;

	enter("devices");
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		fmt(dir, sizeof(dir), "%.*s", (int)(strrchr(d->path, '/') -
		    d->path), d->path);
		dirfd = open_beneath(rootfd, root, dir);
		if (p->nsoff & NS_NOUSER)
			make_device(dirfd, strrchr(d->path, '/') + 1, d);
		else
			bind_device(dirfd, strrchr(d->path, '/') + 1, d);
		if (close(dirfd) < 0)
			die("close(%s%s):", root, dir);
	}
}

void
setup_dev(int rootfd, const char *root)
{
	char dev[PATH_MAX];
	int hostfd[LEN(devnodes)], devfd;
	size_t i;

	enter("dev");
	for (i = 0; i < LEN(devnodes); i++)
		hostfd[i] = open_hostnode(i);
	mount_at(rootfd, root, "/dev", "tmpfs", "tmpfs",
	    MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k");
	/* the fresh tmpfs is ours alone: nothing in it can be a trap */
	devfd = open_beneath(rootfd, root, "/dev");
	for (i = 0; i < LEN(devnodes); i++)
		bind_devnode(devfd, root, devnodes[i].name, hostfd[i]);
	for (i = 0; i < LEN(devlinks); i++)
		if (symlinkat(devlinks[i].target, devfd, devlinks[i].name) < 0)
			die("symlink(%s/dev/%s):", root, devlinks[i].name);
	if (fmt(dev, sizeof(dev), "%s/dev", root) >= sizeof(dev))
		die("%s/dev: path too long", root);
	mount_at(devfd, dev, "/pts", "devpts", "devpts",
	    MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
	mount_at(devfd, dev, "/shm", "tmpfs", "tmpfs",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777");
	if (close(devfd) < 0)
		die("close(%s/dev):", root);
}

/* the console for init's messages: the pty's slave */
void
setup_console(int slave)
{
	char src[FDPATH_MAX], dst[FDPATH_MAX];
	int fd;

	if ((fd = open("/dev/console", O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 || mount(fdpath(src, slave),
	    fdpath(dst, fd), NULL, MS_BIND, NULL) < 0 || close(fd) < 0)
		die("mount(pty on /dev/console):");
}

/* after the pivot: the new IPC namespace's message queues */
void
setup_mqueue(void)
{
	enter("mqueue");
	if (mkdir("/dev/mqueue", 0755) < 0 || mount("mqueue", "/dev/mqueue",
	    "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount(mqueue on /dev/mqueue):");
}

/* a proc that is no procfs would let writes meant for it land elsewhere */
void
setup_proc(int rootfd, const char *root)
{
	struct statfs sf;
	int fd;

	enter("proc");
	mount_at(rootfd, root, "/proc", "proc", "proc",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	fd = open_beneath(rootfd, root, "/proc");
	if (fstatfs(fd, &sf) < 0)
		die("statfs(%s/proc):", root);
	if (sf.f_type != PROC_MAGIC)
		die("%s/proc: not a procfs after mounting it", root);
	if (close(fd) < 0)
		die("close(%s/proc):", root);
}

/* the host's /sys, read-only all the way down (CVE-2023-25809), with its
 * firmware tables out of sight */
void
setup_sys(int rootfd, const char *root, int netns)
{
	char buf[FDPATH_MAX];
	int fd;

	enter("sys");
	/* with a network namespace of its own the sandbox may have a sysfs
	 * of its own, which shows that namespace's devices */
	if (netns)
		mount_at(rootfd, root, "/sys", "sysfs", "sysfs", MS_RDONLY |
		    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	else
		mount_at(rootfd, root, "/sys", "/sys", NULL, MS_BIND | MS_REC,
		    NULL);
	fd = open_beneath(rootfd, root, "/sys");
	restrict_mount(fd, "/sys", MS_RDONLY | MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, 1);
	if (close(fd) < 0)
		die("close(%s/sys):", root);
	fd = openat(rootfd, "sys/firmware", O_PATH | O_NOFOLLOW | O_DIRECTORY |
	    O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return;
	if (fd < 0 || mount("tmpfs", fdpath(buf, fd), "tmpfs", MS_RDONLY |
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0)
		die("mask(%s/sys/firmware):", root);
	if (close(fd) < 0)
		die("close(%s/sys/firmware):", root);
}

/* /proc entries that tell about or act on the host (the runc defaults;
 * CVE-2015-3630): covered by an empty one, or made read-only */
static const char *const procmasked[] = {
	"acpi", "asound", "kcore", "keys", "latency_stats", "timer_list",
	"timer_stats", "sched_debug", "scsi", "interrupts",
};
static const char *const procreadonly[] = {
	"bus", "fs", "irq", "sys", "sysrq-trigger",
};

/* makes dir/name read-only, bound on itself first if bind is set */
static void
readonly_entry(int dirfd, const char *dir, const char *name, int bind)
{
	char buf[FDPATH_MAX];
	int fd;

	if ((fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return;
		die("open(%s/%s):", dir, name);
	}
	if (bind) {
		if (mount(fdpath(buf, fd), fdpath(buf, fd), NULL, MS_BIND |
		    MS_REC, NULL) < 0)
			die("mount(%s/%s, MS_BIND):", dir, name);
		if (close(fd) < 0)
			die("close(%s/%s):", dir, name);
		/* opened again: the bind is on top of what fd was */
		fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			die("open(%s/%s):", dir, name);
	}
	restrict_mount(fd, name, MS_RDONLY, 1);
	if (close(fd) < 0)
		die("close(%s/%s):", dir, name);
}

/* covers dir/name with an empty read-only tmpfs (a directory) or a
 * read-only /dev/null (a file). The first of each is made, the others
 * are binds of it: a bind keeps the read-only flag, and costs less. */
static void
mask_entry(int dirfd, const char *dir, const char *name, int made[2])
{
	char buf[FDPATH_MAX], src[FDPATH_MAX];
	struct stat st;
	int fd, isfile;

	if ((fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return;
		die("open(%s/%s):", dir, name);
	}
	if (fstat(fd, &st) < 0)
		die("stat(%s/%s):", dir, name);
	isfile = S_ISDIR(st.st_mode) ? 0 : 1;
	if (made[isfile] >= 0 ? mount(fdpath(src, made[isfile]), fdpath(buf,
	    fd), NULL, MS_BIND, NULL) : isfile == 0 ? mount("tmpfs",
	    fdpath(buf, fd), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, "size=0") : mount("/dev/null", fdpath(buf, fd), NULL,
	    MS_BIND, NULL))
		die("mount(over %s/%s):", dir, name);
	if (close(fd) < 0)
		die("close(%s/%s):", dir, name);
	if (made[isfile] >= 0)
		return;
	if (isfile)
		readonly_entry(dirfd, dir, name, 0);
	if ((made[isfile] = openat(dirfd, name, O_PATH | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		die("open(%s/%s):", dir, name);
}

/* after the pivot, as the bundle lists them: each path from the root,
 * which is the container's by then; a symlink on the way stays in it */
static void
bundle_masks(const char *const *masked, int nmasked,
    const char *const *rdonly, int nrdonly)
{
	int i, fd, made[2] = { -1, -1 };

	enter("masks");
	if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(/):");
	for (i = 0; i < nmasked; i++)
		mask_entry(fd, "", masked[i] + strspn(masked[i], "/"), made);
	for (i = 0; i < 2; i++)
		if (made[i] >= 0 && close(made[i]) < 0)
			die("close(mask):");
	for (i = 0; i < nrdonly; i++)
		readonly_entry(fd, "", rdonly[i] + strspn(rdonly[i], "/"), 1);
	if (close(fd) < 0)
		die("close(/):");
}

/* after the pivot: /proc is ours by then, nothing in it can be a trap */
void
mask_proc(void)
{
	size_t i;
	int fd, made[2] = { -1, -1 };

	enter("masks");
	if ((fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(/proc):");
	for (i = 0; i < LEN(procmasked); i++)
		mask_entry(fd, "/proc", procmasked[i], made);
	for (i = 0; i < 2; i++)
		if (made[i] >= 0 && close(made[i]) < 0)
			die("close(/proc mask):");
	for (i = 0; i < LEN(procreadonly); i++)
		readonly_entry(fd, "/proc", procreadonly[i], 1);
	if (close(fd) < 0)
		die("close(/proc):");
}

/* a file below /proc, written whole */
static void
write_proc(const char *path, const char *value)
{
	size_t n = strlen(value);
	int fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 ||
	    write(fd, value, n) != (ssize_t)n || close(fd) < 0)
		die("write(%s, %s):", path, value);
}

static void
bundle_sysctl(const struct plan *p)
{
	char path[PATH_MAX], *c;
	int i;

	enter("sysctl");
	for (i = 0; i < p->nsysctl; i++) {
		fmt(path, sizeof(path), "/proc/sys/%s", p->sysctl[i][0]);
		for (c = path + 10; *c; c++)
			*c = *c == '.' ? '/' : *c;
		write_proc(path, p->sysctl[i][1]);
	}
}

void
kernfs_bundle(const struct plan *p)
{
	char num[16];
	int fd;

	enter("root");
	if (p->rootprop && mount(NULL, "/", NULL, p->rootprop, NULL) < 0)
		die("mount(/, rootfsPropagation):");
	if (p->readonly) {
		if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			die("open(/):");
		restrict_mount(fd, "/", MS_RDONLY, 0);
		if (close(fd) < 0)
			die("close(/):");
	}
	bundle_masks(p->masked, p->nmasked, p->rdonly, p->nrdonly);
	bundle_sysctl(p);
	if (p->hasoomscore) {
		enter("oomScoreAdj");
		fmt(num, sizeof(num), "%d", p->oomscore);
		write_proc("/proc/self/oom_score_adj", num);
	}
}
