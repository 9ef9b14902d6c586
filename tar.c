/* See LICENSE file for copyright and license details. */
/*
 * tar.c: the tar format, pulled in 512-byte blocks through a callback, a
 * header, its pax records and GNU long names into one entry. Must never
 * die, nor trust a length or a number before it has checked it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pax.h"
#include "tar.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BLOCK 512
#define PAD(n) ((BLOCK - (n) % BLOCK) % BLOCK)
#define TOOBIG "pax header over 1 MiB"

/* GNU long names waiting for their entry */
enum { LONG_NAME = 1, LONG_LINK = 2 };

struct tar {
	ssize_t (*rd)(void *arg, void *buf, size_t n);
	void *arg;
	const char *err;          /* once set, every call fails */
	char msg[96];             /* err, when it carries an errno */
	int done;                 /* the end was read */
	long long left, pad;      /* of the current entry's data */
	char *local;              /* 'x' records for the next entry */
	size_t nlocal;
	int longs;
	char lname[PATH_MAX], llink[PATH_MAX];
	unsigned gset;            /* of g's fields, what 'g' records set */
	struct tar_entry g, e;
	unsigned char hdr[BLOCK];
};

/* the numeric fields of a header: offset and width */
enum { F_MODE, F_UID, F_GID, F_SIZE, F_MTIME, F_SUM };
static const unsigned char zeros[BLOCK];
static const struct {
	size_t at, len;
} fields[] = {
	[F_MODE] = { 100, 8 }, [F_UID] = { 108, 8 }, [F_GID] = { 116, 8 },
	[F_SIZE] = { 124, 12 }, [F_MTIME] = { 136, 12 }, [F_SUM] = { 148, 8 },
};

static int
oops(struct tar *t, const char *why)
{
	if (!t->err)
		t->err = why;
	return -1;
}

static int
readerr(struct tar *t)
{
	const char *s = strerror(errno);
	size_t n = strlen(s);

	if (n > sizeof(t->msg) - 7)
		n = sizeof(t->msg) - 7;
	memcpy(t->msg, "read: ", 6);
	memcpy(t->msg + 6, s, n);
	t->msg[6 + n] = '\0';
	return oops(t, t->msg);
}

/* n bytes: 0; the input's end before the first: 1; else -1 */
static int
get(struct tar *t, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = t->rd(t->arg, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return readerr(t);
		if (r == 0 && !got)
			return 1;
		if (r == 0 || (size_t)r > n - got)
			return oops(t, "truncated");
		got += r;
	}
	return 0;
}

/* n bytes, and no end before them */
static int
need(struct tar *t, void *buf, size_t n)
{
	int r = get(t, buf, n);

	return r > 0 ? oops(t, "truncated") : r;
}

static int
skip(struct tar *t, long long n)
{
	char buf[16384];
	size_t k;

	for (; n > 0; n -= k) {
		k = n < (long long)sizeof(buf) ? (size_t)n : sizeof(buf);
		if (need(t, buf, k) < 0)
			return -1;
	}
	return 0;
}

/* GNU's base-256: the first byte's top bit set, the rest of the field a
 * big-endian two's complement number */
static int
base256(const unsigned char *f, size_t len, long long *v)
{
	unsigned long long u = f[0] & 0x7f, sign = 0;
	size_t i;

	if (f[0] & 0x40)
		u |= ~0x7fULL, sign = 0x1ff;
	for (i = 1; i < len; i++) {
		/* a shift by 8 keeps the sign while the top 9 bits agree */
		if (u >> 55 != sign)
			return -1;
		u = u << 8 | f[i];
	}
	*v = (long long)u;
	return 0;
}

/* octal digits, maybe after spaces, then only spaces or NULs */
static int
octal(const unsigned char *f, size_t len, long long *v)
{
	unsigned long long u = 0;
	size_t i = 0;

	if (f[0] & 0x80)
		return base256(f, len, v);
	while (i < len && f[i] == ' ')
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (u >> 60)
			return -1;
		u = u << 3 | (unsigned)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	*v = (long long)u;
	return 0;
}

/* the sum of the header's bytes, its own field as spaces; old tars
 * summed signed chars, and their archives are still about */
