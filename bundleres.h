/* See LICENSE file for copyright and license details. */
/* a bundle's resources: see bundleres.c */
struct json;
struct plan;

/* linux (lx)'s cgroupsPath and resources into p's limits */
void bundle_resources(const struct json *lx, struct plan *p);
/* --systemd-cgroup: a cgroupsPath "slice:prefix:name" as the cgroupfs
 * path systemd would give it (a-b.slice: /a.slice/a-b.slice, then
 * prefix-name.scope), as crun does without D-Bus; relative to our own
 * cgroup when rootless */
void bundle_systemd(struct plan *p);
