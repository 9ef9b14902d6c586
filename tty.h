/* See LICENSE file for copyright and license details. */

/* inside: a pty of the sandbox's devpts, its slave our controlling
 * terminal and stdin, stdout, stderr (a new session), the window size the
 * caller's; returns the master and sets *slave, or -1 with errno */
int pty_inside(int *slave);

/* passes a descriptor over a unix socket; -1 with errno */
int fd_send(int sock, int fd);
int fd_recv(int sock);

/* the caller's terminal (stdin) raw, and as it was; restore is safe to
 * call on any path, any number of times */
int tty_raw(void);
void tty_restore(void);

/* the caller's window size onto the pty */
int tty_winsize(int master);

/* one read from one side, written whole to the other; -1 once from has
 * nothing more to give (EOF, or EIO from a master whose slaves are gone) */
int tty_copy(int from, int to);
