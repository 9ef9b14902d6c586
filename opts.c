/* See LICENSE file for copyright and license details. */
/*
 * opts.c: the command line, into a plan: the options, the verbs, usage.
 * It makes no system call and sets nothing up; a bad word dies here.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "caps.h"
#include "fmt.h"
#include "limit.h"
#include "millis.h"
#include "names.h"
#include "plan.h"
#include "opts.h"
#include "sbx.h"
#include "signames.h"

/* each option's bit, for the verbs' lists of the options they take */
enum {
	OPT_ROOT, OPT_HOSTNAME, OPT_BIND, OPT_ROBIND, OPT_TMPFS, OPT_READONLY,
	OPT_CHDIR, OPT_SETENV, OPT_UNSETENV, OPT_CLEARENV, OPT_UID, OPT_GID,
	OPT_NET, OPT_IPC, OPT_CGROUPNS, OPT_TIMENS, OPT_ALL, OPT_RLIMIT,
	OPT_TIMEOUT, OPT_OVERLAY, OPT_OVERLAYDIR, OPT_LOWER, OPT_MAPUSERS,
	OPT_MAPGROUPS, OPT_PTY, OPT_NOPTY,
	OPT_CAPADD, OPT_CAPDROP, OPT_SECCOMP, OPT_NOUSERNS, OPT_NAME,
	OPT_DETACH, OPT_LOG, OPT_JSON, OPT_DEVBIND, OPT_HELP, OPT_VERSION,
	OPT_IMAGE, OPT_ENTRYPOINT, OPT_MEMORY, OPT_MEMHIGH, OPT_PIDS, OPT_CPUS,
	OPT_CPUWEIGHT, OPT_IOWEIGHT, OPT_CGROUP,
};

