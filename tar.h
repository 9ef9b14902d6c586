/* See LICENSE file for copyright and license details. */
/*
 * tar.c: reads tar archives (ustar, pax 'x' and 'g' headers, GNU 'L' and
 * 'K' long names), pulled through a callback. It never writes a file nor
 * dies: a failure is -1, and tar_error() says why ("truncated", ...).
 */
#include <sys/types.h>

struct tar;

/* what tar_next gives is a struct tar_entry: see pax.h, included first.
 * rd reads up to n bytes, as read(2) does: 0 at the end, -1 with errno.
 * NULL if out of memory. */
struct tar *tar_open(ssize_t (*rd)(void *arg, void *buf, size_t n),
    void *arg);
/* the next entry into *e: 1; the end (two zero blocks, or the end of the
 * input at a header): 0, and nothing more is read; else -1 */
int tar_next(struct tar *t, const struct tar_entry **e);
/* the current entry's data: up to n bytes, 0 at its end, -1 on error;
 * tar_next skips whatever is left of it */
ssize_t tar_read(struct tar *t, void *buf, size_t n);
/* why the last call failed; every call fails the same after one has */
const char *tar_error(const struct tar *t);
void tar_close(struct tar *t);
