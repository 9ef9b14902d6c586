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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "exitcode.h"
#include "fmt.h"
#include "hooks.h"
#include "hookrun.h"
#include "names.h"
#include "oci.h"
#include "ocifds.h"
#include "ocistate.h"
#include "ocispec.h"
#include "bundle.h"
#include "bundleres.h"
#include "plan.h"
#include "cgroup.h"
#include "embed.h"
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

/* the child's first step: it waits until the parent is done with it (its
 * id maps and cgroup, for a run); dies with the parent. Then the cgroup
 * namespace, rooted where the parent placed us */
static void
wait_for_go(const struct plan *p, int go)
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
	if (p->limits.latens && unshare(CLONE_NEWCGROUP) < 0)
		die("unshare(CLONE_NEWCGROUP):");
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

	wait_for_go(p, go);
	setup_hostname(p);
	rootfd = setup_root(p);
	root_label(label, p->root);
	setup_proc(rootfd, label);
	setup_dev(rootfd, label);
	setup_sys(rootfd, label, p->ns & NS_NET);
	setup_mounts(rootfd, label, p);
	initfd = embed_memfd();
	pivot_into(rootfd, p->root);
	if (p->nouserns)
		forbid_userns();
	mask_proc();
	setup_namespaces(p);
	prepare_command(p, sock, 1);
	fmt(mask, sizeof(mask), "--sigmask=%llx",
	    (unsigned long long)p->sigmask);
	embed_exec(initfd, (const char *[]){ mask, NULL }, p->argv, 1);
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

	wait_for_go(p, go);
	initfd = embed_memfd();
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
	embed_exec(initfd, (const char *[]){ "--exec", NULL }, p->argv,
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

/* an OCI child stops before its pivot for hooks: the host's, and for
 * the state that its init gives the container's */
static int
hooks_pause(const struct plan *p)
{
	return hooks_any(p->hooks, HOOK_PRESTART, HOOK_STARTCONTAINER);
}

/* the host's side of that stop: prestart and createRuntime, then the
 * state for the child's hooks; a failure ends the container */
static void
create_hooks(const struct plan *p, pid_t pid, int go)
{
	const char *state = ocistate_text("created"), *why;
	char c;

	enter("hooks");
	/* none: the child failed, and its report says why */
	if (read(go, &c, 1) != 1)
		return;
	if ((why = hooks_run(p->hooks, HOOK_PRESTART, state)) ||
	    (why = hooks_run(p->hooks, HOOK_CREATERUNTIME, state))) {
		if (kill(pid, SIGKILL) < 0 || waitpid(pid, NULL, 0) < 0)
			die("kill(%d):", (int)pid);
		die("%s", why);
	}
	/* a child gone is its report's to tell, not a SIGPIPE's */
	if (send(go, state, strlen(state), MSG_NOSIGNAL) < 0 && errno != EPIPE)
		die("write(sync socket):");
}

/* the child's side: the state, once the host's hooks have run */
static const char *
await_hooks(int go)
{
	static char state[65536];
	size_t len = 0;
	ssize_t n;

	if (write(go, "h", 1) != 1)
		die("write(sync socket):");
	while ((n = read(go, state + len, sizeof(state) - 1 - len)) > 0)
		len += n;
	if (n < 0)
		die("read(sync socket):");
	/* nothing: the host failed, and says so */
	if (len == 0)
		_exit(EXIT_SETUP);
	if (close(go) < 0)
		die("close(sync socket):");
	return state;
}

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
	/* go is both ways for create's hooks */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) < 0 ||
	    pipe2(rep, O_CLOEXEC) < 0 || pty_socket(p, sock) < 0)
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
	cgroup_enter(pid);
	/* before the child may outlive us: delete --force must find it */
	if (p->oci)
		ocistate_publish(pid, "creating");
	enter("release");
	if (write(go[1], &c, 1) != 1)
		die("write(sync pipe):");
	if (hooks_pause(p))
		create_hooks(p, pid, go[1]);
	if (close(go[1]) < 0)
		die("close(sync pipe):");
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
	names_cgroups(cgroup_dir(1), cgroup_dir(0));
	if (p->oci) {
		ocistate_publish(pid, "running");
		hooks_run(p->hooks, HOOK_POSTSTART, ocistate_text("running"));
	}
	report_ready(p);
	master = take_pty(p, sock);
	status = supervise(pid, &set, p->timeout, master);
	tty_restore();
	cgroup_finish(status);
	names_finish(status);
	return status;
}

