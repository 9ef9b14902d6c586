/* See LICENSE file for copyright and license details. */
/* the command's process: see lockdown.c */
struct plan;


/*
 * The last steps before the exec of init, in either child: rlimits, the
 * directory, the environment (p->environ's if set, changed as the plan
 * says), the command found, then its terminal (a pty whose master goes
 * through sock; with console, /dev/console too) or a session of its own,
 * no descriptor above 2, the capabilities kept, no_new_privs, seccomp.
 */
void prepare_command(const struct plan *p, int sock, int console);
/* close-on-exec for descriptors from up (above 2, but an OCI bundle's
 * --preserve-fds): no other host descriptor gets in */
void close_fds(int from);
