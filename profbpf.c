/* See LICENSE file for copyright and license details. */
/*
 * profbpf.c: a seccomp profile's rules, as profile.c reads them, made one
 * classic BPF program; no system call, no die(). See profile.h.
 *
 * The program checks the architecture, then, for each one in the filter,
 * searches the call's number in ranges of numbers that share a verdict
 * (a return, or one call's rules with arguments): some eight comparisons
 * a call, however long the profile.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/ipc.h>
#include <linux/net.h>
#include <linux/seccomp.h>

#include "json.h"
#include "profbpf.h"
#include "syscalls.h" /* sysabi[], sysname[]: made by make */

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NONE 65535          /* in sysname[]: an ABI without the call */
#define X32_BIT 0x40000000U /* __X32_SYSCALL_BIT */
#define FAIL 255            /* a jump to the next rule, until placed */
/* libseccomp's default kills the thread alone: see profile.h */
#define BADARCH SECCOMP_RET_KILL_PROCESS

#if defined(__x86_64__)
const char profbpf_native[] = "SCMP_ARCH_X86_64";
#elif defined(__aarch64__)
const char profbpf_native[] = "SCMP_ARCH_AARCH64";
#else
#error "profbpf.c: no system call table for this architecture"
#endif

/* how the kernel tells the ABIs apart: seccomp_data.arch, and the x32
 * bit in the number; all little-endian (an argument's low word first) */
static const struct abi {
	const char *name;
	uint32_t audit, base;
	int bits; /* the width a condition compares */
	int mux;  /* has socketcall(2) and ipc(2), see muxed[] */
} abis[] = {
	{ "SCMP_ARCH_X86_64", AUDIT_ARCH_X86_64, 0, 64, 0 },
	{ "SCMP_ARCH_X32", AUDIT_ARCH_X86_64, X32_BIT, 32, 0 },
	{ "SCMP_ARCH_X86", AUDIT_ARCH_I386, 0, 32, 1 },
	{ "SCMP_ARCH_AARCH64", AUDIT_ARCH_AARCH64, 0, 64, 0 },
	{ "SCMP_ARCH_ARM", AUDIT_ARCH_ARM, 0, 32, 0 },
};

/*
 * i386 makes these calls through socketcall(2) or ipc(2) too, their
 * first argument saying which (ipc's low half: the high one is a
 * version). A rule without conditions covers those as well, as in
 * libseccomp; one with conditions cannot, the arguments being in memory.
 */
static const struct {
	const char *name, *via;
	uint32_t call;
} muxed[] = {
	{ "socket", "socketcall", SYS_SOCKET },
	{ "bind", "socketcall", SYS_BIND },
	{ "connect", "socketcall", SYS_CONNECT },
	{ "listen", "socketcall", SYS_LISTEN },
	{ "accept", "socketcall", SYS_ACCEPT },
	{ "getsockname", "socketcall", SYS_GETSOCKNAME },
	{ "getpeername", "socketcall", SYS_GETPEERNAME },
	{ "socketpair", "socketcall", SYS_SOCKETPAIR },
	{ "send", "socketcall", SYS_SEND },
	{ "recv", "socketcall", SYS_RECV },
	{ "sendto", "socketcall", SYS_SENDTO },
	{ "recvfrom", "socketcall", SYS_RECVFROM },
	{ "shutdown", "socketcall", SYS_SHUTDOWN },
	{ "setsockopt", "socketcall", SYS_SETSOCKOPT },
	{ "getsockopt", "socketcall", SYS_GETSOCKOPT },
	{ "sendmsg", "socketcall", SYS_SENDMSG },
	{ "recvmsg", "socketcall", SYS_RECVMSG },
	{ "accept4", "socketcall", SYS_ACCEPT4 },
	{ "recvmmsg", "socketcall", SYS_RECVMMSG },
	{ "sendmmsg", "socketcall", SYS_SENDMMSG },
	{ "semop", "ipc", SEMOP },
	{ "semget", "ipc", SEMGET },
	{ "semctl", "ipc", SEMCTL },
	{ "semtimedop", "ipc", SEMTIMEDOP },
	{ "msgsnd", "ipc", MSGSND },
	{ "msgrcv", "ipc", MSGRCV },
	{ "msgget", "ipc", MSGGET },
	{ "msgctl", "ipc", MSGCTL },
	{ "shmat", "ipc", SHMAT },
	{ "shmdt", "ipc", SHMDT },
	{ "shmget", "ipc", SHMGET },
	{ "shmctl", "ipc", SHMCTL },
};