static const char usage[] =
"usage: sbx [options] [--] [command [arg...]]\n"
"       sbx ps [--json] | exec NAME [command...] | kill NAME [SIGNAL]\n"
"       sbx stop NAME [SECONDS] | wait NAME\n"
"       sbx -i IMAGE [options] [--] [command [arg...]]\n"
"       sbx import SRC [NAME[:TAG]] | images [--json] | rmi IMAGE... | prune\n"
"Run command (default /bin/sh) in a new rootless sandbox.\n"
"  -r, --root DIR       the sandbox's root directory (default: the host's /)\n"
"  -i, --image IMAGE    an OCI or docker image as the root (and -o), with\n"
"                       its command, env, dir and user as defaults\n"
"      --entrypoint CMD  with -i: CMD in place of the image's entrypoint\n"
"  -h, --hostname NAME  the sandbox's hostname (default: sbx)\n"
"  -b, --bind SRC[:DST] bind host path SRC at DST inside (default: SRC)\n"
"  -B, --ro-bind SRC[:DST]  the same, read-only all the way down\n"
"      --dev-bind SRC[:DST]  like -b, with its device nodes working\n"
"  -t, --tmpfs DIR      an empty tmpfs at DIR\n"
"  -R, --read-only      the root itself read-only\n"
"  -o, --overlay        a throwaway writable layer over the rootfs\n"
"      --overlay-dir DIR  keep that layer in DIR (DIR.work beside it)\n"
"  -l, --lower DIR      another read-only layer under the rootfs\n"
"  -w, --chdir DIR      the working directory inside (default: /)\n"
"  -e, --setenv NAME=VALUE  set a variable; --unsetenv NAME removes one\n"
"  -E, --clearenv       start from an empty environment (and a PATH)\n"
"  -u, --uid N, -g, --gid N  the ids inside (default: 0)\n"
"      --map-users, --map-groups  map 1... onto the caller's range in\n"
"                       /etc/subuid, /etc/subgid (newuidmap, newgidmap)\n"
"  -n, --net            a new network namespace with only loopback\n"
"      --ipc, --cgroupns, --timens  new IPC, cgroup, time namespaces\n"
"  -a, --all            every namespace the kernel offers\n"
"      --rlimit NAME=SOFT[:HARD]  a resource limit (nofile, nproc, ...)\n"
"      --memory SIZE    a cgroup's hard memory limit (512M, 2G), with swap;\n"
"                       --memory-high SIZE: the point it is throttled at\n"
"      --pids N         at most N processes; --cpus N: N CPUs' time (0.5)\n"
"      --cpu-weight N, --io-weight N  shares of CPU and I/O (1-10000)\n"
"      --cgroup PATH    run in that existing cgroup, not a new one\n"
"      --timeout SECS   SIGTERM after SECS, SIGKILL 2s later; exit 124\n"
"      --pty, --no-pty  a pseudo-terminal of its own (default: when stdin\n"
"                       is the terminal sbx runs in the foreground of)\n"
"      --cap-add CAP    keep capability CAP (or ALL) too\n"
"      --cap-drop CAP   drop capability CAP (or ALL)\n"
"      --seccomp on|off the seccomp filter (default: on)\n"
"      --no-userns      deny creating user namespaces inside\n"
"      --name NAME      register it as NAME, for the verbs below\n"
"  -d, --detach         run it in the background; print sbx's pid\n"
"      --log FILE       with -d: its stdout and stderr go to FILE\n"
"      --help           print this help and exit\n"
"      --version        print the version and exit\n"
"Verbs, on this user's named sandboxes:\n"
"  ps [--json]          list them: name, pid, uptime, command\n"
"  exec NAME [cmd...]   run cmd (default /bin/sh) inside NAME, as its own\n"
"                       command runs (--pty, --no-pty, -w, -e as above)\n"
"  kill NAME [SIGNAL]   signal NAME's command (default TERM)\n"
"  stop NAME [SECS]     TERM, and KILL after SECS (default 10)\n"
"  wait NAME            wait for NAME to end (or to have ended); exit\n"
"                       with its status\n"
"Verbs, on this user's image store:\n"
"  import SRC [NAME[:TAG]]  oci:DIR[:REF], oci-archive:FILE[:REF],\n"
"                       docker-archive:FILE[:REF] or a path, into the store\n"
"  images [--json]      list them: name, tag, id, size, created\n"
"  rmi IMAGE...         remove images (their layers stay until prune)\n"
"  prune                remove layers no image uses, and leftovers\n"
"Exit status: the command's, 128+N if it died of signal N, 125 if sbx\n"
"failed, 126 if the command cannot be executed, 127 if it is not found.\n";

/* the verbs: the words each takes after it, and the options it knows */
static const struct {
	const char *name, *usage;
	int min, max;
	uint64_t opts;
} verbs[] = {
	[VERB_RUN] = { "run", "[options] [--] [command [arg...]]", 0, 0,
	    ~BIT(OPT_JSON) },
	[VERB_PS] = { "ps", "ps [--json]", 0, 0, BIT(OPT_JSON) },
	[VERB_EXEC] = { "exec", "exec [--pty|--no-pty] [-w DIR] [-e NAME=VALUE]"
	    " NAME [--] [command [arg...]]", 1, INT_MAX, BIT(OPT_PTY) |
	    BIT(OPT_NOPTY) | BIT(OPT_CHDIR) | BIT(OPT_SETENV) |
	    BIT(OPT_UNSETENV) },
	[VERB_KILL] = { "kill", "kill NAME [SIGNAL]", 1, 2, 0 },
	[VERB_STOP] = { "stop", "stop NAME [SECONDS]", 1, 2, 0 },
	[VERB_WAIT] = { "wait", "wait NAME", 1, 1, 0 },
	[VERB_IMPORT] = { "import", "import [--map-users] [--map-groups] SRC"
	    " [NAME[:TAG]]", 1, 2, BIT(OPT_MAPUSERS) | BIT(OPT_MAPGROUPS) },
	[VERB_IMAGES] = { "images", "images [--json]", 0, 0, BIT(OPT_JSON) },
	[VERB_RMI] = { "rmi", "rmi IMAGE...", 1, INT_MAX, 0 },
	[VERB_PRUNE] = { "prune", "prune", 0, 0, 0 },
};

