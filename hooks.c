/* See LICENSE file for copyright and license details. */
/*
 * hooks.c: an OCI bundle's hooks, read from config.json, or from the
 * copy that create keeps for start and delete.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fmt.h"
#include "hooks.h"
#include "inithooks.h"
#include "json.h"
#include "ocicfg.h"
#include "sbx.h"

const char *const hook_names[HOOK_KINDS] = { "prestart", "createRuntime",
	"createContainer", "startContainer", "poststart", "poststop" };

static void
read_hook(const struct json *v, struct hook *k)
{
	const struct json *t;

	if (v->type != JSON_OBJECT)
		bad(v, "not an object");
	if (!(k->path = string(v, "path")))
		bad(v, "no path");
	if (k->path[0] != '/')
		bad(json_get(v, "path"), "not an absolute path");
	k->argv = string_list(v, "args");
	if (!k->argv[0]) {
		k->argv = ocicfg_alloc(2 * sizeof(*k->argv));
		k->argv[0] = (char *)k->path;
	}
	k->env = json_get(v, "env") ? string_list(v, "env") : NULL;
	if ((t = json_get(v, "timeout")) &&
	    !(k->timeout = whole(t, INT_MAX) * 1000))
		bad(t, "not a whole number from 1");
}

const struct hooks *
hooks_read(const struct json *v)
{
	struct hooks *h;
	const struct json *a, *e;
	struct hook *list;
	int i, any = 0;

	if (!v)
		return NULL;
	if (v->type != JSON_OBJECT)
		bad(v, "not an object");
	h = ocicfg_alloc(sizeof(*h));
	for (i = 0; i < HOOK_KINDS; i++) {
		if (!(a = member(v, hook_names[i], JSON_ARRAY)))
			continue;
		if (a->len > 1024)
			bad(a, "more than 1024");
		list = ocicfg_alloc((a->len + 1) * sizeof(*list));
		for (e = a->child; e; e = e->next)
			read_hook(e, &list[h->n[i]++]);
		h->of[i] = list;
		any |= h->n[i];
	}
	return any ? h : NULL;
}

const struct hooks *
hooks_load(int dir)
{
	struct json *doc;
	char err[128], *buf;
	size_t len;

	if (!(buf = slurp(dir, "config.json", 1 << 20, &len))) {
		if (errno == ENOENT)
			return NULL;
		die("open(config.json):");
	}
	if (!(doc = json_parse(buf, len, err, sizeof(err))))
		die("config.json: %s", err);
	free(buf);
	return hooks_read(json_get(doc, "hooks"));
}

int
hooks_any(const struct hooks *h, int from, int to)
{
	int n = 0;

	while (h && from <= to)
		n += h->n[from++];
	return n > 0;
}

static void
put_str(int fd, const char *s)
{
	if (put_all(fd, s, strlen(s) + 1) < 0)
		die("write(hooks' file):");
}

static void
put_list(int fd, char *const *v)
{
	char num[16];
	int n = 0;

	while (v[n])
		n++;
	fmt(num, sizeof(num), "%d", n);
	put_str(fd, num);
	while (*v)
		put_str(fd, *v++);
}

int
hooks_pack(const struct hooks *h, const char *state)
{
	static const char *const as[] = { HOOK_IN_CREATE, HOOK_IN_START };
	const struct hook *k;
	char num[24];
	int fd, kind, i;

	if (!hooks_any(h, HOOK_CREATECONTAINER, HOOK_STARTCONTAINER))
		return -1;
	if ((fd = memfd_create("hooks", 0)) < 0)
		die("memfd_create(hooks):");
	put_str(fd, state);
	for (kind = HOOK_CREATECONTAINER; kind <= HOOK_STARTCONTAINER; kind++)
		for (i = 0; i < h->n[kind]; i++) {
			k = &h->of[kind][i];
			fmt(num, sizeof(num), "%ld", k->timeout);
			put_str(fd, as[kind - HOOK_CREATECONTAINER]);
			put_str(fd, num);
			put_str(fd, k->path);
			put_list(fd, k->argv);
			if (k->env)
				put_list(fd, k->env);
			else
				put_str(fd, "-");
		}
	return fd;
}
