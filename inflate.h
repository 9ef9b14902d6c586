/* See LICENSE file for copyright and license details. */
/*
 * inflate.c: gzip (RFC 1952) over DEFLATE (RFC 1951), as a stream read
 * through the caller's function; every member is decoded and checked.
 */
#include <stddef.h>
#include <sys/types.h>

struct gz;

/* a decoder that pulls its input with rd(arg, buf, n), which returns
 * the bytes read, 0 at the end or -1 with errno; NULL (ENOMEM) if it
 * cannot be allocated. It holds about 170 KiB, whatever the input. */
struct gz *gz_open(ssize_t (*rd)(void *arg, void *buf, size_t n), void *arg);
/* up to n bytes of the decoded stream into buf: their number, 0 at its
 * end (after the last member's CRC and length were checked), or -1 with
 * gz_error, which stays: "not gzip", "truncated", "bad CRC", ... */
ssize_t gz_read(struct gz *z, void *buf, size_t n);
/* why gz_read failed, e.g. "bad distance" or "read: I/O error" */
const char *gz_error(const struct gz *z);
/* frees z (it never closes anything of the caller's) */
void gz_close(struct gz *z);
/* 1 if the n bytes at p start a gzip member (magic and method) */
int gz_magic(const void *p, size_t n);
