/* See LICENSE file for copyright and license details. */
/*
 * sha256.c: SHA-256 (FIPS 180-4) over a stream of bytes, for checking
 * blobs against their digests. It owns no I/O and allocates nothing.
 */
#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];          /* the hash so far */
	uint64_t len;           /* bytes added */
	unsigned char buf[64];  /* the block being filled: len % 64 bytes */
	/* n whole blocks into h: with the CPU's SHA instructions if it
	 * has them */
	void (*blocks)(uint32_t h[8], const unsigned char *p, size_t n);
};

/* starts a digest */
void sha256_init(struct sha256 *s);
/* after sha256_init: the portable code whatever the CPU has, for the
 * tests that hold the two to the same digests */
void sha256_portable(struct sha256 *s);
/* adds n bytes at p; any split of the input gives the same digest */
void sha256_add(struct sha256 *s, const void *p, size_t n);
/* finishes the digest into hex: 64 lowercase digits and a NUL; s is
 * spent (sha256_init it again to reuse it) */
void sha256_hex(struct sha256 *s, char hex[65]);
