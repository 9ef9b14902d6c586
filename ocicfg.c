/* See LICENSE file for copyright and license details. */
/*
 * ocicfg.c: typed reads of a parsed config.json, each dying with one line
 * that names the JSON path; and its paths, relative to its directory.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "jsonout.h"
#include "ocicfg.h"
#include "sbx.h"

/* the bundle's path, for a relative root and bind sources */
static const char *bundledir;

/* what the plan keeps of a config beside the tree: its lists, paths and
 * mount data; one config's at a time, so nothing is freed or leaked */
static char arena[1 << 20];
static size_t used;

void
ocicfg_dir(const char *dir)
{
	bundledir = dir;
	used = 0;
}

void *
ocicfg_alloc(size_t n)
{
	void *p = arena + used;

	n = (n + 15) & ~(size_t)15;
	if (n > sizeof(arena) - used)
		die("config.json: more than %zu KiB of lists and paths",
		    sizeof(arena) >> 10);
	used += n;
	memset(p, 0, n);
	return p;
}


void
bad(const struct json *v, const char *what)
{
	char path[256];

	json_path(v, path, sizeof(path));
	die("config.json: %s: %s", *path ? path : "(the document)", what);
}

const struct json *
member(const struct json *obj, const char *key, int type)
{
	static const char *const names[] = { "null", "a boolean", "a number",
	    "a string", "an array", "an object" };
	const struct json *v = json_get(obj, key);
	char what[64];

	if (v && v->type != type) {
		fmt(what, sizeof(what), "not %s", names[type]);
		bad(v, what);
	}
	return v;
}

const char *
string(const struct json *obj, const char *key)
{
	const struct json *v = member(obj, key, JSON_STRING);

	if (v && !json_string(v))
		bad(v, "holds a NUL");
	return v ? json_string(v) : NULL;
}

int
boolean(const struct json *obj, const char *key)
{
	const struct json *v = member(obj, key, JSON_BOOL);

	return v && v->boolean;
}

unsigned long long
whole(const struct json *v, unsigned long long max)
{
	unsigned long long n = 0;
	char what[64];

	if (v->type != JSON_NUMBER || json_uint(v, max, &n) < 0) {
		fmt(what, sizeof(what), "not a whole number from 0 to %llu", max);
		bad(v, what);
	}
	return n;
}

unsigned long long
number(const struct json *obj, const char *key, unsigned long long max)
{
	const struct json *v = json_get(obj, key);

	return v ? whole(v, max) : 0;
}

int
strings(const struct json *obj, const char *key, const char **out, int max)
{
	const struct json *a = member(obj, key, JSON_ARRAY), *v;
	int n = 0;

	for (v = a ? a->child : NULL; v; v = v->next) {
		if (v->type != JSON_STRING || !json_string(v))
			bad(v, "not a string");
		if (n == max)
			bad(v, "too many");
		out[n++] = json_string(v);
	}
	return n;
}

char **
string_list(const struct json *obj, const char *key)
{
	const struct json *a = member(obj, key, JSON_ARRAY);
	char **list;
	int n;

	if (a && a->len > 4096)
		bad(a, "more than 4096");
	list = ocicfg_alloc(((a ? a->len : 0) + 1) * sizeof(*list));
	n = strings(obj, key, (const char **)list, a ? (int)a->len : 0);
	list[n] = NULL;
	return list;
}

const char *
in_bundle(const char *path)
{
	char *full;

	if (path[0] == '/')
		return path;
	full = ocicfg_alloc(PATH_MAX);
	if (fmt(full, PATH_MAX, "%s/%s", bundledir, path) >= PATH_MAX)
		die("config.json: %s: path too long", path);
	return full;
}
