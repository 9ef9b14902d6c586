/* See LICENSE file for copyright and license details. */
/*
 * bundle.c: an OCI bundle's config.json, into the plan: the root, the
 * process, the mounts, the namespaces and the maps. It reads the one
 * file and no other; a bad value dies here, naming its JSON path.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "bundleres.h"
#include "hooks.h"
#include "bundlefs.h"
#include "bundleproc.h"
#include "ocicfg.h"
#include "caps.h"
#include "fmt.h"
#include "json.h"
#include "jsonout.h"
#include "plan.h"
#include "profile.h"
#include "sbx.h"

static void
plan_root(const struct json *cfg, struct plan *p)
{
	const struct json *root = member(cfg, "root", JSON_OBJECT);
	const char *path = root ? string(root, "path") : NULL;

	if (!path || !*path)
		bad(root ? root : cfg, "no root.path");
	p->root = in_bundle(path);
	p->readonly = root && boolean(root, "readonly");
}

/* the namespaces: the four sbx makes unless absent, the rest if given;
 * in ns.c's order of joining, by path */
static const struct {
	const char *type;
	int off, on;
} nstypes[NS_JOINED] = {
	{ "user", NS_NOUSER, 0 }, { "pid", NS_NOPID, 0 },
	{ "mount", NS_NOMOUNT, 0 }, { "uts", NS_NOUTS, 0 },
	{ "ipc", 0, NS_IPC }, { "network", 0, NS_NET },
	{ "cgroup", 0, NS_CGROUP }, { "time", 0, NS_TIME },
};

static void
plan_namespace(const struct json *ns, struct plan *p)
{
	const char *type = string(ns, "type"), *path = string(ns, "path");
	size_t i;

	for (i = 0; type && i < LEN(nstypes) && strcmp(type,
	    nstypes[i].type); i++)
		;
	if (!type || i == LEN(nstypes))
		bad(ns, "type: not a namespace's (user, pid, mount, uts, ipc,"
		    " network, cgroup, time)");
	if (path && *path) {
		p->nspath[i] = path;
		return;
	}
	p->nsoff &= ~nstypes[i].off;
	p->ns |= nstypes[i].on;
}

static void
plan_namespaces(const struct json *lx, struct plan *p)
{
	const struct json *l = member(lx, "namespaces", JSON_ARRAY), *v;

	p->nsoff = NS_NOUSER | NS_NOPID | NS_NOMOUNT | NS_NOUTS;
	for (v = l ? l->child : NULL; v; v = v->next) {
		if (v->type != JSON_OBJECT)
			bad(v, "not an object");
		plan_namespace(v, p);
	}
	if (p->nsoff & NS_NOMOUNT && !p->nspath[2])
		bad(l ? l : lx, "no mount namespace: one is needed");
}

/* uidMappings or gidMappings into "IN HOST COUNT" lines */
static void
plan_map(const struct json *lx, const char *key, char *map, size_t n)
{
	const struct json *l = member(lx, key, JSON_ARRAY), *v;
	size_t len = 0;

	for (v = l ? l->child : NULL; v; v = v->next) {
		if (v->type != JSON_OBJECT)
			bad(v, "not an object");
		len += fmt(map + len, len < n ? n - len : 0, "%llu %llu %llu\n",
		    number(v, "containerID", 0xfffffffeULL), number(v, "hostID",
		    0xfffffffeULL), number(v, "size", 0xffffffffULL));
		if (len >= n)
			bad(v, "too many mappings");
	}
}

static const struct { char type; unsigned mode; } devtypes[] = {
	{ 'c', S_IFCHR }, { 'u', S_IFCHR }, { 'b', S_IFBLK }, { 'p', S_IFIFO },
};

/* linux.devices: path, type, major, minor, fileMode, uid, gid */
static void
plan_devices(const struct json *lx, struct plan *p)
{
	const struct json *l = member(lx, "devices", JSON_ARRAY), *v;
	const char *path, *type;
	struct dev *d;
	size_t i;

	for (v = l ? l->child : NULL; v; v = v->next) {
		if (v->type != JSON_OBJECT)
			bad(v, "not an object");
		if (p->ndevices == MAXOPS)
			bad(v, "too many");
		path = string(v, "path"), type = string(v, "type");
		if (!path || strncmp(path, "/dev/", 5) || strstr(path, "/../"))
			bad(v, "path: not one below /dev");
		for (i = 0; type && i < LEN(devtypes) && (type[0] !=
		    devtypes[i].type || type[1]); i++)
			;
		if (!type || i == LEN(devtypes))
			bad(v, "type: not c, b, u or p");
		d = &p->devices[p->ndevices++];
		*d = (struct dev){ path, devtypes[i].mode | (json_get(v,
		    "fileMode") ? number(v, "fileMode", 07777) : 0666),
		    number(v, "major", 4095), number(v, "minor", 1048575),
		    number(v, "uid", 0xfffffffeULL), number(v, "gid",
		    0xfffffffeULL) };
	}
}

