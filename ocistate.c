/* See LICENSE file for copyright and license details. */
/*
 * ocistate.c: the OCI runtime's state: a private directory (--root), in
 * it one directory per container with its state.json, written whole, and
 * the fifo that start writes to; and the verbs that read it: start,
 * state, kill, delete, list. A container is believed only as far as
 * /proc confirms its pid and start time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "fmt.h"
#include "hooks.h"
#include "hookrun.h"
#include "json.h"
#include "oci.h"
#include "plan.h"
#include "ocistate.h"
#include "ocitext.h"
#include "sbx.h"
#include "signames.h"

static int rootfd = -1;
static char rootpath[PATH_MAX];
/* the container being created, removed if create fails */
static char claimed[NAME_MAX + 1];
static int claimfd = -1;
static const struct hooks *claimhooks;
/* the state of the container we create */
static struct fields mine;

/* what a container's state.json holds, read back */
struct state {
	struct json *doc;
	const char *status, *bundle;
	pid_t pid;
	unsigned long long start;
};

static void
open_root(const char *root)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (root)
		fmt(rootpath, sizeof(rootpath), "%s", root);
	else if (!getuid())
		fmt(rootpath, sizeof(rootpath), "/run/sbx-oci");
	else if (xdg && xdg[0] == '/' && stat(xdg, &st) == 0 &&
	    st.st_uid == getuid())
		fmt(rootpath, sizeof(rootpath), "%s/sbx-oci", xdg);
	else
		fmt(rootpath, sizeof(rootpath), "/tmp/sbx-oci-%u",
		    (unsigned)getuid());
	rootfd = open_private(rootpath, "--root");
}

static void
remove_claim(void)
{
	static const char *const files[] = { "exec.fifo", "state.json",
	    "config.json", "cgroups" };
	size_t i;

	if (!claimed[0])
		return;
	for (i = 0; i < LEN(files); i++)
		if (unlinkat(claimfd, files[i], 0) < 0 && errno != ENOENT)
			warn("unlink(%s/%s/%s):", rootpath, claimed, files[i]);
	if (unlinkat(rootfd, claimed, AT_REMOVEDIR) < 0 && errno != ENOENT)
		warn("rmdir(%s/%s):", rootpath, claimed);
	/* once made, a container that is gone has its poststop hooks, also
	 * when create failed: runtime-spec's lifecycle goes on at delete;
	 * made is a pid not ours, which the claim publishes till the child */
	if (mine.pid && mine.pid != getpid())
		hooks_run(claimhooks, HOOK_POSTSTOP, ocistate_text("stopped"));
	claimed[0] = '\0';
}

