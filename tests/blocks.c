/* See LICENSE file for copyright and license details. */
/*
 * blocks: the building blocks of images (#16), reached from the shell
 * for tests/image.sh; a host-side tool, never put in the rootfs.
 *   json [-i|-u|-p] [PATH...] < FILE
 *                    no PATH: the document back, compact and canonical
 *                    (keys in input order, strings escaped minimally);
 *                    PATH (.name, [N], ["name"]): each value, a string
 *                    raw (json_string: one with a NUL is an error);
 *                    -i/-u: through json_int/json_uint instead;
 *                    -p: every value's json_path, one a line
 * A failure is one line on stderr, "blocks: VERB: ...", and status 1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json.h"
#include "../jsonout.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define INMAX (256 << 20) /* what stdin may hold */

static const char *verb = "blocks";

__attribute__((noreturn, format(printf, 1, 2))) static void
die(const char *fmt, ...)
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
slurp(size_t *n)
{
	char *buf = NULL, *more = NULL;
	size_t size = 0, k;

	for (*n = 0;; *n += k) {
		/* no free on failure: it dies */
		if (*n + 1 >= size && (size >= INMAX ||
		    !(more = realloc(buf, size = size * 2 + 4096))))
			die("stdin: too big, or out of memory");
		if (more)
			buf = more, more = NULL;
		if (!(k = fread(buf + *n, 1, size - *n - 1, stdin)))
			break;
	}
	if (ferror(stdin))
		die("stdin: read error");
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
		die("out of memory");
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
			die("out of memory");
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
	buf = slurp(&n);
	if (!(root = json_parse(buf, n, err, sizeof(err))))
		die("%s", err);
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

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} verbs[] = {
	{ "json", json_main },
};

int
main(int argc, char **argv)
{
	size_t i;

	for (i = 0; argc > 1 && i < LEN(verbs); i++)
		if (!strcmp(argv[1], verbs[i].name)) {
			verb = verbs[i].name;
			return verbs[i].run(argc - 1, argv + 1);
		}
	fprintf(stderr, "usage: blocks VERB [ARG...] (VERB:");
	for (i = 0; i < LEN(verbs); i++)
		fprintf(stderr, " %s", verbs[i].name);
	fprintf(stderr, ")\n");
	return 2;
}
