/* See LICENSE file for copyright and license details. */
/*
 * lockdown.c: the command's process, as both children (sbx's and sbx
 * exec's) prepare it: limits, directory, environment, the command check,
 * its terminal, then no way back to host descriptors, privileges or
 * system calls. Nothing here mounts, and nothing runs after seccomp.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "caps.h"
#include "exitcode.h"
#include "kernfs.h"
#include "plan.h"
#include "lockdown.h"
#include "sbx.h"
#include "seccomp.h"
#include "tty.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static void
setup_rlimits(const struct plan *p)
{
	int i;

	enter("rlimit");
	for (i = 0; i < p->nrlim; i++) {
		struct rlimit r = { p->rlim[i].soft, p->rlim[i].hard };
		if (setrlimit(p->rlim[i].res, &r) < 0)
			die("setrlimit(%s):", p->rlim[i].name);
	}
}

/* the environment the command gets: the caller's, changed in order */
static void
setup_env(const struct plan *p)
{
	int i, cleared = 0;

	enter("env");
	for (i = 0; i < p->nenv; i++) {
		if (p->env[i].kind == ENV_CLEAR)
			cleared = clearenv() == 0;
		else if (p->env[i].kind == ENV_UNSET)
			unsetenv(p->env[i].src);
		else if (putenv((char *)p->env[i].src) < 0)
			die("putenv:");
	}
	if (cleared && !getenv("PATH") && setenv("PATH", DEFPATH, 1) < 0)
		die("setenv(PATH):");
}

/* 0 if path can be executed, else why not */
static int
unrunnable(const char *path)
{
	struct stat st;

	/* a directory we may not search hides nothing we could run */
	if (stat(path, &st) < 0)
		return errno == EACCES ? ENOENT : errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	return access(path, X_OK) < 0 ? errno : 0;
}

/* the same lookup init will do, done here so a typo fails cleanly */
static void
check_command(const char *cmd, const char *where)
{
	const char *dirs = getenv("PATH");
	int why;

	enter("exec");
	if (!*cmd)
		fail(EXIT_NOTFOUND, "'': command not found");
	/* without a PATH, execvp's own default */
	why = strchr(cmd, '/') ? unrunnable(cmd) : path_walk(dirs ? dirs :
	    "/usr/local/bin:/bin:/usr/bin", cmd, unrunnable);
	if (why == ENOENT || why == ENOTDIR)
		fail(EXIT_NOTFOUND, "%s: command not found in %s", cmd, where);
	errno = why;
	if (why)
		fail(EXIT_NOEXEC, "%s:", cmd);
}

/* a directory on 0, 1 or 2 is a way out to the host's tree
 * (CVE-2024-21626): refused, as runc does */
static void
check_stdio(void)
{
	struct stat st;
	int fd;

	enter("fds");
	for (fd = 0; fd < 3; fd++)
		if (fstat(fd, &st) == 0 && (S_ISDIR(st.st_mode) ||
		    (fcntl(fd, F_GETFL) & O_PATH)))
			die("descriptor %d is a directory or O_PATH: refused",
			    fd);
}

