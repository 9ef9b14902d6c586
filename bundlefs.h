/* See LICENSE file for copyright and license details. */
/* an OCI bundle's mounts: see bundlefs.c */
struct json;
struct plan;

/* the mounts array (NULL: none) into p, in order */
void bundle_mounts(const struct json *mounts, struct plan *p);
/* MS_PRIVATE... (with MS_REC for "r" forms) for a propagation's name,
 * as mount(8) says it; 0 if name is none */
unsigned long bundle_propagation(const char *name);
