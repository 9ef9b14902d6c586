/* See LICENSE file for copyright and license details. */
/*
 * util.c: what every unit of sbx shares: the one way to fail, the step
 * label, the report pipe, and small helpers for files, paths and time.
 * It knows nothing of sandboxes: it depends on fmt and tty alone.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) ((uint64_t)1 << (n))
/* the PATH when there is none (with -E), and where newuidmap is looked
 * for without one */
#define DEFPATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * "sbx: STEP: message", with " strerror(errno)" if fmt ends in ':' and
 * then the hint the table in util.c has for that errno there; then exit
 * with code (die: 125). warn prints the same and returns (the parent
 * only: the child has no one to tell but the report pipe).
 */
__attribute__((noreturn, format(printf, 2, 3))) void
fail(int code, const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void
die(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void
warn(const char *fmt, ...);

/* names the set-up step that follows, for those messages (and for the
 * fault-injection and profiling builds) */
void enter(const char *name);

/* the OCI runtime's --log: failures are also written to path, as text or
 * as JSON lines {"level":"error","msg":...} */
void log_to(const char *path, int json);

/* in a child: failures go to fd as one message, then _exit; its steps
 * count from 101 */
void report_to(int fd);
/* in a child: the report pipe, open across an exec, for init to tell
 * of a failure that comes after it */
int report_pass(void);
/* in a helper we fork, such as a hook's process: failures go to stderr
 * as lines, then _exit, never through the atexit work that is ours */
void report_plain(void);
/* in the parent: the child's end, whose message, if it has one, is the
 * one to show when the parent fails too; -1 once it is read */
void report_from(int fd);

/* all of s, or -1 */
int put_all(int fd, const char *s, size_t n);
/* text as name below dir, whole or not at all (written as .NAME.PID,
 * fsync'd if durable, then renamed): a reader never sees a part; -1 */
int put_whole(int dir, const char *name, const char *text, size_t len,
    int durable);

/* a whole file, as from /proc, NUL-terminated; NULL if it cannot be
 * opened; *len its length. Dies if it holds more than max bytes. */
char *slurp(int dir, const char *path, size_t max, size_t *len);
/* bounds for it: what execve(2) lets argv and environ be together (6
 * MiB at most), with room; and a file of the host's such as mountinfo */
#define SLURP_ARGS (8UL << 20)
#define SLURP_HOST (64UL << 20)
/* the next line of a slurped buffer, NUL-terminated; NULL at the end */
char *next_line(char **at, const char *end);

/* path, made if missing (mode 700), opened: it must be ours and private,
 * or another user could read or forge what it holds; var names the
 * variable that would choose another */
int open_private(const char *path, const char *var);

/* the regular file at path (relative) below dir, opened to read, never
 * through a symlink nor ".."; -1 with errno (EINVAL: not a file) */
int open_in(int dir, const char *path);

/* "/proc/self/fd/N", the path of an open descriptor */
#define FDPATH_MAX 32
char *fdpath(char *buf, int fd);
int same_inode(const struct stat *a, const struct stat *b);

/* ms from now; and how many are left until then: 0 once it is past, at
 * most INT_MAX, so a deadline weeks away waits in turns */
void deadline(struct timespec *then, long ms);
int until(const struct timespec *then);

/* name tried in each directory of dirs (a PATH), with try: 0 as soon
 * as one works, else the last error that is not ENOENT, else ENOENT */
int path_walk(const char *dirs, const char *name, int (*try)(const char *));

/* text written whole to name below dirfd, /proc/PID's; or dies */
void proc_write(int dirfd, const char *name, const char *text, pid_t pid);
/* newuidmap or newgidmap PID with map's words (IN HOST COUNT...) as its
 * arguments, waited for; or dies, with hint after */
void map_tool(const char *tool, pid_t pid, const char *map, const char *hint);
/* pid's uid and gid maps: the caller as uid and gid; or, with a range
 * (first host id, count) from /etc/subuid or /etc/subgid, the caller as
 * 0 and the range from 1, through newuidmap or newgidmap */
void map_ids(pid_t pid, unsigned uid, unsigned gid,
    const unsigned long *subuid, const unsigned long *subgid);

