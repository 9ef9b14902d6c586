/* See LICENSE file for copyright and license details. */
/*
 * inflate.c: gzip members (RFC 1952) of DEFLATE data (RFC 1951), decoded
 * as a stream. It allocates only in gz_open and trusts no length, code or
 * distance in the input: each is checked before a byte is written.
 *
 * Output is decoded into w[], a 32 KiB window of history followed by up
 * to 32 KiB (and one match) of new bytes that gz_read hands out; then the
 * newest 32 KiB slide down. Input comes in 64 KiB reads into in[] and
 * through a 64-bit bit buffer. Huffman codes are decoded by table: a root
 * indexed by the next bits, and sub-tables for the longer codes. Past the
 * end of the input, the hot loop is fed zero bits and counts them (pad):
 * consuming one of them means the input was truncated.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "huff.h"
#include "inflate.h"

#define LLROOT 10               /* root bits: most codes are shorter */
#define DROOT  8
#define LLSIZE H_SIZE(LLROOT, 286)
#define DSIZE  H_SIZE(DROOT, 30)
#define WSIZE  32768            /* the farthest a distance reaches */
#define LIMIT  (2 * WSIZE)      /* decoding pauses here for gz_read */
#define SLACK  (258 + 8)        /* a match begun before LIMIT, 8 at a time */
#define INSIZE 65536
#define MIN(a, b) ((a) < (b) ? (a) : (b))

enum { HEAD, MEMBER, BLOCK, STORED, CODES, TAIL, NEXT, ZEROS, DONE };

struct gz {
	ssize_t (*rd)(void *, void *, size_t);
	void *arg;
	const char *err;        /* set once: every later gz_read fails */
	char msg[80];
	int state, last;        /* last: this block is the member's last */
	const unsigned char *p, *end;   /* the unread part of in[] */
	int eof;
	uint64_t bits;          /* above nbits: zeros, or the bytes at p */
	unsigned nbits;
	size_t r, o, crcd, base; /* in w: read, decoded, summed, member start */
	size_t left;            /* of a stored block */
	uint32_t crc, size, hcrc;
	struct huff ll, d, fll, fd;     /* this block's codes; the fixed ones */
	uint32_t lltab[LLSIZE], dtab[DSIZE], fixll[512], fixd[32];
	struct crc32 crc32;
	unsigned char w[LIMIT + SLACK];
	unsigned char in[INSIZE];
};

