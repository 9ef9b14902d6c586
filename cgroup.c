/* See LICENSE file for copyright and license details. */
/*
 * cgroup.c: the sandbox's cgroup, for its limits. It is made before the
 * clone, the child is placed in it before it may run, and it is removed
 * once the sandbox has ended; one that an sbx killed before that left
 * is removed by the next. cgroup v2 when /sys/fs/cgroup is one; else
 * v1's hierarchies, one per controller, as root (a hybrid layout).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cglimit.h"
#include "fmt.h"
#include "plan.h"
#include "sbx.h"

#define MNT "/sys/fs/cgroup"
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* whether /sys/fs/cgroup is cgroup v2 alone */
static int
is_v2(void)
{
	struct statfs fs;

	if (statfs(MNT, &fs) < 0)
		die("statfs(" MNT "):");
	return fs.f_type == CGROUP2_SUPER_MAGIC;
}

static const char *const v2names[C_N] = { "memory", "pids", "cpu", "io" };
static const char *const v1names[C_N] = { "memory", "pids", "cpu", "blkio" };

static struct {
	pid_t owner;            /* the sbx whose they are */
	pid_t waiter;           /* -d: the sbx waiting in home for us */
	int v2, made;           /* made: ours to remove, not --cgroup's */
	char dir[C_N][PATH_MAX]; /* the sandbox's, per hierarchy; v2: [0] */
	char home[PATH_MAX];    /* v2: the cgroup we came from */
	char self[PATH_MAX];    /* v2: the leaf we moved into, or "" */
	char enabled[64];       /* v2: what we enabled in home's children */
	const char *memtext;
} cg;

static int
wanted(const struct limits *l, int c)
{
	switch (c) {
	case C_MEMORY: return l->memory || l->memhigh || l->memlow ||
	    l->memswap;
	case C_PIDS: return l->pids != 0;
	case C_CPU: return l->cpuquota || l->cpuweight || l->cpushares;
	default: return l->ioweight != 0;
	}
}

/* whether name is in the list, of words apart by commas, spaces or
 * lines ("cpuset" holds no "cpu") */
static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *at;

	for (at = list; (at = strstr(at, name)); at += n)
		if ((at == list || strchr(", \n", at[-1])) && strchr(", \n",
		    at[n]))
			return 1;
	return 0;
}

/* dir's file (AT_FDCWD: a path) into buf, ended; its length, or -1 */
static ssize_t
read_text(int dir, const char *file, char *buf, size_t n)
{
	int fd = openat(dir, file, O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, n - 1);
	if (close(fd) < 0 || len < 0)
		return -1;
	buf[len] = '\0';
	return len;
}

/* the directory under MNT of hierarchy c (NULL: v2's) in text, a
 * /proc/PID/cgroup; -1 if it has none */
static int
hierarchy_dir(const char *text, const char *c, char *dir, size_t n)
{
	const char *line, *ctrls, *path, *end;
	char list[256];

	for (line = text; *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		if (!(ctrls = memchr(line, ':', end - line)) ||
		    !(path = memchr(ctrls + 1, ':', end - ctrls - 1)))
			continue;
		ctrls++;
		fmt(list, sizeof(list), "%.*s", (int)(path - ctrls), ctrls);
		if ((c ? !in_list(list, c) : path != ctrls) ||
		    memmem(path, end - path, "/..", 3))
			continue;
		path++;
		fmt(dir, n, "%s%s%s%.*s", MNT, c ? "/" : "", c ? c : "",
		    end - path == 1 ? 0 : (int)(end - path), path);
		return 0;
	}
	return -1;
}

/* our cgroup in the hierarchy of controller c (NULL: v2's) */
static void
own_dir(const char *c, char *dir, size_t n)
{
	char buf[4096];

	if (read_text(AT_FDCWD, "/proc/self/cgroup", buf, sizeof(buf)) < 0)
		die("read(/proc/self/cgroup):");
	if (hierarchy_dir(buf, c, dir, n) < 0)
		die("/proc/self/cgroup: no %s hierarchy", c ? c : "cgroup2");
}

