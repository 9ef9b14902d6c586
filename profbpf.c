/* See LICENSE file for copyright and license details. */
/*
 * profbpf.c: a seccomp profile's rules, as profile.c reads them, made one
 * classic BPF program; no system call, no die(). See profile.h.
 *
 * The program checks the architecture, then, for each one in the filter,
 * searches the call's number in ranges of numbers that share a verdict
 * (a return, or one call's rules with arguments): about a dozen
 * instructions run a call, however long the profile (podman's: 11 on
 * average, 19 at most, of 662).
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
 * Sorted by name.
 */
static const struct {
	/* cppcheck-suppress unusedStructMember */
	const char *name; /* bsearch's key */
	const char *via;
	uint32_t call;
} muxed[] = {
	{ "accept", "socketcall", SYS_ACCEPT },
	{ "accept4", "socketcall", SYS_ACCEPT4 },
	{ "bind", "socketcall", SYS_BIND },
	{ "connect", "socketcall", SYS_CONNECT },
	{ "getpeername", "socketcall", SYS_GETPEERNAME },
	{ "getsockname", "socketcall", SYS_GETSOCKNAME },
	{ "getsockopt", "socketcall", SYS_GETSOCKOPT },
	{ "listen", "socketcall", SYS_LISTEN },
	{ "msgctl", "ipc", MSGCTL },
	{ "msgget", "ipc", MSGGET },
	{ "msgrcv", "ipc", MSGRCV },
	{ "msgsnd", "ipc", MSGSND },
	{ "recv", "socketcall", SYS_RECV },
	{ "recvfrom", "socketcall", SYS_RECVFROM },
	{ "recvmmsg", "socketcall", SYS_RECVMMSG },
	{ "recvmsg", "socketcall", SYS_RECVMSG },
	{ "semctl", "ipc", SEMCTL },
	{ "semget", "ipc", SEMGET },
	{ "semop", "ipc", SEMOP },
	{ "semtimedop", "ipc", SEMTIMEDOP },
	{ "send", "socketcall", SYS_SEND },
	{ "sendmmsg", "socketcall", SYS_SENDMMSG },
	{ "sendmsg", "socketcall", SYS_SENDMSG },
	{ "sendto", "socketcall", SYS_SENDTO },
	{ "setsockopt", "socketcall", SYS_SETSOCKOPT },
	{ "shmat", "ipc", SHMAT },
	{ "shmctl", "ipc", SHMCTL },
	{ "shmdt", "ipc", SHMDT },
	{ "shmget", "ipc", SHMGET },
	{ "shutdown", "socketcall", SYS_SHUTDOWN },
	{ "socket", "socketcall", SYS_SOCKET },
	{ "socketpair", "socketcall", SYS_SOCKETPAIR },
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
	uint32_t nr, rule;
	unsigned char bits, mux;
};

/* a name in a rule: its row in sysname[] (or NULL), as hit.mux (or 0) */
struct name {
	const struct sysname *row;
	unsigned char mux;
};

/* from lo to the next span's lo: ret, or the rules of hits [hit, +nhit) */
struct span {
	uint32_t lo, ret;
	size_t hit, nhit;
};

struct prog {
	const struct prof_rule *rule;
	size_t nrule;
	struct name *name; /* each of the rules' names, in order */
	uint32_t def;
	unsigned abis;
	struct sock_filter *ins;
	size_t n, size;
	int full, nomem; /* past BPF_MAXINSNS, or out of memory: n stops */
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
	struct sock_filter *more;
	size_t size = p->size ? 2 * p->size : 512;

