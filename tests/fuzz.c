/* See LICENSE file for copyright and license details. */
/*
 * libFuzzer harnesses for sbx's parsers, one binary: FUZZ_TARGET picks
 * the parser (args, mount, rlimit, signal, duration, cap, idmap, name,
 * id), the image's building block (json, tar, sha256, crc32, gunzip),
 * an OCI bundle's config (bundle) or its seccomp profile (profile), or
 * init's file of a container's hooks (hooks).
 * The units are linked as they are; exit() is wrapped (-Wl,--wrap)
 * to jump back here, so a parse error is a normal outcome and a sanitizer
 * report is a bug. Built and run by `make fuzz` (and briefly by make
 * check).
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <linux/filter.h>

#include "../caps.h"
#include "../crc32.h"
#include "../idmap.h"
#include "../bundle.h"
#include "../json.h"
#include "../jsonout.h"
#include "../profile.h"
#include "../inflate.h"
#include "../inithooks.h"
#include "../names.h"
#include "../plan.h"
#include "../opts.h"
#include "../pax.h"
#include "../tar.h"
#include "../sbx.h"
#include "../sha256.h"
#include "../signames.h"

static jmp_buf back;
static int inside;      /* in a parser: exit() jumps back */
static const char *target;

void __real_exit(int code);
void __wrap_exit(int code);

void
__wrap_exit(int code)
{
	if (inside)
		longjmp(back, 1);
	__real_exit(code);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!(target = getenv("FUZZ_TARGET")))
		target = "args";
	return 0;
}

/* the input split at its NUL bytes, as a command line */
static void
fuzz_args(char *buf, size_t size)
{
	static struct plan p;
	char *argv[66];
	size_t i;
	int argc = 1;

	argv[0] = "sbx";
	for (i = 0; i < size && argc < 65; i += strlen(buf + i) + 1) {
		/* these print and exit, as they should */
		if (!strncmp(buf + i, "--help", 6) ||
		    !strncmp(buf + i, "--version", 9))
			return;
		argv[argc++] = buf + i;
	}
	argv[argc] = NULL;
	parse(argc, argv, &p);
}

/* one option's value, through the parser, as the command line gives it */
static void
fuzz_value(const char *a, const char *b, char *s)
{
	static struct plan p;
	char *argv[] = { "sbx", (char *)a, (char *)b, s, NULL };

	if (!b)
		argv[2] = s, argv[3] = NULL;
	parse(b ? 4 : 3, argv, &p);
}

/* an OCI bundle's config.json into a plan; the tree of the last input is
 * kept, reachable, as a failure longjmps past its free */
static void
fuzz_bundle(const char *s, size_t size)
{
	static struct json *doc;
	static struct plan p;

	json_free(doc);
	free(p.filter);
	doc = NULL;
	p.filter = NULL;
	bundle_parse(s, size, "/b", &p, &doc);
}

/* every node of a parsed tree: its path and its answers, which must not
 * read past what the parser gave */
static void
fuzz_walk(const struct json *v)
{
	char path[64];
	long long i;
	unsigned long long u;
	size_t n;

	for (; v; v = v->next) {
		/* truncated as snprintf would be, and the same length whole */
		n = json_path(v, path, v->index % sizeof(path));
		if (n < sizeof(path) && json_path(v, path, sizeof(path)) == n &&
		    strlen(path) != n)
			abort();
		(void)json_int(v, -5, 1LL << 40, &i);
		(void)json_uint(v, ~0ULL, &u);
		(void)json_string(v);
		(void)json_get(v, "a");
		fuzz_walk(v->child);
	}
}

static void
fuzz_json(const char *s, size_t size)
{
	struct json *root;
	char err[80];

	if ((root = json_parse(s, size, err, size % sizeof(err))))
		fuzz_walk(root);
	json_free(root);
}

/* the input as a config's linux.seccomp (or as the profile itself):
 * compiled, every jump of the program must land in it, on a return at
 * the end */
static void
fuzz_profile(const char *s, size_t size)
{
	const struct json *sec;
	struct json *root;
	struct profile p;
	char err[120];
	size_t i, to;

	if (!(root = json_parse(s, size, err, sizeof(err))))
		return;
	if (!(sec = json_get(json_get(root, "linux"), "seccomp")))
		sec = root;
	if (profile_compile(sec, &p, err, size % sizeof(err)) == 0) {
		if (!p.len || p.len > BPF_MAXINSNS ||
		    BPF_CLASS(p.prog[p.len - 1].code) != BPF_RET)
			abort();
		for (i = 0; i < p.len; i++) {
			if (BPF_CLASS(p.prog[i].code) != BPF_JMP)
				continue;
			to = BPF_OP(p.prog[i].code) == BPF_JA ? p.prog[i].k :
			    p.prog[i].jt > p.prog[i].jf ? p.prog[i].jt :
			    p.prog[i].jf;
			if (i + 1 + to >= p.len)
				abort();
		}
		profile_free(&p);
	}
	json_free(root);
}

/* the input as an archive, read in uneven pieces: every entry and all
 * its data */
struct mem {
	const char *p;
	size_t n;
};

static ssize_t
mem_read(void *arg, void *buf, size_t n)
{
	struct mem *m = arg;

	if (n > m->n)
		n = m->n;
	if (n > 700)
		n = 700;
	memcpy(buf, m->p, n);
	m->p += n;
	m->n -= n;
	return n;
}

