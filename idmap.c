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
#include <unistd.h>

#include "fmt.h"
#include "plan.h"
#include "idmap.h"
#include "sbx.h"

#define MAP_HINT "(hint: a map beyond the caller's own id needs its ranges in" \
    " /etc/subuid and /etc/subgid)"

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
	if (p->mapusers && !p->subuid[1]) {
		find_mapper("newuidmap");
		find_range("/etc/subuid", getuid(), p->subuid);
	}
	if (p->mapgroups && !p->subgid[1]) {
		find_mapper("newgidmap");
		find_range("/etc/subgid", getgid(), p->subgid);
	}
	if (p->mapusers && p->uid != ID_UNSET && p->uid > p->subuid[1])
		die("uid %u: --map-users maps 0 to %lu: the caller and"
		    " its /etc/subuid range", p->uid, p->subuid[1]);
	if (p->mapgroups && p->gid != ID_UNSET && p->gid > p->subgid[1])
		die("gid %u: --map-groups maps 0 to %lu: the caller and"
		    " its /etc/subgid range", p->gid, p->subgid[1]);
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

/* whether map is one line that maps id alone, as we may write it */
static int
own_only(const char *map, unsigned id)
{
	unsigned long in, host, count;
	char *end;

	in = strtoul(map, &end, 10);
	host = strtoul(end, &end, 10);
	count = strtoul(end, &end, 10);
	(void)in;
	return host == id && count == 1 && !strcmp(end, "\n");
}

/* a bundle's own maps ("IN HOST COUNT" lines): written as they are
 * where we may (as root, or of our own id alone), else by newuidmap and
 * newgidmap, which check them against /etc/subuid and /etc/subgid */
static void
map_lines(pid_t pid, const char *uidmap, const char *gidmap)
{
	char path[32];
	int dirfd;

	fmt(path, sizeof(path), "/proc/%d", (int)pid);
	if ((dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(%s):", path);
	if (!getuid() || own_only(uidmap, getuid()))
		proc_write(dirfd, "uid_map", uidmap, pid);
	else
		map_tool("newuidmap", pid, uidmap, MAP_HINT);
	if (!getuid() || own_only(gidmap, getgid())) {
		if (getuid())
			proc_write(dirfd, "setgroups", "deny", pid);
		proc_write(dirfd, "gid_map", gidmap, pid);
	} else {
		map_tool("newgidmap", pid, gidmap, MAP_HINT);
	}
	if (close(dirfd) < 0)
		die("close(%s):", path);
}

/* the files are reached through a directory opened right after clone,
 * so a pid reused meanwhile cannot get our maps */
void
idmap_write(pid_t pid, const struct plan *p)
{
	enter("id map");
	if (p->oci)
		map_lines(pid, p->uidmap, p->gidmap);
	else
		map_ids(pid, p->uid, p->gid, p->mapusers ? p->subuid : NULL,
		    p->mapgroups ? p->subgid : NULL);
}
