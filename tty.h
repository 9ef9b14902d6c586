/* See LICENSE file for copyright and license details. */

struct pollfd;

/* inside: a pty of the sandbox's devpts, its slave our controlling
 * terminal and stdin, stdout, stderr (a new session), the window size the
 * caller's; returns the master and sets *slave, or -1 with errno */
int pty_inside(int *slave);

/* passes a descriptor over a unix socket; -1 with errno */
int fd_send(int sock, int fd);
int fd_recv(int sock);
/* an engine's console socket (AF_UNIX, a path), connected; -1 */
int tty_console(const char *path);

/* the caller's terminal (stdin) raw, and as it was; restore is safe to
 * call on any path, any number of times */
int tty_raw(void);
void tty_restore(void);

/* the caller's window size onto the pty */
int tty_winsize(int master);

/*
 * The relays between the user's descriptors and the sandbox's, at most
 * RELAY_MAX, polled by the caller. RELAY_IN: from is the user's, read
 * only while sbx is the foreground job of that terminal (or it is no
 * controlling terminal of ours). RELAY_SHUT: the sandbox's side is a
 * pipe, closed when the relay ends, so that the sandbox sees EOF (or
 * EPIPE). The sandbox's side is made non-blocking, the user's never is.
 */
enum { RELAY_IN = 1, RELAY_SHUT = 2, RELAY_MAX = 3 };
int relay_add(int from, int to, int flags);
/* RELAY_MAX pollfds, one a relay (-1 for none); returns the poll
 * timeout: -1, or a few ms if one waits to be the foreground again (fg
 * in bash sends no SIGCONT to a job that runs) */
int relay_fds(struct pollfd *fds);
/* reads and writes what poll found ready; -1 with errno if a pipe
 * could not be closed */
int relay_run(const struct pollfd *fds);
/* what the sandbox left in the relays: read until there is nothing now,
 * not until EOF, as an orphan of sbx exec may hold a pipe for ever */
void relay_drain(void);
