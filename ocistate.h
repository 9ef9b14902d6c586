/* See LICENSE file for copyright and license details. */
/* the OCI runtime's state: see ocistate.c */
#include <stddef.h>
#include <sys/types.h>

struct json;

struct plan;

/* create and run: the container's directory under root (NULL: the
 * default), taken for id, with the fifo start writes to (its path into
 * fifo) and a state.json saying creating, of p's bundle; removed at our
 * exit unless it is published as created, and then, if the container
 * was made, p's poststop hooks run */
const char *ocistate_claim(const char *root, const char *id, char *fifo,
    size_t n, const struct plan *p);
/* its state now: creating (pid: the child's), created (it waits, and
 * outlives us) or running (run: it goes with us) */
void ocistate_publish(pid_t pid, const char *status);

/* the state of the container we create, as its hooks read it: status
 * in place of its own */
const char *ocistate_text(const char *status);

/* the verbs: the status each one returns; start, delete: with the hooks
 * create was given */
int ocistate_start(const char *root, const char *id);
int ocistate_state(const char *root, const char *id);
int ocistate_kill(const char *root, const char *id, const char *signame,
    int all);
int ocistate_delete(const char *root, const char *id, int force);
int ocistate_list(const char *root, int json);