static const char *defaultcmd[] = { "/bin/sh", NULL };

struct option;
/* what an option does to the plan, given its name as written and its
 * value */
typedef void setter(struct plan *, const struct option *, const char *,
    const char *);
struct option {
	char shortname;
	const char *longname;
	int hasarg, id;
	setter *set;
	size_t off; /* the field it sets, for the setters that take one */
	int val;    /* what it sets there; or the kind of mount, namespace */
};
#define FIELD(p, o, type) ((type *)((char *)(p) + (o)->off))

static void
set_flag(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	(void)name, (void)val;
	*FIELD(p, o, int) = o->val;
}

/* -r, -w (a directory: val 0), --log (a file: val 1) */
static void
set_path(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	if (!*val)
		die("%s: empty %s name", name, o->val ? "file" : "directory");
	*FIELD(p, o, const char *) = val;
}

/* -i, --entrypoint: any word but an empty one */
static void
set_text(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	if (!*val)
		die("%s: empty value", name);
	*FIELD(p, o, const char *) = val;
}

static void
set_hostname(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	(void)o;
	if (!*val || strlen(val) > 64)
		die("%s '%s': must be 1 to 64 bytes", name, val);
	p->hostname = val;
}

/* -b, -B, --dev-bind SRC[:DST] (split at the first colon), -t DIR */
static void
add_mount(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	struct op *m = &p->mounts[p->nmounts];
	const char *colon = strchr(val, ':');
	static char dsts[MAXOPS][PATH_MAX];

	if (p->nmounts == MAXOPS)
		die("%s: more than %d mounts", name, MAXOPS);
	if (!*val || colon == val)
		die("%s '%s': empty path", name, val);
	m->kind = o->val;
	m->src = m->dst = val;
	if (o->val != MOUNT_TMPFS && colon) {
		if (colon - val >= PATH_MAX)
			die("%s '%.20s...': path too long", name, val);
		memcpy(dsts[p->nmounts], val, colon - val);
		dsts[p->nmounts][colon - val] = '\0';
		m->src = dsts[p->nmounts];
		m->dst = colon + 1;
	}
	if (m->dst[0] != '/')
		die("%s '%s': the place inside must be an absolute path", name,
		    val);
	p->nmounts++;
}

static void
add_env(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	const char *eq = val ? strchr(val, '=') : NULL;

	if (p->nenv == MAXOPS)
		die("%s: more than %d changes to the environment", name,
		    MAXOPS);
	if (o->val == ENV_SET && (!eq || eq == val))
		die("%s '%s': must be NAME=VALUE", name, val);
	if (o->val == ENV_UNSET && (!*val || strchr(val, '=')))
		die("%s '%s': must be a variable's name", name, val);
	p->env[p->nenv++] = (struct op){ o->val, val, NULL };
}

/* overlayfs takes its layers as one string: these would split it */
static const char *
layer_path(const char *name, const char *val)
{
	if (!*val || strpbrk(val, ",:\\"))
		die("%s '%s': must be a path without ',', ':' or '\\'", name,
		    val);
	return val;
}

static void
set_overlaydir(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	(void)o;
	p->overlay = 1;
	p->overlaydir = layer_path(name, val);
}

static void
add_lower(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	(void)o;
	if (p->nlowers == MAXLAYERS)
		die("%s: more than %d layers", name, MAXLAYERS);
	p->lowers[p->nlowers++] = layer_path(name, val);
}

static void
add_ns(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	(void)name, (void)val;
	p->ns |= o->val;
}

static void
add_rlimit(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	(void)o;
	limits_add_rlimit(p, name, val);
}

/* a cgroup's: o->val is the LIMIT_ */
static void
set_limit(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	limits_set(p, o->val, name, val);
}