/*
 * Each operator as the jump that decides on the low word: taken, the
 * condition holds (or fails, when neg). ordered: the high word decides
 * first when it differs (64-bit ABIs).
 */
static const struct {
	uint16_t jump;
	int neg, ordered;
} ops[] = {
	[CMP_NE] = { BPF_JEQ, 1, 0 },
	[CMP_LT] = { BPF_JGE, 1, 1 },
	[CMP_LE] = { BPF_JGT, 1, 1 },
	[CMP_EQ] = { BPF_JEQ, 0, 0 },
	[CMP_GE] = { BPF_JGE, 0, 1 },
	[CMP_GT] = { BPF_JGT, 0, 1 },
	[CMP_MASKED_EQ] = { BPF_JEQ, 0, 0 },
};

/* a call of one ABI that a rule names; mux: muxed[mux - 1]'s, or 0 */
struct hit {
	uint32_t nr;
	size_t rule;
	int bits;
	size_t mux;
};

/* from lo to the next span's lo: ret, or the rules of hits [hit, +nhit) */
struct span {
	uint32_t lo, ret;
	size_t hit, nhit;
};

struct prog {
	const struct prof_rule *rule;
	size_t nrule;
	uint32_t def;
	unsigned abis;
	struct sock_filter *ins;
	size_t n;
	int full; /* past BPF_MAXINSNS: n stops */
};

/* the column of ABI i in sysname[].nr, or -1 */
static int
column(size_t i)
{
	size_t k;

	for (k = 0; k < LEN(sysabi); k++)
		if (!strcmp(abis[i].name, sysabi[k]))
			return (int)k;
	return -1;
}

int
profbpf_abi(const char *name)
{
	size_t i;

	for (i = 0; i < LEN(abis); i++)
		if (!strcmp(name, abis[i].name) && column(i) >= 0)
			return (int)i;
	return -1;
}

/* one instruction more; past BPF_MAXINSNS nothing is added */
static void
put(struct prog *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (p->n == BPF_MAXINSNS) {
		p->full = 1;
		return;
	}
	p->ins[p->n++] = (struct sock_filter){ code, jt, jf, k };
}
#define LOAD(p, off) put(p, BPF_LD | BPF_W | BPF_ABS, off, 0, 0)
#define RET(p, v) put(p, BPF_RET | BPF_K, v, 0, 0)
#define JUMP(p, op, k, jt, jf) put(p, BPF_JMP | (op) | BPF_K, k, jt, jf)

/*
 * The jump at `at` skips all put after it when taken (else when not);
 * its other way goes on to the next instruction. Beyond the 255 a jump
 * reaches, through a BPF_JA put next to it: every jump between goes
 * forward to a place between, so moving them all keeps them right.
 */
static void
skip(struct prog *p, size_t at, int taken)
{
	size_t d = p->n - at - 1;
	int ja = d > 255;

	if (ja)
		put(p, BPF_JMP | BPF_JA, 0, 0, 0);
	if (p->full)
		return;
	if (ja) {
		memmove(p->ins + at + 2, p->ins + at + 1, d * sizeof(*p->ins));
		p->ins[at + 1] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA,
		    (uint32_t)d);
		d = 0;
	}
	p->ins[at].jt = (uint8_t)(taken ? d : (size_t)ja);
	p->ins[at].jf = (uint8_t)(taken ? (size_t)ja : d);
}

/* the condition's jumps, taken to FAIL when it does not hold */
static void
compare(struct prog *p, const struct prof_cond *c, int bits)
{
	uint32_t off = offsetof(struct seccomp_data, args) + 8 * c->arg;
	uint64_t mask = c->op == CMP_MASKED_EQ ? c->a : UINT64_MAX;
	uint64_t v = c->op == CMP_MASKED_EQ ? c->b & c->a : c->a;
	int neg = ops[c->op].neg;

	/* (a mask without high bits leaves nothing to compare there) */
	if (bits == 64 && mask >> 32) {
		LOAD(p, off + 4);
		if (c->op == CMP_MASKED_EQ)
			put(p, BPF_ALU | BPF_AND | BPF_K, mask >> 32, 0, 0);
		/* a high word above decides GT and GE, LT and LE */
		if (ops[c->op].ordered)
			JUMP(p, BPF_JGT, v >> 32, neg ? FAIL : 3, 0);
		/* a high word that differs decides NE, LT and LE too */
		JUMP(p, BPF_JEQ, v >> 32, 0, neg ? 2 : FAIL);
	}
	LOAD(p, off);
	if (c->op == CMP_MASKED_EQ)
		put(p, BPF_ALU | BPF_AND | BPF_K, (uint32_t)mask, 0, 0);
	JUMP(p, ops[c->op].jump, (uint32_t)v, neg ? FAIL : 0, neg ? 0 : FAIL);
}