static int
sum_ok(const unsigned char *h)
{
	unsigned long u = 0;
	long s = 0;
	long long want;
	size_t i;
	unsigned char c;

	for (i = 0; i < BLOCK; i++) {
		c = i - fields[F_SUM].at < fields[F_SUM].len ? ' ' : h[i];
		u += c;
		s += (signed char)c;
	}
	if (octal(h + fields[F_SUM].at, fields[F_SUM].len, &want) < 0)
		return 0;
	return want == (long long)u || want == s;
}

static int
at_end(struct tar *t)
{
	if (t->nlocal || t->longs)
		return oops(t, "truncated: an extended header has no entry");
	t->done = 1;
	return 0;
}

/* the next header into t->hdr: 1; the end of the archive: 0; or -1 */
static int
header(struct tar *t)
{
	int r;

	if ((r = get(t, t->hdr, BLOCK)))
		return r < 0 ? -1 : at_end(t);
	if (memcmp(t->hdr, zeros, BLOCK))
		return sum_ok(t->hdr) ? 1 : oops(t, "bad header checksum");
	/* a zero block ends it if a second follows, or nothing */
	if ((r = get(t, t->hdr, BLOCK)) < 0)
		return -1;
	if (!r && memcmp(t->hdr, zeros, BLOCK))
		return oops(t, "a lone zero block inside the archive");
	return at_end(t);
}

/* ustar's name: its prefix (POSIX's magic only: GNU's puts times
 * there), a slash, its name; and the link. Each field is NUL-ended
 * unless it is full. */
static void
hdr_names(const unsigned char *h, char *name, char *link)
{
	size_t p = 0, n;

	if (!memcmp(h + 257, "ustar", 6) && (p = strnlen((char *)h + 345,
	    155))) {
		memcpy(name, h + 345, p);
		name[p++] = '/';
	}
	n = strnlen((char *)h, 100);
	memcpy(name + p, h, n);
	name[p + n] = '\0';
	n = strnlen((char *)h + 157, 100);
	memcpy(link, h + 157, n);
	link[n] = '\0';
}

/* e from the header's own fields */
static int
from_header(struct tar *t, struct tar_entry *e)
{
	long long v[F_SUM] = { 0 };
	size_t i;

	for (i = 0; i < LEN(v); i++)
		if (octal(t->hdr + fields[i].at, fields[i].len, &v[i]) < 0)
			return oops(t, "bad numeric field in a header");
	if (v[F_UID] < 0 || v[F_UID] >= 0xffffffffLL || v[F_GID] < 0 ||
	    v[F_GID] >= 0xffffffffLL)
		return oops(t, "uid or gid out of range");
	if (v[F_SIZE] < 0)
		return oops(t, "negative size");
	hdr_names(t->hdr, e->name, e->link);
	e->type = t->hdr[156];
	e->mode = v[F_MODE] & 07777;
	e->uid = v[F_UID];
	e->gid = v[F_GID];
	e->size = v[F_SIZE];
	e->mtime = v[F_MTIME];
	e->nsec = 0;
	e->nxattr = 0;
	e->xused = 0;
	return 0;
}

/* leading "/" and "./", trailing "/": gone; nothing left is "." */
static void
tidy(char *s)
{
	size_t i = 0, n;

	while (s[i] == '/' || (s[i] == '.' && s[i + 1] == '/'))
		i += s[i] == '/' ? 1 : 2;
	n = strlen(s + i);
	memmove(s, s + i, n + 1);
	while (n && s[n - 1] == '/')
		s[--n] = '\0';
	if (!n)
		strcpy(s, ".");
}

/* the entry as the reader gives it: its type, names and data size */
static void
settle(struct tar *t, struct tar_entry *e)
{
	size_t n = strlen(e->name);

	/* pre-POSIX tars marked a directory by its trailing slash */
	if (e->type == '\0' && n && e->name[n - 1] == '/')
		e->type = '5';
	if (e->type == '\0' || e->type == '7')
		e->type = '0';
	/* POSIX: no data follows a link, a directory, a node or a fifo */
	if (e->type >= '1' && e->type <= '6')
		e->size = 0;
	tidy(e->name);
	if (e->type == '1')
		tidy(e->link);
	t->left = e->size;
	t->pad = PAD(e->size);
}

static int
entry(struct tar *t)
{
	struct tar_entry *e = &t->e;
	const char *why;

	if (from_header(t, e) < 0)
		return -1;
	if (t->longs & LONG_NAME)
		strcpy(e->name, t->lname);
	if (t->longs & LONG_LINK)
		strcpy(e->link, t->llink);
	t->longs = 0;
	pax_onto(e, &t->g, t->gset);
	why = t->nlocal ? pax_apply(e, NULL, t->local, t->nlocal) : NULL;
	free(t->local);
	t->local = NULL;
	t->nlocal = 0;
	if (why)
		return oops(t, why);
	settle(t, e);
	return 0;
}