void
close_fds(int from)
{
	struct dirent *d;
	DIR *dir;
	int fd;

	if (syscall(SYS_close_range, from, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	if (!(dir = opendir("/proc/self/fd")))
		die("opendir(/proc/self/fd):");
	while ((d = readdir(dir)))
		if ((fd = atoi(d->d_name)) >= from && fd != dirfd(dir) &&
		    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
			die("fcntl(%d, FD_CLOEXEC):", fd);
	if (closedir(dir) < 0)
		die("closedir(/proc/self/fd):");
}

/* the command's terminal: a pty of our own devpts, also /dev/console
 * for init's; its master goes to the parent */
static void
setup_pty(int sock, int console, const struct plan *p)
{
	struct winsize ws = { p->rows, p->cols, 0, 0 };
	int master, slave;

	if ((master = pty_inside(&slave)) < 0)
		die("open(/dev/ptmx):");
	if ((p->rows || p->cols) && ioctl(slave, TIOCSWINSZ, &ws) < 0)
		die("ioctl(pty, TIOCSWINSZ):");
	if (console)
		setup_console(slave);
	if (fd_send(sock, master) < 0)
		die("sendmsg(pty):");
	if (close(master) < 0 || (slave > 2 && close(slave) < 0))
		die("close(pty):");
}

/* the sandbox's stdin, stdout and stderr: the pipes sbx relays, or
 * those -d chose */
static void
setup_stdio(const struct plan *p)
{
	int i, fd;

	for (i = 0; i < 3; i++)
		if ((fd = p->pipes[i] >= 0 ? p->pipes[i] : p->stdio[i]) >= 0 &&
		    dup2(fd, i) < 0)
			die("dup2(%d):", i);
}

/* with --map-users or --map-groups the caller is 0 inside, so a
 * non-zero -u or -g (or an image's User) is a switch of ids, as su's;
 * keepcaps holds the permitted set for caps_apply to trim */
static void
become(const struct plan *p)
{
	gid_t gid = p->gid;

	enter("ids");
	if ((p->mapusers && p->uid) || (p->mapgroups && p->gid))
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			die("prctl(PR_SET_KEEPCAPS):");
	/* the caller's host groups have no name inside, so they go */
	if (p->mapgroups && p->gid && (setgroups(1, &gid) < 0 ||
	    setresgid(gid, gid, gid) < 0))
		die("setresgid(%u):", p->gid);
	if (p->mapusers && p->uid && setresuid(p->uid, p->uid, p->uid) < 0)
		die("setresuid(%u):", p->uid);
}

/* an OCI process's ids, all of them as the bundle gives them; keepcaps
 * holds the permitted set for caps_sets */
static void
become_bundle(const struct plan *p)
{
	gid_t groups[MAXOPS];
	int i;

	enter("ids");
	for (i = 0; i < p->ngroups; i++)
		groups[i] = p->groups[i];
	/* where setgroups is denied (a user namespace of one gid), the
	 * groups are what they are */
	if (setgroups(p->ngroups, groups) < 0 && (errno != EPERM ||
	    p->ngroups))
		die("setgroups(additionalGids):");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
	    setresgid(p->gid, p->gid, p->gid) < 0)
		die("setresgid(%u):", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		die("setresuid(%u):", p->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		die("prctl(PR_SET_KEEPCAPS):");
	if (p->umask >= 0)
		umask(p->umask);
	enter("capabilities");
	if (caps_sets(p->capsets) < 0)
		die("capset:");
}

/* a bundle's linux.seccomp; where the kernel (before 4.17) knows no
 * SPEC_ALLOW, without it */
static void
install_profile(const struct plan *p)
{
	struct sock_fprog prog = { p->nfilter, p->filter };
	unsigned flags = p->filterflags;

	enter("seccomp");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) == 0)
		return;
	flags &= ~SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (errno != EINVAL || flags == p->filterflags ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0)
		die("seccomp(linux.seccomp):");
}

/* the last steps before the exec, the same for init and for sbx exec's
 * command: its terminal, then no way back to the host's descriptors,
 * privileges or system calls */
static void
lock_down(const struct plan *p, int sock, int console)
{
	enter("pty");
	setup_stdio(p);
	if (p->pty)
		setup_pty(sock, console, p);
	/* no controlling terminal: nothing inside can push input into it
	 * or open it as /dev/tty, and a background sbx does not take it
	 * from its shell */
	else if (setsid() < 0)
		die("setsid:");
	if (sock >= 0 && close(sock) < 0)
		die("close(socket):");
	check_stdio();
	close_fds(3 + p->preservefds);
	if (p->oci) {
		/* without no_new_privs the filter needs CAP_SYS_ADMIN, which
		 * the process may be about to lose */
		if (p->filter && !p->nonewprivs)
			install_profile(p);
		become_bundle(p);
	} else {
		become(p);
		if (caps_apply(p->caps, p->uid ? p->capadd : 0) < 0)
			die("capabilities:");
	}
	if ((!p->oci || p->nonewprivs) &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl(PR_SET_NO_NEW_PRIVS):");
	/* last: the filter also binds what set-up would still have done */
	if (p->seccomp && seccomp_install(p->nouserns ? SBX_NO_USERNS : 0) < 0)
		die("seccomp:");
	if (p->oci && p->filter && p->nonewprivs)
		install_profile(p);
}

void
prepare_command(const struct plan *p, int sock, int console)
{
	extern char **environ;
	const char *dir = p->chdir ? p->chdir : "/";

	setup_rlimits(p);
	enter("chdir");
	if (chdir(dir) < 0)
		die("chdir(%s):", dir);
	if (p->environ)
		environ = p->environ;
	setup_env(p);
	check_command(p->argv[0], p->verb == VERB_EXEC ? p->name : p->root);
	lock_down(p, sock, console);
}
