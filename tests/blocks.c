/* See LICENSE file for copyright and license details. */
/*
 * blocks: the building blocks of images (#16) on the host, for
 * tests/image.sh; one subcommand each, in its own function, never put in
 * the rootfs:
 *   tar < ARCHIVE        one line per entry: type, mode (octal),
 *                        uid:gid, size, name[ -> link]; reads the data
 *   unpack DIR < ARCHIVE the archive beneath DIR (made if missing), as
 *                        a layer labelled "stdin"; BLOCKS_MAXBYTES
 *                        bounds it, BLOCKS_KEEP_OWNERS=1 keeps owners
 *                        (failures as sbx's: one line, status 125)
 *   json [-i|-u|-p] [PATH...] < FILE
 *                    no PATH: the document back, compact and canonical
 *                    (keys in input order, strings escaped minimally);
 *                    PATH (.name, [N], ["name"]): each value, a string
 *                    raw (json_string: one with a NUL is an error);
 *                    -i/-u: through json_int/json_uint instead;
 *                    -p: every value's json_path, one a line
 *                    (failures: "blocks: json: ...", status 1)
 *   sha256 [FILE]    the hex digest of FILE or stdin
 *   crc32 [FILE]     its CRC-32, 8 hex digits (BLOCKS_PORTABLE=1: both
 *                    with the portable code, not the CPU's instructions)
 *   gunzip           stdin decoded to stdout
 *                    (BLOCKS_CHUNK=N reads and decodes N bytes at a
 *                    time; failures: "blocks: CMD: WHY", status 1)
 *   profile [-d] FILE [exec CMD... | call [-32|-x32] NR [ARG...]]
 *                    FILE's linux.seccomp (FILE itself if it has no
 *                    "linux") compiled: "N instructions, flags 0xF"
 *                    (-d: then each one, "code jt jf k" in hex); exec:
 *                    CMD run under it, with no_new_privs; call: system
 *                    call NR (i386's through int $0x80, or x32's) made
 *                    under it with ARGs (strtoul's, base 0), printing
 *                    "= RET", "errno N" or, when trapped, "SIGSYS NR"
 *                    (failures: "blocks: profile: WHY", status 1)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "../crc32.h"
#include "../fmt.h"
#include "../inflate.h"
#include "../json.h"
#include "../jsonout.h"
#include "../pax.h"
#include "../profile.h"
#include "../sbx.h"
#include "../sha256.h"
#include "../tar.h"
#include "../unpack.h"

static ssize_t
rd_fd(void *arg, void *buf, size_t n)
{
	return read(*(int *)arg, buf, n);
}

static struct tar *
tar_stdin(void)
{
	static int in = 0;
	struct tar *t;

	if (!(t = tar_open(rd_fd, &in)))
		die("tar_open:");
	return t;
}

static int
cmd_tar(int argc, char **argv)
{
	static char buf[65536];
	const struct tar_entry *e;
	struct tar *t = tar_stdin();
	ssize_t n = 0;
	int r;

	(void)argc, (void)argv;
	while ((r = tar_next(t, &e)) > 0) {
		printf("%c %04o %u:%u %lld %s%s%s\n", e->type, e->mode, e->uid,
		    e->gid, e->size, e->name, e->type == '1' || e->type == '2' ?
		    " -> " : "", e->type == '1' || e->type == '2' ? e->link : "");
		while ((n = tar_read(t, buf, sizeof(buf))) > 0)
			;
		if (n < 0)
			break;
	}
	if (fflush(stdout) == EOF)
		die("write:");
	if (r < 0 || n < 0)
		die("%s", tar_error(t));
	tar_close(t);
	return 0;
}

static int
cmd_unpack(int argc, char **argv)
{
	struct unpack_opts o = { "stdin", 0, 0 };
	const char *s;
	struct tar *t;
	int dir;

	if (argc != 2)
		die("usage: blocks unpack DIR < ARCHIVE");
	if ((s = getenv("BLOCKS_MAXBYTES")))
		o.maxbytes = strtoull(s, NULL, 10);
	if ((s = getenv("BLOCKS_KEEP_OWNERS")))
		o.keep_owners = atoi(s);
	if (mkdir(argv[1], 0755) < 0 && errno != EEXIST)
		die("mkdir %s:", argv[1]);
	if ((dir = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open %s:", argv[1]);
	t = tar_stdin();
	unpack(dir, t, &o);
	tar_close(t);
	return close(dir) < 0;
}

#define INMAX (256 << 20) /* what stdin may hold */

