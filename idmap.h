/* See LICENSE file for copyright and license details. */
/* the sandbox's user namespace's id maps: see idmap.c */
#include <sys/types.h>

struct plan;
struct stat;


/* with --map-users, --map-groups: finds the tools and the caller's
 * ranges (into p), or dies */
void idmap_check(struct plan *p);
/* 1 if the sandbox's user namespace maps st's owner and group */
int idmap_maps(const struct plan *p, const struct stat *st);
/* writes the child's maps, as the parent, before releasing it */
void idmap_write(pid_t pid, const struct plan *p);

/* a line of /etc/subuid (or subgid), "NAME-OR-ID:FIRST:COUNT": 1 if it
 * is num's or name's and gives a range that fits in 32 bits (exposed for
 * tests/fuzz.c) */
int idmap_range(const char *line, const char *num, const char *name,
    unsigned long range[2]);
