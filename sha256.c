/* See LICENSE file for copyright and license details. */
/*
 * sha256.c: the SHA-256 digest of FIPS 180-4, streamed in any split, with
 * x86-64's SHA instructions where the CPU has them, else portable C.
 * It must not read, write or allocate: the caller brings the bytes.
 */
#include <string.h>

#include "sha256.h"

#ifdef __x86_64__
#include <cpuid.h>
#include <immintrin.h>
#endif

#define ROR(x, n) ((x) >> (n) | (x) << (32 - (n)))

/* the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes (FIPS 180-4, 4.2.2) */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* the same of the square roots of the first 8 (5.3.3) */
static const uint32_t H0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* the message schedule of one block (6.2.2, step 1) */
static void
schedule(uint32_t w[64], const unsigned char *p)
{
	uint32_t s0, s1;
	int i;

	for (i = 0; i < 16; i++, p += 4)
		w[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	for (; i < 64; i++) {
		s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ w[i - 15] >> 3;
		s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ w[i - 2] >> 10;
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
}

/* one 64-byte block into the hash (6.2.2, steps 2 to 4) */
static void
block(uint32_t st[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	schedule(w, p);
	a = st[0], b = st[1], c = st[2], d = st[3];
	e = st[4], f = st[5], g = st[6], h = st[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		h = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	st[0] += a, st[1] += b, st[2] += c, st[3] += d;
	st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

static void
portable(uint32_t st[8], const unsigned char *p, size_t n)
{
	for (; n; n--, p += 64)
		block(st, p);
}

#ifdef __x86_64__
#define SHANI __attribute__((target("sha,sse4.1")))

/* st as the SHA instructions hold it: {F,E,B,A} and {H,G,D,C}, from
 * the lowest dword (Intel SDM, SHA256RNDS2), and back */
SHANI static void
to_lanes(const uint32_t st[8], __m128i *abef, __m128i *cdgh)
{
	__m128i badc, hgfe;

	badc = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0xb1);
	hgfe = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st + 1),
	    0x1b);
	*abef = _mm_alignr_epi8(badc, hgfe, 8);
	*cdgh = _mm_blend_epi16(hgfe, badc, 0xf0);
}

SHANI static void
from_lanes(uint32_t st[8], __m128i abef, __m128i cdgh)
{
	__m128i ab_ef = _mm_shuffle_epi32(abef, 0x1b);
	__m128i gh_cd = _mm_shuffle_epi32(cdgh, 0xb1);

	_mm_storeu_si128((__m128i *)st, _mm_blend_epi16(ab_ef, gh_cd, 0xf0));
	_mm_storeu_si128((__m128i *)st + 1, _mm_alignr_epi8(gh_cd, ab_ef, 8));
}

/* the schedule's next four words, W[t-16] + s0(W[t-15]) + W[t-7] +
 * s1(W[t-2]) (6.2.2), from its last 16 in w, the oldest four at i & 3 */
SHANI static __m128i
next4(const __m128i w[4], int i)
{
	__m128i t = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);

	t = _mm_add_epi32(t, _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3],
	    4));
	return _mm_sha256msg2_epu32(t, w[(i + 3) & 3]);
}

/* the same as block, four rounds a step */
SHANI static void
shani(uint32_t st[8], const unsigned char *p, size_t n)
{
	const __m128i swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11,
	    4, 5, 6, 7, 0, 1, 2, 3);
	__m128i abef, cdgh, abef0, cdgh0, w[4], wk;
	int i;

	to_lanes(st, &abef, &cdgh);
	for (; n; n--, p += 64) {
		abef0 = abef, cdgh0 = cdgh;
		for (i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128(
			    (const __m128i *)p + i), swap);
		for (i = 0; i < 16; i++) {
			if (i >= 4)
				w[i & 3] = next4(w, i);
			wk = _mm_add_epi32(w[i & 3],
			    _mm_loadu_si128((const __m128i *)K + i));
			/* two rounds each: A,B,E,F two rounds back are
			 * C,D,G,H now, so the two swap roles */
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			abef = _mm_sha256rnds2_epu32(abef, cdgh,
			    _mm_shuffle_epi32(wk, 0x0e));
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	from_lanes(st, abef, cdgh);
}

/* SHA-NI (CPUID.7.0:EBX[29]), and the SSSE3 and SSE4.1 it works with */
static int
has_shani(void)
{
	unsigned a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && c & bit_SSSE3 &&
	    c & bit_SSE4_1 && __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
	    b & bit_SHA;
}
#endif

void
sha256_init(struct sha256 *s)
{
	memcpy(s->h, H0, sizeof(s->h));
	s->len = 0;
	s->blocks = portable;
#ifdef __x86_64__
	if (has_shani())
		s->blocks = shani;
#endif
}

void
sha256_portable(struct sha256 *s)
{
	s->blocks = portable;
}

void
sha256_add(struct sha256 *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t have = s->len % 64, k;

	s->len += n;
	if (have) {
		k = n < 64 - have ? n : 64 - have;
		memcpy(s->buf + have, b, k);
		b += k, n -= k;
		if (have + k < 64)
			return;
		s->blocks(s->h, s->buf, 1);
	}
	/* whole blocks straight from the caller's bytes, with no copy */
	s->blocks(s->h, b, n / 64);
	b += n / 64 * 64, n %= 64;
	if (n)
		memcpy(s->buf, b, n);
}

void
sha256_hex(struct sha256 *s, char hex[65])
{
	static const char digit[] = "0123456789abcdef";
	unsigned char pad[72] = { 0x80 };
	uint64_t bits = s->len * 8;
	size_t k = 64 - (s->len + 8) % 64;   /* 1 to 64: 0x80, then zeros */
	int i;

	/* the length, big-endian, ends the last block (5.1.1) */
	for (i = 0; i < 8; i++)
		pad[k + i] = bits >> (56 - 8 * i);
	sha256_add(s, pad, k + 8);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digit[s->h[i / 4] >> (28 - 8 * (i % 4)) & 15];
		hex[2 * i + 1] = digit[s->h[i / 4] >> (24 - 8 * (i % 4)) & 15];
	}
	hex[64] = '\0';
}
