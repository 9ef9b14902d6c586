/* See LICENSE file for copyright and license details. */
/*
 * boot.c: a booted system's init: telling one apart, its mounts and console,
 * its command, its power-off. Never exits as the kernel's; never needs init.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* mount points a booted system needs, mounted only where absent */
static const struct {
	const char *dir, *type;
	unsigned long flags;
	const char *data;
} bootmounts[] = {
	{ "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "/dev", "devtmpfs", MS_NOSUID, "mode=0755" },
	{ "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755" },
};

static int kernelinit; /* started by the kernel: must never exit */

/* only the kernel's own init may disable Ctrl-Alt-Del: a namespace's gets
 * EINVAL, an unprivileged one EPERM, so this tells a booted system apart */
int
boot_detect(void)
{
	kernelinit = getpid() == 1 && reboot(RB_DISABLE_CAD) == 0;
	return kernelinit;
}

const char *
boot_mount(warnfn *warn)
{
	struct stat parent, st;
	size_t i;
	int fd;

	if (stat("/", &parent) < 0)
		return "stat /";
	for (i = 0; i < LEN(bootmounts); i++) {
		/* a mount point lives on another device than / */
		if (stat(bootmounts[i].dir, &st) == 0 &&
		    st.st_dev != parent.st_dev)
			continue;
		if (mkdir(bootmounts[i].dir, 0755) < 0 && errno != EEXIST)
			warn("mkdir %s:", bootmounts[i].dir);
		if (mount(bootmounts[i].type, bootmounts[i].dir,
		    bootmounts[i].type, bootmounts[i].flags,
		    bootmounts[i].data) < 0)
			warn("mount %s on %s:", bootmounts[i].type,
			    bootmounts[i].dir);
	}
	if ((fd = open("/dev/console", O_RDWR | O_NOCTTY)) < 0) {
		warn("open /dev/console:");
		return NULL;
	}
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		warn("dup2 /dev/console:");
	if (fd > 2 && close(fd) < 0)
		warn("close /dev/console:");
	return NULL;
}

char **
boot_command(char **argv)
{
	static char *rc[] = { "/etc/rc", NULL }, *sh[] = { "/bin/sh", NULL };

	if (*argv)
		return argv;
	return access(rc[0], X_OK) == 0 ? rc : sh;
}

int
boot_how(int sig)
{
	if (sig == SIGUSR1)
		return RB_POWER_OFF;
	if (sig == SIGINT)
		return RB_AUTOBOOT;
	return 0;
}

void
boot_end(int how, int code, warnfn *warn)
{
	sync();
	if (reboot(how) < 0)
		warn("reboot:");
	/* in a pid namespace (--boot in a container) exiting ends it all;
	 * the kernel's own init may not exit: that would panic */
	if (!kernelinit)
		exit(code);
	for (;;)
		pause();
}
