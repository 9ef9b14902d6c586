/* See LICENSE file for copyright and license details. */
/*
 * json.c: one JSON document into a tree in an arena of its own, refusing
 * all RFC 8259 refuses and what a config must not hold; never die().
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "json.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN _Alignof(struct json)
#define ROUND(n) (((n) + ALIGN - 1) & ~(size_t)(ALIGN - 1))
/* the first chunk's room: an image's index or manifest fits in it */
#define FIRST 4000
/* later chunks double up to this, or are as big as one long string */
#define CHUNKMAX (1 << 20)

/* the arena: a list of chunks from the first, whose start is the root
 * (so json_free finds it); new chunks go second, the current one */
struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t mem[];
};

struct parser {
	const char *buf, *s, *end; /* the input, where we are, its end */
	const char *strend;        /* in a string: its closing quote */
	struct chunk *first, *cur;
	const char *why, *at;      /* the first error, and where */
	char what[40];             /* its text, when it names a byte */
	int depth;
};

static struct json *value(struct parser *p, struct json *parent);

/* records the first error only: a caller's later one would be vaguer */
static void *
oops(struct parser *p, const char *at, const char *why)
{
	if (!p->why)
		p->why = why, p->at = at;
	return NULL;
}

/* what stands at p->s when it is not what the grammar wants there */
static void *
unexpected(struct parser *p, const char *want)
{
	unsigned char c;

	if (p->why) /* p->what may hold it */
		return NULL;
	if (p->s == p->end)
		return oops(p, p->s, "unexpected end of input");
	if (want)
		return oops(p, p->s, want);
	c = *p->s;
	if (c > ' ' && c < 0x7f)
		fmt(p->what, sizeof(p->what), "unexpected '%c'", c);
	else
		fmt(p->what, sizeof(p->what), "unexpected byte 0x%02x", c);
	return oops(p, p->s, p->what);
}

static void *
alloc(struct parser *p, size_t n)
{
	struct chunk *c = p->cur;
	size_t size;

	n = ROUND(n);
	if (c->size - c->used < n) {
		size = c->size < CHUNKMAX / 2 ? c->size * 2 : CHUNKMAX;
		if (size < n)
			size = n;
		if (!(c = malloc(sizeof(*c) + size)))
			return oops(p, p->s, "out of memory");
		c->size = size, c->used = 0;
		c->next = p->first->next, p->first->next = c;
		p->cur = c;
	}
	c->used += n;
	return (char *)c->mem + c->used - n;
}

static struct json *
node(struct parser *p, int type, struct json *parent)
{
	struct json *v;

	if (!(v = alloc(p, sizeof(*v))))
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = type, v->parent = parent;
	v->pos = (size_t)(p->s - p->buf);
	return v;
}

/* skips whitespace; the byte there, or -1 at the end */
static int
peek(struct parser *p)
{
	for (; p->s < p->end; p->s++)
		if (*p->s != ' ' && *p->s != '\t' && *p->s != '\n' &&
		    *p->s != '\r')
			return (unsigned char)*p->s;
	return -1;
}

/* the length of the UTF-8 sequence at s, or 0 if it is none (RFC 3629:
 * no overlong form, no surrogate, nothing over U+10FFFF) */
static size_t
utf8len(const char *s, const char *end)
{
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned char c = *s;
	unsigned long cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
	if (!n || c >= 0xf8 || (size_t)(end - s) < n)
		return 0;
	cp = c & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | ((unsigned char)s[i] & 0x3f);
	}
	if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* cp as UTF-8 at d; returns the end */
static char *
utf8put(char *d, unsigned long cp)
{
	static const unsigned char lead[] = { 0, 0, 0xc0, 0xe0, 0xf0 };
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4, i;

	for (i = n - 1; i > 0; i--, cp >>= 6)
		d[i] = (char)(0x80 | (cp & 0x3f));
	d[0] = (char)(lead[n] | cp);
	return d + n;
}

