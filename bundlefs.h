/* See LICENSE file for copyright and license details. */
/* an OCI bundle's mounts: see bundlefs.c */
struct json;
struct plan;

/* the mounts array (NULL: none) into p, in order */
void bundle_mounts(const struct json *mounts, struct plan *p);
