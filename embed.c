/* See LICENSE file for copyright and license details. */
/*
 * embed.c: init, built first, rides inside sbx (see the Makefile). What
 * enters a sandbox or a container runs from a sealed copy of it, never
 * from the host's sbx: it execs the command in place, or is PID 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "embed.h"
#include "sbx.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

__asm__(
"	.section .rodata.init,\"a\"\n"
"	.balign 16\n"
"	.globl sbx_init\n"
"	.hidden sbx_init\n"
"sbx_init:\n"
"	.incbin \"" INIT_PATH "\"\n"
"	.globl sbx_init_end\n"
"	.hidden sbx_init_end\n"
"sbx_init_end:\n"
"	.previous\n");
extern const char sbx_init[], sbx_init_end[];

/* sealed: nothing inside can write to it through /proc/1/exe */
int
embed_memfd(void)
{
	const char *p = sbx_init;
	ssize_t n;
	int fd;

	enter("init");
	/* asked to be executable: where vm.memfd_noexec is 1 a memfd is
	 * otherwise not; kernels before 6.3 know no MFD_EXEC */
	fd = memfd_create("init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		die("memfd_create:");
	for (; p < sbx_init_end; p += n)
		if ((n = write(fd, p, sbx_init_end - p)) < 0)
			die("write(memfd):");
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_WRITE) < 0)
		die("fcntl(memfd, F_ADD_SEALS):");
	return fd;
}

void
embed_exec(int fd, const char *const *opts, char *const *argv, int viaproc)
{
	extern char **environ;
	char *args[4096];
	int i, n = 0;

	args[n++] = "init";
	while (*opts)
		args[n++] = (char *)*opts++;
	args[n++] = "--";
	for (i = 0; argv[i] && n < (int)LEN(args) - 1; i++)
		args[n++] = argv[i];
	if (argv[i])
		die("too many arguments");
	args[n] = NULL;
	enter("init");
	syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
	if (errno == ENOSYS && viaproc) {
		char path[FDPATH_MAX];

		execve(fdpath(path, fd), args, environ);
	}
	die("execveat(memfd):");
}
