/* See LICENSE file for copyright and license details. */
/* the command line's front end: see opts.c */
#include <stddef.h>

struct plan;


/* turns the command line into a plan, or dies saying which word is
 * wrong; makes no system call (so it is fuzzed, in tests/fuzz.c) */
void parse(int argc, char *argv[], struct plan *p);