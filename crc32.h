/* See LICENSE file for copyright and license details. */
/*
 * crc32.c: the CRC-32 that gzip checks each member with (RFC 1952, 8),
 * 8 bytes a step, or 64 with x86-64's pclmulqdq. It owns no I/O and
 * allocates nothing.
 */
#include <stddef.h>
#include <stdint.h>

struct crc32 {
	uint32_t t[8][256];     /* t[k][b]: byte b followed by k zeros */
	int clmul;              /* 1: the CPU's carry-less multiply too */
};

/* fills the tables and asks the CPU, once before crc32_add */
void crc32_init(struct crc32 *c);
/* after crc32_init: the tables alone whatever the CPU has, for the tests
 * that hold the two to the same CRCs */
void crc32_portable(struct crc32 *c);
/* the CRC of what crc covered followed by the n bytes at p (crc 0: none) */
uint32_t crc32_add(const struct crc32 *c, uint32_t crc, const void *p,
    size_t n);
