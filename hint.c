/* See LICENSE file for copyright and license details. */
/*
 * hint.c: the causes sbx knows for a failed call, which its message
 * names after the error.
 */
#include <errno.h>
#include <string.h>

#include "hint.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#define RO_HINT "hint: with -R it must exist in the root, or be under a -t"
#define USERNS_HINT "hint: user namespaces may be disabled: see sysctl" \
    " user.max_user_namespaces and kernel.unprivileged_userns_clone"
#define NOEXEC_HINT "hint: sysctl vm.memfd_noexec=2 forbids executable memfds"
#define NOTDIR_HINT "a symlink or a file where a directory must be"
#define DELEGATE_HINT "hint: no cgroup is delegated to you here; run sbx" \
	" as systemd-run --user --scope -p Delegate=yes sbx ..."
/* the steps that make mount points beneath the root */
#define BENEATH "proc,dev,sys,tmpfs,bind"
/*
 * The causes we know for a failed call, shown after its error: in one of
 * the steps listed (comma-separated), for a message that starts with
 * call, and an errno (0: any). The first that matches wins.
 */
static const struct {
	const char *steps, *call;
	int err;
	const char *text;
} hints[] = {
	{ "id map", "write(", EPERM, "hint: AppArmor or SELinux may restrict"
	    " unprivileged user namespaces" },
	{ BENEATH, "mkdir(", EROFS, RO_HINT },
	{ BENEATH, "create(", EROFS, RO_HINT },
	{ BENEATH, "open(", ENOTDIR, NOTDIR_HINT },
	{ BENEATH, "open(", ELOOP, NOTDIR_HINT },
	{ "proc", "mount(", EPERM, "hint: the host's /proc has mounts over"
	    " it, as in containers and in sbx itself" },
	{ "overlay", "tmpfs for the layer", ENOSYS, "hint: -o needs Linux 5.2"
	    " or later; or give --overlay-dir" },
	{ "overlay", "mount(overlay", EINVAL, "hint: overlayfs in a user"
	    " namespace needs Linux 5.11 or later" },
	{ "init", "memfd_create", EACCES, NOEXEC_HINT },
	{ "init", "memfd_create", ENOSYS, "hint: sbx needs Linux 3.17 or"
	    " later" },
	{ "init", "execveat", EACCES, NOEXEC_HINT },
	{ "init", "execveat", ENOSYS, "hint: sbx exec into a sandbox that"
	    " keeps SYS_ADMIN needs Linux 3.19 or later" },
	{ "namespaces", "clone", EPERM, USERNS_HINT },
	{ "namespaces", "clone", ENOSPC, USERNS_HINT },
	{ "namespaces", "clone", EUSERS, USERNS_HINT },
	{ "namespaces", "fork", ENOMEM, "the sandbox is ending" },
	{ "join", "open(/proc/PID/", 0, "the sandbox is ending?" },
	{ "cgroup", "write(", EBUSY, "hint: the cgroup holds other processes:"
	    " give sbx one of its own, as systemd-run --user --scope -p"
	    " Delegate=yes sbx ... does" },
	{ "cgroup", "write(", EACCES, DELEGATE_HINT },
	{ "cgroup", "write(", EPERM, DELEGATE_HINT },
	{ "cgroup", "write(", EROFS, DELEGATE_HINT },
	{ "cgroup", "mkdir(", EACCES, DELEGATE_HINT },
	{ "cgroup", "mkdir(", EROFS, DELEGATE_HINT },
	{ "cgroup v1", "mkdir(", EACCES, "hint: limits through cgroup v1 take"
	    " root, or a hierarchy of one's own" },
	{ "cgroup v1", "write(", EACCES, "hint: limits through cgroup v1 take"
	    " root, or a hierarchy of one's own" },
};

/* 1 if step is one of list's, which a comma separates */
static int
in_steps(const char *step, const char *list)
{
	size_t n = step ? strlen(step) : 0;
	const char *at = list;

	for (; n && (at = strstr(at, step)); at += n)
		if ((at == list || at[-1] == ',') && (!at[n] || at[n] == ','))
			return 1;
	return 0;
}

const char *
hint(const char *step, const char *body, int err)
{
	size_t i;

	for (i = 0; i < LEN(hints); i++)
		if (in_steps(step, hints[i].steps) && !strncmp(body, hints[i].call,
		    strlen(hints[i].call)) && (!hints[i].err ||
		    hints[i].err == err))
			return hints[i].text;
	return NULL;
}