/* 3.2.7: the order of the code length code's lengths */
static const unsigned char clorder[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

static int
fail(struct gz *z, const char *why)
{
	if (!z->err)
		z->err = why;
	return -1;
}

static int
readerr(struct gz *z)
{
	const char *s = strerror(errno);
	size_t k = MIN(strlen(s), sizeof(z->msg) - 7);

	memcpy(z->msg, "read: ", 6);
	memcpy(z->msg + 6, s, k);
	z->msg[6 + k] = '\0';
	return fail(z, z->msg);
}

/* the member's CRC and length take in what was decoded since last time */
static void
sum(struct gz *z)
{
	z->crc = crc32_add(&z->crc32, z->crc, z->w + z->crcd, z->o - z->crcd);
	z->size += z->o - z->crcd;
	z->crcd = z->o;
}

/* in[] refilled: 1, or 0 at the end of the input, or -1 */
static int
pull(struct gz *z)
{
	ssize_t n;

	if (z->eof)
		return 0;
	while ((n = z->rd(z->arg, z->in, sizeof(z->in))) < 0 && errno == EINTR)
		;
	if (n < 0)
		return readerr(z);
	if ((size_t)n > sizeof(z->in))
		return fail(z, "read: too much");
	if (!n)
		return z->eof = 1, 0;
	z->p = z->in;
	z->end = z->in + n;
	return 1;
}

/* the bit buffer topped up a byte at a time: 0 (even at the end), or -1 */
static int
fill(struct gz *z)
{
	int r;

	while (z->nbits <= 56) {
		if (z->p == z->end && (r = pull(z)) <= 0)
			return r;
		z->bits |= (uint64_t)*z->p++ << z->nbits;
		z->nbits += 8;
	}
	return 0;
}

/* the next n bits (n <= 32), low bit first */
static int
getbits(struct gz *z, unsigned n, uint32_t *v)
{
	if (z->nbits < n && fill(z) < 0)
		return -1;
	if (z->nbits < n)
		return fail(z, "truncated");
	*v = z->bits & ((1ull << n) - 1);
	z->bits >>= n;
	z->nbits -= n;
	return 0;
}

/* a byte between members: -1 at the end of the input, or with err set */
static int
byte(struct gz *z)
{
	uint32_t v;

	if (z->nbits < 8 && fill(z) < 0)
		return -1;
	return z->nbits < 8 || getbits(z, 8, &v) < 0 ? -1 : (int)v;
}

/* stored blocks and the trailer start on a byte */
static void
align(struct gz *z)
{
	z->bits >>= z->nbits & 7;
	z->nbits &= ~7u;
}

/* a header byte, summed for FHCRC: the CRC-32 of ID1 to the byte before */
static int
hbyte(struct gz *z)
{
	uint32_t v;
	unsigned char c;

	if (getbits(z, 8, &v) < 0)
		return -1;
	c = v;
	z->hcrc = crc32_add(&z->crc32, z->hcrc, &c, 1);
	return v;
}

/* FEXTRA's n bytes, or with n 0 FNAME's or FCOMMENT's up to its NUL */
static int
skip(struct gz *z, unsigned n)
{
	int c;

	while ((c = hbyte(z)) >= 0)
		if (n ? !--n : !c)
			return 0;
	return -1;
}

/* the rest of a member's header (RFC 1952, 2.3), after its ID1 and ID2 */
static int
member(struct gz *z)
{
	static const unsigned char id[2] = { 0x1f, 0x8b };
	int cm, flg, i, lo, hi;
	uint32_t v;

	z->hcrc = crc32_add(&z->crc32, 0, id, 2);
	if ((cm = hbyte(z)) < 0 || (flg = hbyte(z)) < 0)
		return -1;
	if (cm != 8)
		return fail(z, "not deflate");
	if (flg & 0xe0)
		return fail(z, "bad flags");
	for (i = 0; i < 6; i++)         /* MTIME, XFL, OS */
		if (hbyte(z) < 0)
			return -1;
	if (flg & 4 && ((lo = hbyte(z)) < 0 || (hi = hbyte(z)) < 0 ||
	    ((lo | hi) && skip(z, lo | hi << 8) < 0)))
		return -1;
	if ((flg & 8 && skip(z, 0) < 0) || (flg & 16 && skip(z, 0) < 0))
		return -1;
	if (flg & 2 && getbits(z, 16, &v) < 0)
		return -1;
	if (flg & 2 && v != (z->hcrc & 0xffff))
		return fail(z, "bad header CRC");
	z->crc = z->size = 0;
	z->base = z->o;
	z->state = BLOCK;
	return 0;
}

static int
storedhead(struct gz *z)
{
	uint32_t v;

	align(z);
	if (getbits(z, 32, &v) < 0)
		return -1;
	if ((v & 0xffff) != (~v >> 16 & 0xffff))
		return fail(z, "bad stored length");
	z->left = v & 0xffff;
	z->state = STORED;
	return 0;
}

static int
fixed(struct gz *z)
{
	z->ll = z->fll;
	z->d = z->fd;
	z->state = CODES;
	return 0;
}

/* the code lengths of a dynamic block, run-length coded (3.2.7) */
static int
lengths(struct gz *z, const struct huff *cl, unsigned char *len, unsigned n)
{
	static const unsigned char xbits[3] = { 2, 3, 7 }, xbase[3] = { 3, 3, 11 };
	unsigned i = 0, sym;
	uint32_t e, rep;

	while (i < n) {
		if (z->nbits < 7 && fill(z) < 0)
			return -1;
		e = cl->e[z->bits & cl->mask];
		if (H_TAKES(e) > z->nbits)
			return fail(z, "truncated");
		if (H_OP(e) != H_LIT)
			return fail(z, "bad code lengths");
		z->bits >>= H_TAKES(e);
		z->nbits -= H_TAKES(e);
		if ((sym = H_VAL(e)) < 16) {
			len[i++] = sym;
			continue;
		}
		if ((sym == 16 && !i) || getbits(z, xbits[sym - 16], &rep) < 0)
			return fail(z, "bad code lengths");
		if ((rep += xbase[sym - 16]) > n - i)
			return fail(z, "bad code lengths");
		for (sym = sym == 16 ? len[i - 1] : 0; rep; rep--)
			len[i++] = sym;
	}
	return 0;
}

static int
dynamic(struct gz *z)
{
	unsigned char len[286 + 30];
	uint32_t cltab[128], h, v;
	struct huff cl;
	unsigned nlen, ndist, i;

	if (getbits(z, 14, &h) < 0)
		return -1;
	nlen = 257 + (h & 31), ndist = 1 + (h >> 5 & 31);
	if (nlen > 286 || ndist > 30)
		return fail(z, "bad code lengths");
	memset(len, 0, 19);
	for (i = 0; i < 4 + (h >> 10); i++) {
		if (getbits(z, 3, &v) < 0)
			return -1;
		len[clorder[i]] = v;
	}
	if (huff_build(&cl, cltab, 128, len, 19, 7, H_CLEN) < 0)
		return fail(z, "bad code lengths");
	if (lengths(z, &cl, len, nlen + ndist) < 0)
		return -1;
	/* a block with no end could never end */
	if (!len[256] ||
	    huff_build(&z->ll, z->lltab, LLSIZE, len, nlen, LLROOT, H_LITLEN) ||
	    huff_build(&z->d, z->dtab, DSIZE, len + nlen, ndist, DROOT, H_DIST))
		return fail(z, "bad code");
	z->state = CODES;
	return 0;
}

static int
badtype(struct gz *z)
{
	return fail(z, "bad block type");
}

static int
block(struct gz *z)
{
	static int (*const type[4])(struct gz *) = {
		storedhead, fixed, dynamic, badtype,
	};
	uint32_t v;

	if (getbits(z, 3, &v) < 0)
		return -1;
	z->last = v & 1;
	return type[v >> 1](z);
}

/* a stored block's bytes: first those in the bit buffer, then in[]'s */
static int
stored(struct gz *z)
{
	size_t k;

	for (; z->left && z->nbits && z->o < LIMIT; z->left--) {
		z->w[z->o++] = z->bits;
		z->bits >>= 8;
		z->nbits -= 8;
	}
	if (!z->nbits)
		z->bits = 0;    /* what it held of in[] is copied from there */
	while (z->left && z->o < LIMIT) {
		if (z->p == z->end && pull(z) <= 0)
			return fail(z, "truncated");
		k = MIN(MIN(z->left, (size_t)(LIMIT - z->o)),
		    (size_t)(z->end - z->p));
		memcpy(z->w + z->o, z->p, k);
		z->p += k, z->o += k, z->left -= k;
	}
	if (!z->left)
		z->state = z->last ? TAIL : BLOCK;
	return 0;
}

/* a match: 8 bytes at a time when they do not overlap (into SLACK) */
static void
copy(unsigned char *d, size_t dist, unsigned len)
{
	const unsigned char *s = d - dist;
	unsigned char *end = d + len;

	if (dist >= 8)
		for (; d < end; d += 8, s += 8)
			memcpy(d, s, 8);
	else if (dist == 1)
		memset(d, *s, len);
	else
		while (d < end)
			*d++ = *s++;
}

/* 8 input bytes, the first lowest */
static uint64_t
load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* the next entry of a code's table, its bits dropped. Inlined: else
 * -Os calls it, and the hot loop's bits go through memory (20% slower) */
__attribute__((always_inline)) static inline uint32_t
look(const struct huff *h, uint64_t *bits, unsigned *nbits)
{
	uint32_t e = h->e[*bits & h->mask];

	if (H_OP(e) & H_LINK) {
		*bits >>= H_TAKES(e);
		*nbits -= H_TAKES(e);
		e = h->e[H_VAL(e) + (*bits & ((1u << (H_OP(e) & 15)) - 1))];
	}
	*bits >>= H_TAKES(e);
	*nbits -= H_TAKES(e);
	return e;
}

/* a base's extra bits added; inlined as look is */
__attribute__((always_inline)) static inline unsigned
extra(uint32_t e, uint64_t *bits, unsigned *nbits)
{
	unsigned n = H_OP(e) & 15, v = H_VAL(e) + (*bits & ((1u << n) - 1));

	*bits >>= n;
	*nbits -= n;
	return v;
}

/* near the end of in[], or past the end of the input: see the top */
static int
topup(struct gz *z, unsigned *pad)
{
	unsigned k;

	if (fill(z) < 0)
		return -1;
	if (z->nbits < 48) {
		k = (63 - z->nbits) >> 3 << 3;
		z->nbits += k;
		*pad += k;
	}
	return 0;
}

/* a Huffman-coded block's symbols: 48 bits is the longest, a length
 * and a distance with their extra bits */
static int
codes(struct gz *z)
{
	const unsigned char *p = z->p, *end = z->end;
	unsigned char *w = z->w;
	uint64_t bits = z->bits;
	unsigned nbits = z->nbits, pad = 0, len = 0, dist = 0;
	size_t o = z->o;
	const char *why = NULL;
	uint32_t e, de;

	while (o < LIMIT && !why) {
		if (nbits < 48 && end - p >= 8) {
			bits |= load64(p) << nbits;
			p += (63 - nbits) >> 3;
			nbits |= 56;
		} else if (nbits < 48) {
			z->p = p, z->bits = bits, z->nbits = nbits;
			why = topup(z, &pad) < 0 ? "" : NULL;
			p = z->p, end = z->end, bits = z->bits, nbits = z->nbits;
			if (why)
				break;
		}
		e = look(&z->ll, &bits, &nbits);
		if (H_OP(e) & H_BASE) {
			len = extra(e, &bits, &nbits);
			de = look(&z->d, &bits, &nbits);
			if (!(H_OP(de) & H_BASE))
				why = "bad distance code";
			dist = extra(de, &bits, &nbits);
		}
		if (nbits < pad || why)
			break;
		if (H_OP(e) == H_LIT)
			w[o++] = H_VAL(e);
		else if (H_OP(e) & H_BASE && dist <= o - z->base)
			copy(w + o, dist, len), o += len;
		else if (H_OP(e) & H_BASE)
			why = "bad distance";
		else if (H_OP(e) == H_END)
			z->state = z->last ? TAIL : BLOCK, why = "";
		else
			why = "bad code";
	}
	z->p = p, z->end = end, z->o = o;
	if (nbits < pad)
		why = "truncated";
	z->bits = bits, z->nbits = nbits - pad;
	return why && *why ? fail(z, why) : z->err ? -1 : 0;
}

static int
tail(struct gz *z)
{
	uint32_t crc, size;

	sum(z);
	align(z);
	if (getbits(z, 32, &crc) < 0 || getbits(z, 32, &size) < 0)
		return -1;
	if (crc != z->crc)
		return fail(z, "bad CRC");
	if (size != z->size)
		return fail(z, "bad length");
	z->state = NEXT;
	return 0;
}

/* a member's ID1 and ID2; after a member, the end of the input or zeros
 * to it may come instead */
static int
next(struct gz *z)
{
	int c = byte(z), first = z->state == HEAD;

	if (c < 0 && !z->err && !first)
		return z->state = DONE, 0;
	if (c == 0 && !first)
		return z->state = ZEROS, 0;
	if (c == 0x1f && (c = byte(z)) == 0x8b)
		return z->state = MEMBER, 0;
	return fail(z, c < 0 ? "truncated" : first ? "not gzip" : "trailing data");
}

/* some tar writers pad a .tar.gz with zeros */
static int
zeros(struct gz *z)
{
	int c;

	while (!(c = byte(z)))
		;
	if (c > 0)
		return fail(z, "trailing data");
	return z->err ? -1 : (z->state = DONE, 0);
}

/* decoding until w[] is full or the stream ends, then the slide */
static int
run(struct gz *z)
{
	static int (*const step[])(struct gz *) = {
		[HEAD] = next, [MEMBER] = member, [BLOCK] = block,
		[STORED] = stored, [CODES] = codes, [TAIL] = tail,
		[NEXT] = next, [ZEROS] = zeros,
	};
	size_t shift;

	if (z->o >= LIMIT) {
		shift = z->o - WSIZE;
		memmove(z->w, z->w + shift, WSIZE);
		z->r = z->o = z->crcd = WSIZE;
		z->base = z->base > shift ? z->base - shift : 0;
	}
	while (z->o < LIMIT && z->state != DONE)
		if (step[z->state](z) < 0)
			return -1;
	sum(z);
	return 0;
}

struct gz *
gz_open(ssize_t (*rd)(void *arg, void *buf, size_t n), void *arg)
{
	struct gz *z;

	if (!(z = calloc(1, sizeof(*z)))) {
		errno = ENOMEM;
		return NULL;
	}
	z->rd = rd, z->arg = arg;
	z->p = z->end = z->in;
	crc32_init(&z->crc32);
	huff_fixed(&z->fll, z->fixll, &z->fd, z->fixd);
	return z;
}

ssize_t
gz_read(struct gz *z, void *buf, size_t n)
{
	while (!z->err && z->r == z->o && z->state != DONE)
		if (run(z) < 0)
			break;
	if (z->err)
		return -1;
	n = MIN(n, z->o - z->r);
	memcpy(buf, z->w + z->r, n);
	z->r += n;
	return n;
}

const char *
gz_error(const struct gz *z)
{
	return z->err ? z->err : "no error";
}

void
gz_close(struct gz *z)
{
	free(z);
}

int
gz_magic(const void *p, size_t n)
{
	const unsigned char *b = p;

	return n >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8;
}
