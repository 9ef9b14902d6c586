/* See LICENSE file for copyright and license details. */
/*
 * huff.c: the decoding tables of DEFLATE's canonical Huffman codes.
 * It must not read input or allocate: inflate.c checks what it decodes.
 */
#include <string.h>

#include "huff.h"

#define ENTRY(op, val, n) ((uint32_t)(val) << 16 | (uint32_t)(op) << 8 | (n))

/* RFC 1951, 3.2.5: lengths 257-285 and distances 0-29 */
static const uint16_t lbase[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const unsigned char lextra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dbase[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
	8193, 12289, 16385, 24577,
};
static const unsigned char dextra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};
static unsigned
reverse(unsigned code, unsigned n)
{
	unsigned r = 0;

	for (; n; n--, code >>= 1)
		r = r << 1 | (code & 1);
	return r;
}

static uint32_t
meaning(int kind, unsigned sym)
{
	if (kind == H_CLEN || (kind == H_LITLEN && sym < 256))
		return ENTRY(H_LIT, sym, 0);
	if (kind == H_LITLEN && sym == 256)
		return ENTRY(H_END, 0, 0);
	if (kind == H_LITLEN && sym < 286)
		return ENTRY(H_BASE | lextra[sym - 257], lbase[sym - 257], 0);
	if (kind == H_DIST && sym < 30)
		return ENTRY(H_BASE | dextra[sym], dbase[sym], 0);
	return ENTRY(H_BAD, 0, 0);
}

/* a code longer than the root, into the sub-table of its first root
 * bits (made at its first code: codes come in order, the longest last) */
static int
placelong(uint32_t *t, unsigned *used, unsigned cap, unsigned root,
    unsigned sub, unsigned r, unsigned len, uint32_t m)
{
	uint32_t *link = &t[r & ((1u << root) - 1)];
	unsigned i;

	if (!(H_OP(*link) & H_LINK)) {
		if (*used + (1u << sub) > cap)
			return -1;
		for (i = 0; i < 1u << sub; i++)
			t[*used + i] = ENTRY(H_BAD, 0, 0);
		*link = ENTRY(H_LINK | sub, *used, root);
		*used += 1u << sub;
	}
	for (i = r >> root; i < 1u << sub; i += 1u << (len - root))
		t[H_VAL(*link) + i] = m | (len - root);
	return 0;
}

/* the canonical code of n code lengths (3.2.2) into t, of cap entries */
int
huff_build(struct huff *h, uint32_t *t, unsigned cap, const unsigned char *len,
    unsigned n, unsigned root, int kind)
{
	unsigned count[16] = { 0 }, next[16], max = 0, used, sym, l, i, r;
	int left = 1;

	for (sym = 0; sym < n; sym++)
		count[len[sym]]++;
	for (next[1] = 0, l = 1; l < 16; l++) {
		if ((left = 2 * left - (int)count[l]) < 0)
			return -1;      /* over-subscribed */
		if (count[l])
			max = l;
		if (l < 15)
			next[l + 1] = (next[l] + count[l]) << 1;
	}
	/* only a lone code may leave codes unused: one distance (3.2.7) */
	if (left && max > 1)
		return -1;
	root = max < root ? (max ? max : 1) : root;
	for (i = 0; i < 1u << root; i++)
		t[i] = ENTRY(H_BAD, 0, 0);
	for (used = 1u << root, sym = 0; sym < n; sym++) {
		if (!(l = len[sym]))
			continue;
		r = reverse(next[l]++, l);
		if (l > root && placelong(t, &used, cap, root, max - root, r, l,
		    meaning(kind, sym)) < 0)
			return -1;
		for (i = r; l <= root && i < 1u << root; i += 1u << l)
			t[i] = meaning(kind, sym) | l;
	}
	h->e = t;
	h->mask = (1u << root) - 1;
	return 0;
}

void
huff_fixed(struct huff *ll, uint32_t llt[512], struct huff *d,
    uint32_t dt[32])
{
	unsigned char len[288];

	/* complete codes, so they cannot fail */
	memset(len, 8, 144);
	memset(len + 144, 9, 112);
	memset(len + 256, 7, 24);
	memset(len + 280, 8, 8);
	(void)huff_build(ll, llt, 512, len, 288, 9, H_LITLEN);
	memset(len, 5, 32);
	(void)huff_build(d, dt, 32, len, 32, 5, H_DIST);
}