/* seconds, decimals allowed, as milliseconds; 0 only if zero says */
static long
millis(const char *name, const char *val, int zero)
{
	long ms = millis_of(val);

	if (ms == MILLIS_TOO_LONG)
		die("%s '%s': more than a year", name, val);
	if (ms < 0 || (!ms && !zero))
		die("%s '%s': not a number of seconds %s 0", name, val,
		    zero ? "from" : "above");
	return ms;
}

static void
set_seconds(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	*FIELD(p, o, long) = millis(name, val, 0);
}

static void
set_id(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(val, &end, 10);
	if (!*val || *end || errno || val[0] == '-' || n > 4294967294UL)
		die("%s '%s': not a number from 0 to 4294967294", name, val);
	*FIELD(p, o, unsigned) = n;
}

/* --cap-add (val 1), --cap-drop (val 0) */
static void
set_cap(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	uint64_t bit;

	if (!(bit = caps_bit(val)))
		die("%s '%s': no such capability", name, val);
	p->caps = o->val ? p->caps | bit : p->caps & ~bit;
	p->capadd = o->val ? p->capadd | bit : p->capadd & ~bit;
}

static void
set_on_off(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	if (strcmp(val, "on") && strcmp(val, "off"))
		die("%s '%s': must be on or off", name, val);
	*FIELD(p, o, int) = !strcmp(val, "on");
}

static void
set_name(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	(void)o;
	if (names_valid(val) < 0)
		die("%s '%s': 1 to 64 letters, digits, '_', '.' or '-',"
		    " not first '.' or '-'", name, val);
	p->name = val;
}

/* --help (val 0), --version (val 1) */
static void
print(struct plan *p, const struct option *o, const char *name,
    const char *val)
{
	static const char version[] = "sbx " VERSION "\n";

	(void)p, (void)name, (void)val;
	if (o->val)
		put_all(1, version, sizeof(version) - 1);
	else
		put_all(1, usage, sizeof(usage) - 1);
	exit(0);
}

