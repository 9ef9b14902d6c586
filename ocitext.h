/* See LICENSE file for copyright and license details. */
/* the OCI runtime's texts: see ocitext.c */
#include <stddef.h>
#include <sys/types.h>

struct json;

/* a growing text: what state and list print, and state.json */
struct text {
	char buf[65536];
	size_t len;
};

/* s at its end; dies past 64 KiB */
void text_add(struct text *t, const char *s);

/* what a container's state holds */
struct fields {
	const char *id, *status, *bundle, *rootfs, *created;
	pid_t pid;
	unsigned long long start; /* 0: left out, as state prints it */
	const struct json *annotations;
};

/* the state's JSON at t's end; also, with start, the start time that
 * tells our pid from a reused one, for the file */
void text_state(struct text *t, const struct fields *f);
