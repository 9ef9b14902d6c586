/* See LICENSE file for copyright and license details. */
/*
 * bundlefs.c: an OCI bundle's mounts, into the plan: each one's type,
 * source, flags, propagation and data, in order. It makes no system
 * call; a bad value dies naming its JSON path.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "bundlefs.h"
#include "ocicfg.h"
#include "fmt.h"
#include "json.h"
#include "plan.h"
#include "sbx.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* mount(8)'s words for flags: each sets some and clears others */
static const struct {
	const char *name;
	unsigned long set, clear;
} words[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 },
	{ "noatime", MS_NOATIME, 0 }, { "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
	{ "relatime", MS_RELATIME, 0 }, { "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, 0 },
	{ "nostrictatime", 0, MS_STRICTATIME },
	{ "bind", MS_BIND, 0 }, { "rbind", MS_BIND | MS_REC, 0 },
	{ "silent", MS_SILENT, 0 }, { "loud", 0, MS_SILENT },
	{ "defaults", 0, 0 },
	{ "private", 0, 0 }, { "rprivate", 0, 0 }, { "shared", 0, 0 },
	{ "rshared", 0, 0 }, { "slave", 0, 0 }, { "rslave", 0, 0 },
	{ "unbindable", 0, 0 }, { "runbindable", 0, 0 },
};


static const struct {
	const char *name;
	unsigned long flags;
} props[] = {
	{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE },
	{ "runbindable", MS_UNBINDABLE | MS_REC },
};

unsigned long
bundle_propagation(const char *name)
{
	size_t i;

	for (i = 0; i < LEN(props); i++)
		if (!strcmp(name, props[i].name))
			return props[i].flags;
	return 0;
}

/* the file systems sbx mounts from a bundle, and how */
static const char *const types[] = { "bind", "none", "proc", "sysfs",
	"tmpfs", "devpts", "mqueue", "cgroup", "cgroup2" };

/* one option: a flag word, a propagation, else the file system's data */
static void
add_option(const struct json *o, struct mnt *m, char *data, size_t *len)
{
	const char *w = json_string(o);
	unsigned long prop;
	size_t i;

	if (!w)
		bad(o, "not a string");
	if (!strcmp(w, "tmpcopyup") || !strcmp(w, "idmap") ||
	    !strcmp(w, "ridmap"))
		bad(o, "not supported yet");
	if ((prop = bundle_propagation(w)))
		m->prop = prop;
	for (i = 0; i < LEN(words) && strcmp(w, words[i].name); i++)
		;
	if (i < LEN(words)) {
		m->flags = (m->flags & ~words[i].clear) | words[i].set;
		m->clear = (m->clear & ~words[i].set) | words[i].clear;
		return;
	}
	if (strchr(w, ',') || !*w)
		bad(o, "not one option");
	*len += fmt(data + *len, *len < 1024 ? 1024 - *len : 0, "%s%s",
	    *len ? "," : "", w);
	if (*len >= 1024)
		bad(o, "the options are too long");
}

static void
plan_mount(const struct json *v, struct mnt *m)
{
	const struct json *opts = member(v, "options", JSON_ARRAY), *o;
	const char *type = string(v, "type"), *src = string(v, "source");
	char *data;
	size_t len = 0, i;

	*m = (struct mnt){ .dst = string(v, "destination") };
	if (!m->dst || m->dst[0] != '/' || strstr(m->dst, "/../") ||
	    !strcmp(m->dst, "/"))
		bad(v, "destination: not an absolute path below the root");
	data = ocicfg_alloc(1024);
	for (o = opts ? opts->child : NULL; o; o = o->next)
		add_option(o, m, data, &len);
	if (!type)
		type = (m->flags & MS_BIND) ? "bind" : NULL;
	for (i = 0; type && i < LEN(types) && strcmp(type, types[i]); i++)
		;
	if (!type || i == LEN(types))
		bad(v, "type: not one sbx mounts (bind, proc, sysfs, tmpfs,"
		    " devpts, mqueue, cgroup)");
	if (!strcmp(type, "bind") || !strcmp(type, "none"))
		m->flags |= MS_BIND;
	if (m->flags & MS_BIND && (!src || !*src))
		bad(v, "a bind without a source");
	m->type = (m->flags & MS_BIND) ? NULL : type;
	m->src = (m->flags & MS_BIND) ? in_bundle(src) : src ? src : type;
	m->data = *data ? data : NULL;
}

void
bundle_mounts(const struct json *mounts, struct plan *p)
{
	const struct json *v;

	for (v = mounts ? mounts->child : NULL; v; v = v->next) {
		if (v->type != JSON_OBJECT)
			bad(v, "not an object");
		if (p->nocimounts == MAXOPS)
			bad(v, "too many mounts");
		plan_mount(v, &p->ocimounts[p->nocimounts++]);
	}
}
