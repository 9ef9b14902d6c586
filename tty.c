/* See LICENSE file for copyright and license details. */
/*
 * tty.c: terminals and the relays between the user's descriptors and the
 * sandbox's. It knows no plan and never dies: callers get -1 and errno.
 *
 * The sandbox's own terminal: a pty from the sandbox's devpts, its slave
 * the command's controlling terminal, its master handed to sbx, which puts
 * the user's terminal in raw mode and relays bytes and window sizes.
 * Nothing inside then holds the user's terminal, so nothing inside can
 * push input into it, and Ctrl-C, Ctrl-Z are bytes for the sandbox's own
 * line discipline to turn into signals. Without a pty, the user's
 * terminals are relayed through pipes: no descriptor of one ever enters
 * the sandbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "fmt.h"
#include "tty.h"

static struct termios saved;
static int israw;

int
pty_inside(int *slavefd)
{
	char name[64];
	struct winsize ws;
	unsigned n;
	int master, slave;

	/* posix_openpt, unlockpt and ptsname_r, without the printf that
	 * musl's would bring into sbx */
	if ((master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return -1;
	n = 0;
	if (ioctl(master, TIOCSPTLCK, &n) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
		return -1;
	fmt(name, sizeof(name), "/dev/pts/%u", n);
	if ((slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return -1;
	/* the size now, before anything inside can ask for it */
	if (ioctl(0, TIOCGWINSZ, &ws) == 0 && ioctl(slave, TIOCSWINSZ, &ws) < 0)
		return -1;
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0 ||
	    dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		return -1;
	*slavefd = slave;
	return master;
}

int
fd_send(int sock, int fd)
{
	char byte = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	memset(ctl, 0, sizeof(ctl));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int
tty_console(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
fd_recv(int sock)
{
	char byte, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	if (!(c = CMSG_FIRSTHDR(&msg)) || c->cmsg_type != SCM_RIGHTS) {
		errno = EPROTO;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

int
tty_raw(void)
{
	struct termios raw;

	if (tcgetattr(0, &saved) < 0)
		return -1;
	raw = saved;
	cfmakeraw(&raw);
	if (tcsetattr(0, TCSANOW, &raw) < 0)
		return -1;
	israw = 1;
	return 0;
}

void
tty_restore(void)
{
	if (israw && tcsetattr(0, TCSANOW, &saved) == 0)
		israw = 0;
}

int
tty_winsize(int master)
{
	struct winsize ws;

	if (ioctl(0, TIOCGWINSZ, &ws) < 0)
		return -1;
	return ioctl(master, TIOCSWINSZ, &ws);
}

/* one relay: the bytes read and not yet written wait in buf */
static struct relay {
	int from, to, flags;
	size_t off, len;
	char buf[PIPE_BUF];
} relays[RELAY_MAX];
static size_t nrelays;

int
relay_add(int from, int to, int flags)
{
	int mine = flags & RELAY_IN ? to : from;

	/* a write of PIPE_BUF or less into a pipe is whole or EAGAIN */
	if (nrelays == RELAY_MAX || fcntl(mine, F_SETFL, O_NONBLOCK |
	    fcntl(mine, F_GETFL)) < 0)
		return -1;
	relays[nrelays++] = (struct relay){ .from = from, .to = to,
	    .flags = flags };
	return 0;
}

/* a read of another job's terminal would stop us with SIGTTIN; it is
 * the shell's input while we are in the background */
static int
readable(const struct relay *r)
{
	pid_t fg;

	if (!(r->flags & RELAY_IN))
		return 1;
	fg = tcgetpgrp(r->from);
	return fg < 0 || fg == getpgrp();
}

int
relay_fds(struct pollfd *fds)
{
	struct relay *r;
	int wait = -1;
	size_t i;

	for (i = 0; i < RELAY_MAX; i++) {
		r = &relays[i];
		fds[i] = (struct pollfd){ -1, 0, 0 };
		if (i >= nrelays || r->from < 0)
			continue;
		if (r->len)
			fds[i] = (struct pollfd){ r->to, POLLOUT, 0 };
		else if (readable(r))
			fds[i] = (struct pollfd){ r->from, POLLIN, 0 };
		else
			wait = 200;
	}
	return wait;
}

/* one read, and as much of it written as the other side takes; -1 once
 * the relay is over: EOF, EIO from a master whose slaves are gone, or a
 * side that is gone (EPIPE: the sandbox closed its stdin) */
static int
relay_step(struct relay *r)
{
	ssize_t n;

	if (!r->len) {
		if ((n = read(r->from, r->buf, sizeof(r->buf))) == 0)
			return -1;
		if (n < 0)
			return errno == EINTR || errno == EAGAIN ? 0 : -1;
		r->off = 0;
		r->len = n;
	}
	for (; r->len; r->off += n, r->len -= n)
		if ((n = write(r->to, r->buf + r->off, r->len)) < 0) {
			if (errno == EAGAIN)
				return 0;
			if (errno != EINTR)
				return -1;
			n = 0;
		}
	return 0;
}

static int
relay_end(struct relay *r)
{
	int shut = r->flags & RELAY_IN ? r->to : r->from;

	r->from = -1;
	r->len = 0;
	return r->flags & RELAY_SHUT ? close(shut) : 0;
}

int
relay_run(const struct pollfd *fds)
{
	size_t i;

	for (i = 0; i < nrelays; i++)
		if (fds[i].revents && relay_step(&relays[i]) < 0 &&
		    relay_end(&relays[i]) < 0)
			return -1;
	return 0;
}

void
relay_drain(void)
{
	struct relay *r;
	size_t i;

	for (i = 0; i < nrelays; i++)
		for (r = &relays[i]; r->from >= 0 && !(r->flags & RELAY_IN);) {
			errno = 0;
			if (relay_step(r) < 0 || errno == EAGAIN)
				break;
		}
}
