/* See LICENSE file for copyright and license details. */
/* running an OCI bundle's hooks: see hookrun.c */
#include <sys/types.h>

struct hooks;

/*
 * Each hook of kind, in order, with the state JSON on its stdin and its
 * output on our stderr. prestart, createRuntime, poststart and poststop
 * run in our namespaces, createContainer in ours through init (we are
 * the container's, before its pivot), startContainer through init in
 * the namespaces of pid (0: ours, run's child after its pivot). NULL
 * once all have run: a poststart or poststop hook that fails is warned
 * about, and the next runs. Else what went wrong with the first that
 * failed, and the rest do not run.
 */
const char *hooks_run(const struct hooks *h, int kind, const char *state,
    pid_t pid);
