/* See LICENSE file for copyright and license details. */
/* the OCI runtime's state: see ocistate.c */
#include <stddef.h>
#include <sys/types.h>

struct json;

/* create: the container's directory under root (NULL: the default),
 * taken for id, with the fifo start writes to (its path into fifo);
 * removed at exit unless ocistate_publish is called */
const char *ocistate_claim(const char *root, const char *id, char *fifo,
    size_t n);
/* the container waits (create), or runs (run: its state is removed at
 * our exit), as pid: its state.json */
void ocistate_publish(pid_t pid, const char *bundle, const char *rootfs,
    const struct json *annotations, int run);

/* the verbs: the status each one returns */
int ocistate_start(const char *root, const char *id);
int ocistate_state(const char *root, const char *id);
int ocistate_kill(const char *root, const char *id, const char *signame,
    int all);
int ocistate_delete(const char *root, const char *id, int force);
int ocistate_list(const char *root, int json);
