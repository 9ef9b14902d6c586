/* See LICENSE file for copyright and license details. */
/*
 * ocifds.c: what an OCI engine hands a container and takes back: its
 * stdio or console socket, the descriptors it preserves, the pid file.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "oci.h"
#include "ocifds.h"
#include "plan.h"
#include "sbx.h"
#include "tty.h"

/* a container's stdio: the engine's console socket for its terminal, or
 * what we were given, but never a terminal of ours once we are gone */
void
oci_stdio(struct plan *p, const struct oci *o)
{
	int i;

	enter("console");
	if (p->pty && !o->console)
		die("process.terminal: needs --console-socket");
	if (p->pty) {
		if ((p->console = tty_console(o->console)) < 0)
			die("connect(%s):", o->console);
		return;
	}
	for (i = 0; i < 3; i++)
		if (isatty(i))
			die("descriptor %d is a terminal: set process.terminal"
			    " and give --console-socket, or other descriptors", i);
}

void
oci_pidfile(const char *path, pid_t pid)
{
	char num[16];
	int fd;

	if (!path)
		return;
	fmt(num, sizeof(num), "%d", (int)pid);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) <
	    0 || put_all(fd, num, strlen(num)) < 0 || close(fd) < 0)
		die("write(%s):", path);
}

/* --preserve-fds N: 3 to 3+N-1 go to the process, so they must be the
 * engine's, open before we open anything; until its exec, they go to no
 * helper of ours (newuidmap, a hook) */
void
oci_keep_fds(int n)
{
	int fd;

	for (fd = 3; fd < 3 + n; fd++)
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
			die("--preserve-fds %d: descriptor %d:", n, fd);
}
