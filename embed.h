/* See LICENSE file for copyright and license details. */
/* the init inside sbx: see embed.c */

/* a sealed memfd that holds it, close-on-exec */
int embed_memfd(void);
/*
 * The exec of it from fd, as "init OPTS... -- ARGV...", with environ;
 * opts ends with NULL. viaproc: whether, before Linux 3.19, the memfd may
 * be reached through /proc/self/fd, a path resolved in the sandbox's
 * /proc. Returns only to die.
 */
__attribute__((noreturn)) void embed_exec(int fd, const char *const *opts,
    char *const *argv, int viaproc);
