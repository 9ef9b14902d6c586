/* See LICENSE file for copyright and license details. */
/*
 * sbx: a rootless sandbox. main() turns the command line into a plan and
 * runs it: run() is the host's side, child() the sandbox's, each a list
 * of steps named as README's "How it works" names them. sbx exec is the
 * same with exec_child(), in namespaces joined rather than made. Only the
 * parent talks to the user: the child reports a failure as one message
 * on a close-on-exec pipe, whose EOF without a message means init runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "exitcode.h"
#include "fmt.h"
#include "names.h"
#include "oci.h"
#include "ocistate.h"
#include "ocispec.h"
#include "bundle.h"
#include "plan.h"
#include "exec.h"
#include "idmap.h"
#include "image.h"
#include "images.h"
#include "kernfs.h"
#include "lockdown.h"
#include "mount.h"
#include "ns.h"
#include "opts.h"
#include "sbx.h"
#include "supervise.h"
#include "tty.h"
#include "verbs.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

/* init, built first, rides inside this binary (see the Makefile) */
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

/* a sealed memfd: nothing inside can write to it through /proc/1/exe */
static int
init_memfd(void)
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

/* mode: init's first option; viaproc: whether, before Linux 3.19, the
 * memfd may be reached through /proc/self/fd, a path resolved in the
 * sandbox's /proc */
static void
exec_init(int fd, const char *mode, char **argv, int viaproc)
{
	extern char **environ;
	char *args[4096];
	int i, n = 0;

	args[n++] = "init";
	args[n++] = (char *)mode;
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

/* the child's first step: it waits until the parent is done with it (its
 * id maps, for a run); dies with the parent */
static void
wait_for_go(int go)
{
	char c;

	/* EOF on go also covers the parent dying before this prctl */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("prctl(PR_SET_PDEATHSIG):");
	if (read(go, &c, 1) != 1)
		_exit(EXIT_SETUP);
	/* no ptrace and no /proc/PID peeking into set-up, from now that the
	 * parent is done with our maps (it makes /proc/PID root's); exec
	 * resets it */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die("prctl(PR_SET_DUMPABLE):");
	if (close(go) < 0)
		die("close(sync pipe):");
}

/* the prefix for messages about paths inside: "/" shows as "" */
static const char *
root_label(char *label, const char *root)
{
	int n = fmt(label, PATH_MAX, "%s", root);

	while (n > 0 && label[n - 1] == '/')
		label[--n] = '\0';
	return label;
}

/*
 * The forwarded signals stay blocked through the exec of init, which
 * blocks the rest: none sent after the report pipe's EOF can be lost (to
 * PID 1 of a pid namespace the kernel drops a signal from outside whose
 * action is the default, unless it is blocked). Unblocked here, one sent
 * between the exec and init's first instruction would be; so init is
 * told the caller's mask instead, to give the command, as it would give
 * the one it was started with.
 */
static int
child(const struct plan *p, int go, int sock)
{
	char label[PATH_MAX], mask[32];
	int rootfd, initfd;

	wait_for_go(go);
	setup_hostname(p);
	rootfd = setup_root(p);
	root_label(label, p->root);
	setup_proc(rootfd, label);
	setup_dev(rootfd, label);
	setup_sys(rootfd, label, p->ns & NS_NET);
	setup_mounts(rootfd, label, p);
	initfd = init_memfd();
	pivot_into(rootfd, p->root);
	if (p->nouserns)
		forbid_userns();
	mask_proc();
	setup_namespaces(p);
	prepare_command(p, sock, 1);
	fmt(mask, sizeof(mask), "--sigmask=%llx",
	    (unsigned long long)p->sigmask);
	exec_init(initfd, mask, p->argv, 1);
	return EXIT_SETUP;
}

/*
 * Inside, as the sandbox's own command is set up inside. Until its exec
 * this process is the host's sbx, out of reach from inside (not dumpable,
 * its mm the host user namespace's); the exec of anything else than init
 * would put that image inside, dumpable: a command that is a link to
 * /proc/self/exe would run it there, for its /proc/PID/exe to be held,
 * and the file overwritten once it is no longer busy (CVE-2019-5736).
 * So the exec is of init, from a sealed memfd, and init execs the command
 * in place.
 */
static int
exec_child(const struct plan *p, int go, int sock)
{
	int initfd, ns[NS_JOINED];

	wait_for_go(go);
	initfd = init_memfd();
	memcpy(ns, p->join, sizeof(ns));
	join_rest(ns);
	prepare_command(p, sock, 0);
	/* init --exec leaves the mask as it is, for the command: the
	 * caller's; this process is no PID 1, so a signal unblocked here
	 * acts on it, and none is lost */
	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &p->sigmask, NULL,
	    _NSIG / 8) < 0)
		die("sigprocmask:");
	/* the sandbox's /proc is its own: one that may mount could make
	 * /proc/self/fd/N lead to /proc/self/exe, our image */
	exec_init(initfd, "--exec", p->argv,
	    !(p->caps & BIT(CAP_SYS_ADMIN)));
	return EXIT_SETUP;
}

