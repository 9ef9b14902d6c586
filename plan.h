/* See LICENSE file for copyright and license details. */
/*
 * The plan: everything a sandbox is to be, as the front ends fill it (the
 * command line in opts.c, and later an image's config or an OCI bundle).
 * The set-up steps read it; none of them knows where a value came from.
 */
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#define MAXOPS 64

struct json;
struct hooks;
#define MAXLAYERS 128

/* what to do: run a sandbox, or act on the one called name */
enum {
	VERB_RUN, VERB_PS, VERB_EXEC, VERB_KILL, VERB_STOP, VERB_WAIT,
	VERB_IMPORT, VERB_IMAGES, VERB_RMI, VERB_PRUNE,
};
/* an id not given: the image's User says, or 0 */
#define ID_UNSET 0xffffffffU
/* a mount, in the order given */
enum { MOUNT_BIND, MOUNT_ROBIND, MOUNT_DEVBIND, MOUNT_TMPFS };
/* a change to the environment, in the order given */
enum { ENV_SET, ENV_UNSET, ENV_CLEAR };
/* the namespaces beyond user, pid, mount and uts, as bits */
enum { NS_NET = 1, NS_IPC = 2, NS_CGROUP = 4, NS_TIME = 8 };
/* the namespaces sbx exec joins, in the order it joins them */
#define NS_JOINED 8

struct op {
	int kind; /* MOUNT_...; or ENV_... */
	const char *src, *dst;
};

/* an OCI bundle's mount: as mount(2) takes it, with what the flags'
 * "no" forms clear and the propagation to set after */
struct mnt {
	const char *type, *src, *dst, *data;
	unsigned long flags, clear, prop;
};

/* an OCI bundle's device node: made as root, bound from the host's in a
 * user namespace */
struct dev {
	const char *path;
	unsigned mode, major, minor, uid, gid;
};

/* the capability sets of an OCI process */
enum { CAPS_BOUNDING, CAPS_EFFECTIVE, CAPS_INHERITABLE, CAPS_PERMITTED,
	CAPS_AMBIENT, CAPS_SETS };
/* of user, pid, mount and uts: those an OCI bundle does not ask for */
enum { NS_NOUSER = 1, NS_NOPID = 2, NS_NOMOUNT = 4, NS_NOUTS = 8 };

/* the cgroup's limits; 0: not asked for */
struct limits {
	long long memory, memhigh, memlow; /* bytes */
	long long memswap; /* memory and swap; 0: as memory, -1: no limit */
	long long pids;
	long cpuquota;  /* microseconds of CPU in each period */
	long cpuperiod; /* microseconds; 0: 100 ms */
	int cpuweight, ioweight; /* 1 to 10000 */
	long long cpushares; /* OCI's, in place of a weight */
	const char *memtext; /* --memory as written, for the OOM line */
	int any;        /* one of those is asked for */
	const char *cgroup; /* --cgroup: an existing one to run in */
	const char *path; /* OCI's cgroupsPath: the one to make */
	int optional;   /* OCI rootless: none is a warning, as in runc */
	int latens;     /* the child makes the cgroup namespace, once in it */
};

struct plan {
	int verb;
	/* the root and its layers; or the image that gives them */
	const char *root, *image;
	char imageid[72];       /* -i: "sha256:ID", the image it found */
	int readonly;
	int overlay;    /* a writable layer: in a tmpfs, or in overlaydir */
	const char *overlaydir, *lowers[MAXLAYERS];
	int nlowers;
	struct op mounts[MAXOPS];
	int nmounts;
	/* namespaces and ids */
	const char *hostname;
	int ns;         /* NS_... */
	int nsall;      /* every namespace this kernel has */
	unsigned uid, gid;
	int mapusers, mapgroups;
	unsigned long subuid[2], subgid[2]; /* first id, count */
	/* the command and its process (-i: NULL for the image's) */
	char **argv;
	const char *entrypoint; /* -i: in place of the image's */
	const char *chdir;
	struct op env[MAXOPS];
	int nenv;
	struct { int res; const char *name; rlim_t soft, hard; } rlim[MAXOPS];
	int nrlim;
	uint64_t caps;  /* capabilities kept */
	uint64_t capadd; /* those asked for: ambient for a non-zero uid */
	int seccomp;    /* the seccomp filter is on */
	struct limits limits;
	int nouserns;   /* no new user namespace inside */
	/* how sbx runs it */
	long timeout;   /* milliseconds; 0: none */
	int pty;        /* a pty of its own: -1 when the terminal says */
	const char *name, *log;
	int detach, json, signal; /* signal: kill's, 0 for the default */
	int stopsignal; /* what stop and kill send by default (-i); 0: TERM */
	/* found while starting it */
	uint64_t sigmask; /* the caller's: bit N-1 for signal N */
	int stdio[3];   /* -d: what the sandbox gets as 0, 1, 2 (-1: ours) */
	int pipes[3];   /* or its end of a pipe sbx relays to a terminal */
	int ready;      /* -d: written once the sandbox runs */
	pid_t waiter;   /* -d: the sbx that waits for that, our parent */
	int join[NS_JOINED]; /* sbx exec: the sandbox's namespaces, or -1 */
	char **environ; /* sbx exec: its init's environment */
	/* an OCI bundle's world, in place of sbx's own: its mounts and
	 * devices, no /proc masks, no filter, and its command as PID 1 */
	int oci;
	struct mnt ocimounts[MAXOPS];
	int nocimounts;
	int nsoff;      /* NS_NO...: clone() leaves these out */
	const char *nspath[NS_JOINED]; /* to join at start, by path */
	const char *domainname;
	char uidmap[512], gidmap[512]; /* "IN HOST COUNT\n" lines */
	unsigned groups[MAXOPS]; /* additionalGids */
	int ngroups;
	int umask;      /* -1: as it is */
	uint64_t capsets[CAPS_SETS];
	int nonewprivs;
	const char *masked[MAXOPS], *rdonly[MAXOPS];
	int nmasked, nrdonly;
	struct dev devices[MAXOPS];
	int ndevices;
	const char *sysctl[MAXOPS][2];
	int nsysctl;
	unsigned long rootprop; /* MS_PRIVATE...; 0: rprivate */
	void *filter;   /* linux.seccomp, compiled: a struct sock_filter[] */
	unsigned short nfilter;
	unsigned filterflags; /* SECCOMP_FILTER_FLAG_... */
	const char *startfifo; /* create: init waits on it for start */
	int console;    /* the engine's console socket, connected; or -1 */
	unsigned short rows, cols; /* consoleSize: the pty's, if not 0 */
	int oomscore, hasoomscore;
	const char *bundle;     /* for the state: the bundle, absolute */
	const struct json *annotations;
	const struct hooks *hooks; /* NULL: none */
	const char *config;     /* config.json's text, for start and delete */
	size_t configlen;
	int preservefds;        /* 3 to 3+N-1: the process's too */
};
