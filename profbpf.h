/* See LICENSE file for copyright and license details. */
/*
 * profbpf.c: a seccomp profile's rules, as profile.c reads them, made one
 * classic BPF program; no system call, no die(). See profile.h.
 */
#include <stddef.h>
#include <stdint.h>

struct json;
struct sock_filter;

/* the operators, in the order of profile.c's names for them */
enum { CMP_NE, CMP_LT, CMP_LE, CMP_EQ, CMP_GE, CMP_GT, CMP_MASKED_EQ };
#define PROF_MAXCOND 6 /* libseccomp's bound, and a call's arguments */

struct prof_cond {
	unsigned arg, op; /* op: CMP_* */
	uint64_t a, b;    /* value, valueTwo */
};

struct prof_rule {
	const struct json *names; /* a list of strings */
	uint32_t ret;             /* SECCOMP_RET_*, with its data */
	int split;                /* each condition a rule of its own */
	unsigned ncond;
	struct prof_cond cond[PROF_MAXCOND];
};

/* name (SCMP_ARCH_*): its bit in profbpf()'s abis if this build has its
 * table, else -1; native: this machine's own */
int profbpf_abi(const char *name);
extern const char profbpf_native[];

/*
 * The program of rule[0..n) (none with the default action def) for the
 * ABIs in abis: 0, with *prog (malloc'd) and *len; -1, with errno
 * ENOMEM, or E2BIG when it would be longer than BPF_MAXINSNS.
 */
int profbpf(const struct prof_rule *rule, size_t n, uint32_t def,
    unsigned abis, struct sock_filter **prog, size_t *len);
