/* See LICENSE file for copyright and license details. */
/*
 * The sandbox's own terminal: a pty from the sandbox's devpts, its slave
 * the command's controlling terminal, its master handed to sbx, which puts
 * the user's terminal in raw mode and relays bytes and window sizes.
 * Nothing inside then holds the user's terminal, so nothing inside can
 * push input into it, and Ctrl-C, Ctrl-Z are bytes for the sandbox's own
 * line discipline to turn into signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
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

int
tty_copy(int from, int to)
{
	char buf[8192];
	ssize_t n, w, off;

	if ((n = read(from, buf, sizeof(buf))) <= 0)
		return n == 0 || errno == EIO ? -1 : (errno == EINTR ||
		    errno == EAGAIN ? 0 : -1);
	for (off = 0; off < n; off += w)
		if ((w = write(to, buf + off, n - off)) < 0) {
			if (errno != EINTR && errno != EAGAIN)
				return -1;
			w = 0;
		}
	return 0;
}
