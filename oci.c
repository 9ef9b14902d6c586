/* See LICENSE file for copyright and license details. */
/*
 * oci.c: the OCI runtime's command line, runc's, into struct oci: the
 * global options, the verb, its options and its id. It makes no system
 * call; a bad word dies here, before anything is touched.
 */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "oci.h"
#include "sbx.h"

#define F(field) offsetof(struct oci, field)
#define V(verb) (1U << (verb))

static const struct {
	const char *name;
	int verb;
	int min, max;   /* the words after the options: ID, SIGNAL */
	const char *usage;
} verbs[] = {
	{ "create", OCI_CREATE, 1, 1, "create [--bundle DIR] [--pid-file F]"
	    " [--console-socket PATH] [--preserve-fds N] ID" },
	{ "start", OCI_START, 1, 1, "start ID" },
	{ "state", OCI_STATE, 1, 1, "state ID" },
	{ "kill", OCI_KILL, 1, 2, "kill [--all] ID [SIGNAL]" },
	{ "delete", OCI_DELETE, 1, 1, "delete [--force] ID" },
	{ "run", OCI_RUN, 1, 1, "run [--bundle DIR] [--pid-file F]"
	    " [--console-socket PATH] [--detach] ID" },
	{ "list", OCI_LIST, 0, 0, "list [--format table|json]" },
	{ "spec", OCI_SPEC, 0, 0, "spec [--rootless] [--bundle DIR]" },
	{ "features", OCI_FEATURES, 0, 0, "features" },
};

/* what an option sets: a string, a flag, a number, or the format */
enum { STR, FLAG, NUM, FORMAT };

static const struct {
	const char *name;
	char shortname;
	int kind;
	size_t field;
	unsigned verbs;  /* the verbs that take it; 0: a global option */
} options[] = {
	{ "root", 0, STR, F(root), 0 },
	{ "log", 0, STR, F(log), 0 },
	{ "log-format", 0, FORMAT, F(logjson), 0 },
	{ "debug", 0, FLAG, F(debug), 0 },
	{ "systemd-cgroup", 0, FLAG, F(systemd), 0 },
	{ "bundle", 'b', STR, F(bundle), V(OCI_CREATE) | V(OCI_RUN) |
	    V(OCI_SPEC) },
	{ "pid-file", 0, STR, F(pidfile), V(OCI_CREATE) | V(OCI_RUN) },
	{ "console-socket", 0, STR, F(console), V(OCI_CREATE) |
	    V(OCI_RUN) },
	{ "preserve-fds", 0, NUM, F(preservefds), V(OCI_CREATE) |
	    V(OCI_RUN) },
	/* runc's, which change nothing here: no keyring is made, and the
	 * root is always pivoted into */
	{ "no-pivot", 0, FLAG, 0, V(OCI_CREATE) | V(OCI_RUN) },
	{ "no-new-keyring", 0, FLAG, 0, V(OCI_CREATE) | V(OCI_RUN) },
	{ "all", 'a', FLAG, F(all), V(OCI_KILL) },
	{ "force", 'f', FLAG, F(force), V(OCI_DELETE) },
	{ "detach", 'd', FLAG, F(detach), V(OCI_RUN) },
	{ "rootless", 0, FLAG, F(rootless), V(OCI_SPEC) },
	{ "format", 'f', FORMAT, F(json), V(OCI_LIST) },
};

/* a first word that is the OCI runtime's verb alone (create, start,
 * state, delete, list, spec, features), or run with a bundle after it;
 * kill and a bare run stay sbx's */
static int
first_verb(int argc, char *argv[])
{
	size_t i;

	for (i = 0; i < LEN(verbs) && strcmp(argv[1], verbs[i].name); i++)
		;
	if (i == LEN(verbs) || verbs[i].verb == OCI_KILL)
		return 0;
	if (verbs[i].verb != OCI_RUN)
		return 1;
	return argc > 2 && (!strcmp(argv[2], "--bundle") ||
	    !strcmp(argv[2], "-b") || !strncmp(argv[2], "--bundle=", 9));
}

/* whether a is one of runc's global options: -1 if not, else how many
 * words its value takes after it (0 or 1) */
static int
global(const char *a)
{
	size_t i, n = strcspn(a, "=");

	for (i = 0; !strncmp(a, "--", 2) && i < LEN(options); i++)
		if (!options[i].verbs && n - 2 == strlen(options[i].name) &&
		    !strncmp(a + 2, options[i].name, n - 2))
			return options[i].kind != FLAG && !a[n];
	return -1;
}

int
oci_wanted(int argc, char *argv[])
{
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	size_t i;
	int k;

	if (!strcmp(base, "sbx-runc") || (argc > 1 && !strcmp(argv[1], "oci")))
		return 1;
	if (argc > 1 && first_verb(argc, argv))
		return 1;
	/* runc's global options, then a verb: sbx's own -r is --root too,
	 * but is never followed by an OCI verb without "--" */
	for (k = 1; k < argc && global(argv[k]) >= 0; k++)
		k += global(argv[k]);
	if (k == 1 || k >= argc)
		return 0;
	for (i = 0; i < LEN(verbs); i++)
		if (!strcmp(argv[k], verbs[i].name))
			return 1;
	return 0;
}