/* the four hex digits of a \u at p->s, or -1 */
static long
hex4(struct parser *p, const char *at)
{
	long cp = 0;
	int i, h;

	for (i = 0; i < 4; i++, p->s++) {
		/* | 0x20 for letters only: 0x10 | 0x20 is '0' */
		h = p->s == p->strend ? 0 : *p->s;
		if (h >= '0' && h <= '9')
			cp = cp << 4 | (h - '0');
		else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
			cp = cp << 4 | ((h | 0x20) - 'a' + 10);
		else
			return oops(p, at, "expected four hex digits after \\u"), -1;
	}
	return cp;
}

/* a \u escape at p->s, with the low half that must follow a high one */
static char *
unicode(struct parser *p, char *d)
{
	const char *at = p->s;
	long cp, lo;

	p->s += 2;
	if ((cp = hex4(p, at)) < 0)
		return NULL;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return oops(p, at, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->strend - p->s < 2 || p->s[0] != '\\' || p->s[1] != 'u')
			return oops(p, at, "lone high surrogate");
		p->s += 2;
		if ((lo = hex4(p, at)) < 0)
			return NULL;
		if (lo < 0xdc00 || lo > 0xdfff)
			return oops(p, at, "lone high surrogate");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	return utf8put(d, (unsigned long)cp);
}

/* one character of a string at p->s, unescaped at d; returns d's end */
static char *
character(struct parser *p, char *d)
{
	static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const char *e;
	size_t n;

	if (*p->s == '\\' && p->s[1] == 'u')
		return unicode(p, d);
	if (*p->s == '\\') {
		for (e = escapes; *e && *e != p->s[1]; e += 2)
			;
		if (!*e)
			return oops(p, p->s, "invalid escape");
		p->s += 2;
		*d = e[1];
		return d + 1;
	}
	if ((unsigned char)*p->s < 0x20)
		return oops(p, p->s, "control character in a string");
	if (!(n = utf8len(p->s, p->strend)))
		return oops(p, p->s, "invalid UTF-8");
	memcpy(d, p->s, n);
	p->s += n;
	return d + n;
}

/* the string at p->s, unescaped into the arena; it cannot grow, so its
 * input's length is room enough, and what is left is given back */
static char *
text(struct parser *p, size_t *len)
{
	const char *q, *start = p->s++;
	char *buf, *d;

	for (q = p->s; q < p->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < p->end)
			q++;
	if (q == p->end)
		return oops(p, start, "unterminated string");
	if (!(buf = alloc(p, (size_t)(q - p->s) + 1)))
		return NULL;
	for (p->strend = q, d = buf; p->s < q;)
		if (!(d = character(p, d)))
			return NULL;
	*d = '\0';
	p->s++;
	*len = (size_t)(d - buf);
	p->cur->used = (size_t)(buf - (char *)p->cur->mem) + ROUND(*len + 1);
	return buf;
}

static struct json *
string(struct parser *p, struct json *parent, int type)
{
	struct json *v;

	if (!(v = node(p, type, parent)) || !(v->str = text(p, &v->len)))
		return NULL;
	return v;
}

/* one or more digits at q; returns their end */
static const char *
digits(struct parser *p, const char *q)
{
	if (q == p->end || *q < '0' || *q > '9')
		return oops(p, q, "expected a digit");
	while (q < p->end && *q >= '0' && *q <= '9')
		q++;
	return q;
}

/* a number, kept as its text: no float here (it would bloat sbx) */
static struct json *
number(struct parser *p, struct json *parent, int type)
{
	const char *q = p->s + (*p->s == '-');
	struct json *v;
	char *t;

	if (q < p->end && *q == '0' && q + 1 < p->end && q[1] >= '0' &&
	    q[1] <= '9')
		return oops(p, q, "leading zero in a number");
	if (!(q = digits(p, q)))
		return NULL;
	if (q < p->end && *q == '.' && !(q = digits(p, q + 1)))
		return NULL;
	if (q < p->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < p->end && (*q == '+' || *q == '-'))
			q++;
		if (!(q = digits(p, q)))
			return NULL;
	}
	if (!(v = node(p, type, parent)) ||
	    !(t = alloc(p, (size_t)(q - p->s) + 1)))
		return NULL;
	v->len = (size_t)(q - p->s);
	memcpy(t, p->s, v->len);
	t[v->len] = '\0';
	v->str = t, p->s = q;
	return v;
}