/* init's steps before the process, in the options that ask for them:
 * the container's hooks from blob, failures to our report pipe; the wait
 * for start on fifo; for run, which blocks what it forwards, the
 * caller's mask to give the process. Those and the n preserved
 * descriptors stay open across the exec */
static const char *const *
init_steps(const struct plan *p, int fifo, int blob)
{
	static char wait[32], hooks[32], mask[32];
	static const char *opts[4];
	int fd, n = 1;

	for (fd = 3; fd < 3 + p->preservefds; fd++)
		if (fcntl(fd, F_SETFD, 0) < 0)
			die("fcntl(%d, FD_CLOEXEC):", fd);
	if ((fifo >= 0 && fcntl(fifo, F_SETFD, 0) < 0) ||
	    (blob >= 0 && fcntl(blob, F_SETFD, 0) < 0))
		die("fcntl(FD_CLOEXEC):");
	fmt(wait, sizeof(wait), "--wait=%d", fifo);
	opts[0] = fifo >= 0 ? wait : "--exec";
	fmt(mask, sizeof(mask), "--sigmask=%llx",
	    (unsigned long long)p->sigmask);
	if (fifo < 0)
		opts[n++] = mask;
	if (blob >= 0)
		fmt(hooks, sizeof(hooks), "--hooks=%d,%d", blob, report_pass());
	opts[n++] = blob >= 0 ? hooks : NULL;
	opts[n] = NULL;
	return opts;
}

/*
 * An OCI bundle's container, inside: its mounts and devices in place of
 * sbx's, then after the pivot its masks, sysctls and ids; its process is
 * exec'd by init in place, as PID 1, after the container's own hooks:
 * once start writes to the fifo (create), or at once (run). No sbx init
 * runs beside it.
 */
static int
oci_child(const struct plan *p, int go, int sock)
{
	char label[PATH_MAX];
	int rootfd, initfd, fifo = -1, sync = -1, blob = -1;

	if (hooks_pause(p) && (sync = fcntl(go, F_DUPFD_CLOEXEC, 0)) < 0)
		die("fcntl(sync socket):");
	wait_for_go(p, go);
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
	initfd = embed_memfd();
	if (sync >= 0)
		blob = hooks_pack(p->hooks, await_hooks(sync));
	pivot_into(rootfd, p->root);
	setup_namespaces(p);
	kernfs_bundle(p);
	prepare_command(p, sock, 1);
	embed_exec(initfd, init_steps(p, fifo, blob), p->argv, 1);
}

/* create's and run's: what the host must provide; then the user and pid
 * namespaces the bundle names are joined, for the child to be born in */
static void
check_bundle(const struct oci *o, struct plan *p)
{
	p->preservefds = o->preservefds;
	mount_check_root(p);
	ns_check(p);
	ns_join_paths(p->nspath, 0, 2);
	p->limits.optional = geteuid() != 0;
	cgroup_prepare(p);
}

static int
oci_create(const struct oci *o, struct plan *p)
{
	char fifo[PATH_MAX];
	int report, sock, status;
	pid_t pid;

	p->startfifo = ocistate_claim(o->root, o->id, fifo, sizeof(fifo), p);
	oci_stdio(p, o);
	check_bundle(o, p);
	pid = spawn(p, ns_clone_flags(p), oci_child, &report, &sock);
	/* after its hooks init says it lives; the pipe's EOF alone is then
	 * an init that ended among them */
	if (!read_report(report, pid) && hooks_any(p->hooks,
	    HOOK_CREATECONTAINER, HOOK_STARTCONTAINER)) {
		enter("create");
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				die("waitpid:");
		die("init ended before the container was created (%s %d)",
		    WIFSIGNALED(status) ? "killed by signal" : "exit status",
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	}
	ocistate_publish(pid, "created");
	oci_pidfile(o->pidfile, pid);
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
	check_bundle(o, p);
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
	oci_keep_fds(o.preservefds);
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
	if (o.systemd)
		bundle_systemd(&p);
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
	cgroup_prepare(p);
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
