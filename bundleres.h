/* See LICENSE file for copyright and license details. */
/* a bundle's resources: see bundleres.c */
struct json;
struct plan;

/* linux (lx)'s cgroupsPath and resources into p's limits */
void bundle_resources(const struct json *lx, struct plan *p);
