/* See LICENSE file for copyright and license details. */
/*
 * profile.c: an OCI seccomp profile (linux.seccomp) compiled to classic
 * BPF; no system call, no die(): an error string naming the JSON path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "fmt.h"
#include "json.h"
#include "jsonout.h"
#include "profbpf.h"
#include "profile.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* the architectures the spec names (libseccomp 2.6's) */
static const char *const archnames[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
	"SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
	"SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
	"SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
	"SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH",
	"SCMP_ARCH_SHEB",
};

static const struct {
	const char *name;
	uint32_t ret;
} actions[] = {
	{ "SCMP_ACT_KILL", SECCOMP_RET_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SECCOMP_RET_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SECCOMP_RET_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SECCOMP_RET_TRAP },
	{ "SCMP_ACT_ERRNO", SECCOMP_RET_ERRNO },
	{ "SCMP_ACT_TRACE", SECCOMP_RET_TRACE },
	{ "SCMP_ACT_ALLOW", SECCOMP_RET_ALLOW },
	{ "SCMP_ACT_LOG", SECCOMP_RET_LOG },
	{ "SCMP_ACT_NOTIFY", SECCOMP_RET_USER_NOTIF },
};

/* the flags the spec names, each at its bit's place: 1 << index */
static const char *const flags[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW", NULL, NULL,
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

/* the operators' names, in the order of profbpf.h's CMP_* */
static const char *const ops[] = {
	[CMP_NE] = "SCMP_CMP_NE", [CMP_LT] = "SCMP_CMP_LT",
	[CMP_LE] = "SCMP_CMP_LE", [CMP_EQ] = "SCMP_CMP_EQ",
	[CMP_GE] = "SCMP_CMP_GE", [CMP_GT] = "SCMP_CMP_GT",
	[CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

struct prof {
	const struct json *top;
	char *err;
	size_t errlen;
	uint32_t def;
	unsigned flags, abis; /* abis: profbpf_abi()'s bits */
	struct prof_rule *rule;
	size_t nrule;
};

/* err = "PATH: what", PATH where v is (its member key, if given) */
__attribute__((format(printf, 4, 5))) static int
bad(struct prof *p, const struct json *v, const char *key, const char *f,
    ...)
{
	char path[200], what[200];
	size_t n;
	va_list ap;

	n = json_path(v, path, sizeof(path));
	if (key && n < sizeof(path))
		fmt(path + n, sizeof(path) - n, "%s%s", n ? "." : "", key);
	va_start(ap, f);
	vfmt(what, sizeof(what), f, ap);
	va_end(ap);
	fmt(p->err, p->errlen, "%s: %s", *path ? path : "seccomp", what);
	return -1;
}

/* a string from the profile, for a message: 40 bytes, none a control */
static const char *
shown(const struct json *v, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < v->len && i + 1 < size && i < 40; i++)
		buf[i] = (unsigned char)v->str[i] < ' ' || v->str[i] == 0x7f ?
		    '?' : v->str[i];
	buf[i] = '\0';
	return buf;
}

/* obj's member key; NULL if it is missing or null */
static const struct json *
member(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v && v->type != JSON_NULL ? v : NULL;
}

/* the member key, of the type wanted: 1; missing: 0; else -1 */
static int
typed(struct prof *p, const struct json *obj, const char *key, int type,
    const struct json **out)
{
	static const char *const names[] = { [JSON_STRING] = "a string",
		[JSON_ARRAY] = "a list", [JSON_OBJECT] = "an object" };

	if (!(*out = member(obj, key)))
		return 0;
	if ((*out)->type != type)
		return bad(p, *out, NULL, "not %s", names[type]);
	return 1;
}

/* v is the string s */
static int
is(const struct json *v, const char *s)
{
	return json_string(v) && !strcmp(json_string(v), s);
}

/* obj's action (key) and the errno it returns (errkey) into *ret */
static int
action(struct prof *p, const struct json *obj, const char *key,
    const char *errkey, uint32_t *ret)
{
	const struct json *v, *e;
	unsigned long long n = 1; /* EPERM */
	char buf[48];
	size_t i;
	int r;

	if ((r = typed(p, obj, key, JSON_STRING, &v)) <= 0)
		return r < 0 ? -1 : bad(p, obj, key, "missing");
	for (i = 0; i < LEN(actions) && !is(v, actions[i].name); i++)
		;
	if (i == LEN(actions))
		return bad(p, v, NULL, "unknown action '%s'",
		    shown(v, buf, sizeof(buf)));
	if ((*ret = actions[i].ret) == SECCOMP_RET_USER_NOTIF)
		return bad(p, v, NULL, "SCMP_ACT_NOTIFY is not supported: there"
		    " is no seccomp agent (listenerPath) here");
	e = member(obj, errkey);
	if (*ret != SECCOMP_RET_ERRNO && *ret != SECCOMP_RET_TRACE)
		return e ? bad(p, e, NULL, "only SCMP_ACT_ERRNO and "
		    "SCMP_ACT_TRACE return an errno") : 0;
	if (e && json_uint(e, SECCOMP_RET_DATA, &n) < 0)
		return bad(p, e, NULL, "not a number from 0 to 65535");
	*ret |= (uint32_t)n;
	return 0;
}

/* v, one of tab[0..n) (a kind of what): its index; else -1 */
static int
oneof(struct prof *p, const struct json *v, const char *const *tab,
    size_t n, const char *what)
{
	char buf[48];
	size_t i;

	for (i = 0; i < n && !(tab[i] && is(v, tab[i])); i++)
		;
	if (i == n)
		return bad(p, v, NULL, "unknown %s '%s'", what,
		    shown(v, buf, sizeof(buf)));
	return (int)i;
}

/* the list key of names in tab[0..n): in *set, bit i for tab[i]; 1,
 * 0 if it is missing, -1 if it is no list of them */
static int
nameset(struct prof *p, const char *key, const char *const *tab, size_t n,
    const char *what, uint32_t *set)
{
	const struct json *list, *v;
	int i;

	*set = 0;
	if ((i = typed(p, p->top, key, JSON_ARRAY, &list)) <= 0)
		return i;
	for (v = list->child; v; v = v->next) {
		if (v->type != JSON_STRING)
			return bad(p, v, NULL, "not a string");
		if ((i = oneof(p, v, tab, n, what)) < 0)
			return -1;
		*set |= 1U << i;
	}
	return 1;
}

/* architectures: the ABIs in the filter beside this machine's own, and
 * flags: their bits, or SPEC_ALLOW without them, as in runc and crun */
static int
arches_flags(struct prof *p)
{
	uint32_t set;
	size_t k;
	int i;

	if (nameset(p, "architectures", archnames, LEN(archnames),
	    "architecture", &set) < 0)
		return -1;
	for (k = 0; k < LEN(archnames); k++)
		if (set & 1U << k && (i = profbpf_abi(archnames[k])) >= 0)
			p->abis |= 1U << i;
	if ((i = nameset(p, "flags", flags, LEN(flags), "flag", &set)) < 0)
		return -1;
	/* WAIT_KILLABLE_RECV: the kernel wants a listener with it */
	p->flags = i ? set & ~(uint32_t)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV :
	    SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	return 0;
}

/* one of args[]: index, value, valueTwo and op */
static int
condition(struct prof *p, const struct json *v, struct prof_cond *c)
{
	const struct json *x;
	unsigned long long n;
	int i;

	if (v->type != JSON_OBJECT)
		return bad(p, v, NULL, "not an object");
	if (!(x = member(v, "index")))
		return bad(p, v, "index", "missing");
	if (json_uint(x, PROF_MAXCOND - 1, &n) < 0)
		return bad(p, x, NULL, "not an argument's index, from 0 to 5");
	c->arg = (unsigned)n;
	if (!(x = member(v, "value")))
		return bad(p, v, "value", "missing");
	if (json_uint(x, UINT64_MAX, &n) < 0)
		return bad(p, x, NULL, "not a number from 0 to 2^64-1");
	c->a = n, n = 0;
	if ((x = member(v, "valueTwo")) && json_uint(x, UINT64_MAX, &n) < 0)
		return bad(p, x, NULL, "not a number from 0 to 2^64-1");
	c->b = n;
	if ((i = typed(p, v, "op", JSON_STRING, &x)) <= 0)
		return i < 0 ? -1 : bad(p, v, "op", "missing");
	if ((i = oneof(p, x, ops, LEN(ops), "operator")) < 0)
		return -1;
	c->op = (unsigned)i;
	return 0;
}

/* args: up to six conditions; split when one names an argument twice */
static int
conditions(struct prof *p, const struct json *v, struct prof_rule *r)
{
	const struct json *list, *a;
	unsigned seen = 0;
	int i;

	if ((i = typed(p, v, "args", JSON_ARRAY, &list)) <= 0)
		return i;
	if (list->len > PROF_MAXCOND)
		return bad(p, list, NULL, "more than %d conditions", PROF_MAXCOND);
	for (a = list->child; a; a = a->next, r->ncond++) {
		if (condition(p, a, &r->cond[r->ncond]) < 0)
			return -1;
		if (seen & 1U << r->cond[r->ncond].arg)
			r->split = 1;
		seen |= 1U << r->cond[r->ncond].arg;
	}
	return 0;
}

static int
rule(struct prof *p, const struct json *v, struct prof_rule *r)
{
	const struct json *n;
	int i;

	if (v->type != JSON_OBJECT)
		return bad(p, v, NULL, "not an object");
	if ((i = typed(p, v, "names", JSON_ARRAY, &r->names)) <= 0)
		return i < 0 ? -1 : bad(p, v, "names", "missing");
	if (!r->names->child)
		return bad(p, r->names, NULL, "empty");
	for (n = r->names->child; n; n = n->next)
		if (n->type != JSON_STRING)
			return bad(p, n, NULL, "not a string");
	if (action(p, v, "action", "errnoRet", &r->ret) < 0)
		return -1;
	return conditions(p, v, r);
}

static int
rules(struct prof *p)
{
	const struct json *list, *v;
	int i;

	if ((i = typed(p, p->top, "syscalls", JSON_ARRAY, &list)) <= 0)
		return i;
	if (!(p->rule = calloc(list->len ? list->len : 1, sizeof(*p->rule))))
		return bad(p, list, NULL, "out of memory");
	for (v = list->child; v; v = v->next) {
		memset(&p->rule[p->nrule], 0, sizeof(*p->rule));
		if (rule(p, v, &p->rule[p->nrule]) < 0)
			return -1;
		/* the default's action: libseccomp refuses it, runc and
		 * crun leave it out */
		if (p->rule[p->nrule].ret != p->def)
			p->nrule++;
	}
	return 0;
}

/* the program of the rules read, or the reason there is none */
static int
compile(struct prof *p, struct profile *out)
{
	struct sock_filter *prog;
	size_t len;

	if (profbpf(p->rule, p->nrule, p->def, p->abis, &prog, &len) == 0) {
		out->prog = prog;
		out->len = (unsigned short)len;
		out->flags = p->flags;
		return 0;
	}
	if (errno == E2BIG)
		return bad(p, p->top, NULL, "the filter would be more than %d"
		    " instructions, the kernel's bound", BPF_MAXINSNS);
	return bad(p, p->top, NULL, "out of memory");
}

int
profile_compile(const struct json *seccomp, struct profile *out,
    char *err, size_t errlen)
{
	struct prof p = { seccomp, err, errlen, 0, 0, 0, NULL, 0 };
	int r = -1;

	memset(out, 0, sizeof(*out));
	if (seccomp->type != JSON_OBJECT)
		bad(&p, seccomp, NULL, "not an object");
	else if (action(&p, seccomp, "defaultAction", "defaultErrnoRet",
	    &p.def) == 0 && arches_flags(&p) == 0 && rules(&p) == 0)
		r = compile(&p, out);
	free(p.rule);
	return r;
}

void
profile_free(struct profile *p)
{
	free(p->prog);
	p->prog = NULL;
	p->len = 0;
}
