/* See LICENSE file for copyright and license details. */
/*
 * bundleres.c: a bundle's linux.resources and cgroupsPath, into the same
 * limits the command line sets. What sbx does not apply yet is said in
 * a warning, never silently dropped; devices are the bundle's list in
 * /dev, not a devices cgroup.
 */
#include <string.h>
#include <unistd.h>

#include "bundleres.h"
#include "fmt.h"
#include "json.h"
#include "jsonout.h"
#include "ocicfg.h"
#include "plan.h"
#include "sbx.h"

/* a signed number, -1 for none: OCI's -1 (and pids' 0) mean no limit */
static long long
limit(const struct json *obj, const char *key, long long min)
{
	const struct json *v = json_get(obj, key);
	long long n;
	char what[64];

	if (!v || v->type == JSON_NULL)
		return 0;
	if (v->type != JSON_NUMBER || json_int(v, -1, 1LL << 62, &n) < 0) {
		fmt(what, sizeof(what), "not a number from -1 to %lld", 1LL << 62);
		bad(v, what);
	}
	return n < min ? -1 : n;
}

/* the members of obj that sbx does not apply, each a warning */
static void
not_applied(const struct json *obj, const char *const *keys)
{
	char path[128];
	const struct json *v;

	for (; *keys; keys++)
		if ((v = json_get(obj, *keys)) && v->type != JSON_NULL) {
			json_path(v, path, sizeof(path));
			warn("%s: not applied by sbx yet", path);
		}
}

static void
plan_memory(const struct json *m, struct limits *l)
{
	static const char *const later[] = { "kernel", "kernelTCP",
	    "swappiness", "disableOOMKiller", "useHierarchy",
	    "checkBeforeUpdate", NULL };
	long long n;

	if ((n = limit(m, "limit", 1)) > 0)
		l->memory = n;
	if ((n = limit(m, "reservation", 1)) > 0)
		l->memlow = n;
	if ((n = limit(m, "swap", 1)) && l->memory)
		l->memswap = n;
	not_applied(m, later);
}

static void
plan_cpu(const struct json *c, struct limits *l)
{
	static const char *const later[] = { "realtimeRuntime",
	    "realtimePeriod", "cpus", "mems", "idle", "burst", NULL };
	long long n;

	if ((n = limit(c, "shares", 2)) > 0)
		l->cpushares = n > 262144 ? 262144 : n;
	if ((n = limit(c, "quota", 1000)) > 0)
		l->cpuquota = n;
	if ((n = limit(c, "period", 1000)) > 0)
		l->cpuperiod = n > 1000000 ? 1000000 : n;
	not_applied(c, later);
}

void
bundle_resources(const struct json *lx, struct plan *p)
{
	static const char *const later[] = { "blockIO", "hugepageLimits",
	    "network", "rdma", "unified", NULL };
	const struct json *r = member(lx, "resources", JSON_OBJECT), *v;
	struct limits *l = &p->limits;
	long long n;

	if ((p->limits.path = string(lx, "cgroupsPath")) && !*l->path)
		l->path = NULL;
	if (l->path && (strstr(l->path, "..") || strchr(l->path, '\n')))
		bad(json_get(lx, "cgroupsPath"), "not a cgroup's path");
	if (!r)
		return;
	if ((v = member(r, "memory", JSON_OBJECT)))
		plan_memory(v, l);
	if ((v = member(r, "cpu", JSON_OBJECT)))
		plan_cpu(v, l);
	if ((v = member(r, "pids", JSON_OBJECT)) && (n = limit(v, "limit", 1))
	    > 0)
		l->pids = n;
	not_applied(r, later);
	l->any = l->memory || l->memlow || l->cpushares || l->cpuquota ||
	    l->pids;
	l->memtext = NULL;
}

/* slice "a-b.slice" as systemd nests it: /a.slice/a-b.slice */
static size_t
slice_path(const char *slice, size_t len, char *out, size_t n)
{
	size_t at = 0, i;

	if (len < 6 || strncmp(slice + len - 6, ".slice", 6))
		return (size_t)-1;
	if (len == 7 && slice[0] == '-')
		return 0;
	for (i = 0; i < len - 6; i++)
		if (slice[i] == '-' || i == len - 7)
			at += fmt(out + at, at < n ? n - at : 0, "/%.*s.slice",
			    (int)(slice[i] == '-' ? i : i + 1), slice);
	return at;
}

void
bundle_systemd(struct plan *p)
{
	static char path[4096];
	const char *s = p->limits.path, *c1, *c2;
	size_t at;

	if (!s)
		return;
	if (!(c1 = strchr(s, ':')) || !(c2 = strchr(c1 + 1, ':')) ||
	    strchr(c2 + 1, ':') || !c2[1] || strchr(s, '/'))
		die("cgroupsPath '%s': with --systemd-cgroup, slice:prefix:name",
		    s);
	if (c1 == s)
		at = fmt(path, sizeof(path), "/%s", geteuid() ? "user.slice" :
		    "system.slice");
	else if ((at = slice_path(s, c1 - s, path, sizeof(path))) ==
	    (size_t)-1)
		die("cgroupsPath '%s': %.*s: not a slice", s, (int)(c1 - s), s);
	fmt(path + at, sizeof(path) - at, "/%.*s%s%s.scope", (int)(c2 - c1 - 1),
	    c1 + 1, c2 > c1 + 1 ? "-" : "", c2 + 1);
	/* rootless: in our own subtree, where the delegation is */
	p->limits.path = geteuid() ? path + 1 : path;
}
