/* See LICENSE file for copyright and license details. */
/*
 * json.c: reads one RFC 8259 document into a tree, strictly, and answers
 * questions about it; never dies, never a float, never trust the input.
 */
#include <stddef.h>

enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
	JSON_OBJECT };

/* the bound on arrays and objects inside each other */
#define JSON_DEPTH 128

/*
 * One value. An object's or array's members are child, then each one's
 * next, in input order; index is a member's position there (from 0), len
 * their number. key and klen: a member's name in its object (else NULL
 * and 0). str and len: a string's bytes, unescaped (UTF-8, NUL-terminated,
 * but a \u0000 inside is kept: see json_string), or a number's text as it
 * stood. pos: where it starts in the input (a member: its key), in bytes.
 * The tree is read-only: its nodes and strings share an arena.
 */
struct json {
	int type;
	int boolean;
	const char *key;
	size_t klen;
	const char *str;
	size_t len;
	struct json *child, *next, *parent;
	size_t index, pos;
};

/*
 * The document in buf[0..n) (no NUL needed; the caller bounds n), with
 * nothing but whitespace after its value. NULL on bad input or no memory,
 * with err set to "line L, column C: what went wrong" (columns count
 * characters, from 1). Refused, beyond RFC 8259's grammar: a duplicate
 * key, nesting deeper than JSON_DEPTH, invalid UTF-8 (overlong, a
 * surrogate, over U+10FFFF), a lone \u surrogate, a byte order mark.
 * The tree takes at most about 45 bytes per input byte ("[0,0,...]").
 */
struct json *json_parse(const char *buf, size_t n, char *err, size_t errsize);
/* frees what json_parse returned, all of it (NULL is no-op) */
void json_free(struct json *root);

/* obj's member named key; NULL if there is none or obj is no object */
const struct json *json_get(const struct json *obj, const char *key);
/* v's text as a C string; NULL unless v is a string without a NUL */
const char *json_string(const struct json *v);
/*
 * 0, with *out set, if v is a number written as an integer (-?digits: no
 * fraction, no exponent, as Go's encoding/json wants for an int) within
 * [min, max]; else -1. json_uint is the same for the range [0, max].
 */
int json_int(const struct json *v, long long min, long long max,
    long long *out);
int json_uint(const struct json *v, unsigned long long max,
    unsigned long long *out);
