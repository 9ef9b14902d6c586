/* See LICENSE file for copyright and license details. */
/*
 * exec.c: sbx exec's plan: the named sandbox's own plan, from the
 * arguments of the sbx that runs it, with the command, directory and
 * environment asked for, and its init's namespaces and environment.
 * It reads /proc and the state directory; it joins and runs nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "plan.h"
#include "cgroup.h"
#include "exec.h"
#include "fmt.h"
#include "idmap.h"
#include "image.h"
#include "ns.h"
#include "opts.h"
#include "sbx.h"

/* the environment at dir/environ, or NULL if it is not ours to read */
static char **
read_environ(int dir, const char *what)
{
	char *buf, **env, *p;
	size_t len, n = 0;

	enter("env");
	if (!(buf = slurp(dir, "environ", SLURP_ARGS, &len))) {
		if (errno == EACCES)
			return NULL;
		die("open(%s/environ):", what);
	}
	for (p = buf; p < buf + len; p += strlen(p) + 1)
		n++;
	if (!(env = calloc(n + 1, sizeof(*env))))
		die("malloc:");
	for (n = 0, p = buf; p < buf + len; p += strlen(p) + 1)
		env[n++] = p;
	return env;
}

/*
 * init's environment, which its command got too, and then ours; but
 * under -u N with no 0 mapped, init's /proc is the host root's, so it is
 * made again as sbx made it: sbx's own (or the image's Env), with the
 * sandbox's -e before ours
 */
static void
plan_environ(struct plan *p, const struct plan *x, int proc, pid_t sbx)
{
	char path[32];
	int dir;

	if ((p->environ = read_environ(proc, "/proc/PID"))) {
		memcpy(p->env, x->env, sizeof(p->env));
		p->nenv = x->nenv;
		return;
	}
	if (p->nenv + x->nenv > MAXOPS)
		die("-e: more than %d, with the sandbox's", MAXOPS);
	memcpy(p->env + p->nenv, x->env, x->nenv * sizeof(*x->env));
	p->nenv += x->nenv;
	if (p->image)
		return;
	fmt(path, sizeof(path), "/proc/%d", (int)sbx);
	if ((dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    !(p->environ = read_environ(dir, path)))
		die("open(%s/environ):", path);
	if (close(dir) < 0)
		die("close(%s):", path);
}

void
exec_plan(const struct plan *x, struct plan *p)
{
	struct entry e = { 0 };
	int proc;

	names_find(x->name, &e);
	proc = names_open_init(x->name, &e);
	parse(e.nargs, e.args, p);
	/* the image it runs, not what its name or path gives now */
	if (p->image && e.image)
		p->image = e.image;
	if (p->image) {
		idmap_check(p);
		image_plan(p);
	}
	p->verb = VERB_EXEC;
	p->name = x->name;
	p->argv = x->argv;
	p->chdir = x->chdir ? x->chdir : p->chdir;
	p->pty = x->pty;
	/* the sandbox's, not ours to repeat */
	p->detach = 0;
	p->timeout = 0;
	ns_open(proc, p->join);
	cgroup_of(proc);
	plan_environ(p, x, proc, e.pid);
	if (close(proc) < 0)
		die("close(/proc/%d):", (int)e.init);
}