/* the socket the pty's master comes back through, if there is a pty; or
 * goes out to the engine by */
static int
pty_socket(const struct plan *p, int sock[2])
{
	sock[0] = sock[1] = -1;
	if (p->oci && p->console >= 0) {
		sock[1] = p->console;
		return 0;
	}
	return p->pty ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sock) : 0;
}

typedef int child_fn(const struct plan *, int go, int sock);

/* starts child in new namespaces (flags: clone's), or, for sbx exec, in
 * those we joined (flags 0); a run's child waits for its id maps */
static pid_t
spawn(const struct plan *p, long flags, child_fn *child, int *report,
    int *ptysock)
{
	int go[2], rep[2], sock[2];
	pid_t pid;
	char c = 1;

	enter("namespaces");
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0 ||
	    pty_socket(p, sock) < 0)
		die("pipe:");
	if ((pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL,
	    NULL)) < 0)
		die(flags ? "clone:" : "fork:");
	if (pid == 0) {
		report_to(rep[1]);
		enter("start");
		if (close(go[1]) < 0 || close(rep[0]) < 0 ||
		    (sock[0] >= 0 && close(sock[0]) < 0))
			die("close(pipes):");
		_exit(child(p, go[0], sock[1]));
	}
	if (close(go[0]) < 0 || close(rep[1]) < 0 ||
	    (sock[1] >= 0 && close(sock[1]) < 0))
		die("close(pipes):");
	report_from(*report = rep[0]);
	*ptysock = sock[0];
	if (flags & CLONE_NEWUSER)
		idmap_write(pid, p);
	/* before the child may outlive us: delete --force must find it */
	if (p->oci)
		ocistate_publish(pid, "creating");
	enter("release");
	if (write(go[1], &c, 1) != 1 || close(go[1]) < 0)
		die("write(sync pipe):");
	return pid;
}

/* the host's side of a run and of sbx exec alike, from the child's start
 * to its end; the status to exit with */
static int
start(struct plan *p, long flags, child_fn *child)
{
	sigset_t set;
	int report, sock, master, status;
	pid_t pid;

	block_signals(&set, &p->sigmask);
	if (p->pty < 0)
		p->pty = !p->detach && isatty(0) && tcgetpgrp(0) == getpgrp();
	make_pipes(p);
	pid = spawn(p, flags, child, &report, &sock);
	close_pipes(p);
	ns_close(p->join);
	read_report(report, pid);
	names_publish(pid);
	if (p->oci)
		ocistate_publish(pid, "running");
	report_ready(p);
	master = take_pty(p, sock);
	status = supervise(pid, &set, p->timeout, master);
	tty_restore();
	names_finish(status);
	return status;
}

/*
 * An OCI bundle's container, inside: its mounts and devices in place of
 * sbx's, then after the pivot its masks, sysctls and ids; its process is
 * exec'd by init in place, as PID 1: once start writes to the fifo
 * (create), or at once (run). No sbx init runs beside it.
 */
static int
oci_child(const struct plan *p, int go, int sock)
{
	char label[PATH_MAX];
	int rootfd, initfd, fifo = -1;

	wait_for_go(go);
	/* create's sbx exits while the container waits for start */
	if (p->startfifo && prctl(PR_SET_PDEATHSIG, 0) < 0)
		die("prctl(PR_SET_PDEATHSIG):");
	/* opened while we are the host's, in its place */
	if (p->startfifo && (fifo = open(p->startfifo, O_RDWR | O_CLOEXEC)) < 0)
		die("open(%s):", p->startfifo);
	/* the namespace's root, whichever host id the bundle maps to it: our
	 * own may be mapped to nothing, and files made would then fail */
	if (!(p->nsoff & NS_NOUSER) && (setresgid(0, 0, 0) < 0 ||
	    setresuid(0, 0, 0) < 0))
		die("setresuid(0):");
	ns_join_paths(p->nspath, 2, NS_JOINED);
	if (!(p->nsoff & NS_NOUTS) || p->nspath[3])
		setup_hostname(p);
	rootfd = setup_root(p);
	root_label(label, p->root);
	setup_bundle_mounts(rootfd, label, p);
	kernfs_devices(rootfd, label);
	kernfs_bundle_devices(rootfd, label, p);
	initfd = init_memfd();
	pivot_into(rootfd, p->root);
	setup_namespaces(p);
	kernfs_bundle(p);
	prepare_command(p, sock, 1);
	/* init's to read, as 3; it closes it before the exec of the
	 * process */
	if (fifo >= 0 && (fifo == 3 ? fcntl(fifo, F_SETFD, 0) : dup2(fifo, 3)) <
	    0)
		die("dup2(exec.fifo, 3):");
	exec_init(initfd, fifo >= 0 ? "--wait" : "--exec", p->argv, 1);
	return EXIT_SETUP;
}

