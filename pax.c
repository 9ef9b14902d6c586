/* See LICENSE file for copyright and license details. */
/*
 * pax.c: pax extended header records ("LEN KEY=VALUE\n") onto a tar
 * entry, for tar.c. Reads no input and never dies; a bad record is a
 * message, and no value is trusted before it is checked.
 */
#include <stddef.h>
#include <string.h>

#include "pax.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* digits, to the end of v, no more than max */
static int
decimal(const char *v, size_t n, unsigned long long max,
    unsigned long long *x)
{
	size_t i;
	unsigned d;

	*x = 0;
	for (i = 0; i < n; i++) {
		d = (unsigned char)v[i] - '0';
		if (d > 9 || *x > (max - d) / 10)
			return -1;
		*x = *x * 10 + d;
	}
	return n ? 0 : -1;
}

struct key;
typedef const char *setter(struct tar_entry *e, const struct key *k,
    const char *name, const char *v, size_t n);
/* a pax key: its name (or a prefix, if it has no bit) and what it sets:
 * the field at off, and the message for a value too long */
struct key {
	const char *key;
	unsigned bit;
	setter *set;
	size_t off;
	const char *why;
};

static const char *
set_str(struct tar_entry *e, const struct key *k,
    const char *name, const char *v, size_t n)
{
	char *dst = (char *)e + k->off;

	(void)name;
	if (n >= PATH_MAX)
		return k->why;
	if (memchr(v, '\0', n))
		return "a NUL byte in a pax name";
	memcpy(dst, v, n);
	dst[n] = '\0';
	return NULL;
}

static const char *
set_size(struct tar_entry *e, const struct key *k,
    const char *name, const char *v, size_t n)
{
	unsigned long long x;

	(void)k, (void)name;
	if (decimal(v, n, 0x7fffffffffffffffULL, &x) < 0)
		return "pax size malformed";
	e->size = x;
	return NULL;
}

static const char *
set_id(struct tar_entry *e, const struct key *k,
    const char *name, const char *v, size_t n)
{
	unsigned long long x;

	(void)name;
	if (decimal(v, n, 0xfffffffeULL, &x) < 0)
		return "pax uid or gid malformed";
	*(unsigned *)((char *)e + k->off) = x;
	return NULL;
}

/* [-]SECONDS[.FRACTION]: a fraction past nanoseconds is dropped */
static const char *
set_mtime(struct tar_entry *e, const struct key *k,
    const char *name, const char *v, size_t n)
{
	const char *dot = memchr(v, '.', n);
	size_t i, whole = dot ? (size_t)(dot - v) : n;
	unsigned long long s, ns = 0;
	int neg = n && v[0] == '-';

	(void)k, (void)name;
	if (decimal(v + neg, whole - neg, 0x7ffffffffffffffeULL, &s) < 0)
		return "pax mtime malformed";
	for (i = whole + 1; dot && i < n; i++) {
		if ((unsigned)((unsigned char)v[i] - '0') > 9)
			return "pax mtime malformed";
		if (i - whole <= 9)
			ns = ns * 10 + (v[i] - '0');
	}
	for (i = dot ? n - whole - 1 : 0; i < 9; i++)
		ns *= 10;
	e->mtime = neg ? -(long long)s - (ns > 0) : (long long)s;
	e->nsec = neg && ns ? (long)(1000000000 - ns) : (long)ns;
	return NULL;
}

/* drops xattr i, and its bytes, from e */
static void
xattr_drop(struct tar_entry *e, int i)
{
	char *at = (char *)e->xattr[i].name;
	size_t n = e->xattr[i].value + e->xattr[i].len - at;

	memmove(at, at + n, e->xbuf + e->xused - at - n);
	e->xused -= n;
	memmove(e->xattr + i, e->xattr + i + 1,
	    (e->nxattr - i - 1) * sizeof(e->xattr[0]));
	for (--e->nxattr; i < e->nxattr; i++) {
		e->xattr[i].name -= n;
		e->xattr[i].value -= n;
	}
}

