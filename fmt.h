/* See LICENSE file for copyright and license details. */
/*
 * The printf conversions sbx and init use, and no others, into a buffer:
 * %d %i %u %x %o %c %s and %%, the flags - and 0, a width, a precision
 * (.N or .*) and the lengths l and ll. musl's printf, with the floating
 * point it brings, would be a sixth of sbx and a third of init.
 * Always terminates buf (unless n is 0); returns the length the whole
 * text would have had, as snprintf does.
 */
#include <stdarg.h>
#include <stddef.h>

size_t vfmt(char *buf, size_t n, const char *f, va_list ap);
__attribute__((format(printf, 3, 4))) size_t
fmt(char *buf, size_t n, const char *f, ...);