/* an sbx-PID or sbx-PID.self that an sbx now gone left in dir */
static void
remove_stale(const char *dir)
{
	char path[PATH_MAX], *end;
	struct dirent *d;
	DIR *ds;
	long pid;

	if (!(ds = opendir(dir)))
		return;
	while ((d = readdir(ds))) {
		if (strncmp(d->d_name, "sbx-", 4))
			continue;
		pid = strtol(d->d_name + 4, &end, 10);
		if (pid <= 0 || (*end && strcmp(end, ".self")) ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		fmt(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (rmdir(path) < 0 && errno != EBUSY && errno != ENOENT)
			warn("rmdir(%s):", path);
	}
	closedir(ds);
}

/* mkdir -p of dir, below mnt */
static void
make_path(char *dir, size_t from)
{
	char *at;

	for (at = dir + from; (at = strchr(at + 1, '/')); ) {
		*at = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			die("mkdir(%s):", dir);
		*at = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		die("mkdir(%s):", dir);
}

/* the sandbox's: sbx-PID in parent, or an OCI bundle's cgroupsPath,
 * below mnt when it is absolute, else below parent */
static void
make_dir(char *dir, size_t n, const char *mnt, const char *parent,
    const char *path)
{
	cg.made = 1;
	if (path) {
		fmt(dir, n, "%s%s%s", path[0] == '/' ? mnt : parent,
		    path[0] == '/' ? "" : "/", path);
		make_path(dir, strlen(path[0] == '/' ? mnt : parent));
		return;
	}
	remove_stale(parent);
	fmt(dir, n, "%s/sbx-%d", parent, (int)cg.owner);
	if (mkdir(dir, 0755) < 0)
		die("mkdir(%s):", dir);
}

/* -d's caller, waiting in home until the sandbox runs, goes where we
 * go: left behind, it would keep home busy. Only while it is our
 * parent, so never a pid that has been reused */
static int
move_waiter(const char *dir)
{
	char num[16];

	if (!cg.waiter || getppid() != cg.waiter)
		return 0;
	fmt(num, sizeof(num), "%d", (int)cg.waiter);
	if (cg_try_put(dir, "cgroup.procs", num) < 0 && errno != ESRCH)
		return -1;
	return 0;
}

/* "+memory +pids"...: the controllers l wants that have (NULL: none)
 * lacks; "" if none */
static void
controllers(const struct limits *l, const char *have, char *list,
    size_t n)
{
	int c;

	*list = '\0';
	for (c = 0; c < C_N; c++)
		if (wanted(l, c) && !(have && in_list(have, v2names[c])))
			fmt(list + strlen(list), n - strlen(list), "%s+%s",
			    *list ? " " : "", v2names[c]);
}

/*
 * v2's rule: a cgroup whose children have controllers holds no process,
 * so we leave ours for a leaf of its own, unless it is the root; and
 * enable there what the limits need and our cgroup lacks
 */
static void
enable(const struct limits *l)
{
	char list[64], have[256], path[PATH_MAX], *want;

	fmt(path, sizeof(path), "%s/cgroup.subtree_control", cg.home);
	if (read_text(AT_FDCWD, path, have, sizeof(have)) < 0)
		die("read(%s):", path);
	controllers(l, have, list, sizeof(list));
	if (!*list)
		return;
	if (strcmp(cg.home, MNT)) {
		fmt(cg.self, sizeof(cg.self), "%s/sbx-%d.self", cg.home,
		    (int)cg.owner);
		if (mkdir(cg.self, 0755) < 0)
			die("mkdir(%s):", cg.self);
		cg_put(cg.self, "cgroup.procs", "0", 1);
		if (move_waiter(cg.self) < 0)
			die("write(%s/cgroup.procs, %d):", cg.self,
			    (int)cg.waiter);
	}
	fmt(cg.enabled, sizeof(cg.enabled), "%s", list);
	for (want = cg.enabled; (want = strchr(want, '+')); )
		*want = '-';
	cg_put(cg.home, "cgroup.subtree_control", list, 1);
}

/* an absolute cgroupsPath's: what the limits need, enabled from the
 * root down to dir's parent */
static void
enable_down(const struct limits *l, char *dir)
{
	char list[64], *at;

	controllers(l, NULL, list, sizeof(list));
	if (!*list)
		return;
	cg_put(MNT, "cgroup.subtree_control", list, 1);
	for (at = dir + sizeof(MNT); (at = strchr(at, '/')); *at++ = '/') {
		*at = '\0';
		cg_put(dir, "cgroup.subtree_control", list, 1);
	}
}

/* that each controller asked for is there for us */
static void
check_v2(const struct limits *l)
{
	char have[256], path[PATH_MAX];
	int c;

	fmt(path, sizeof(path), "%s/cgroup.controllers", cg.home);
	if (read_text(AT_FDCWD, path, have, sizeof(have)) < 0)
		die("read(%s):", path);
	for (c = 0; c < C_N; c++)
		if (wanted(l, c) && !in_list(have, v2names[c]))
			die("%s: no %s controller here (hint: the cgroup above"
			    " gives it none: enable it in its"
			    " cgroup.subtree_control, or delegate it)", cg.home,
			    v2names[c]);
}

/* --cgroup's: PATH under a hierarchy's mount, or the whole path */
static void
given_dir(const char *mnt, const char *path, char *dir, size_t n)
{
	if (!strncmp(path, MNT "/", sizeof(MNT)))
		fmt(dir, n, "%s", path);
	else
		fmt(dir, n, "%s%s%s", mnt, path[0] == '/' ? "" : "/", path);
}

static void
prepare_v2(const struct limits *l)
{
	own_dir(NULL, cg.home, sizeof(cg.home));
	if (l->cgroup) {
		given_dir(MNT, l->cgroup, cg.dir[0], sizeof(cg.dir[0]));
		fmt(cg.home, sizeof(cg.home), "%s", cg.dir[0]);
		check_v2(l);
		cglimit_v2(l, cg.dir[0]);
		return;
	}
	check_v2(l);
	if (l->path && l->path[0] == '/') {
		make_dir(cg.dir[0], sizeof(cg.dir[0]), MNT, cg.home, l->path);
		enable_down(l, cg.dir[0]);
	} else {
		enable(l);
		make_dir(cg.dir[0], sizeof(cg.dir[0]), MNT, cg.home, l->path);
	}
	cglimit_v2(l, cg.dir[0]);
}

static void
prepare_v1(const struct limits *l)
{
	char parent[PATH_MAX], mnt[PATH_MAX];
	int c, found = 0;

	enter("cgroup v1");
	for (c = 0; c < C_N; c++) {
		if (!wanted(l, c) && !((l->cgroup || l->path) && c < C_IO))
			continue;
		fmt(mnt, sizeof(mnt), MNT "/%s", v1names[c]);
		if (l->cgroup) {
			given_dir(mnt, l->cgroup, cg.dir[c], sizeof(cg.dir[c]));
			if (access(cg.dir[c], F_OK) == 0)
				found = 1;
			else if (!wanted(l, c))
				cg.dir[c][0] = '\0';
			continue;
		}
		own_dir(v1names[c], parent, sizeof(parent));
		make_dir(cg.dir[c], sizeof(cg.dir[c]), mnt, parent, l->path);
	}
	if (l->cgroup && !found)
		die("--cgroup %s: in none of " MNT "/memory, pids, cpu",
		    l->cgroup);
	cglimit_v1(l, cg.dir);
}

/* for a rootless OCI container, whose resources are ignored with a
 * warning where no cgroup is ours, as runc and crun do */
static int
usable(void)
{
	char path[PATH_MAX];

	if (!cg.v2 && geteuid() != 0) {
		warn("linux.resources: ignored: cgroup v1 takes root");
		return 0;
	}
	if (cg.v2) {
		own_dir(NULL, path, sizeof(path));
		fmt(path + strlen(path), sizeof(path) - strlen(path),
		    "/cgroup.procs");
		if (access(path, W_OK) < 0) {
			warn("linux.resources: ignored: no cgroup is delegated"
			    " to us (%s)", path);
			return 0;
		}
	}
	return 1;
}

void
cgroup_prepare(struct plan *p)
{
	if (!p->limits.any && !p->limits.cgroup && !p->limits.path)
		return;
	enter("cgroup");
	cg.owner = getpid();
	cg.waiter = p->waiter;
	cg.memtext = p->limits.memtext;
	cg.v2 = is_v2();
	if (p->limits.optional && !usable()) {
		cg.owner = 0;
		return;
	}
	atexit(cgroup_remove);
	if (cg.v2)
		prepare_v2(&p->limits);
	else
		prepare_v1(&p->limits);
	/* a cgroup namespace rooted at the sandbox's cgroup: the child's */
	p->limits.latens = (p->ns & NS_CGROUP) != 0;
}

const char *
cgroup_dir(int memory)
{
	const char *d = cg.dir[cg.v2 ? 0 : memory ? C_MEMORY : C_PIDS];

	return cg.owner && *d ? d : NULL;
}

void
cgroup_enter(pid_t pid)
{
	char num[16];
	int c;

	if (!cg.owner)
		return;
	enter("cgroup");
	fmt(num, sizeof(num), "%d", (int)pid);
	for (c = 0; c < C_N; c++)
		if (cg.dir[c][0])
			cg_put(cg.dir[c], "cgroup.procs", num, 1);
}

/* how many the OOM killer took, from the memory controller's counts */
static long
oom_kills(void)
{
	char path[PATH_MAX], buf[4096], *at;

	fmt(path, sizeof(path), "%s/%s", cg.dir[C_MEMORY], cg.v2 ?
	    "memory.events" : "memory.oom_control");
	if (read_text(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return 0;
	return (at = strstr(buf, "oom_kill ")) ? atol(at + 9) : 0;
}

void
cgroup_finish(int status)
{
	if (cg.owner != getpid())
		return;
	enter(NULL);
	if (cg.memtext && status == 128 + SIGKILL && oom_kills() > 0)
		warn("killed: out of memory (limit %s)", cg.memtext);
	cgroup_remove();
}

/* what is left in it, when we end before the sandbox could: its
 * parent death signal comes only after our exit */
static void
kill_left(const char *dir)
{
	char path[PATH_MAX], buf[4096], *at, *end;
	long pid;

	fmt(path, sizeof(path), "%s/cgroup.procs", dir);
	if (read_text(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return;
	for (at = buf; (pid = strtol(at, &end, 10)) > 0; at = end)
		kill(pid, SIGKILL);
}

/* rmdir, while the last of the sandbox's processes exit */
static void
remove_dir(const char *dir, int sandbox)
{
	struct timespec end;

	if (sandbox)
		kill_left(dir);
	deadline(&end, 2000);
	while (rmdir(dir) < 0)
		if (errno == ENOENT || errno != EBUSY || !until(&end)) {
			if (errno != ENOENT)
				warn("rmdir(%s):", dir);
			return;
		} else {
			usleep(5000);
		}
}

void
cgroup_remove(void)
{
	int c;

	if (cg.owner != getpid())
		return;
	cg.owner = 0;
	for (c = 0; cg.made && c < C_N; c++)
		if (cg.dir[c][0])
			remove_dir(cg.dir[c], 1);
	/* back where we came from, if the controllers we enabled can go */
	if (!cg.self[0] || (cg.enabled[0] && cg_try_put(cg.home,
	    "cgroup.subtree_control", cg.enabled) < 0) ||
	    move_waiter(cg.home) < 0 ||
	    cg_try_put(cg.home, "cgroup.procs", "0") < 0)
		return;
	remove_dir(cg.self, 0);
}

void
cgroup_of(int proc)
{
	char text[4096], buf[PATH_MAX];
	const char *name;
	int c;

	enter("cgroup");
	if (read_text(proc, "cgroup", text, sizeof(text)) < 0)
		die("read(/proc/PID/cgroup):");
	cg.v2 = is_v2();
	cg.owner = getpid();
	for (c = 0; c < (cg.v2 ? 1 : C_N); c++) {
		name = cg.v2 ? NULL : v1names[c];
		if (hierarchy_dir(text, name, cg.dir[c], sizeof(cg.dir[c])) < 0 ||
		    (!cg.v2 && access(cg.dir[c], F_OK) < 0)) {
			cg.dir[c][0] = '\0';
			continue;
		}
		/* one that is ours too needs no move, which we may not make */
		own_dir(name, buf, sizeof(buf));
		if (!strcmp(buf, cg.dir[c]))
			cg.dir[c][0] = '\0';
	}
}

const char *
cgroup_keep(void)
{
	static char list[C_N * (PATH_MAX + 1)];
	size_t n = 0;
	int c;

	if (cg.owner != getpid() || !cg.made)
		return NULL;
	for (c = 0; c < C_N; c++)
		if (cg.dir[c][0])
			n += fmt(list + n, sizeof(list) - n, "%s\n", cg.dir[c]);
	cg.owner = 0;
	return list;
}

void
cgroup_delete(char *list)
{
	char *line, *save = NULL;

	for (line = strtok_r(list, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, MNT "/", sizeof(MNT)))
			remove_dir(line, 1);
}
