/* See LICENSE file for copyright and license details. */
/*
 * bundleproc.c: an OCI bundle's process, into the plan: its command,
 * environment, directory, ids, capabilities, limits and terminal. It
 * makes no system call; a bad value dies naming its JSON path.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bundleproc.h"
#include "limit.h"
#include "ocicfg.h"
#include "caps.h"
#include "json.h"
#include "opts.h"
#include "plan.h"
#include "sbx.h"

static void
plan_command(const struct json *proc, struct plan *p)
{
	const char *cwd = string(proc, "cwd");
	char **e;

	p->argv = string_list(proc, "args");
	if (!p->argv[0] || !*p->argv[0])
		bad(proc, "no args");
	/* the bundle's environment alone, as it gives it */
	p->environ = string_list(proc, "env");
	for (e = p->environ; *e; e++)
		if (!strchr(*e, '=') || **e == '=')
			bad(json_get(proc, "env")->child, "not NAME=VALUE");
	if (!cwd)
		bad(proc, "no cwd");
	if (cwd[0] != '/')
		bad(json_get(proc, "cwd"), "not an absolute path");
	p->chdir = cwd;
}

static void
plan_user(const struct json *proc, struct plan *p)
{
	const struct json *u = member(proc, "user", JSON_OBJECT), *l, *v;

	if (!u)
		bad(proc, "no user");
	p->uid = number(u, "uid", 0xfffffffeULL);
	p->gid = number(u, "gid", 0xfffffffeULL);
	p->umask = json_get(u, "umask") ? (int)number(u, "umask", 0777) : -1;
	l = member(u, "additionalGids", JSON_ARRAY);
	for (v = l ? l->child : NULL; v; v = v->next) {
		if (p->ngroups == MAXOPS)
			bad(v, "too many");
		p->groups[p->ngroups++] = whole(v, 0xfffffffeULL);
	}
	if ((v = json_get(u, "username")) && (v->type != JSON_STRING ||
	    v->len))
		bad(v, "Windows only");
}

/* the five sets, each a list of CAP_ names; absent ones are empty */
static void
plan_caps(const struct json *proc, struct plan *p)
{
	static const char *const sets[CAPS_SETS] = { "bounding", "effective",
	    "inheritable", "permitted", "ambient" };
	const struct json *c = member(proc, "capabilities", JSON_OBJECT), *l,
	    *v;
	uint64_t bit;
	int i;

	for (i = 0; i < CAPS_SETS; i++) {
		p->capsets[i] = 0;
		l = c ? member(c, sets[i], JSON_ARRAY) : NULL;
		for (v = l ? l->child : NULL; v; v = v->next) {
			if (!json_string(v) || strncmp(json_string(v), "CAP_", 4) ||
			    !(bit = caps_bit(json_string(v))) || bit == CAPS_ALL)
				bad(v, "not a capability this kernel header knows");
			p->capsets[i] |= bit;
		}
	}
}

static void
plan_rlimits(const struct json *proc, struct plan *p)
{
	const struct json *l = member(proc, "rlimits", JSON_ARRAY), *v;
	const char *type;
	int res;

	for (v = l ? l->child : NULL; v; v = v->next) {
		type = v->type == JSON_OBJECT ? string(v, "type") : NULL;
		if (!type || strncmp(type, "RLIMIT_", 7) || (res = limits_rlimit(
		    type + 7, strlen(type + 7), &p->rlim[p->nrlim].name)) < 0)
			bad(v, "type: not an RLIMIT_ name");
		if (p->nrlim == MAXOPS)
			bad(v, "too many");
		p->rlim[p->nrlim].res = res;
		p->rlim[p->nrlim].soft = number(v, "soft", ~0ULL);
		p->rlim[p->nrlim].hard = number(v, "hard", ~0ULL);
		if (p->rlim[p->nrlim].soft > p->rlim[p->nrlim].hard)
			bad(v, "soft above hard");
		p->nrlim++;
	}
}

void
bundle_process(const struct json *proc, struct plan *p)
{
	const struct json *v;
	long long oom;
	size_t i;

	plan_command(proc, p);
	plan_user(proc, p);
	plan_caps(proc, p);
	plan_rlimits(proc, p);
	p->pty = boolean(proc, "terminal");
	p->nonewprivs = boolean(proc, "noNewPrivileges");
	if ((v = member(proc, "oomScoreAdj", JSON_NUMBER))) {
		if (json_int(v, -1000, 1000, &oom) < 0)
			bad(v, "not from -1000 to 1000");
		p->oomscore = oom;
		p->hasoomscore = 1;
	}
	if ((v = member(proc, "consoleSize", JSON_OBJECT))) {
		p->rows = number(v, "height", 65535);
		p->cols = number(v, "width", 65535);
	}
	for (i = 0; i < 2; i++)
		if ((v = json_get(proc, i ? "selinuxLabel" : "apparmorProfile"))
		    && (v->type != JSON_STRING || v->len))
			bad(v, "no LSM is supported here: leave it out");
}
