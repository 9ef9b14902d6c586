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
void names_reserve(const char *name, char **cmd);
/* records the sandbox's init, now that it runs */
void names_publish(pid_t init);
/* records how it ended and releases the name */
void names_finish(int status);

/* the entry of the running sandbox called name, or dies */
void names_find(const char *name, struct entry *e);
/* its init's /proc directory, checked to be that process, and the
 * arguments of the sbx that started it; or dies */
int names_open_init(const char *name, struct entry *e);

/* the verbs */
int names_ps(int json);
int names_kill(const char *name, int sig);
int names_stop(const char *name, long ms);
int names_wait(const char *name);