/* a container's stdio: the engine's console socket for its terminal, or
 * what we were given, but never a terminal of ours once we are gone */
static void
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

static void
write_pidfile(const char *path, pid_t pid)
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

static int
oci_create(const struct oci *o, struct plan *p)
{
	char fifo[PATH_MAX];
	int report, sock;
	pid_t pid;

	if (o->preservefds)
		die("--preserve-fds: not supported yet");
	p->startfifo = ocistate_claim(o->root, o->id, fifo, sizeof(fifo), p);
	oci_stdio(p, o);
	mount_check_root(p);
	ns_check(p);
	ns_join_paths(p->nspath, 0, 2);
	pid = spawn(p, ns_clone_flags(p), oci_child, &report, &sock);
	read_report(report, pid);
	ocistate_publish(pid, "created");
	write_pidfile(o->pidfile, pid);
	return 0;
}

/* run: create and start, then as sbx runs a sandbox, until its end;
 * --detach: create and start */
static int
oci_run(const struct oci *o, struct plan *p)
{
	char fifo[PATH_MAX];

	if (o->detach) {
		oci_create(o, p);
		return ocistate_start(o->root, o->id);
	}
	ocistate_claim(o->root, o->id, fifo, sizeof(fifo), p);
	if (p->pty && o->console && (p->console = tty_console(o->console)) < 0)
		die("connect(%s):", o->console);
	mount_check_root(p);
	ns_check(p);
	ns_join_paths(p->nspath, 0, 2);
	return start(p, ns_clone_flags(p), oci_child);
}

static int
oci_main(int argc, char *argv[])
{
	char bundle[PATH_MAX];
	struct json *doc;
	struct oci o;
	struct plan p;

	oci_parse(argc, argv, &o);
	if (o.log)
		log_to(o.log, o.logjson);
	switch (o.verb) {
	case OCI_VERSION:
		return oci_version();
	case OCI_FEATURES:
		return oci_features();
	case OCI_SPEC:
		return oci_spec(o.bundle, o.rootless);
	case OCI_START:
		return ocistate_start(o.root, o.id);
	case OCI_STATE:
		return ocistate_state(o.root, o.id);
	case OCI_KILL:
		return ocistate_kill(o.root, o.id, o.signal, o.all);
	case OCI_DELETE:
		return ocistate_delete(o.root, o.id, o.force);
	case OCI_LIST:
		return ocistate_list(o.root, o.json);
	}
	if (!realpath(o.bundle ? o.bundle : ".", bundle))
		die("realpath(%s):", o.bundle ? o.bundle : ".");
	bundle_plan(bundle, &p, &doc);
	return o.verb == OCI_CREATE ? oci_create(&o, &p) : oci_run(&o, &p);
}

/* what the host must provide, checked before anything is set up */
static void
check_host(struct plan *p)
{
	mount_check_root(p);
	ns_check(p);
	idmap_check(p);
	mount_check_sources(p);
}

static int
run(struct plan *p)
{
	/* the ranges first: the layers that keep ids are unpacked in them */
	if (p->image) {
		idmap_check(p);
		image_plan(p);
	}
	check_host(p);
	if (p->detach)
		detach(p);
	if (p->name)
		names_reserve(p->name, p->argv, p->stopsignal, p->image ?
		    p->imageid : NULL);
	return start(p, ns_clone_flags(p), child);
}

/* sbx exec: a command in a named sandbox, set up as its own command
 * was: same ids, directory, environment, limits, capabilities,
 * no_new_privs, seccomp filter, and a pty when stdin is a terminal. We
 * join its user and pid namespaces, so that our child is born in them,
 * and stay out of its mount namespace: nothing inside can see us, and
 * we touch no path once inside. */
static int
exec_in(const struct plan *x)
{
	struct plan p;

	exec_plan(x, &p);
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die("prctl(PR_SET_DUMPABLE):");
	join_birth(p.join);
	return start(&p, 0, exec_child);
}

int
main(int argc, char *argv[])
{
	struct plan p;

	if (oci_wanted(argc, argv))
		return oci_main(argc, argv);
	parse(argc, argv, &p);
	switch (p.verb) {
	case VERB_PS:
		return verb_ps(p.json);
	case VERB_EXEC:
		return exec_in(&p);
	case VERB_KILL:
		return verb_kill(p.name, p.signal);
	case VERB_STOP:
		return verb_stop(p.name, p.timeout);
	case VERB_WAIT:
		return verb_wait(p.name);
	case VERB_IMPORT:
		idmap_check(&p);
		return images_import(&p);
	case VERB_IMAGES:
		return images_list(p.json);
	case VERB_RMI:
		return images_remove(p.argv);
	case VERB_PRUNE:
		return images_prune();
	}
	return run(&p);
}
