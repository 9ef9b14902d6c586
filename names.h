/* See LICENSE file for copyright and license details. */
#include <sys/types.h>

/* a running sandbox, as its file in the state directory says */
struct entry {
	char *buf;      /* the file: "key=value" records, each ending in NUL */
	pid_t pid;      /* sbx, which supervises it */
	pid_t init;     /* its PID 1, on the host; 0 while it starts */
	unsigned long long start; /* when init started, in clock ticks */
	long long time; /* when sbx started, in seconds since the epoch */
	int status;     /* how it ended; -1 while it runs */
	int stopsig;    /* what stop and kill send by default; 0: TERM */
	const char *image; /* -i: "sha256:ID" of the image it runs */
	const char *memcg, *pidscg; /* its cgroups' directories, or NULL */
	char **cmd;     /* the command, for ps */
	int ncmd;
	char *argbuf, **args; /* sbx's own arguments, from the kernel */
	int nargs;
};

/* 0 if name can name a sandbox (parse-time check: no system call) */
int names_valid(const char *name);
/* 0 if a state file can record cmd; a bigger file is never one of ours
 * (parse-time check too) */
int names_fits(char **cmd);
#define NAMES_ENTRYMAX (1 << 20)

/* claims name for this process, or dies if a live sandbox has it */
void names_reserve(const char *name, char **cmd, int stopsig,
    const char *image);
/* records the sandbox's init, now that it runs */
void names_publish(pid_t init);
/* records how it ended and releases the name */
void names_finish(int status);

/* the entry of the running sandbox called name, or dies */
void names_find(const char *name, struct entry *e);
/* its init's /proc directory, checked to be that process, and the
 * arguments of the sbx that started it; or dies */
int names_open_init(const char *name, struct entry *e);

/* the sandbox's cgroups, where ps reads what it uses (NULL: none) */
void names_cgroups(const char *memory, const char *pids);
/* for the verbs: the entry of the sandbox called name, open (its lock
 * its sbx's while that lives) and read into e, with *live 1 while its
 * sbx runs; names_open_live dies unless it runs and has started. Both
 * die if there is none. */
int names_open(const char *name, struct entry *e, int *live);
int names_open_live(const char *name, struct entry *e);
/* e's init's /proc directory, checked as names_open_init does; -1 if it
 * is no longer that process */
int names_check_init(const struct entry *e);
/* the entry open on fd, read again (once its sbx has ended) */
void names_reread(int fd, struct entry *e);
/* an ended sandbox's entry, read: removed, and fd closed */
void names_collect(int fd, const char *name);
/* show(name, e, arg) for each running sandbox, in name order */
void names_each(void (*show)(const char *, const struct entry *, void *),
    void *arg);
