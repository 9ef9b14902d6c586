/* See LICENSE file for copyright and license details. */
/* the ids a layer keeps: see owners.c */

/* ranges of host ids (first, count), as --map-users and --map-groups
 * map them; a count of 0: the caller's id alone */
struct owners {
	unsigned long uid[2], gid[2];
};

/* the name of hex's variant for o: HEX[-uFIRST+COUNT][-gFIRST+COUNT] */
const char *owners_name(char *buf, size_t n, const char *hex,
    const struct owners *o);
/* the ranges a variant's name (or a path ending in one) gives, into o;
 * 0 if it keeps no ids */
int owners_of(const char *name, struct owners *o);
/* fn(arg) in a child that is 0 in a user namespace mapping o's ranges,
 * the owner of the variant's files; its failure is ours, in its words */
void owners_run(const struct owners *o, void (*fn)(void *), void *arg);
/* 1 in that child */
int owners_inside(void);