#define F(field) offsetof(struct plan, field)
static const struct option options[] = {
	{ 'r', "root", 1, OPT_ROOT, set_path, F(root), 0 },
	{ 'i', "image", 1, OPT_IMAGE, set_text, F(image), 0 },
	{ 0, "entrypoint", 1, OPT_ENTRYPOINT, set_text, F(entrypoint), 0 },
	{ 'h', "hostname", 1, OPT_HOSTNAME, set_hostname, 0, 0 },
	{ 'b', "bind", 1, OPT_BIND, add_mount, 0, MOUNT_BIND },
	{ 'B', "ro-bind", 1, OPT_ROBIND, add_mount, 0, MOUNT_ROBIND },
	{ 0, "dev-bind", 1, OPT_DEVBIND, add_mount, 0, MOUNT_DEVBIND },
	{ 't', "tmpfs", 1, OPT_TMPFS, add_mount, 0, MOUNT_TMPFS },
	{ 'R', "read-only", 0, OPT_READONLY, set_flag, F(readonly), 1 },
	{ 'w', "chdir", 1, OPT_CHDIR, set_path, F(chdir), 0 },
	{ 'e', "setenv", 1, OPT_SETENV, add_env, 0, ENV_SET },
	{ 0, "unsetenv", 1, OPT_UNSETENV, add_env, 0, ENV_UNSET },
	{ 'E', "clearenv", 0, OPT_CLEARENV, add_env, 0, ENV_CLEAR },
	{ 'u', "uid", 1, OPT_UID, set_id, F(uid), 0 },
	{ 'g', "gid", 1, OPT_GID, set_id, F(gid), 0 },
	{ 'n', "net", 0, OPT_NET, add_ns, 0, NS_NET },
	{ 0, "ipc", 0, OPT_IPC, add_ns, 0, NS_IPC },
	{ 0, "cgroupns", 0, OPT_CGROUPNS, add_ns, 0, NS_CGROUP },
	{ 0, "timens", 0, OPT_TIMENS, add_ns, 0, NS_TIME },
	{ 'a', "all", 0, OPT_ALL, set_flag, F(nsall), 1 },
	{ 0, "rlimit", 1, OPT_RLIMIT, add_rlimit, 0, 0 },
	{ 0, "timeout", 1, OPT_TIMEOUT, set_seconds, F(timeout), 0 },
	{ 0, "memory", 1, OPT_MEMORY, set_limit, 0, LIMIT_MEMORY },
	{ 0, "memory-high", 1, OPT_MEMHIGH, set_limit, 0, LIMIT_MEMHIGH },
	{ 0, "pids", 1, OPT_PIDS, set_limit, 0, LIMIT_PIDS },
	{ 0, "cpus", 1, OPT_CPUS, set_limit, 0, LIMIT_CPUS },
	{ 0, "cpu-weight", 1, OPT_CPUWEIGHT, set_limit, 0, LIMIT_CPUWEIGHT },
	{ 0, "io-weight", 1, OPT_IOWEIGHT, set_limit, 0, LIMIT_IOWEIGHT },
	{ 0, "cgroup", 1, OPT_CGROUP, set_path, F(limits.cgroup), 0 },
	{ 'o', "overlay", 0, OPT_OVERLAY, set_flag, F(overlay), 1 },
	{ 0, "overlay-dir", 1, OPT_OVERLAYDIR, set_overlaydir, 0, 0 },
	{ 'l', "lower", 1, OPT_LOWER, add_lower, 0, 0 },
	{ 0, "map-users", 0, OPT_MAPUSERS, set_flag, F(mapusers), 1 },
	{ 0, "map-groups", 0, OPT_MAPGROUPS, set_flag, F(mapgroups), 1 },
	{ 0, "pty", 0, OPT_PTY, set_flag, F(pty), 1 },
	{ 0, "no-pty", 0, OPT_NOPTY, set_flag, F(pty), 0 },
	{ 0, "cap-add", 1, OPT_CAPADD, set_cap, 0, 1 },
	{ 0, "cap-drop", 1, OPT_CAPDROP, set_cap, 0, 0 },
	{ 0, "seccomp", 1, OPT_SECCOMP, set_on_off, F(seccomp), 0 },
	{ 0, "no-userns", 0, OPT_NOUSERNS, set_flag, F(nouserns), 1 },
	{ 0, "name", 1, OPT_NAME, set_name, 0, 0 },
	{ 'd', "detach", 0, OPT_DETACH, set_flag, F(detach), 1 },
	{ 0, "log", 1, OPT_LOG, set_path, F(log), 1 },
	{ 0, "json", 0, OPT_JSON, set_flag, F(json), 1 },
	{ 0, "help", 0, OPT_HELP, print, 0, 0 },
	{ 0, "version", 0, OPT_VERSION, print, 0, 1 },
};

/* finds arg's option; sets *val to an attached value ("-rX", "--a=X") */
static const struct option *
lookup(const char *arg, const char **val)
{
	size_t i, n;

	*val = NULL;
	for (i = 0; i < LEN(options); i++) {
		if (arg[1] != '-') {
			if (arg[1] != options[i].shortname)
				continue;
			if (arg[2])
				*val = arg + 2;
			return &options[i];
		}
		n = strlen(options[i].longname);
		if (strncmp(arg + 2, options[i].longname, n) ||
		    (arg[2 + n] && arg[2 + n] != '='))
			continue;
		if (arg[2 + n])
			*val = arg + 3 + n;
		return &options[i];
	}
	return NULL;
}

/* options from argv[i] on, up to the first other word: its index; each
 * one's bit is added to *given */
static int
parse_options(int argc, char *argv[], int i, struct plan *p, int *dashes,
    uint64_t *given)
{
	const struct option *o;
	char name[72];
	const char *val;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			*dashes = 1;
			return i + 1;
		}
		if (!(o = lookup(argv[i], &val)))
			die("%s: unknown option (see sbx --help)", argv[i]);
		/* messages name the option as written, without "=value" */
		fmt(name, sizeof(name), "%s%.*s", argv[i][1] == '-' ?
		    "--" : "-", argv[i][1] == '-' ? 64 : 1, argv[i][1] == '-' ?
		    o->longname : argv[i] + 1);
		if (o->hasarg && !val && (val = argv[++i]) == NULL)
			die("%s: missing value", name);
		if (!o->hasarg && val)
			die("%s: takes no value", name);
		*given |= BIT(o->id);
		o->set(p, o, name, val);
	}
	return i;
}