static const char *verb = "json";

__attribute__((noreturn, format(printf, 1, 2))) static void
jdie(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "blocks: %s: ", verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* all of stdin, NUL-terminated; *n its length */
static char *
read_stdin(size_t *n)
{
	char *buf = NULL, *more = NULL;
	size_t size = 0, k;

	for (*n = 0;; *n += k) {
		/* no free on failure: it dies */
		if (*n + 1 >= size && (size >= INMAX ||
		    !(more = realloc(buf, size = size * 2 + 4096))))
			jdie("stdin: too big, or out of memory");
		if (more)
			buf = more, more = NULL;
		if (!(k = fread(buf + *n, 1, size - *n - 1, stdin)))
			break;
	}
	if (ferror(stdin))
		jdie("stdin: read error");
	buf[*n] = '\0';
	return buf;
}

/* json: s[0..len) quoted */
static void
json_quoted(const char *s, size_t len)
{
	size_t n = json_quote(NULL, 0, s, len) + 1;
	char *q;

	if (!(q = malloc(n)))
		jdie("out of memory");
	json_quote(q, n, s, len);
	fputs(q, stdout);
	free(q);
}

/* json: the canonical compact form of v */
static void
json_put(const struct json *v)
{
	const struct json *m;

	switch (v->type) {
	case JSON_NULL:
		fputs("null", stdout);
		break;
	case JSON_BOOL:
		fputs(v->boolean ? "true" : "false", stdout);
		break;
	case JSON_NUMBER:
		fwrite(v->str, 1, v->len, stdout);
		break;
	case JSON_STRING:
		json_quoted(v->str, v->len);
		break;
	default:
		putchar(v->type == JSON_ARRAY ? '[' : '{');
		for (m = v->child; m; m = m->next) {
			if (m != v->child)
				putchar(',');
			if (v->type == JSON_OBJECT)
				json_quoted(m->key, m->klen), putchar(':');
			json_put(m);
		}
		putchar(v->type == JSON_ARRAY ? ']' : '}');
	}
}

/* json: the member of v that the path's step at *s names (.name,
 * ["name"] or [N]); *s moves past it */
static const struct json *
json_step(const struct json *v, const char **s)
{
	const struct json *m;
	const char *e;
	char *end, *name;
	size_t i;

	if (**s == '.' || !strncmp(*s, "[\"", 2)) {
		*s += **s == '.' ? 1 : 2;
		if (*(*s - 1) == '.')
			e = *s + strcspn(*s, ".[");
		else if (!(e = strstr(*s, "\"]")))
			return NULL;
		if (!(name = strndup(*s, (size_t)(e - *s))))
			jdie("out of memory");
		m = json_get(v, name);
		free(name);
		*s = e + (*e == '"' ? 2 : 0);
		return m;
	}
	if (**s != '[' || v->type != JSON_ARRAY)
		return NULL;
	i = strtoul(*s + 1, &end, 10);
	if (end == *s + 1 || *end != ']')
		return NULL;
	*s = end + 1;
	for (m = v->child; m && m->index != i; m = m->next)
		;
	return m;
}

/* json: the value at path, printed as the mode says; -1 if there is none */
static int
json_show(const struct json *root, const char *path, int mode)
{
	const struct json *v = root;
	const char *s = path;
	long long i;
	unsigned long long u;

	while (v && *s)
		v = json_step(v, &s);
	if (!v)
		return fprintf(stderr, "blocks: json: %s: not found\n", path), -1;
	if (mode == 'i' && json_int(v, -0x7fffffffffffffffLL - 1,
	    0x7fffffffffffffffLL, &i) < 0)
		return fprintf(stderr, "blocks: json: %s: not an integer\n", path), -1;
	if (mode == 'u' && json_uint(v, ~0ULL, &u) < 0)
		return fprintf(stderr, "blocks: json: %s: not an integer\n", path), -1;
	if (mode == 'i')
		printf("%lld\n", i);
	else if (mode == 'u')
		printf("%llu\n", u);
	else if (v->type == JSON_STRING && !json_string(v))
		return fprintf(stderr, "blocks: json: %s: holds a NUL\n", path), -1;
	else if (v->type == JSON_STRING)
		puts(json_string(v));
	else
		json_put(v), putchar('\n');
	return 0;
}

/* json -p: every value's path, in document order */
static void
json_paths(const struct json *v)
{
	char path[4096];

	json_path(v, path, sizeof(path));
	puts(path);
	for (v = v->child; v; v = v->next)
		json_paths(v);
}

static int
json_main(int argc, char **argv)
{
	struct json *root;
	char err[256], *buf;
	size_t n;
	int i = 1, mode = 0, rc = 0;

	if (i < argc && (!strcmp(argv[i], "-i") || !strcmp(argv[i], "-u") ||
	    !strcmp(argv[i], "-p")))
		mode = argv[i++][1];
	buf = read_stdin(&n);
	if (!(root = json_parse(buf, n, err, sizeof(err))))
		jdie("%s", err);
	if (mode == 'p')
		json_paths(root);
	else if (i == argc)
		json_put(root), putchar('\n');
	for (; i < argc; i++)
		if (json_show(root, argv[i], mode) < 0)
			rc = 1;
	json_free(root);
	free(buf);
	return rc;
}

static const char *codec_cmd;
static size_t chunk = 65536;
static unsigned char codec_buf[65536];
/* BLOCKS_CHUNK=N: reads (and decodes) N bytes at a time, to split the
 * input at every boundary */

static void
codec_fail(const char *why, const char *what)
{
	fprintf(stderr, "blocks: %s: %s%s%s\n", codec_cmd, what ? what : "",
	    what ? ": " : "", why);
	exit(1);
}

static ssize_t
readin(void *arg, void *p, size_t n)
{
	return read(*(int *)arg, p, n < chunk ? n : chunk);
}

static void
writeout(const unsigned char *p, size_t n)
{
	ssize_t k;

	for (; n; p += k, n -= k)
		if ((k = write(1, p, n)) < 0)
			codec_fail(strerror(errno), "write");
}

/* sha256 or crc32: both are summed, one printed */
static int
digestcmd(int argc, char **argv)
{
	struct sha256 s;
	struct crc32 c;
	uint32_t crc = 0;
	char hex[65];
	ssize_t n;
	int fd = 0;

	codec_cmd = argv[0];
	if (argc > 1 && (fd = open(argv[1], O_RDONLY)) < 0)
		codec_fail(strerror(errno), argv[1]);
	sha256_init(&s);
	crc32_init(&c);
	if (getenv("BLOCKS_PORTABLE"))
		sha256_portable(&s), crc32_portable(&c);
	while ((n = readin(&fd, codec_buf, sizeof(codec_buf))) > 0) {
		sha256_add(&s, codec_buf, n);
		crc = crc32_add(&c, crc, codec_buf, n);
	}
	if (n < 0)
		codec_fail(strerror(errno), "read");
	sha256_hex(&s, hex);
	if (strcmp(argv[0], "sha256"))
		snprintf(hex, sizeof(hex), "%08x", (unsigned)crc);
	if (printf("%s\n", hex) < 0 || fflush(stdout) == EOF)
		codec_fail(strerror(errno), "write");
	return 0;
}

static int
gunzipcmd(int argc, char **argv)
{
	struct gz *z;
	ssize_t n;
	int fd = 0;

	(void)argc, (void)argv;
	codec_cmd = "gunzip";
	if (!(z = gz_open(readin, &fd)))
		codec_fail(strerror(errno), NULL);
	while ((n = gz_read(z, codec_buf, chunk)) > 0)
		writeout(codec_buf, n);
	if (n < 0)
		codec_fail(gz_error(z), NULL);
	gz_close(z);
	return 0;
}

/* profile call: s on stdout, then the end, by the calls themselves: a
 * sanitizer's _exit, or its checks before a noreturn call, would make
 * more, which the filter may deny */
static void
say(const char *s)
{
	syscall(SYS_exit_group, syscall(SYS_write, 1, s, strlen(s)) < 0);
}

/* profile call: what a trapped call was */
static void
trapped(int sig, siginfo_t *si, void *uc)
{
	char buf[40];

	(void)sig, (void)uc;
	fmt(buf, sizeof(buf), "SIGSYS %d\n", si->si_syscall);
	say(buf);
}

static long
call32(long nr, const unsigned long *a)
{
#if defined(__x86_64__)
	long r;

	/* r8 to r11 are not kept across int $0x80 */
	__asm__ volatile ("int $0x80" : "=a"(r) : "a"(nr), "b"(a[0]),
	    "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
	    : "memory", "r8", "r9", "r10", "r11");
	return r < 0 && r > -4096 ? (errno = (int)-r, -1) : r;
#else
	(void)nr, (void)a;
	return errno = ENOSYS, -1;
#endif
}

/* profile call: the call under the filter, with nothing but write and
 * exit_group after it */
static int
profile_call(const struct profile *pr, char **argv)
{
	struct sock_fprog prog = { pr->len, pr->prog };
	struct sigaction sa = { .sa_sigaction = trapped,
		.sa_flags = SA_SIGINFO };
	unsigned long a[6] = { 0 };
	int abi = 0, i;
	long nr, r;
	char buf[60];

	if (*argv && (!strcmp(*argv, "-32") || !strcmp(*argv, "-x32")))
		abi = argv++[0][1];
	if (!*argv)
		jdie("call: no system call number");
	nr = strtol(*argv++, NULL, 0);
	for (i = 0; i < 6 && argv[i]; i++)
		a[i] = strtoul(argv[i], NULL, 0);
	if (sigaction(SIGSYS, &sa, NULL) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, pr->flags, &prog) < 0)
		jdie("install: %s", strerror(errno));
	if (abi == '3')
		r = call32(nr, a);
	else
		r = syscall(nr | (abi == 'x' ? 0x40000000L : 0), a[0], a[1],
		    a[2], a[3], a[4], a[5]);
	if (r == -1)
		fmt(buf, sizeof(buf), "errno %d\n", errno);
	else
		fmt(buf, sizeof(buf), "= %ld\n", r);
	say(buf);
	return 2;
}

