/* See LICENSE file for copyright and license details. */
/*
 * exec.c: sbx exec's plan: the named sandbox's own plan, from the
 * arguments of the sbx that runs it, with the command, directory and
 * environment asked for, and its init's namespaces and environment.
 * It reads /proc and the state directory; it joins and runs nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "plan.h"
#include "exec.h"
#include "idmap.h"
#include "image.h"
#include "ns.h"
#include "opts.h"
#include "sbx.h"

/* init's environment, which its command got too */
static char **
read_environ(int proc)
{
	char *buf, **env, *p;
	size_t len, n = 0;

	enter("env");
	if (!(buf = slurp(proc, "environ", SLURP_ARGS, &len)))
		die("open(/proc/PID/environ):");
	for (p = buf; p < buf + len; p += strlen(p) + 1)
		n++;
	if (!(env = calloc(n + 1, sizeof(*env))))
		die("malloc:");
	for (n = 0, p = buf; p < buf + len; p += strlen(p) + 1)
		env[n++] = p;
	return env;
}

void
exec_plan(const struct plan *x, struct plan *p)
{
	struct entry e = { 0 };
	int proc;

	names_find(x->name, &e);
	proc = names_open_init(x->name, &e);
	parse(e.nargs, e.args, p);
	if (p->image) {
		idmap_check(p);
		image_plan(p);
	}
	p->verb = VERB_EXEC;
	p->name = x->name;
	p->argv = x->argv;
	p->chdir = x->chdir ? x->chdir : p->chdir;
	memcpy(p->env, x->env, sizeof(p->env));
	p->nenv = x->nenv;
	p->pty = x->pty;
	/* the sandbox's, not ours to repeat */
	p->detach = 0;
	p->timeout = 0;
	ns_open(proc, p->join);
	p->environ = read_environ(proc);
	if (close(proc) < 0)
		die("close(/proc/%d):", (int)e.init);
}
