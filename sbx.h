/* See LICENSE file for copyright and license details. */
/* sbx's one way to fail, shared by its units (sandbox.c) */

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* "sbx: STEP: message", with ": strerror(errno)" if fmt ends in ':';
 * then exit with code (die: 125) */
__attribute__((noreturn, format(printf, 2, 3))) void
fail(int code, const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void
die(const char *fmt, ...);

/* names the step that follows, for those messages */
void enter(const char *name);
