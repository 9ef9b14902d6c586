/* See LICENSE file for copyright and license details. */
/*
 * floor ROOT CMD [ARG...]: what the kernel costs for a rootless sandbox,
 * and nothing else. One clone into new user, pid, mount and UTS
 * namespaces, the id maps, the root bound on itself, /proc, pivot_root,
 * exec. No /dev, no init, no checks beyond "did it work": the yardstick
 * make bench measures sbx against.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void
put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) < 0 || close(fd) < 0) {
		perror(path);
		exit(125);
	}
}

static int
child(char **argv, int go)
{
	char c;

	if (read(go, &c, 1) != 1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount(argv[1], argv[1], NULL, MS_BIND | MS_REC, NULL) < 0 ||
	    chdir(argv[1]) < 0 ||
	    mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL) < 0 ||
	    syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0) {
		perror("floor: set-up");
		return 125;
	}
	execv(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}

int
main(int argc, char *argv[])
{
	char path[64], map[64];
	int go[2], status;
	pid_t pid;

	if (argc < 3 || pipe2(go, O_CLOEXEC) < 0)
		return 125;
	pid = syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS |
	    CLONE_NEWUTS | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		return perror("clone"), 125;
	if (pid == 0)
		_exit(child(argv, go[0]));
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)getuid());
	put(path, map);
	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	put(path, "deny");
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)getgid());
	put(path, map);
	if (write(go[1], "", 1) != 1 || waitpid(pid, &status, 0) < 0)
		return 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
