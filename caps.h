/* See LICENSE file for copyright and license details. */
#include <stdint.h>

#define CAPS_ALL (~(uint64_t)0)

/* the default set: what a container's root gets from runc and podman */
extern const uint64_t caps_default;

/* the bit for a capability name (CHOWN, cap_chown; "ALL": every bit);
 * 0 if there is no such capability */
uint64_t caps_bit(const char *name);

/* limits this process, and what it execs, to keep: bounding, permitted
 * and effective; inheritable and ambient hold only those of ambient (so
 * a non-root user keeps them through exec). -1 with errno. */
int caps_apply(uint64_t keep, uint64_t ambient);
/* an OCI process's five sets: bounding, effective, inheritable,
 * permitted, ambient; -1 with errno */
int caps_sets(const uint64_t sets[5]);
