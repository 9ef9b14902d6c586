/* See LICENSE file for copyright and license details. */
/*
 * jsonout.c: JSON text from a tree's strings and places, in the caller's
 * buffer as snprintf does; never allocates, never die().
 */
#include <stddef.h>

#include "fmt.h"
#include "json.h"
#include "jsonout.h"

/* a buffer written as snprintf does: len counts what did not fit too */
struct out {
	char *buf;
	size_t n, len;
};

static void
emit(struct out *o, const char *s, size_t k)
{
	for (; k; k--, s++, o->len++)
		if (o->len + 1 < o->n)
			o->buf[o->len] = *s;
}

static size_t
finish(struct out *o)
{
	if (o->n)
		o->buf[o->len < o->n ? o->len : o->n - 1] = '\0';
	return o->len;
}

static void
quote(struct out *o, const char *s, size_t len)
{
	static const char brief[] = "\"\"\\\\\bb\ff\nn\rr\tt";
	const char *e;
	char esc[8];

	emit(o, "\"", 1);
	for (; len; s++, len--) {
		for (e = brief; *e && *e != *s; e += 2)
			;
		if (*e)
			esc[0] = '\\', esc[1] = e[1], emit(o, esc, 2);
		else if ((unsigned char)*s < 0x20)
			emit(o, esc, fmt(esc, sizeof(esc), "\\u%04x",
			    (unsigned char)*s));
		else
			emit(o, s, 1);
	}
	emit(o, "\"", 1);
}

size_t
json_quote(char *buf, size_t n, const char *s, size_t len)
{
	struct out o = { buf, n, 0 };

	quote(&o, s, len);
	return finish(&o);
}

/* a name that needs no quotes in a path: [A-Za-z_][A-Za-z0-9_]* */
static int
identifier(const char *s, size_t n)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		c = s[i] | 0x20;
		if (s[i] != '_' && (c < 'a' || c > 'z') &&
		    (!i || s[i] < '0' || s[i] > '9'))
			return 0;
	}
	return n > 0;
}

/* the steps from the root to v: .name, ["a name"], [index] */
static void
steps(struct out *o, const struct json *v)
{
	char num[24];

	if (!v->parent)
		return;
	steps(o, v->parent);
	if (v->parent->type == JSON_ARRAY) {
		emit(o, num, fmt(num, sizeof(num), "[%lu]",
		    (unsigned long)v->index));
	} else if (identifier(v->key, v->klen)) {
		if (v->parent->parent)
			emit(o, ".", 1);
		emit(o, v->key, v->klen);
	} else {
		emit(o, "[", 1);
		quote(o, v->key, v->klen);
		emit(o, "]", 1);
	}
}

size_t
json_path(const struct json *v, char *buf, size_t n)
{
	struct out o = { buf, n, 0 };

	steps(&o, v);
	return finish(&o);
}
