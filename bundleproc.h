/* See LICENSE file for copyright and license details. */
/* an OCI bundle's process: see bundleproc.c */
struct json;
struct plan;

/* the process object into p */
void bundle_process(const struct json *proc, struct plan *p);