static void
set(struct oci *o, int kind, size_t field, const char *opt, const char *v)
{
	char *base = (char *)o, *end;
	long n;

	if (kind == FLAG) {
		if (field)
			*(int *)(base + field) = 1;
		return;
	}
	if (!v)
		die("--%s: missing value", opt);
	if (kind == STR) {
		*(const char **)(base + field) = v;
	} else if (kind == NUM) {
		n = strtol(v, &end, 10);
		if (!*v || *end || n < 0 || n > 1000)
			die("--%s '%s': not a number from 0 to 1000", opt, v);
		*(int *)(base + field) = n;
	} else if (!strcmp(v, "json")) {
		*(int *)(base + field) = 1;
	} else if (strcmp(v, "text") && strcmp(v, "table")) {
		die("--%s '%s': text or json", opt, v);
	}
}

/* the option at argv[*k] (--name, --name=V or -c), for verb (-1: the
 * global ones); 0 if argv[*k] is no option */
static int
option(struct oci *o, int verb, int argc, char *argv[], int *k)
{
	const char *a = argv[*k], *v = NULL, *eq;
	size_t i, n;

	if (a[0] != '-' || !a[1] || !strcmp(a, "--"))
		return 0;
	n = (eq = strchr(a, '=')) ? (size_t)(eq - a) : strlen(a);
	for (i = 0; i < LEN(options); i++)
		if ((verb < 0 ? !options[i].verbs : (options[i].verbs &
		    (1U << verb)) != 0) && ((a[1] == '-' && n - 2 ==
		    strlen(options[i].name) && !strncmp(a + 2, options[i].name,
		    n - 2)) || (a[1] == options[i].shortname && !a[2])))
			break;
	if (i == LEN(options))
		die("%s: not an option %s (see sbx oci --help)", a, verb < 0 ?
		    "before the verb" : "of this verb");
	if (options[i].kind != FLAG) {
		v = eq ? eq + 1 : ++*k < argc ? argv[*k] : NULL;
		if (!v)
			die("%s: missing value", a);
	} else if (eq) {
		die("%s: takes no value", a);
	}
	set(o, options[i].kind, options[i].field, options[i].name, v);
	return 1;
}

/* runc's ids: letters, digits, '_', '+', '-' and '.', not "." or ".." */
static void
check_id(const char *id)
{
	size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789_+-.");

	if (!n || id[n] || n > NAME_MAX - 8 || !strcmp(id, ".") ||
	    !strcmp(id, ".."))
		die("'%s': not a container id (letters, digits, '_', '+', '-'"
		    " and '.', at most %d)", id, NAME_MAX - 8);
}

static void
usage(int code)
{
	static const char head[] = "usage: sbx oci [--root DIR] [--log FILE]"
	    " [--log-format text|json] VERB ...\n";
	char line[160];
	size_t i;

	put_all(code ? 2 : 1, head, sizeof(head) - 1);
	for (i = 0; i < LEN(verbs); i++) {
		put_all(code ? 2 : 1, line, fmt(line, sizeof(line),
		    "       sbx oci %s\n", verbs[i].usage));
	}
	exit(code);
}

void
oci_parse(int argc, char *argv[], struct oci *o)
{
	int k = 1, min, max;
	size_t i;

	*o = (struct oci){ .verb = -1 };
	enter("oci");
	if (k < argc && !strcmp(argv[k], "oci"))
		k++;
	for (; k < argc && strcmp(argv[k], "--help") && strcmp(argv[k],
	    "--version") && option(o, -1, argc, argv, &k); k++)
		;
	if (k < argc && !strcmp(argv[k], "--help"))
		usage(0);
	if (k < argc && !strcmp(argv[k], "--version")) {
		o->verb = OCI_VERSION;
		return;
	}
	for (i = 0; k < argc && i < LEN(verbs) && strcmp(argv[k],
	    verbs[i].name); i++)
		;
	if (k == argc || i == LEN(verbs))
		die("%s: not a verb of the OCI runtime's (see sbx oci --help)",
		    k < argc ? argv[k] : "nothing");
	o->verb = verbs[i].verb;
	for (k++; k < argc && option(o, o->verb, argc, argv, &k); k++)
		;
	k += k < argc && !strcmp(argv[k], "--");
	min = verbs[i].min, max = verbs[i].max;
	if (argc - k < min || argc - k > max)
		die("%s: usage: sbx oci %s", verbs[i].name, verbs[i].usage);
	if (max) {
		check_id(argv[k]);
		o->id = argv[k];
		o->signal = argc - k > 1 ? argv[k + 1] : NULL;
	}
}
