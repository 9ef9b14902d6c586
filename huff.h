/* See LICENSE file for copyright and license details. */
/*
 * huff.c: DEFLATE's canonical Huffman codes (RFC 1951, 3.2.2) turned
 * into decoding tables, for inflate.c. It reads no input and allocates
 * nothing: code lengths in, a table in the caller's array out.
 */
#include <stdint.h>

/* An entry: the bits it takes (bits 0-4), an op (8-15) and a value
 * (16-31): a byte (H_LIT), a length or distance base with op's low bits
 * its extra bits (H_BASE), the block's end, or the index of a sub-table
 * that the bits after the root's pick from, with op's low bits its bits
 * (H_LINK). H_BAD is a code the input may not use. */
enum { H_LIT = 0, H_BASE = 0x10, H_END = 0x20, H_LINK = 0x40, H_BAD = 0x80 };
#define H_TAKES(e) ((e) & 31)
#define H_OP(e) ((e) >> 8 & 0xff)
#define H_VAL(e) ((e) >> 16)

/* what a code's symbols mean: code lengths, literals and lengths, or
 * distances */
enum { H_CLEN, H_LITLEN, H_DIST };

/* a table's size for a code of nsym symbols and root bits: a complete
 * code has at most one sub-table per two codes longer than the root */
#define H_SIZE(root, nsym) ((1 << (root)) + (nsym) / 2 * (1 << (15 - (root))))

struct huff {
	const uint32_t *e;
	unsigned mask;          /* of the root's index */
};

/* the code of the n lengths at len (0: unused) into t, cap entries, with
 * a root of at most root bits: 0, or -1 if the lengths make no code */
int huff_build(struct huff *h, uint32_t *t, unsigned cap,
    const unsigned char *len, unsigned n, unsigned root, int kind);
/* the fixed codes (3.2.6) */
void huff_fixed(struct huff *ll, uint32_t llt[512], struct huff *d,
    uint32_t dt[32]);
