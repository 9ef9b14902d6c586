/* See LICENSE file for copyright and license details. */
/*
 * An OCI container's own hooks, createContainer's and startContainer's,
 * which init runs inside, with its process's rights: see inithooks.c.
 *
 * sbx hands them over in a file of NUL-ended strings: the state JSON,
 * then for each hook, in order, its kind (HOOK_IN_CREATE or
 * HOOK_IN_START), its timeout in milliseconds (0: none), its path, its
 * count of args and the args, and its count of env strings and those,
 * or "-" for none (the process's environment).
 */
#include <stddef.h>

#define HOOK_IN_CREATE "createContainer"
#define HOOK_IN_START "startContainer"

struct inithook {
	const char *kind, *path;
	long ms; /* 0: no timeout */
	char **argv, **env; /* env NULL: the process's environment */
};

struct hookfile {
	char *state;
	struct inithook *of;
	int n;
	char **strs; /* the argvs and envs, each NULL-ended */
};

/* buf[0..len), as sbx writes it, into f, whose strings stay in buf and
 * whose of and strs are the caller's to free; NULL, or what is wrong */
const char *inithooks_parse(char *buf, size_t len, struct hookfile *f);

/*
 * init's steps before its exec of the process, for hooks "FILE,REPORT"
 * (NULL: none) and wait, start's descriptor (NULL: run's, no start):
 * the createContainer hooks; REPORT closed, for create to end; a byte
 * from start on wait; the startContainer hooks. A hook that fails ends
 * init: its report goes to REPORT (a byte with the exit code, then the
 * line), or once create has ended, as a bare reason, to wait, which
 * start reads.
 */
void inithooks_run(const char *hooks, const char *wait);
