/* See LICENSE file for copyright and license details. */
/*
 * ns.c: the namespaces beyond the four clone() always makes: the table of
 * them, their clone flags, their set-up inside; and joining a sandbox's.
 * It mounts nothing of its own (/dev/mqueue is kernfs.c's).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "kernfs.h"
#include "plan.h"
#include "ns.h"
#include "sbx.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

/* the namespaces beyond the four, and the file that says one exists */
static const struct { int bit, flag; const char *file; } namespaces[] = {
	{ NS_NET, CLONE_NEWNET, "/proc/self/ns/net" },
	{ NS_IPC, CLONE_NEWIPC, "/proc/self/ns/ipc" },
	{ NS_CGROUP, CLONE_NEWCGROUP, "/proc/self/ns/cgroup" },
	/* clone() has no room for it: the child unshares it before exec */
	{ NS_TIME, 0, "/proc/self/ns/time" },
};

/* the namespaces sbx exec joins, the user namespace first: it is what
 * gives the right to join the others */
static const struct { const char *file; int flag; } joined[NS_JOINED] = {
	{ "ns/user", CLONE_NEWUSER }, { "ns/pid", CLONE_NEWPID },
	{ "ns/mnt", CLONE_NEWNS }, { "ns/uts", CLONE_NEWUTS },
	{ "ns/ipc", CLONE_NEWIPC }, { "ns/net", CLONE_NEWNET },
	{ "ns/cgroup", CLONE_NEWCGROUP }, { "ns/time", CLONE_NEWTIME },
};
/* the user and pid namespaces: what the child of sbx exec is born in */
#define BIRTH 2

void
ns_check(struct plan *p)
{
	size_t i;

	enter("namespaces");
	for (i = 0; (p->ns || p->nsall) && i < LEN(namespaces); i++) {
		if (access(namespaces[i].file, F_OK) == 0)
			p->ns |= p->nsall ? namespaces[i].bit : 0;
		else if (p->ns & namespaces[i].bit)
			die("%s: this kernel has no such namespace",
			    namespaces[i].file);
	}
}

void
setup_hostname(const struct plan *p)
{
	enter("hostname");
	if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
		die("sethostname(%s):", p->hostname);
	if (p->domainname && setdomainname(p->domainname,
	    strlen(p->domainname)) < 0)
		die("setdomainname(%s):", p->domainname);
}

long
ns_clone_flags(const struct plan *p)
{
	long flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS;
	size_t i;

	flags &= ~((p->nsoff & NS_NOUSER ? CLONE_NEWUSER : 0) |
	    (p->nsoff & NS_NOPID ? CLONE_NEWPID : 0) |
	    (p->nsoff & NS_NOUTS ? CLONE_NEWUTS : 0));
	for (i = 0; i < LEN(namespaces); i++)
		if (p->ns & namespaces[i].bit)
			flags |= namespaces[i].flag;
	/* a cgroup namespace rooted at the sandbox's cgroup: the child's,
	 * once it is there */
	return p->limits.latens ? flags & ~CLONE_NEWCGROUP : flags;
}

/* loopback, up: a new network namespace has it, down */
static void
setup_loopback(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		die("socket:");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("ioctl(lo, SIOCGIFFLAGS):");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("ioctl(lo, SIOCSIFFLAGS):");
	if (close(fd) < 0)
		die("close(socket):");
}

/* after the pivot, while we still have every capability */
void
setup_namespaces(const struct plan *p)
{
	if (p->ns & NS_NET) {
		enter("loopback");
		setup_loopback();
	}
	/* a bundle mounts its own */
	if (p->ns & NS_IPC && !p->oci)
		setup_mqueue();
	/* init enters it when it is exec'd */
	if (p->ns & NS_TIME) {
		enter("timens");
		if (unshare(CLONE_NEWTIME) < 0)
			die("unshare(CLONE_NEWTIME):");
	}
}

/* --no-userns: this user namespace may then make no other; written while
 * /proc/sys is still writable, before the masks */
void
forbid_userns(void)
{
	int fd;

	enter("no-userns");
	if ((fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY |
	    O_CLOEXEC)) < 0 || write(fd, "0\n", 2) != 2 || close(fd) < 0)
		die("write(/proc/sys/user/max_user_namespaces):");
}

/* an OCI bundle's namespaces given by path, [from, to) of the joined
 * order: each must be of its type, or setns says EINVAL */
void
ns_join_paths(const char *const *paths, size_t from, size_t to)
{
	size_t i;
	int fd;

	enter("namespaces");
	for (i = from; i < to; i++) {
		if (!paths[i])
			continue;
		if ((fd = open(paths[i], O_RDONLY | O_CLOEXEC)) < 0)
			die("open(%s):", paths[i]);
		if (setns(fd, joined[i].flag) < 0)
			die("setns(%s, %s):", paths[i], joined[i].file + 3);
		if (close(fd) < 0)
			die("close(%s):", paths[i]);
	}
}

/* init's namespaces that are not ours, opened while its /proc directory
 * is known to be init's; -1 for the others. A namespace that cannot be
 * opened although we have one means init is exiting: joining the rest
 * would leave the command half on the host. */
void
ns_open(int proc, int *ns)
{
	struct stat a, b;
	char self[32];
	size_t i;

	enter("join");
	for (i = 0; i < LEN(joined); i++) {
		fmt(self, sizeof(self), "/proc/self/%s", joined[i].file);
		ns[i] = openat(proc, joined[i].file, O_RDONLY | O_CLOEXEC);
		if (stat(self, &b) < 0)
			continue;
		if (ns[i] < 0 || fstat(ns[i], &a) < 0)
			die("open(/proc/PID/%s):", joined[i].file);
		if (!same_inode(&a, &b))
			continue;
		/* the user, pid and mount namespaces are what make it one */
		if (i < 3)
			die("%s: the sandbox's namespace is ours",
			    joined[i].file);
		if (close(ns[i]) < 0)
			die("close(%s):", joined[i].file);
		ns[i] = -1;
	}
}

static void
join(int *ns, size_t from, size_t to)
{
	size_t i;

	enter("join");
	for (i = from; i < to; i++) {
		if (ns[i] >= 0 && (setns(ns[i], joined[i].flag) < 0 ||
		    close(ns[i]) < 0))
			die("setns(%s):", joined[i].file);
		ns[i] = -1;
	}
}

void
join_birth(int *ns)
{
	join(ns, 0, BIRTH);
}

void
join_rest(int *ns)
{
	join(ns, BIRTH, NS_JOINED);
}

void
ns_close(int *ns)
{
	size_t i;

	for (i = 0; i < NS_JOINED; i++)
		if (ns[i] >= 0 && close(ns[i]) < 0)
			die("close(%s):", joined[i].file);
		else
			ns[i] = -1;
}
