/* See LICENSE file for copyright and license details. */
/*
 * idmap.c: the sandbox's uid and gid maps: the caller alone, or with its
 * subordinate range through newuidmap and newgidmap. The parent's only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fmt.h"
#include "plan.h"
#include "idmap.h"
#include "sbx.h"

/* our user's name, from /etc/passwd, or "" */
static void
user_name(char *name, size_t n)
{
	char *buf, *at, *line, *f, *end;
	size_t len;

	name[0] = '\0';
	if (!(buf = slurp(AT_FDCWD, "/etc/passwd", SLURP_HOST, &len)))
		return;
	for (at = buf; (line = next_line(&at, buf + len)); )
		if ((f = strchr(line, ':')) && (f = strchr(f + 1, ':')) &&
		    strtoul(f + 1, &end, 10) == getuid() && *end == ':') {
			fmt(name, n, "%.*s", (int)strcspn(line, ":"), line);
			break;
		}
	free(buf);
}

int
idmap_range(const char *line, const char *num, const char *name,
    unsigned long range[2])
{
	size_t len = strcspn(line, ":");
	const char *p = line + len;
	char *end;
	int i;

	if (!((len == strlen(num) && !strncmp(line, num, len)) ||
	    (*name && len == strlen(name) && !strncmp(line, name, len))))
		return 0;
	for (i = 0; i < 2; i++, p = end) {
		if (*p++ != ':' || *p < '0' || *p > '9')
			return 0;
		errno = 0;
		range[i] = strtoul(p, &end, 10);
		if (errno || range[i] > 0xffffffffUL)
			return 0;
	}
	return (!*p || *p == '\n') && range[1] > 0 &&
	    range[0] + range[1] <= 0x100000000UL;
}

/* the first range in /etc/subuid (or subgid) for our name or id */
static void
find_range(const char *file, unsigned id, unsigned long range[2])
{
	char name[256], num[16], *buf, *at, *line;
	size_t len;

	user_name(name, sizeof(name));
	fmt(num, sizeof(num), "%u", id);
	if (!(buf = slurp(AT_FDCWD, file, SLURP_HOST, &len)))
		die("open(%s):", file);
	for (at = buf; (line = next_line(&at, buf + len)); )
		if (idmap_range(line, num, name, range)) {
			free(buf);
			return;
		}
	die("%s: no range for %s (id %u)", file, *name ? name : "this user",
	    id);
}

static int
executable(const char *path)
{
	return access(path, X_OK) < 0 ? errno : 0;
}

/* newuidmap or newgidmap, found through PATH as execlp will */
static void
find_mapper(const char *tool)
{
	const char *dirs = getenv("PATH");

	if (path_walk(dirs ? dirs : DEFPATH, tool, executable))
		die("%s not found (hint: apt-get install uidmap)", tool);
}

void
idmap_check(struct plan *p)
{
	enter("id map");
	if (p->mapusers) {
		find_mapper("newuidmap");
		find_range("/etc/subuid", getuid(), p->subuid);
	}
	if (p->mapgroups) {
		find_mapper("newgidmap");
		find_range("/etc/subgid", getgid(), p->subgid);
	}
}

/* a host id the sandbox's user namespace maps */
static int
mapped(unsigned id, unsigned caller, int ranged, const unsigned long r[2])
{
	return id == caller || (ranged && id >= r[0] && id - r[0] < r[1]);
}

int
idmap_maps(const struct plan *p, const struct stat *st)
{
	return mapped(st->st_uid, getuid(), p->mapusers, p->subuid) &&
	    mapped(st->st_gid, getgid(), p->mapgroups, p->subgid);
}

static void
write_file(int dirfd, const char *name, const char *text, pid_t pid)
{
	int fd;
	ssize_t n = strlen(text);

	if ((fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC)) < 0)
		die("open(/proc/%d/%s):", (int)pid, name);
	if (write(fd, text, n) != n)
		die("write(/proc/%d/%s, \"%s\"):", (int)pid, name, text);
	if (close(fd) < 0)
		die("close(/proc/%d/%s):", (int)pid, name);
}

/* newuidmap PID 0 ID 1 1 FIRST COUNT: the caller, and its range */
static void
run_mapper(const char *tool, pid_t pid, unsigned inside, unsigned id,
    const unsigned long range[2])
{
	char a[6][24];
	pid_t m;
	int st;

	fmt(a[0], 24, "%d", (int)pid);
	fmt(a[1], 24, "%u", inside);
	fmt(a[2], 24, "%u", id);
	fmt(a[3], 24, "1");
	fmt(a[4], 24, "%lu", range[0]);
	fmt(a[5], 24, "%lu", range[1]);
	if ((m = fork()) < 0)
		die("fork:");
	if (m == 0) {
		execlp(tool, tool, a[0], a[1], a[2], "1", a[3], a[4], a[5],
		    (char *)NULL);
		_exit(127);
	}
	if (waitpid(m, &st, 0) < 0)
		die("waitpid(%s):", tool);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("%s %s %s %s 1 %s %s %s: failed", tool, a[0], a[1], a[2],
		    a[3], a[4], a[5]);
}

/* the files are reached through a directory opened right after clone,
 * so a pid reused meanwhile cannot get our maps; setgroups is denied
 * before an unprivileged gid_map (CVE-2014-8989) */
void
idmap_write(pid_t pid, const struct plan *p)
{
	char path[32], map[64];
	int dirfd;

	enter("id map");
	fmt(path, sizeof(path), "/proc/%d", (int)pid);
	if ((dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(%s):", path);
	fmt(map, sizeof(map), "%u %u 1", p->uid, (unsigned)getuid());
	if (p->mapusers)
		run_mapper("newuidmap", pid, p->uid, getuid(), p->subuid);
	else
		write_file(dirfd, "uid_map", map, pid);
	fmt(map, sizeof(map), "%u %u 1", p->gid, (unsigned)getgid());
	/* newgidmap applies the administrator's setgroups policy itself */
	if (p->mapgroups) {
		run_mapper("newgidmap", pid, p->gid, getgid(), p->subgid);
	} else {
		write_file(dirfd, "setgroups", "deny", pid);
		write_file(dirfd, "gid_map", map, pid);
	}
	if (close(dirfd) < 0)
		die("close(%s):", path);
}