static void
fuzz_tar(const char *s, size_t size)
{
	static char buf[4096];
	struct mem m = { s, size };
	const struct tar_entry *e;
	struct tar *t;

	if (!(t = tar_open(mem_read, &m)))
		return;
	while (tar_next(t, &e) > 0)
		while (tar_read(t, buf, sizeof(buf)) > 0)
			;
	(void)tar_error(t);
	tar_close(t);
}

/* the input in pieces as long as its bytes say */
static void
in_pieces(const unsigned char *b, size_t size,
    void (*add)(void *, const unsigned char *, size_t), void *arg)
{
	size_t i, j, k;

	for (i = j = 0; i < size; i += k, j++) {
		k = j < size ? b[j] : size - i;
		add(arg, b + i, k < size - i ? k : size - i);
	}
}

static void
sha_add(void *arg, const unsigned char *p, size_t n)
{
	sha256_add(arg, p, n);
}

/* the digest in one call, and in pieces, with the CPU's SHA
 * instructions (if it has them) and with the portable code: they must
 * all agree */
static void
fuzz_sha256(const unsigned char *b, size_t size)
{
	struct sha256 one, parts;
	char a[65], c[65];
	int portable;

	sha256_init(&one);
	sha256_add(&one, b, size);
	sha256_hex(&one, a);
	for (portable = 0; portable < 2; portable++) {
		sha256_init(&parts);
		if (portable)
			sha256_portable(&parts);
		in_pieces(b, size, sha_add, &parts);
		sha256_hex(&parts, c);
		if (strcmp(a, c))
			abort();
	}
}

struct crc {
	struct crc32 t;
	uint32_t v;
};

static void
crc_add(void *arg, const unsigned char *p, size_t n)
{
	struct crc *c = arg;

	c->v = crc32_add(&c->t, c->v, p, n);
}

/* the same of the CRC-32, with pclmulqdq (if the CPU has it) and with
 * the tables alone */
static void
fuzz_crc32(const unsigned char *b, size_t size)
{
	static struct crc one, parts;
	int portable;

	crc32_init(&one.t);
	one.v = crc32_add(&one.t, 0, b, size);
	for (portable = 0; portable < 2; portable++) {
		crc32_init(&parts.t);
		if (portable)
			crc32_portable(&parts.t);
		parts.v = 0;
		in_pieces(b, size, crc_add, &parts);
		if (parts.v != one.v)
			abort();
	}
}

struct source {
	const unsigned char *p;
	size_t n, step;
};

static ssize_t
fuzz_read(void *arg, void *buf, size_t n)
{
	struct source *s = arg;

	if (n > s->n)
		n = s->n;
	if (n > s->step)
		n = s->step;
	memcpy(buf, s->p, n);
	s->p += n, s->n -= n;
	return n;
}

/* decoding, with the input whole or in small reads; up to 16 MiB out */
static void
fuzz_gunzip(const unsigned char *b, size_t size)
{
	static char out[65536];
	struct source s = { b, size, size & 1 ? size : 1 + size % 13 };
	struct gz *z;
	size_t total = 0;
	ssize_t n;

	if (!(z = gz_open(fuzz_read, &s)))
		return;
	while (total < 16 << 20 && (n = gz_read(z, out, sizeof(out))) > 0)
		total += n;
	gz_close(z);
}

/* init's file of a container's hooks, in exactly size bytes, so that a
 * read past them is ASan's to see; each string found lies in them */
static void
fuzz_hooks(const char *s, size_t size)
{
	struct hookfile f;
	char *buf = malloc(size + !size), **v;
	int i;

	if (!buf)
		return;
	memcpy(buf, s, size);
	if (!inithooks_parse(buf, size, &f))
		for (i = 0; i < f.n; i++)
			for (v = f.of[i].argv; *v; v++)
				if (*v < buf || *v >= buf + size)
					abort();
	free(f.of);
	free(f.strs);
	free(buf);
}

static void
fuzz_one(char *s, size_t size)
{
	unsigned long range[2];

	if (!strcmp(target, "args"))
		fuzz_args(s, size);
	else if (!strcmp(target, "mount"))
		fuzz_value(size & 1 ? "-t" : "-b", NULL, s);
	else if (!strcmp(target, "rlimit"))
		fuzz_value("--rlimit", NULL, s);
	else if (!strcmp(target, "signal"))
		(void)signum(s);
	else if (!strcmp(target, "duration") && size & 1)
		fuzz_value("stop", "name", s);
	else if (!strcmp(target, "duration"))
		fuzz_value("--timeout", NULL, s);
	else if (!strcmp(target, "cap"))
		(void)caps_bit(s);
	else if (!strcmp(target, "idmap"))
		(void)idmap_range(s, "1000", "user", range);
	else if (!strcmp(target, "name"))
		(void)names_valid(s);
	else if (!strcmp(target, "id"))
		fuzz_value("-u", NULL, s);
	else if (!strcmp(target, "json"))
		fuzz_json(s, size);
	else if (!strcmp(target, "tar"))
		fuzz_tar(s, size);
	else if (!strcmp(target, "sha256"))
		fuzz_sha256((unsigned char *)s, size);
	else if (!strcmp(target, "crc32"))
		fuzz_crc32((unsigned char *)s, size);
	else if (!strcmp(target, "gunzip"))
		fuzz_gunzip((unsigned char *)s, size);
	else if (!strcmp(target, "bundle"))
		fuzz_bundle(s, size);
	else if (!strcmp(target, "profile"))
		fuzz_profile(s, size);
	else if (!strcmp(target, "hooks"))
		fuzz_hooks(s, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 65536 || !(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	enter(NULL);
	inside = 1;
	if (!setjmp(back))
		fuzz_one(s, size);
	inside = 0;
	free(s);
	return 0;
}
