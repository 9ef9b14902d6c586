/* See LICENSE file for copyright and license details. */
/* the host's side while a sandbox runs: see supervise.c */
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

struct plan;


/* -d: forks; the caller's process waits for report_ready (then prints
 * the pid and exits 0) or for the end; the other returns, to run it */
void detach(struct plan *p);
/* blocks the signals sbx forwards, SIGCHLD, SIGPIPE and SIGCONT until
 * supervise takes them; the mask before goes to *caller */
void block_signals(sigset_t *set, uint64_t *caller);
/* the pipes that stand for the caller's terminals when there is no pty
 * (p->pipes), and, once the child has them, our copies closed */
void make_pipes(struct plan *p);
void close_pipes(const struct plan *p);
/* the child's report: returns once init runs, or exits as it failed;
 * 1 if init said so with a NUL (after an OCI container's own hooks) */
int read_report(int fd, pid_t pid);
/* -d: the sandbox runs; lets the caller go */
void report_ready(const struct plan *p);
/* the pty's master, from the child over sock, relayed to the caller's
 * terminal (put in raw mode); -1 if there is no pty */
int take_pty(const struct plan *p, int sock);
/* forwards signals and relays until the sandbox ends; its status (124
 * if timeout, in ms, ran out first) */
int supervise(pid_t pid, const sigset_t *set, long timeout, int master);