/* the container's directory open, locked: one verb at a time on it */
static int
open_container(const char *root, const char *id)
{
	int fd;

	enter("state");
	open_root(root);
	if ((fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			die("%s: no such container", id);
		die("open(%s/%s):", rootpath, id);
	}
	if (flock(fd, LOCK_EX) < 0)
		die("flock(%s/%s):", rootpath, id);
	return fd;
}

/* state.json whole or not at all: a reader never sees a part */
static void
write_state(int dir, const char *text, size_t len)
{
	if (put_whole(dir, "state.json", text, len, 0) < 0)
		die("write(%s/.../state.json):", rootpath);
}

/* f's text alone, for the file or a hook's stdin; kept until the next */
static const struct text *
composed(const struct fields *f)
{
	static struct text t;

	t.len = 0;
	text_state(&t, f);
	return &t;
}

/* when pid started, from /proc; 0 if it is gone, or a zombie: a
 * container's process is reaped by whoever it was left to, maybe never */
static unsigned long long
start_of(pid_t pid)
{
	char path[32], buf[1024], *p;
	ssize_t n;
	int fd;

	fmt(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (close(fd) < 0)
		die("close(%s):", path);
	buf[n > 0 ? n : 0] = '\0';
	/* after the name, which may hold spaces and parentheses: the
	 * state, then the start time as the 20th field after it */
	if (n <= 0 || !(p = strrchr(buf, ')')) || p[1] != ' ' || p[2] == 'Z' ||
	    p[2] == 'X')
		return 0;
	for (n = 0; p && n < 20; n++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

void
ocistate_publish(pid_t pid, const char *status)
{
	const struct text *t;
	const char *list;

	enter("state");
	mine.pid = pid;
	mine.start = start_of(pid);
	mine.status = status;
	t = composed(&mine);
	write_state(claimfd, t->buf, t->len);
	/* created: it outlives us, in its cgroup; run's state goes with it */
	if (!strcmp(status, "created")) {
		if ((list = cgroup_keep()) && put_whole(claimfd, "cgroups", list,
		    strlen(list), 0) < 0)
			die("write(%s/%s/cgroups):", rootpath, claimed);
		claimed[0] = '\0';
	}
}

const char *
ocistate_text(const char *status)
{
	struct fields f = mine;
	const struct text *t;

	f.status = status;
	f.start = 0;
	t = composed(&f);
	return t->buf;
}

const char *
ocistate_claim(const char *root, const char *id, char *fifo, size_t n,
    const struct plan *p)
{
	static char created[40];
	time_t now = time(NULL);
	struct tm tm;

	enter("state");
	if (!id)
		die("no container id");
	open_root(root);
	if (mkdirat(rootfd, id, 0700) < 0) {
		if (errno == EEXIST)
			die("%s: a container of that id exists (sbx oci delete"
			    " %s)", id, id);
		die("mkdir(%s/%s):", rootpath, id);
	}
	fmt(claimed, sizeof(claimed), "%s", id);
	claimhooks = p->hooks;
	atexit(remove_claim);
	if ((claimfd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0 || mkfifoat(claimfd, "exec.fifo", 0600) < 0)
		die("mkfifo(%s/%s/exec.fifo):", rootpath, id);
	if (!gmtime_r(&now, &tm))
		die("gmtime:");
	fmt(created, sizeof(created), "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	mine = (struct fields){ claimed, "creating", p->bundle, p->root,
	    created, 0, 0, p->annotations };
	if (p->hooks && put_whole(claimfd, "config.json", p->config,
	    p->configlen, 0) < 0)
		die("write(%s/%s/config.json):", rootpath, id);
	/* at once, ours: killed from here on, we leave a container that
	 * state shows and delete removes */
	ocistate_publish(getpid(), "creating");
	fmt(fifo, n, "%s/%s/exec.fifo", rootpath, id);
	return fifo;
}

/* dir's state.json into st, with the status /proc gives it */
static void
read_state(int dir, const char *id, struct state *st)
{
	char err[128], *buf;
	const struct json *v;
	long long n = 0;
	unsigned long long start = 0;
	size_t len;

	/* none: a create killed before it wrote one, gone */
	if (!(buf = slurp(dir, "state.json", 1 << 20, &len))) {
		if (errno != ENOENT)
			die("open(%s/%s/state.json):", rootpath, id);
		*st = (struct state){ json_parse("{}", 2, err, sizeof(err)),
		    "stopped", "", 0, 0 };
		return;
	}
	if (!(st->doc = json_parse(buf, len, err, sizeof(err))))
		die("%s/%s/state.json: %s", rootpath, id, err);
	free(buf);
	st->status = json_string(json_get(st->doc, "status"));
	st->bundle = json_string(json_get(st->doc, "bundle"));
	if ((v = json_get(st->doc, "pid")))
		json_int(v, 0, INT_MAX, &n);
	if ((v = json_get(st->doc, "start")))
		json_uint(v, ~0ULL, &start);
	st->pid = n;
	st->start = start;
	if (!st->status || !st->bundle)
		die("%s/%s/state.json: not sbx's", rootpath, id);
	if (!st->pid || !start || start_of(st->pid) != start)
		st->status = "stopped";
}

/* a state read back, as text_state takes it, with the status, pid and
 * start time to say */
static struct fields
fields_of(const struct state *st, const char *id, const char *status,
    pid_t pid, unsigned long long start)
{
	return (struct fields){ id, status, st->bundle,
	    json_string(json_get(st->doc, "rootfs")),
	    json_string(json_get(st->doc, "created")), pid, start,
	    json_get(st->doc, "annotations") };
}

/* the state as the file has it, with another status */
static void
save_state(int dir, const char *id, const struct state *st,
    const char *status)
{
	struct fields f = fields_of(st, id, status, st->pid, st->start);
	const struct text *t = composed(&f);

	write_state(dir, t->buf, t->len);
}

int
ocistate_state(const char *root, const char *id)
{
	static struct text t;
	struct state st;
	int dir = open_container(root, id);
	struct fields f;

	read_state(dir, id, &st);
	f = fields_of(&st, id, st.status, strcmp(st.status, "stopped") ?
	    st.pid : 0, 0);
	text_state(&t, &f);
	text_add(&t, "\n");
	return put_all(1, t.buf, t.len) < 0 ? 125 : 0;
}

/* sig to pid, through a pidfd taken before the start time is checked
 * again: then it is that process, not one that took its pid */
static void
signal_pid(const struct state *st, int sig)
{
	int pfd = syscall(SYS_pidfd_open, st->pid, 0);

	if (pfd < 0 && errno != ENOSYS)
		die("pidfd_open(%d):", (int)st->pid);
	if (start_of(st->pid) != st->start)
		die("%d: gone", (int)st->pid);
	if ((pfd >= 0 ? syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0) :
	    kill(st->pid, sig)) < 0 && errno != ESRCH)
		die("kill(%d):", (int)st->pid);
	if (pfd >= 0 && close(pfd) < 0)
		die("close(pidfd):");
}

/* start returns once the process runs: init has exec'd it, so a signal
 * sent next reaches the process, not the init before it. Known by the
 * fifo's hangup: init's end, the last writer, is close-on-exec; no name
 * in /proc/PID/exe, which the process could take too. 1 once it is
 * closed, by that exec or init's end; with hooks, which may take long,
 * there is no deadline */
static int
await_exec(int back, int hooks)
{
	struct pollfd pfd = { back, 0, 0 };
	int n;

	while ((n = poll(&pfd, 1, hooks ? -1 : 2000)) < 0 && errno == EINTR)
		;
	if (n < 0)
		die("poll(exec.fifo):");
	return n > 0;
}

/* what init left in the fifo: nothing once the process runs; if it
 * ended before, why (a hook's failure), past our own byte if it never
 * read it */
static void
start_failed(int back)
{
	char why[PATH_MAX + 256];
	ssize_t n = read(back, why, sizeof(why) - 1);

	if (n > 0 && why[0] == '\0')
		memmove(why, why + 1, n--);
	if (n <= 0)
		return;
	why[n] = '\0';
	enter("hooks");
	die("%s", why);
}

/* the state as hooks read it, with status */
static const char *
hook_state(const struct state *st, const char *id, const char *status)
{
	struct fields f = fields_of(st, id, status, st->pid, 0);

	return composed(&f)->buf;
}

int
ocistate_start(const char *root, const char *id)
{
	char c = 0;
	struct state st;
	int dir = open_container(root, id), fd, back;
	const struct hooks *h = hooks_load(dir);

	read_state(dir, id, &st);
	if (strcmp(st.status, "created"))
		die("%s: %s, not created: only a created container starts", id,
		    st.status);
	/* the waiting init reads it; no reader means it is gone */
	if ((back = openat(dir, "exec.fifo", O_RDONLY | O_NONBLOCK |
	    O_CLOEXEC)) < 0 || (fd = openat(dir, "exec.fifo", O_WRONLY |
	    O_NONBLOCK | O_CLOEXEC)) < 0 || write(fd, &c, 1) != 1 ||
	    close(fd) < 0)
		die("%s: write(exec.fifo):", id);
	save_state(dir, id, &st, "running");
	if (await_exec(back, hooks_any(h, HOOK_STARTCONTAINER,
	    HOOK_STARTCONTAINER)))
		start_failed(back);
	if (close(back) < 0)
		die("close(exec.fifo):");
	hooks_run(h, HOOK_POSTSTART, hook_state(&st, id, "running"));
	return 0;
}

/* --all: every process in the container's pid namespace */
static void
signal_all(const struct state *st, int sig)
{
	char path[64], ns[64], theirs[64];
	struct dirent *d;
	DIR *proc;
	ssize_t n;

	fmt(path, sizeof(path), "/proc/%d/ns/pid", (int)st->pid);
	if ((n = readlink(path, ns, sizeof(ns) - 1)) < 0)
		die("readlink(%s):", path);
	ns[n] = '\0';
	signal_pid(st, sig);
	if (!(proc = opendir("/proc")))
		die("opendir(/proc):");
	while ((d = readdir(proc))) {
		fmt(path, sizeof(path), "/proc/%s/ns/pid", d->d_name);
		if (atoi(d->d_name) > 0 && atoi(d->d_name) != st->pid &&
		    (n = readlink(path, theirs, sizeof(theirs) - 1)) > 0 &&
		    (theirs[n] = '\0', !strcmp(theirs, ns)) &&
		    kill(atoi(d->d_name), sig) < 0 && errno != ESRCH)
			die("kill(%s):", d->d_name);
	}
	if (closedir(proc) < 0)
		die("closedir(/proc):");
}

int
ocistate_kill(const char *root, const char *id, const char *signame,
    int all)
{
	int sig = signame ? signum(signame) : SIGTERM;
	struct state st;
	int dir;

	if (sig < 0)
		die("%s: no such signal", signame);
	dir = open_container(root, id);
	read_state(dir, id, &st);
	if (!strcmp(st.status, "stopped"))
		die("%s: not running", id);
	if (all)
		signal_all(&st, sig);
	else
		signal_pid(&st, sig);
	return 0;
}

/* what delete removes: the container's files (also a write that a
 * killed sbx left half done), then its directory */
static void
remove_container(int dir, const char *id)
{
	struct dirent *d;
	DIR *list;

	if (!(list = fdopendir(fcntl(dir, F_DUPFD_CLOEXEC, 0))))
		die("opendir(%s/%s):", rootpath, id);
	while ((d = readdir(list)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
		    unlinkat(dir, d->d_name, 0) < 0 && errno != ENOENT)
			die("unlink(%s/%s/%s):", rootpath, id, d->d_name);
	if (closedir(list) < 0)
		die("closedir(%s/%s):", rootpath, id);
	if (unlinkat(rootfd, id, AT_REMOVEDIR) < 0 && errno != ENOENT)
		die("rmdir(%s/%s):", rootpath, id);
}

int
ocistate_delete(const char *root, const char *id, int force)
{
	const struct hooks *h;
	struct timespec end;
	struct state st;
	char *cgroups;
	size_t len;
	int dir;

	dir = open_container(root, id);
	read_state(dir, id, &st);
	if (strcmp(st.status, "stopped") && !force)
		die("%s: %s (sbx oci kill %s, or delete --force)", id, st.status,
		    id);
	if (strcmp(st.status, "stopped")) {
		signal_pid(&st, SIGKILL);
		deadline(&end, 10000);
		while (start_of(st.pid) == st.start && until(&end))
			usleep(10000);
		if (start_of(st.pid) == st.start)
			die("%s: still there 10 s after SIGKILL", id);
	}
	h = hooks_load(dir);
	cgroups = slurp(dir, "cgroups", 1 << 16, &len);
	remove_container(dir, id);
	if (cgroups)
		cgroup_delete(cgroups);
	hooks_run(h, HOOK_POSTSTOP, hook_state(&st, id, "stopped"));
	return close(dir) < 0 ? 125 : 0;
}

/* list: each container with a state, as a table or a JSON array */
int
ocistate_list(const char *root, int json)
{
	static struct text t;
	struct dirent *d;
	struct fields f;
	struct state st;
	char line[PATH_MAX + 128];
	DIR *dir;
	int fd;

	enter("state");
	open_root(root);
	if (!(dir = fdopendir(fcntl(rootfd, F_DUPFD_CLOEXEC, 0))))
		die("opendir(%s):", rootpath);
	text_add(&t, json ? "[" : "ID                 PID     STATUS    BUNDLE\n");
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || (fd = openat(rootfd, d->d_name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		    faccessat(fd, "state.json", F_OK, 0) < 0)
			continue;
		read_state(fd, d->d_name, &st);
		if (json) {
			text_add(&t, t.len > 1 ? "," : "");
			f = fields_of(&st, d->d_name, st.status, st.pid, 0);
			text_state(&t, &f);
		} else {
			fmt(line, sizeof(line), "%-18s %-7d %-9s %s\n", d->d_name,
			    strcmp(st.status, "stopped") ? (int)st.pid : 0,
			    st.status, st.bundle);
			text_add(&t, line);
		}
		json_free(st.doc);
		if (close(fd) < 0)
			die("close(%s):", d->d_name);
	}
	text_add(&t, json ? "]\n" : "");
	if (closedir(dir) < 0)
		die("closedir(%s):", rootpath);
	return put_all(1, t.buf, t.len) < 0 ? 125 : 0;
}
