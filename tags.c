/* See LICENSE file for copyright and license details. */
/*
 * tags.c: the store's names for images: each image's config by its id,
 * and the tags that name one. A name is written whole or not at all.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "store.h"
#include "tags.h"
#include "sbx.h"

/* an image's record, whole and on disk before it names anything */
static void
write_whole(int dir, const char *name, const char *text, size_t len)
{
	if (put_whole(dir, name, text, len, 1) < 0)
		die("write(%s/%s):", store_path(), name);
}

/* what a write_whole of a killed sbx left in dir: .NAME.PID, its pid
 * gone */
static void
prune_dir(const char *sub)
{
	const char *pid;
	struct dirent *d;
	DIR *dir = store_dir(sub);

	while ((d = readdir(dir)))
		if (d->d_name[0] == '.' && (pid = strrchr(d->d_name, '.')) &&
		    pid > d->d_name && pid[1] && strspn(pid + 1,
		    "0123456789") == strlen(pid + 1) && kill(atoi(pid + 1),
		    0) < 0 && errno == ESRCH && unlinkat(dirfd(dir),
		    d->d_name, 0) < 0 && errno != ENOENT)
			die("unlink(%s/%s/%s):", store_path(), sub, d->d_name);
	if (closedir(dir) < 0)
		die("closedir(%s/%s):", store_path(), sub);
}

void
tags_prune(void)
{
	prune_dir("images");
	prune_dir("tags");
}

int
tags_image_id(const char *name, char id[65])
{
	if (strlen(name) != 69 || strspn(name, "0123456789abcdef") != 64 ||
	    strcmp(name + 64, ".json"))
		return -1;
	fmt(id, 65, "%.64s", name);
	return 0;
}

/* a tag's file: its name with '/' (which no tag's file may hold) as '+'
 * (which no image name may) */
const char *
tags_file(const char *ref, char *buf, size_t n)
{
	size_t i;

	fmt(buf, n, "%s%s", ref, strchr(ref, ':') &&
	    !strchr(strrchr(ref, ':'), '/') ? "" : ":latest");
	for (i = 0; buf[i]; i++)
		buf[i] = buf[i] == '/' ? '+' : buf[i];
	return buf;
}

void
tags_save(const char *id, const char *config, size_t len, const char *ref)
{
	char name[NAME_MAX + 1];
	int dir = store_sub("images");

	fmt(name, sizeof(name), "%s.json", id);
	write_whole(dir, name, config, len);
	if (close(dir) < 0)
		die("close(%s/images):", store_path());
	if (!ref)
		return;
	dir = store_sub("tags");
	write_whole(dir, tags_file(ref, name, sizeof(name)), id, strlen(id));
	if (close(dir) < 0)
		die("close(%s/tags):", store_path());
}

int
tags_valid(const char *ref)
{
	size_t n = strspn(ref, "abcdefghijklmnopqrstuvwxyz0123456789._-/:"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

	/* a name that reads as a source would take its place */
	if (!strncmp(ref, "oci:", 4) || !strncmp(ref, "oci-archive:", 12) ||
	    !strncmp(ref, "docker-archive:", 15))
		return -1;
	return n && n <= 200 && !ref[n] && ref[0] != '.' && ref[0] != '-' &&
	    ref[0] != '/' && ref[0] != ':' && !strstr(ref, "..") ? 0 : -1;
}

/* an id, or the start of one (12 hex digits at least), as images holds */
static int
find_id(const char *ref, char id[65])
{
	size_t n = strspn(ref, "0123456789abcdef");
	struct dirent *d;
	char other[65];
	int found = 0;
	DIR *dir;

	if (strncmp(ref, "sha256:", 7) == 0)
		ref += 7, n = strspn(ref, "0123456789abcdef");
	if (n < 12 || n > 64 || ref[n])
		return -1;
	dir = store_dir("images");
	while ((d = readdir(dir)))
		if (tags_image_id(d->d_name, other) == 0 &&
		    !strncmp(other, ref, n) && found++ == 0)
			fmt(id, 65, "%s", other);
	if (closedir(dir) < 0)
		die("closedir(%s/images):", store_path());
	if (found > 1)
		die("%s: more than one image's id starts so", ref);
	return found ? 0 : -1;
}

int
tags_id(const char *file, char id[65])
{
	char path[NAME_MAX + 8], *buf;
	size_t len;

	fmt(path, sizeof(path), "tags/%s", file);
	if (!(buf = slurp(store_open(), path, 64, &len)))
		return -1;
	if (len != 64 || strspn(buf, "0123456789abcdef") != 64)
		die("%s/%s: not an image id", store_path(), path);
	fmt(id, 65, "%s", buf);
	free(buf);
	return 0;
}

int
tags_find(const char *ref, char id[65])
{
	char name[NAME_MAX + 1];

	if (tags_valid(ref) < 0)
		return -1;
	if (tags_id(tags_file(ref, name, sizeof(name)), id) == 0)
		return 0;
	return find_id(ref, id);
}
