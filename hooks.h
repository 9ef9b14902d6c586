/* See LICENSE file for copyright and license details. */
/* an OCI bundle's hooks: see hooks.c */
#include <sys/types.h>

struct json;

/* in the lifecycle's order */
enum { HOOK_PRESTART, HOOK_CREATERUNTIME, HOOK_CREATECONTAINER,
	HOOK_STARTCONTAINER, HOOK_POSTSTART, HOOK_POSTSTOP, HOOK_KINDS };

struct hook {
	const char *path;
	char **argv;    /* never empty: [path] if the bundle gives none */
	char **env;     /* NULL: the runtime's own */
	long timeout;   /* milliseconds; 0: none */
};

/* as config.json names them */
extern const char *const hook_names[HOOK_KINDS];

struct hooks {
	const struct hook *of[HOOK_KINDS];
	int n[HOOK_KINDS];
};

/* config.json's hooks, v (NULL: none); NULL if it has none; dies with
 * the JSON path of what is wrong */
const struct hooks *hooks_read(const struct json *v);
/* a container's, from the copy of its config.json in its state
 * directory dir; NULL if it has none */
const struct hooks *hooks_load(int dir);
/* whether h has any of kinds [from, to] */
int hooks_any(const struct hooks *h, int from, int to);
/* the container's own hooks, createContainer's and startContainer's,
 * with the state they get, in a file for init (see inithooks.h), open
 * across an exec; -1 if h has none */
int hooks_pack(const struct hooks *h, const char *state);