/* the words after a verb: a name, then a signal, seconds or a command */
static void
parse_verb(struct plan *p, int n, char **w)
{
	if (n < verbs[p->verb].min || n > verbs[p->verb].max)
		die("usage: sbx %s", verbs[p->verb].usage);
	/* the image verbs' words are images, checked as the store reads them */
	if (p->verb >= VERB_IMPORT) {
		p->argv = w;
		return;
	}
	if (n && names_valid(w[0]) < 0)
		die("%s: no such sandbox (sbx ps lists them)", w[0]);
	p->name = w[0];
	if (p->verb == VERB_KILL && n > 1 && (p->signal = signum(w[1])) < 0)
		die("%s: no such signal", w[1]);
	if (p->verb == VERB_STOP)
		p->timeout = n > 1 ? millis("SECONDS", w[1], 1) : 10000;
	if (p->verb != VERB_EXEC)
		return;
	n--, w++;
	if (n && !strcmp(w[0], "--"))
		n--, w++;
	p->argv = n ? w : (char **)defaultcmd;
}

/* what the options of a run must agree on */
static void
check_run(const struct plan *p)
{
	if (p->name && p->argv && names_fits(p->argv) < 0)
		die("--name: a command that long cannot be recorded (%d MiB at"
		    " most)", NAMES_ENTRYMAX >> 20);
	if (p->image && p->root)
		die("-i: not with -r: the image is the root");
	if (p->entrypoint && !p->image)
		die("--entrypoint: only with -i");
	if (p->log && !p->detach)
		die("--log: only with --detach");
	/* overlayfs would take the rest as another option, silently */
	if ((p->overlay || p->nlowers) && p->root && strpbrk(p->root, ",:\\"))
		die("-r '%s': with -o or -l, must be a path without ',', ':'"
		    " or '\\'", p->root);
	if (p->detach && p->pty == 1)
		die("--pty: a detached sandbox has no terminal");
}

void
parse(int argc, char *argv[], struct plan *p)
{
	uint64_t given = 0, bad;
	int i, v, dashes = 0;

	*p = (struct plan){ .hostname = "sbx", .uid = ID_UNSET, .gid = ID_UNSET,
	    .caps = caps_default, .seccomp = 1, .pty = -1,
	    .stdio = { -1, -1, -1 }, .pipes = { -1, -1, -1 }, .ready = -1,
	    .join = { -1, -1, -1, -1, -1, -1, -1, -1 }, .console = -1,
	    .umask = -1 };
	i = parse_options(argc, argv, 1, p, &dashes, &given);
	for (v = 1; !dashes && i < argc && v < (int)LEN(verbs); v++)
		if (!strcmp(argv[i], verbs[v].name)) {
			p->verb = v;
			enter(verbs[v].name);
			i = parse_options(argc, argv, i + 1, p, &dashes, &given);
			break;
		}
	if ((bad = given & ~verbs[p->verb].opts))
		for (v = 0; v < (int)LEN(options); v++)
			if (bad & BIT(options[v].id))
				die("--%s: not an option here (see sbx --help)",
				    options[v].longname);
	if (p->verb) {
		parse_verb(p, argc - i, argv + i);
		return;
	}
	p->argv = i < argc ? argv + i : p->image ? NULL : (char **)defaultcmd;
	check_run(p);
	/* the defaults an image does not give instead */
	if (!p->image) {
		p->root = p->root ? p->root : "/";
		p->uid = p->uid == ID_UNSET ? 0 : p->uid;
		p->gid = p->gid == ID_UNSET ? 0 : p->gid;
	}
}
