/* See LICENSE file for copyright and license details. */
/*
 * images.c: sbx import, images, rmi and prune, the verbs on the image
 * store; through store.c's records, never by paths the images chose.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "images.h"
#include "import.h"
#include "json.h"
#include "plan.h"
#include "store.h"
#include "tags.h"
#include "sbx.h"

int
images_import(const struct plan *p)
{
	char id[65], line[96];
	size_t n;

	store_ids(p->mapusers ? p->subuid : NULL, p->mapgroups ? p->subgid :
	    NULL);
	import_image(p->argv[0], p->argv[1], id);
	n = fmt(line, sizeof(line), "%.12s\n", id);
	return put_all(1, line, n) < 0 ? 125 : 0;
}

/* the bytes below the directory open on fd, as du counts them */
static unsigned long long
tree_size(int fd)
{
	unsigned long long n = 0;
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int sub;

	if (!(dir = fdopendir(fd)))
		die("opendir:");
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
		    fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		n += st.st_blocks * 512ULL;
		if (S_ISDIR(st.st_mode) && (sub = openat(dirfd(dir), d->d_name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0)
			n += tree_size(sub);
	}
	if (closedir(dir) < 0)
		die("closedir:");
	return n;
}

/* a layer to measure: as unpacked for the caller's ids, else its first
 * variant for other ids; -1 if none */
static int
open_layer(const char *hex)
{
	char name[LAYERNAME_MAX + 8];
	struct dirent *d;
	DIR *dir;
	int fd;

	fmt(name, sizeof(name), "layers/%.64s", hex);
	if ((fd = openat(store_open(), name, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) >= 0 || errno != ENOENT)
		return fd;
	dir = store_dir("layers");
	while ((d = readdir(dir)) && fd < 0)
		if (!strncmp(d->d_name, hex, 64) && d->d_name[64] == '-')
			fd = openat(dirfd(dir), d->d_name, O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (closedir(dir) < 0)
		die("closedir(%s/layers):", store_path());
	return fd;
}

/* the sum of its layers' sizes */
static unsigned long long
image_size(const struct json *config)
{
	const struct json *d = json_get(json_get(config, "rootfs"),
	    "diff_ids");
	unsigned long long n = 0;
	const char *hex;
	int fd;

	for (d = d ? d->child : NULL; d; d = d->next) {
		if (!(hex = store_hex(json_string(d))))
			continue;
		if ((fd = open_layer(hex)) >= 0)
			n += tree_size(fd);
	}
	return n;
}

static void
say(const char *s)
{
	if (put_all(1, s, strlen(s)) < 0)
		die("write(stdout):");
}

/* one line of sbx images: NAME TAG ID SIZE CREATED */
static void
print_image(const char *file, const char *id, int json, int first)
{
	char name[NAME_MAX + 1], line[1024], *tag;
	struct json *config = store_config(id);
	const char *c = json_string(json_get(config, "created"));
	char created[41];
	size_t i;

	/* an RFC 3339 time, and nothing that could break a line of JSON */
	fmt(created, sizeof(created), "%.*s", (int)(c ? strspn(c,
	    "0123456789-:.TZ+") : 0), c ? c : "");

	fmt(name, sizeof(name), "%s", file);
	for (i = 0; name[i]; i++)
		name[i] = name[i] == '+' ? '/' : name[i];
	tag = strrchr(name, ':');
	*tag++ = '\0';
	if (json)
		fmt(line, sizeof(line), "%s{\"name\":\"%s\",\"tag\":\"%s\","
		    "\"id\":\"%s\",\"size\":%llu,\"created\":\"%.40s\"}",
		    first ? "" : ",\n", name, tag, id, image_size(config),
		    created);
	else
		fmt(line, sizeof(line), "%-32s %-12s %.12s %8lluM  %.19s\n",
		    name, tag, id, (image_size(config) + (1 << 19)) >> 20,
		    created);
	say(line);
	json_free(config);
}

/* 1 if a tag names id */
static int
tagged(const char *id)
{
	struct dirent *d;
	char other[65];
	int found = 0;
	DIR *tags = store_dir("tags");

	while (!found && (d = readdir(tags)))
		found = d->d_name[0] != '.' && tags_id(d->d_name, other) ==
		    0 && !strcmp(other, id);
	if (closedir(tags) < 0)
		die("closedir(%s/tags):", store_path());
	return found;
}

/* the images no tag names (-i of a path names none), as <none> */
static void
list_untagged(int json, int first)
{
	struct dirent *d;
	char id[65];
	DIR *images = store_dir("images");

	while ((d = readdir(images)))
		if (tags_image_id(d->d_name, id) == 0 && !tagged(id)) {
			print_image("<none>:<none>", id, json, first);
			first = 0;
		}
	if (closedir(images) < 0)
		die("closedir(%s/images):", store_path());
}

int
images_list(int json)
{
	struct dirent *d;
	char id[65];
	int first = 1;
	DIR *tags;

	enter("images");
	tags = store_dir("tags");

	say(json ? "[" : "NAME                             TAG          ID"
	    "               SIZE  CREATED\n");
	while ((d = readdir(tags)))
		if (d->d_name[0] != '.' && strchr(d->d_name, ':') &&
		    tags_id(d->d_name, id) == 0) {
			print_image(d->d_name, id, json, first);
			first = 0;
		}
	if (closedir(tags) < 0)
		die("closedir(%s/tags):", store_path());
	list_untagged(json, first);
	say(json ? "]\n" : "");
	return 0;
}

/* the tags that name id, removed; with name, only that one */
static int
untag(const char *id, const char *name)
{
	struct dirent *d;
	char other[65];
	int left = 0;
	DIR *tags = store_dir("tags");

	while ((d = readdir(tags))) {
		if (d->d_name[0] == '.' || tags_id(d->d_name, other) < 0 ||
		    strcmp(other, id))
			continue;
		if (!name || !strcmp(d->d_name, name)) {
			if (unlinkat(dirfd(tags), d->d_name, 0) < 0)
				die("unlink(%s/tags/%s):", store_path(),
				    d->d_name);
		} else {
			left++;
		}
	}
	if (closedir(tags) < 0)
		die("closedir(%s/tags):", store_path());
	return left;
}

/* a tag removes that tag, and the image with its last; an id the image
 * and all its tags. Its layers stay for prune. */
int
images_remove(char **w)
{
	char id[65], other[65], file[NAME_MAX + 1], path[96];

	enter("rmi");
	for (; *w; w++) {
		if (tags_find(*w, id) < 0)
			die("%s: no such image (sbx images lists them)", *w);
		/* a name, or an id: then all its names */
		tags_file(*w, file, sizeof(file));
		if (untag(id, tags_id(file, other) == 0 ? file : NULL) == 0) {
			fmt(path, sizeof(path), "images/%s.json", id);
			if (unlinkat(store_open(), path, 0) < 0 && errno != ENOENT)
				die("unlink(%s/%s):", store_path(), path);
		}
	}
	return 0;
}

/* the diff_ids of every image of the store, a line each: read once for
 * all the layers prune looks at */
static char *
used_layers(void)
{
	const struct json *d;
	struct dirent *e;
	struct json *config;
	char id[65], *list = NULL, *more;
	const char *hex;
	size_t len = 0;
	DIR *images = store_dir("images");

	while ((e = readdir(images))) {
		if (tags_image_id(e->d_name, id) < 0)
			continue;
		config = store_config(id);
		d = json_get(json_get(config, "rootfs"), "diff_ids");
		for (d = d ? d->child : NULL; d; d = d->next) {
			if (!(hex = store_hex(json_string(d))))
				continue;
			if (!(more = realloc(list, len + 66)))
				die("malloc:");
			list = more;
			len += fmt(list + len, 66, "%s\n", hex);
		}
		json_free(config);
	}
	if (closedir(images) < 0)
		die("closedir(%s/images):", store_path());
	return list ? list : calloc(1, 1);
}

/* out of sight first: a layer half removed must never be taken for one
 * that is there */
static void
prune_layer(int layers, const char *layer)
{
	char name[NAME_MAX + 5];

	fmt(name, sizeof(name), "tmp/%s", layer);
	store_remove_layer(store_open(), name);
	if (renameat(layers, layer, store_open(), name) < 0)
		die("rename(%s/layers/%s):", store_path(), layer);
	store_remove_layer(store_open(), name);
}

/* layers no image uses, with their locks and blob records (also those
 * of unpacks that failed), and what a killed sbx left half-made; owning
 * the store, it need take no layer's lock */
int
images_prune(void)
{
	char diff[65], *used;
	struct dirent *d;
	int layers;
	DIR *dir;

	enter("prune");
	store_own();
	if (!(used = used_layers()))
		die("malloc:");
	dir = store_dir("layers");
	layers = dirfd(dir);
	while ((d = readdir(dir))) {
		fmt(diff, sizeof(diff), "%.64s", d->d_name);
		if (strspn(diff, "0123456789abcdef") != 64 || strstr(used, diff))
			continue;
		if (!strcmp(d->d_name + 64, ".lock") ||
		    !strcmp(d->d_name + 64, ".blobs")) {
			if (unlinkat(layers, d->d_name, 0) < 0 && errno != ENOENT)
				die("unlink(%s/layers/%s):", store_path(),
				    d->d_name);
		} else if (!d->d_name[64] || d->d_name[64] == '-') {
			prune_layer(layers, d->d_name);
		}
	}
	if (closedir(dir) < 0)
		die("closedir(%s/layers):", store_path());
	free(used);
	store_prune_tmp();
	tags_prune();
	return 0;
}
