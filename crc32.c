/* See LICENSE file for copyright and license details. */
/*
 * crc32.c: CRC-32 (ISO 3309, reflected 0xedb88320), sliced by 8 bytes, or
 * 64 bytes a step by carry-less multiplication where x86-64 has it.
 * It must not read, write or allocate: the caller brings the bytes.
 */
#include "crc32.h"

#ifdef __x86_64__
#include <cpuid.h>
#include <immintrin.h>

static int
has_pclmul(void)
{
	unsigned a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && c & bit_PCLMUL;
}
#endif

void
crc32_init(struct crc32 *c)
{
	uint32_t v;
	unsigned i, k;

	for (i = 0; i < 256; i++) {
		for (v = i, k = 0; k < 8; k++)
			v = v & 1 ? 0xedb88320 ^ v >> 1 : v >> 1;
		c->t[0][i] = v;
	}
	for (k = 1; k < 8; k++)
		for (i = 0; i < 256; i++)
			c->t[k][i] = c->t[k - 1][i] >> 8 ^
			    c->t[0][c->t[k - 1][i] & 255];
	c->clmul = 0;
#ifdef __x86_64__
	c->clmul = has_pclmul();
#endif
}

void
crc32_portable(struct crc32 *c)
{
	c->clmul = 0;
}

/* the register (not inverted) after the n bytes at b */
static uint32_t
sliced(const struct crc32 *c, uint32_t v, const unsigned char *b, size_t n)
{
	uint32_t hi;

	/* 8 table lookups that do not wait on each other, per 8 bytes */
	for (; n >= 8; b += 8, n -= 8) {
		v ^= b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
		hi = b[4] | b[5] << 8 | b[6] << 16 | (uint32_t)b[7] << 24;
		v = c->t[7][v & 255] ^ c->t[6][v >> 8 & 255] ^
		    c->t[5][v >> 16 & 255] ^ c->t[4][v >> 24] ^
		    c->t[3][hi & 255] ^ c->t[2][hi >> 8 & 255] ^
		    c->t[1][hi >> 16 & 255] ^ c->t[0][hi >> 24];
	}
	for (; n; n--)
		v = c->t[0][(v ^ *b++) & 255] ^ v >> 8;
	return v;
}

#ifdef __x86_64__
/*
 * The bytes are one polynomial, the first byte's low bit its highest
 * term, and the register its remainder mod P (times x^32). A run X of 16
 * bytes can move F bits on, xored onto the run there, as its halves
 * times x^(F+64) and x^F mod P: the same remainder, 16 bytes shorter.
 * In this bit order pclmulqdq's product comes out times x, so the
 * constants are x^(F+63) and x^(F-1) mod P, reflected into the top of
 * 64 bits (Intel, "Fast CRC Computation for Generic Polynomials Using
 * PCLMULQDQ Instruction", 2009).
 */
#define CLMUL __attribute__((target("pclmul")))

static const uint64_t by512[2] = { 0x653d982200000000, 0xcad38e8f00000000 };
static const uint64_t by128[2] = { 0x65673b4600000000, 0x9ba54c6f00000000 };

CLMUL static __m128i
fold(__m128i x, const uint64_t k[2], __m128i onto)
{
	__m128i kk = _mm_loadu_si128((const __m128i *)k);

	return _mm_xor_si128(onto, _mm_xor_si128(
	    _mm_clmulepi64_si128(x, kk, 0x00),
	    _mm_clmulepi64_si128(x, kk, 0x11)));
}

/* the register after the n bytes at p (n >= 64, a multiple of 16): four
 * runs folded 64 bytes on at a time, then into one, whose remainder the
 * tables take; the register so far goes in as its first 4 bytes' xor */
CLMUL static uint32_t
folded(const struct crc32 *c, uint32_t v, const unsigned char *p, size_t n)
{
	const __m128i *q = (const __m128i *)p;
	unsigned char last[16];
	__m128i x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[i] = _mm_loadu_si128(q++);
	x[0] = _mm_xor_si128(x[0], _mm_cvtsi32_si128(v));
	for (n -= 64; n >= 64; n -= 64)
		for (i = 0; i < 4; i++)
			x[i] = fold(x[i], by512, _mm_loadu_si128(q++));
	for (i = 1; i < 4; i++)
		x[i] = fold(x[i - 1], by128, x[i]);
	for (; n; n -= 16)
		x[3] = fold(x[3], by128, _mm_loadu_si128(q++));
	_mm_storeu_si128((__m128i *)last, x[3]);
	return sliced(c, 0, last, 16);
}
#endif

uint32_t
crc32_add(const struct crc32 *c, uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t v = ~crc;

#ifdef __x86_64__
	if (c->clmul && n >= 64) {
		v = folded(c, v, b, n & ~(size_t)15);
		b += n & ~(size_t)15;
		n &= 15;
	}
#endif
	return ~sliced(c, v, b, n);
}