/* true, false or null, as its first letter says */
static struct json *
literal(struct parser *p, struct json *parent, int type)
{
	const char *word = *p->s == 't' ? "true" : *p->s == 'f' ? "false" :
	    "null";
	size_t n = strlen(word);
	struct json *v;

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n))
		return oops(p, p->s, "expected true, false or null");
	if (!(v = node(p, type, parent)))
		return NULL;
	v->boolean = *p->s == 't';
	p->s += n;
	return v;
}

/* a name, ':' and a value */
static struct json *
member(struct parser *p, struct json *obj)
{
	struct json *v;
	const char *key;
	size_t klen, pos;

	if (peek(p) != '"')
		return unexpected(p, "expected a member's name, a string");
	pos = (size_t)(p->s - p->buf);
	if (!(key = text(p, &klen)))
		return NULL;
	if (peek(p) != ':')
		return unexpected(p, "expected ':'");
	p->s++;
	if (!(v = value(p, obj)))
		return NULL;
	v->key = key, v->klen = klen, v->pos = pos;
	return v;
}

/* a before b, by name (and length) or by position */
static int
cmp(const struct json *a, const struct json *b, int byname)
{
	if (!byname)
		return a->index < b->index ? -1 : a->index > b->index;
	if (a->klen != b->klen)
		return a->klen < b->klen ? -1 : 1;
	return memcmp(a->key, b->key, a->klen);
}

/* the n members from l, sorted: a merge sort, n log n whatever they are,
 * as a hash table would not be for names that collide on purpose */
static struct json *
sort(struct json *l, size_t n, int byname)
{
	struct json *a, *b, *m, *head = NULL, **tail = &head;
	size_t i;

	if (n < 2)
		return l;
	for (m = l, i = 1; i < n / 2; i++)
		m = m->next;
	b = m->next, m->next = NULL;
	a = sort(l, n / 2, byname), b = sort(b, n - n / 2, byname);
	for (; a && b; tail = &(*tail)->next)
		if (cmp(b, a, byname) < 0)
			*tail = b, b = b->next;
		else
			*tail = a, a = a->next;
	*tail = a ? a : b;
	return head;
}

/* duplicate names are an error: which one would a reader believe? The
 * sort is stable: of two the same, the second is the later one */
static struct json *
unique(struct parser *p, struct json *obj)
{
	const struct json *v, *dup = NULL;

	obj->child = sort(obj->child, obj->len, 1);
	for (v = obj->child; v && v->next && !dup; v = v->next)
		if (!cmp(v, v->next, 1))
			dup = v->next;
	obj->child = sort(obj->child, obj->len, 0);
	return dup ? oops(p, p->buf + dup->pos, "duplicate key") : obj;
}

/* an array or an object: its members, in order, then its closing byte */
static struct json *
container(struct parser *p, struct json *parent, int type)
{
	int close = type == JSON_ARRAY ? ']' : '}';
	struct json *c, *v, **tail;

	if (++p->depth > JSON_DEPTH) {
		fmt(p->what, sizeof(p->what), "nested deeper than %d",
		    JSON_DEPTH);
		return oops(p, p->s, p->what);
	}
	if (!(c = node(p, type, parent)))
		return NULL;
	p->s++;
	tail = &c->child;
	if (peek(p) != close)
		for (;;) {
			v = type == JSON_ARRAY ? value(p, c) : member(p, c);
			if (!v)
				return NULL;
			v->index = c->len++;
			*tail = v, tail = &v->next;
			if (peek(p) != ',')
				break;
			p->s++;
		}
	if (peek(p) != close)
		return unexpected(p, type == JSON_ARRAY ?
		    "expected ',' or ']'" : "expected ',' or '}'");
	p->s++, p->depth--;
	return type == JSON_OBJECT ? unique(p, c) : c;
}