	if (p->full || p->nomem)
		return;
	if (p->n == BPF_MAXINSNS) {
		p->full = 1;
		return;
	}
	if (p->n == p->size) {
		size = size < BPF_MAXINSNS ? size : BPF_MAXINSNS;
		if (!(more = realloc(p->ins, size * sizeof(*more)))) {
			p->nomem = 1;
			return;
		}
		p->ins = more, p->size = size;
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
	if (p->full || p->nomem)
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

/* both tables start with a name */
static int
byname(const void *key, const void *row)
{
	return strcmp(key, *(const char *const *)row);
}

/* each name of the rules, in order: its row, and its way through
 * socketcall or ipc; 0 or -1 */
static int
names(struct prog *p)
{
	const struct json *v;
	const void *m;
	size_t r, n = 1;

	for (r = 0; r < p->nrule; r++)
		n += p->rule[r].names->len;
	if (!(p->name = calloc(n, sizeof(*p->name))))
		return -1;
	for (r = 0, n = 0; r < p->nrule; r++)
		for (v = p->rule[r].names->child; v; v = v->next, n++) {
			if (!json_string(v))
				continue;
			p->name[n].row = bsearch(json_string(v), sysname,
			    LEN(sysname), sizeof(*sysname), byname);
			if ((m = bsearch(json_string(v), muxed, LEN(muxed),
			    sizeof(*muxed), byname)))
				p->name[n].mux = (unsigned char)(1 +
				    ((const char *)m - (const char *)muxed) /
				    sizeof(*muxed));
		}
	return 0;
}

/* the calls of ABI i that the rules name, into h; their count */
static size_t
hits(const struct prog *p, size_t i, struct hit *h)
{
	const struct sysname *via;
	const struct name *nm = p->name;
	size_t r, k, n = 0;
	int col = column(i);

	for (r = 0; r < p->nrule; r++)
		for (k = 0; k < p->rule[r].names->len; k++, nm++) {
			if (abis[i].mux && !p->rule[r].ncond && nm->mux &&
			    (via = bsearch(muxed[nm->mux - 1].via, sysname,
			    LEN(sysname), sizeof(*sysname), byname)) &&
			    via->nr[col] != NONE)
				h[n++] = (struct hit){ via->nr[col],
				    (uint32_t)r, 32, nm->mux };
			if (nm->row && nm->row->nr[col] != NONE)
				h[n++] = (struct hit){ abis[i].base +
				    nm->row->nr[col], (uint32_t)r,
				    (unsigned char)abis[i].bits, 0 };
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

/* one more than the largest number in sysname[] */
static size_t
top(void)
{
	size_t i, k, n = 0;

	for (i = 0; i < LEN(sysname); i++)
		for (k = 0; k < LEN(sysabi); k++)
			if (sysname[i].nr[k] != NONE && sysname[i].nr[k] >= n)
				n = sysname[i].nr[k] + 1U;
	return n;
}

/*
 * h[0..n) in the order of their numbers, each number's in the rules'
 * (the order they were found in), into out: a counting sort, the
 * numbers being small but for x32's bit. qsort would take longer than
 * all the rest. -1 if there is no memory.
 */
static int
sort(const struct hit *h, size_t n, struct hit *out)
{
	size_t i, k, t = top(), *at;

	if (!(at = calloc(2 * t + 1, sizeof(*at))))
		return -1;
#define KEY(nr) ((nr) >= X32_BIT ? t + (nr) - X32_BIT : (nr))
	for (i = 0; i < n; i++)
		at[KEY(h[i].nr) + 1]++;
	for (k = 1; k <= 2 * t; k++)
		at[k] += at[k - 1];
	for (i = 0; i < n; i++)
		out[at[KEY(h[i].nr)]++] = h[i];
#undef KEY
	free(at);
	return 0;
}

/* the hits of the ABIs in the filter whose seccomp_data.arch is audit,
 * sorted, without one rule twice in a row for a number; *x32: if X32
 * is one of them */
static struct hit *
family(const struct prog *p, uint32_t audit, size_t *n, int *x32)
{
	size_t i, k, all = 1;
	struct hit *h, *s;

	for (i = 0; i < p->nrule; i++)
		all += p->rule[i].names->len;
	/* two hits at most a name: x86_64's and x32's, or i386's two */
	if (!(h = malloc(4 * all * sizeof(*h))))
		return NULL;
	*n = 0, *x32 = 0;
	for (i = 0; i < LEN(abis); i++)
		if (p->abis & 1U << i && abis[i].audit == audit) {
			*n += hits(p, i, h + *n);
			*x32 |= abis[i].base == X32_BIT;
		}
	if (sort(h, *n, s = h + 2 * all) < 0) {
		free(h);
		return NULL;
	}
	for (i = k = 0; i < *n; i++)
		if (!k || s[i].nr != h[k - 1].nr || s[i].rule != h[k - 1].rule ||
		    s[i].mux != h[k - 1].mux)
			h[k++] = s[i];
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
	struct prog p = { rule, n, NULL, def, abis, NULL, 0, 0, 0, 0 };

	/* (a build without its own table kills every call) */
	if (profbpf_abi(profbpf_native) >= 0)
		p.abis |= 1U << profbpf_abi(profbpf_native);
	if (names(&p) < 0 || emit(&p) < 0 || p.full || p.nomem) {
		free(p.name);
		free(p.ins);
		return errno = p.full ? E2BIG : ENOMEM, -1;
	}
	free(p.name);
	*prog = p.ins;
	*len = p.n;
	return 0;
}