/* conditions c[0..n) that must all hold, then ret; FAIL goes past it */
static void
conjunction(struct prog *p, const struct prof_cond *c, size_t n, uint32_t ret,
    int bits)
{
	size_t i, start = p->n;

	for (i = 0; i < n; i++)
		compare(p, c + i, bits);
	RET(p, ret);
	for (i = start; i < p->n; i++) {
		if (BPF_CLASS(p->ins[i].code) != BPF_JMP)
			continue;
		if (p->ins[i].jt == FAIL)
			p->ins[i].jt = (uint8_t)(p->n - i - 1);
		if (p->ins[i].jf == FAIL)
			p->ins[i].jf = (uint8_t)(p->n - i - 1);
	}
}

/* a call's rules with arguments, in order, then the default action */
static void
ruled(struct prog *p, const struct hit *h, size_t n)
{
	const struct prof_rule *r;
	size_t i, k;

	for (i = 0; i < n; i++) {
		r = &p->rule[h[i].rule];
		if (h[i].mux)
			conjunction(p, &(struct prof_cond){ 0, CMP_MASKED_EQ,
			    strcmp(muxed[h[i].mux - 1].via, "ipc") ? UINT32_MAX :
			    0xffff, muxed[h[i].mux - 1].call }, 1, r->ret, 32);
		else if (!r->split)
			conjunction(p, r->cond, r->ncond, r->ret, h[i].bits);
		for (k = 0; r->split && k < r->ncond; k++)
			conjunction(p, r->cond + k, 1, r->ret, h[i].bits);
	}
	RET(p, p->def);
}

/* a binary search of the spans s[0..n), the call's number loaded */
static void
search(struct prog *p, const struct span *s, size_t n, const struct hit *h)
{
	size_t mid = n / 2, at = p->n;

	if (n == 1 && !s->nhit)
		RET(p, s->ret);
	else if (n == 1)
		ruled(p, h + s->hit, s->nhit);
	else {
		JUMP(p, BPF_JGE, s[mid].lo, 0, 0);
		search(p, s, mid, h);
		skip(p, at, 1);
		search(p, s + mid, n - mid, h);
	}
}

static int
byhit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return (x->mux > y->mux) - (x->mux < y->mux);
}

static int
byname(const void *key, const void *row)
{
	return strcmp(key, ((const struct sysname *)row)->name);
}

/* the call's number in column col, or NONE (name NULL: none) */
static unsigned
number(const char *name, int col)
{
	const struct sysname *row;

	row = name ? bsearch(name, sysname, LEN(sysname), sizeof(*row),
	    byname) : NULL;
	return row ? row->nr[col] : NONE;
}

/* rule r's call name through socketcall or ipc, into h: 1; or 0 */
static size_t
muxhit(const char *name, int col, size_t r, struct hit *h)
{
	size_t i;

	for (i = 0; name && i < LEN(muxed); i++)
		if (!strcmp(name, muxed[i].name) &&
		    number(muxed[i].via, col) != NONE) {
			*h = (struct hit){ number(muxed[i].via, col), r, 32,
			    i + 1 };
			return 1;
		}
	return 0;
}

/* the calls of ABI i that the rules name, into h; their count */
static size_t
hits(const struct prog *p, size_t i, struct hit *h)
{
	const struct json *v;
	size_t r, n = 0;
	int col = column(i);

	for (r = 0; r < p->nrule; r++) {
		for (v = p->rule[r].names->child; v; v = v->next) {
			if (abis[i].mux && !p->rule[r].ncond)
				n += muxhit(json_string(v), col, r, h + n);
			if (number(json_string(v), col) != NONE)
				h[n++] = (struct hit){ abis[i].base +
				    number(json_string(v), col), r,
				    abis[i].bits, 0 };
		}
	}
	return n;
}

/* a span more, from lo; one that gives what the last gives joins it */
static void
span(struct span *s, size_t *n, uint32_t lo, uint32_t ret, size_t hit,
    size_t nhit)
{
	if (*n && !nhit && !s[*n - 1].nhit && s[*n - 1].ret == ret)
		return;
	s[*n] = (struct span){ lo, ret, hit, nhit };
	++*n;
}