/* sysctl: an object of strings */
static void
plan_sysctl(const struct json *lx, struct plan *p)
{
	const struct json *o = member(lx, "sysctl", JSON_OBJECT), *v;

	for (v = o ? o->child : NULL; v; v = v->next) {
		if (v->type != JSON_STRING || !json_string(v))
			bad(v, "not a string");
		if (p->nsysctl == MAXOPS)
			bad(v, "too many");
		if (!*v->key || strstr(v->key, "..") || strchr(v->key, '/'))
			bad(v, "not a sysctl's name");
		p->sysctl[p->nsysctl][0] = v->key;
		p->sysctl[p->nsysctl++][1] = json_string(v);
	}
}

/* linux.seccomp, compiled now: a bad profile fails before anything */
static void
plan_seccomp(const struct json *lx, struct plan *p)
{
	const struct json *v = member(lx, "seccomp", JSON_OBJECT);
	struct profile prof;
	char err[256];

	if (!v)
		return;
	if (profile_compile(v, &prof, err, sizeof(err)) < 0)
		die("config.json: %s", err);
	p->filter = prof.prog;
	p->nfilter = prof.len;
	p->filterflags = prof.flags;
}

/* what the bundle asks of sbx that sbx does not do: refused, never
 * silently left out */
static void
refuse(const struct json *lx)
{
	const struct json *v;
	size_t i;

	for (i = 0; i < 2; i++)
		if ((v = json_get(lx, i ? "mountLabel" : "intelRdt")) &&
		    (v->type != JSON_STRING || v->len))
			bad(v, "not supported here");
}

static void
plan_linux(const struct json *lx, struct plan *p)
{
	const char *prop = string(lx, "rootfsPropagation");

	plan_namespaces(lx, p);
	plan_map(lx, "uidMappings", p->uidmap, sizeof(p->uidmap));
	plan_map(lx, "gidMappings", p->gidmap, sizeof(p->gidmap));
	if (p->nsoff & NS_NOUSER && (p->uidmap[0] || p->gidmap[0]))
		bad(lx, "uidMappings without a user namespace");
	p->nmasked = strings(lx, "maskedPaths", p->masked, MAXOPS);
	p->nrdonly = strings(lx, "readonlyPaths", p->rdonly, MAXOPS);
	plan_sysctl(lx, p);
	plan_devices(lx, p);
	plan_seccomp(lx, p);
	bundle_resources(lx, p);
	if (prop && !(p->rootprop = bundle_propagation(prop)))
		bad(json_get(lx, "rootfsPropagation"), "not a propagation");
	refuse(lx);
}

/* dir's config.json, whole */
static char *
read_config(const char *dir, size_t *len)
{
	char path[PATH_MAX], *buf;

	enter("bundle");
	if (fmt(path, sizeof(path), "%s/config.json", dir) >= sizeof(path))
		die("%s: path too long", dir);
	if (!(buf = slurp(AT_FDCWD, path, 4 << 20, len)))
		die("open(%s):", path);
	return buf;
}

void
bundle_plan(const char *dir, struct plan *p, struct json **doc)
{
	size_t len;
	char *buf = read_config(dir, &len);

	bundle_parse(buf, len, dir, p, doc);
	/* kept: start and delete run the hooks create saw */
	p->config = buf;
	p->configlen = len;
}

void
bundle_parse(const char *buf, size_t len, const char *dir, struct plan *p,
    struct json **doc)
{
	const struct json *cfg, *v;
	const char *version;
	char err[128];

	enter("bundle");
	*p = (struct plan){ .stdio = { -1, -1, -1 }, .pipes = { -1, -1, -1 },
	    .ready = -1, .join = { -1, -1, -1, -1, -1, -1, -1, -1 },
	    .umask = -1, .console = -1, .oci = 1, .bundle = dir };
	ocicfg_dir(dir);
	if (!(*doc = json_parse(buf, len, err, sizeof(err))))
		die("%s/config.json: %s", dir, err);
	cfg = *doc;
	if (cfg->type != JSON_OBJECT)
		bad(cfg, "not an object");
	p->annotations = member(cfg, "annotations", JSON_OBJECT);
	if (!(version = string(cfg, "ociVersion")))
		bad(cfg, "no ociVersion");
	if (strncmp(version, "1.", 2))
		bad(json_get(cfg, "ociVersion"), "not 1.x");
	plan_root(cfg, p);
	if (!(v = member(cfg, "process", JSON_OBJECT)))
		bad(cfg, "no process");
	bundle_process(v, p);
	bundle_mounts(member(cfg, "mounts", JSON_ARRAY), p);
	if ((v = member(cfg, "linux", JSON_OBJECT)))
		plan_linux(v, p);
	else
		p->nsoff = NS_NOUSER | NS_NOPID | NS_NOUTS;
	p->hostname = string(cfg, "hostname");
	p->domainname = string(cfg, "domainname");
	if ((p->hostname || p->domainname) && p->nsoff & NS_NOUTS &&
	    !p->nspath[3])
		bad(cfg, "hostname without a uts namespace");
	p->hooks = hooks_read(json_get(cfg, "hooks"));
}