/* NAME, NUL, VALUE into e's buffer; a later record of a name wins */
static const char *
set_xattr(struct tar_entry *e, const struct key *k,
    const char *key, const char *v, size_t n)
{
	const char *name = key + strlen(k->key);
	size_t len = strlen(name) + 1;
	int i;

	if (len == 1)
		return "pax xattr without a name";
	for (i = 0; i < e->nxattr; i++)
		if (!strcmp(e->xattr[i].name, name))
			xattr_drop(e, i--);
	if (e->nxattr == TAR_XATTRS || n > TAR_XATTR_BYTES - e->xused ||
	    len > TAR_XATTR_BYTES - e->xused - n)
		return "xattrs over their bounds";
	memcpy(e->xbuf + e->xused, name, len);
	memcpy(e->xbuf + e->xused + len, v, n);
	e->xattr[e->nxattr].name = e->xbuf + e->xused;
	e->xattr[e->nxattr].value = e->xbuf + e->xused + len;
	e->xattr[e->nxattr++].len = n;
	e->xused += len + n;
	return NULL;
}

static const char *
no_sparse(struct tar_entry *e, const struct key *k,
    const char *name, const char *v, size_t n)
{
	(void)e, (void)k, (void)name, (void)v, (void)n;
	return "sparse files are not supported";
}

/* the pax keys that matter here; others are ignored */
#define AT(f) offsetof(struct tar_entry, f)
static const struct key keys[] = {
	{ "path", P_PATH, set_str, AT(name), "name over PATH_MAX" },
	{ "linkpath", P_LINK, set_str, AT(link), "link over PATH_MAX" },
	{ "size", P_SIZE, set_size, 0, NULL },
	{ "uid", P_UID, set_id, AT(uid), NULL },
	{ "gid", P_GID, set_id, AT(gid), NULL },
	{ "mtime", P_MTIME, set_mtime, 0, NULL },
	{ "SCHILY.xattr.", 0, set_xattr, 0, NULL },
	{ "GNU.sparse.", 0, no_sparse, 0, NULL },
};

/* "LEN KEY=VALUE\n" at p, in n bytes: its length, LEN; 0 if malformed.
 * KEY and VALUE are NUL-ended in place. */
static size_t
record(char *p, size_t n, char **key, char **val, size_t *vlen)
{
	size_t len = 0, i;
	char *eq;

	for (i = 0; i < n && p[i] >= '0' && p[i] <= '9' && len <= n; i++)
		len = len * 10 + (p[i] - '0');
	if (!i || i == n || p[i] != ' ' || len > n || len < i + 3 ||
	    p[len - 1] != '\n')
		return 0;
	*key = p + i + 1;
	eq = memchr(*key, '=', p + len - 1 - *key);
	if (!eq || eq == *key || memchr(*key, '\0', eq - *key))
		return 0;
	*eq = '\0';
	p[len - 1] = '\0';
	*val = eq + 1;
	*vlen = p + len - 1 - *val;
	return len;
}

static int
key_index(const char *key)
{
	size_t i;

	for (i = 0; i < LEN(keys); i++)
		if (!keys[i].bit ? !strncmp(key, keys[i].key,
		    strlen(keys[i].key)) : !strcmp(key, keys[i].key))
			return i;
	return -1;
}

const char *
pax_apply(struct tar_entry *e, unsigned *set, char *buf, size_t n)
{
	char *key, *val;
	const char *why;
	size_t at, len, vlen;
	int i;

	for (at = 0; at < n && buf[at]; at += len) {
		if (!(len = record(buf + at, n - at, &key, &val, &vlen)))
			return "pax record malformed";
		if ((i = key_index(key)) < 0)
			continue;
		/* an empty value deletes the global one */
		if (!vlen && keys[i].bit) {
			if (set)
				*set &= ~keys[i].bit;
			continue;
		}
		if ((why = keys[i].set(e, &keys[i], key, val, vlen)))
			return why;
		if (set)
			*set |= keys[i].bit;
	}
	for (; at < n; at++)
		if (buf[at])
			return "pax record malformed";
	return NULL;
}

void
pax_onto(struct tar_entry *e, const struct tar_entry *g, unsigned set)
{
	int i;

	if (set & P_PATH)
		strcpy(e->name, g->name);
	if (set & P_LINK)
		strcpy(e->link, g->link);
	if (set & P_SIZE)
		e->size = g->size;
	if (set & P_UID)
		e->uid = g->uid;
	if (set & P_GID)
		e->gid = g->gid;
	if (set & P_MTIME)
		e->mtime = g->mtime, e->nsec = g->nsec;
	memcpy(e->xbuf, g->xbuf, g->xused);
	e->xused = g->xused;
	e->nxattr = g->nxattr;
	for (i = 0; i < g->nxattr; i++) {
		e->xattr[i].name = e->xbuf + (g->xattr[i].name - g->xbuf);
		e->xattr[i].value = e->xbuf + (g->xattr[i].value - g->xbuf);
		e->xattr[i].len = g->xattr[i].len;
	}
}