/* the hits h[0..n), sorted, as spans of all 2^32 numbers; their count */
static size_t
spans(const struct prog *p, const struct hit *h, size_t n, struct span *s)
{
	size_t i, j, k, ns = 0;
	uint32_t next = 0;

	for (i = 0; i < n; i = j) {
		for (j = i; j < n && h[j].nr == h[i].nr; j++)
			;
		if (h[i].nr > next)
			span(s, &ns, next, p->def, 0, 0);
		/* the first rule without arguments decides alone */
		for (k = i; k < j && (h[k].mux || p->rule[h[k].rule].ncond);
		    k++)
			;
		if (k < j)
			span(s, &ns, h[i].nr, p->rule[h[k].rule].ret, 0, 0);
		else
			span(s, &ns, h[i].nr, 0, i, j - i);
		next = h[i].nr + 1;
	}
	span(s, &ns, next, p->def, 0, 0);
	return ns;
}

/* the hits of the ABIs in the filter whose seccomp_data.arch is audit,
 * sorted, without one rule twice for a number; *x32: if X32 is one */
static struct hit *
family(const struct prog *p, uint32_t audit, size_t *n, int *x32)
{
	size_t i, k, names = 1;
	struct hit *h;

	for (i = 0; i < p->nrule; i++)
		names += p->rule[i].names->len;
	/* two hits at most a name: x86_64's and x32's, or i386's two */
	if (!(h = calloc(2 * names, sizeof(*h))))
		return NULL;
	*n = 0, *x32 = 0;
	for (i = 0; i < LEN(abis); i++)
		if (p->abis & 1U << i && abis[i].audit == audit) {
			*n += hits(p, i, h + *n);
			*x32 |= abis[i].base == X32_BIT;
		}
	qsort(h, *n, sizeof(*h), byhit);
	for (i = k = 0; i < *n; i++)
		if (!k || byhit(h + i, h + k - 1))
			h[k++] = h[i];
	*n = k;
	return h;
}

/* the calls of the arch audit, its number checked first; 0 or -1 */
static int
section(struct prog *p, uint32_t audit)
{
	struct hit *h;
	struct span *s;
	size_t n;
	int x32;

	if (!(h = family(p, audit, &n, &x32)))
		return -1;
	if (!(s = calloc(2 * n + 1, sizeof(*s)))) {
		free(h);
		return -1;
	}
	LOAD(p, offsetof(struct seccomp_data, nr));
	/* x32's numbers, x32 left out (but -1, a call a tracer skips) */
	if (audit == AUDIT_ARCH_X86_64 && !x32) {
		JUMP(p, BPF_JGE, X32_BIT, 0, 2);
		JUMP(p, BPF_JEQ, UINT32_MAX, 1, 0);
		RET(p, BADARCH);
	}
	search(p, s, spans(p, h, n, s), h);
	free(s);
	free(h);
	return 0;
}

/* the arch checked, each in the filter given its section, others killed */
static int
emit(struct prog *p)
{
	size_t i, k, at;

	LOAD(p, offsetof(struct seccomp_data, arch));
	for (i = 0; i < LEN(abis); i++) {
		for (k = 0; k < i && (!(p->abis & 1U << k) ||
		    abis[k].audit != abis[i].audit); k++)
			;
		if (!(p->abis & 1U << i) || k < i)
			continue;
		at = p->n;
		JUMP(p, BPF_JEQ, abis[i].audit, 0, 0);
		if (section(p, abis[i].audit) < 0)
			return -1;
		skip(p, at, 0);
	}
	RET(p, BADARCH);
	return 0;
}

int
profbpf(const struct prof_rule *rule, size_t n, uint32_t def,
    unsigned abis, struct sock_filter **prog, size_t *len)
{
	struct prog p = { rule, n, def, abis, NULL, 0, 0 };

	/* (a build without its own table kills every call) */
	if (profbpf_abi(profbpf_native) >= 0)
		p.abis |= 1U << profbpf_abi(profbpf_native);
	if (!(p.ins = calloc(BPF_MAXINSNS, sizeof(*p.ins))) || emit(&p) < 0) {
		free(p.ins);
		return errno = ENOMEM, -1;
	}
	if (p.full) {
		free(p.ins);
		return errno = E2BIG, -1;
	}
	*prog = realloc(p.ins, p.n * sizeof(*p.ins));
	if (!*prog)
		*prog = p.ins;
	*len = p.n;
	return 0;
}
