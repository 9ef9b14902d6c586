/* See LICENSE file for copyright and license details. */
/* running an OCI bundle's hooks: see hookrun.c */
struct hooks;

/*
 * Each hook of kind, one of the host's (prestart, createRuntime,
 * poststart, poststop), in order, in our namespaces, with the state JSON
 * on its stdin and its output on our stderr. NULL once all have run: a
 * poststart or poststop hook that fails is warned about, and the next
 * runs. Else what went wrong with the first that failed, and the rest
 * do not run.
 */
const char *hooks_run(const struct hooks *h, int kind, const char *state);
