/* See LICENSE file for copyright and license details. */
/*
 * crc32.c: the CRC-32 that gzip checks each member with (RFC 1952, 8),
 * 8 bytes a step. It owns no I/O and allocates nothing.
 */
#include <stddef.h>
#include <stdint.h>

struct crc32 {
	uint32_t t[8][256];     /* t[k][b]: byte b followed by k zeros */
};

/* fills the tables, once before crc32_add */
void crc32_init(struct crc32 *c);
/* the CRC of what crc covered followed by the n bytes at p (crc 0: none) */
uint32_t crc32_add(const struct crc32 *c, uint32_t crc, const void *p,
    size_t n);