static struct json *
value(struct parser *p, struct json *parent)
{
	static const struct {
		const char *first;
		struct json *(*parse)(struct parser *, struct json *, int);
		int type;
	} kinds[] = {
		{ "{", container, JSON_OBJECT }, { "[", container, JSON_ARRAY },
		{ "\"", string, JSON_STRING }, { "-0123456789", number, JSON_NUMBER },
		{ "tf", literal, JSON_BOOL }, { "n", literal, JSON_NULL },
	};
	size_t i;
	int c = peek(p);

	for (i = 0; c > 0 && i < LEN(kinds); i++)
		if (strchr(kinds[i].first, c))
			return kinds[i].parse(p, parent, kinds[i].type);
	return unexpected(p, NULL);
}

/* "line L, column C: why", counting characters, not bytes */
static void
report(const struct parser *p, char *err, size_t n)
{
	unsigned long line = 1, col = 1;
	const char *s;

	for (s = p->buf; s < p->at; s++)
		if (*s == '\n')
			line++, col = 1;
		else if (((unsigned char)*s & 0xc0) != 0x80)
			col++;
	fmt(err, n, "line %lu, column %lu: %s", line, col, p->why);
}

struct json *
json_parse(const char *buf, size_t n, char *err, size_t errsize)
{
	struct parser p = { 0 };
	struct json *root = NULL;

	p.buf = p.s = buf, p.end = buf + n;
	/* the arena's sizes are sums of parts of n: they must not wrap */
	if (n > SIZE_MAX / 4 || !(p.first = malloc(sizeof(*p.first) + FIRST)))
		oops(&p, buf, "out of memory");
	if (p.first) {
		p.first->next = NULL, p.first->size = FIRST, p.first->used = 0;
		p.cur = p.first;
		root = value(&p, NULL);
	}
	if (root && peek(&p) != -1)
		root = oops(&p, p.s, "trailing data after the value");
	if (!root && p.first)
		json_free((struct json *)(void *)p.first->mem);
	if (!root)
		report(&p, err, errsize);
	return root;
}

/* the root is at the start of the first chunk, even a failed one's */
void
json_free(struct json *root)
{
	struct chunk *c, *next;

	c = root ? (struct chunk *)(void *)((char *)root -
	    offsetof(struct chunk, mem)) : NULL;
	for (; c; c = next) {
		next = c->next;
		free(c);
	}
}

const struct json *
json_get(const struct json *obj, const char *key)
{
	const struct json *v;
	size_t n = strlen(key);

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (v = obj->child; v; v = v->next)
		if (v->klen == n && !memcmp(v->key, key, n))
			return v;
	return NULL;
}

const char *
json_string(const struct json *v)
{
	if (!v || v->type != JSON_STRING || memchr(v->str, '\0', v->len))
		return NULL;
	return v->str;
}

/* an integer's magnitude and sign: -1 if v is none or it is too big */
static int
magnitude(const struct json *v, int *neg, unsigned long long *u)
{
	const char *s;
	unsigned d;

	if (!v || v->type != JSON_NUMBER)
		return -1;
	*neg = *v->str == '-';
	s = v->str + *neg;
	for (*u = 0; *s >= '0' && *s <= '9'; s++) {
		d = (unsigned)(*s - '0');
		if (*u > (ULLONG_MAX - d) / 10)
			return -1;
		*u = *u * 10 + d;
	}
	return *s ? -1 : 0;
}

int
json_int(const struct json *v, long long min, long long max, long long *out)
{
	unsigned long long u;
	long long x;
	int neg;

	if (magnitude(v, &neg, &u) < 0 ||
	    u > (unsigned long long)LLONG_MAX + (unsigned)neg)
		return -1;
	/* -LLONG_MIN is no long long: negate one less */
	x = neg && u ? -(long long)(u - 1) - 1 : (long long)u;
	if (x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

int
json_uint(const struct json *v, unsigned long long max,
    unsigned long long *out)
{
	unsigned long long u;
	int neg;

	if (magnitude(v, &neg, &u) < 0 || (neg && u) || u > max)
		return -1;
	*out = u;
	return 0;
}
