/* See LICENSE file for copyright and license details. */
/* the OCI runtime's command line: see oci.c */

/* the verbs, runc's */
enum {
	OCI_CREATE, OCI_START, OCI_STATE, OCI_KILL, OCI_DELETE, OCI_RUN,
	OCI_LIST, OCI_SPEC, OCI_FEATURES, OCI_VERSION,
};

/* what the spec's version is, for --version, state and spec */
#define OCI_VERSION_STR "1.2.0"

struct oci {
	int verb;
	/* global: the state directory, the log and its format */
	const char *root, *log;
	int logjson, debug, systemd;
	/* the verb's */
	const char *id, *bundle, *pidfile, *console, *signal;
	int preservefds, all, force, detach, rootless, json;
};

/* 1 if argv asks for the OCI runtime: argv[0] named sbx-runc, "sbx oci
 * VERB", or runc's global options before one of its verbs */
int oci_wanted(int argc, char *argv[]);
/* the command line into o; a bad one dies here, touching nothing */
void oci_parse(int argc, char *argv[], struct oci *o);
