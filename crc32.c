/* See LICENSE file for copyright and license details. */
/*
 * crc32.c: CRC-32 (ISO 3309, reflected 0xedb88320), sliced by 8 bytes.
 * It must not read, write or allocate: the caller brings the bytes.
 */
#include "crc32.h"

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
}

uint32_t
crc32_add(const struct crc32 *c, uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t v = ~crc, hi;

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
	return ~v;
}