/* profile: FILE's linux.seccomp, or FILE itself, compiled into *pr */
static void
profile_load(const char *file, struct profile *pr)
{
	const struct json *sec;
	struct json *root;
	char err[256], *buf;
	size_t n;

	if (!freopen(file, "r", stdin))
		jdie("%s: %s", file, strerror(errno));
	buf = read_stdin(&n);
	if (!(root = json_parse(buf, n, err, sizeof(err))))
		jdie("%s", err);
	free(buf);
	if (!(sec = json_get(root, "linux")))
		sec = root;
	else if (!(sec = json_get(sec, "seccomp")))
		jdie("no linux.seccomp");
	if (profile_compile(sec, pr, err, sizeof(err)) < 0)
		jdie("%s", err);
	json_free(root);
}

static int
profile_main(int argc, char **argv)
{
	struct sock_fprog prog;
	struct profile pr;
	int dump = argc > 1 && !strcmp(argv[1], "-d");
	size_t i;

	verb = "profile";
	if (argc < 2 + dump)
		jdie("usage: blocks profile [-d] FILE [exec CMD...|call ...]");
	profile_load(argv[1 + dump], &pr);
	argv += 2 + dump;
	if (!*argv) {
		printf("%u instructions, flags 0x%x\n", pr.len, pr.flags);
		for (i = 0; dump && i < pr.len; i++)
			printf("%04x %u %u %08x\n", pr.prog[i].code, pr.prog[i].jt,
			    pr.prog[i].jf, pr.prog[i].k);
		profile_free(&pr);
		return fflush(stdout) == EOF;
	}
	if (!strcmp(*argv, "call"))
		return profile_call(&pr, argv + 1);
	if (strcmp(*argv, "exec") || !argv[1])
		jdie("usage: blocks profile [-d] FILE [exec CMD...|call ...]");
	prog = (struct sock_fprog){ pr.len, pr.prog };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, pr.flags, &prog) < 0)
		jdie("install: %s", strerror(errno));
	execvp(argv[1], argv + 1);
	jdie("exec %s: %s", argv[1], strerror(errno));
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} cmds[] = {
	{ "tar", cmd_tar },
	{ "unpack", cmd_unpack },
	{ "json", json_main },
	{ "sha256", digestcmd },
	{ "crc32", digestcmd },
	{ "gunzip", gunzipcmd },
	{ "profile", profile_main },
};

int
main(int argc, char **argv)
{
	const char *s = getenv("BLOCKS_CHUNK");
	size_t i;

	if (s && (chunk = strtoul(s, NULL, 10)) - 1 >= sizeof(codec_buf))
		chunk = sizeof(codec_buf);
	for (i = 0; argc > 1 && i < LEN(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	die("usage: blocks tar|unpack|json|sha256|crc32|gunzip|profile ...");
}
