/* See LICENSE file for copyright and license details. */
/*
 * owners.c: the ids a layer keeps under --map-users and --map-groups: its
 * variant's name, and the user namespace its files are made and removed
 * in. It knows nothing of the store, and touches no file.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcode.h"
#include "fmt.h"
#include "owners.h"
#include "sbx.h"

static int inside;

const char *
owners_name(char *buf, size_t n, const char *hex, const struct owners *o)
{
	char u[48] = "", g[48] = "";

	if (o->uid[1])
		fmt(u, sizeof(u), "-u%lu+%lu", o->uid[0], o->uid[1]);
	if (o->gid[1])
		fmt(g, sizeof(g), "-g%lu+%lu", o->gid[0], o->gid[1]);
	fmt(buf, n, "%.64s%s%s", hex, u, g);
	return buf;
}

/* "-uFIRST+COUNT" or "-gFIRST+COUNT" at *p, into r */
static void
range(const char **p, char kind, unsigned long r[2])
{
	char *end;

	if ((*p)[0] != '-' || (*p)[1] != kind)
		return;
	r[0] = strtoul(*p + 2, &end, 10);
	if (*end != '+')
		return;
	r[1] = strtoul(end + 1, &end, 10);
	*p = end;
}

int
owners_of(const char *name, struct owners *o)
{
	const char *p = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;

	o->uid[1] = o->gid[1] = 0;
	if (strlen(p) <= 64)
		return 0;
	p += 64;
	range(&p, 'u', o->uid);
	range(&p, 'g', o->gid);
	return !*p && (o->uid[1] || o->gid[1]);
}

int
owners_inside(void)
{
	return inside;
}

/* the child: into a new user namespace, then fn once the parent has
 * mapped it; its failure goes to msg */
static void
child(int ready[2], int go[2], int msg[2], void (*fn)(void *), void *arg)
{
	char c = 0;

	inside = 1;
	report_to(msg[1]);
	if (unshare(CLONE_NEWUSER) < 0)
		die("unshare(CLONE_NEWUSER):");
	if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
		_exit(EXIT_SETUP);
	fn(arg);
	_exit(0);
}

static void
close_ends(int a, int b, int c)
{
	if (close(a) < 0 || close(b) < 0 || close(c) < 0)
		die("close(the layer's user namespace's pipe):");
}

void
owners_run(const struct owners *o, void (*fn)(void *), void *arg)
{
	int ready[2], go[2], msg[2], st;
	char c = 0;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0 ||
	    pipe2(msg, O_CLOEXEC) < 0)
		die("pipe:");
	if ((pid = fork()) < 0)
		die("fork:");
	if (pid == 0)
		child(ready, go, msg, fn, arg);
	close_ends(ready[1], go[0], msg[1]);
	report_from(msg[0]);
	if (read(ready[0], &c, 1) != 1)
		die("the layer's user namespace: its child ended");
	map_ids(pid, 0, 0, o->uid[1] ? o->uid : NULL, o->gid[1] ? o->gid :
	    NULL);
	if (write(go[1], &c, 1) != 1)
		die("write(the layer's user namespace's pipe):");
	if (waitpid(pid, &st, 0) < 0)
		die("waitpid:");
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("the layer's user namespace: its child ended with %d",
		    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	report_from(-1);
	close_ends(ready[0], go[1], msg[0]);
}