/* an extended header's data and its padding after the *n bytes at *buf,
 * which stay NUL-ended; no more than max in all */
static int
ext_read(struct tar *t, long long size, size_t max, const char *toobig,
    char **buf, size_t *n)
{
	char *b;

	if ((unsigned long long)size > max - *n)
		return oops(t, toobig);
	if (!(b = realloc(*buf, *n + size + 1)))
		return oops(t, "out of memory");
	*buf = b;
	if (need(t, b + *n, size) < 0 || skip(t, PAD(size)) < 0)
		return -1;
	*n += size;
	b[*n] = '\0';
	return 0;
}

static int
ext_local(struct tar *t, long long size)
{
	return ext_read(t, size, TAR_PAX_MAX, TOOBIG, &t->local, &t->nlocal);
}

static int
ext_global(struct tar *t, long long size)
{
	char *buf = NULL;
	size_t n = 0;
	const char *why;
	int r;

	r = ext_read(t, size, TAR_PAX_MAX, TOOBIG, &buf, &n);
	if (!r && (why = pax_apply(&t->g, &t->gset, buf, n)))
		r = oops(t, why);
	free(buf);
	return r;
}

static int
ext_long(struct tar *t, long long size, char *to, const char *toolong)
{
	char *buf = NULL;
	size_t n = 0;
	int r;

	r = ext_read(t, size, PATH_MAX, toolong, &buf, &n);
	if (!r && strlen(buf) >= PATH_MAX)
		r = oops(t, toolong);
	if (!r)
		strcpy(to, buf);
	free(buf);
	return r;
}

static int
ext_name(struct tar *t, long long size)
{
	t->longs |= LONG_NAME;
	return ext_long(t, size, t->lname, "name over PATH_MAX");
}

static int
ext_link(struct tar *t, long long size)
{
	t->longs |= LONG_LINK;
	return ext_long(t, size, t->llink, "link over PATH_MAX");
}

/* the headers that describe the next entry rather than being one */
static const struct {
	char type;
	int (*read)(struct tar *t, long long size);
} exts[] = {
	{ 'x', ext_local }, { 'g', ext_global },
	{ 'L', ext_name }, { 'K', ext_link },
};

/* 1 if the header was an extension (and is read), 0 if not, -1 */
static int
extension(struct tar *t)
{
	long long size;
	size_t i;

	for (i = 0; i < LEN(exts) && exts[i].type != (char)t->hdr[156]; i++)
		;
	if (i == LEN(exts))
		return 0;
	if (octal(t->hdr + fields[F_SIZE].at, fields[F_SIZE].len, &size) < 0 ||
	    size < 0)
		return oops(t, "bad numeric field in a header");
	return exts[i].read(t, size) < 0 ? -1 : 1;
}

struct tar *
tar_open(ssize_t (*rd)(void *arg, void *buf, size_t n), void *arg)
{
	struct tar *t;

	if (!(t = calloc(1, sizeof(*t))))
		return NULL;
	t->rd = rd;
	t->arg = arg;
	return t;
}

int
tar_next(struct tar *t, const struct tar_entry **e)
{
	int r;

	if (t->err)
		return -1;
	if (t->done)
		return 0;
	if (skip(t, t->left) < 0 || skip(t, t->pad) < 0)
		return -1;
	t->left = t->pad = 0;
	do {
		if ((r = header(t)) <= 0)
			return r;
	} while ((r = extension(t)) == 1);
	if (r < 0 || entry(t) < 0)
		return -1;
	*e = &t->e;
	return 1;
}

ssize_t
tar_read(struct tar *t, void *buf, size_t n)
{
	ssize_t r;

	if (t->err)
		return -1;
	if ((unsigned long long)n > (unsigned long long)t->left)
		n = t->left;
	if (!n)
		return 0;
	do
		r = t->rd(t->arg, buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return readerr(t);
	if (r == 0 || (size_t)r > n)
		return oops(t, "truncated");
	t->left -= r;
	return r;
}

const char *
tar_error(const struct tar *t)
{
	return t->err ? t->err : "no error";
}

void
tar_close(struct tar *t)
{
	if (!t)
		return;
	free(t->local);
	free(t);
}
