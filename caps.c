/* See LICENSE file for copyright and license details. */
/*
 * caps.c: capabilities: their names, the default set, and dropping the
 * rest. It never raises one the process does not already hold.
 */
#include <errno.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "caps.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(c) ((uint64_t)1 << (c))

static const char *const names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
	"KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
	"NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT",
	"SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
	"SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
	"AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE",
	"MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
	"PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

const uint64_t caps_default = BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) |
    BIT(CAP_FSETID) | BIT(CAP_FOWNER) | BIT(CAP_MKNOD) | BIT(CAP_NET_RAW) |
    BIT(CAP_SETGID) | BIT(CAP_SETUID) | BIT(CAP_SETFCAP) |
    BIT(CAP_SETPCAP) | BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SYS_CHROOT) |
    BIT(CAP_KILL) | BIT(CAP_AUDIT_WRITE);

/* the effective set raised to the permitted: a setuid away from 0 empties
 * it, and dropping from the bounding set needs CAP_SETPCAP */
static int
raise_effective(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	data[0].effective = data[0].permitted;
	data[1].effective = data[1].permitted;
	return syscall(SYS_capset, &hdr, data);
}

static int
drop_bounding(uint64_t keep)
{
	int c;

	/* the first EINVAL is past the kernel's last capability */
	for (c = 0; c < 64; c++)
		if (!(keep & BIT(c)) && prctl(PR_CAPBSET_DROP, c) < 0)
			return errno == EINVAL ? 0 : -1;
	return 0;
}

static int
raise_ambient(uint64_t ambient)
{
	int c;

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return -1;
	for (c = 0; c < 64; c++)
		if (ambient & BIT(c) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			return -1;
	return 0;
}

int
caps_sets(const uint64_t s[5])
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	uint64_t held;

	if (raise_effective(data) < 0 || drop_bounding(s[0]) < 0)
		return -1;
	/* no more than is held: what the kernel would refuse */
	held = data[0].permitted | (uint64_t)data[1].permitted << 32;
	data[0].permitted = s[3] & held, data[1].permitted = (s[3] & held) >> 32;
	data[0].effective = s[1] & s[3] & held;
	data[1].effective = (s[1] & s[3] & held) >> 32;
	/* the kernel takes no inheritable one beyond the bounding set, and
	 * no ambient one that is not inheritable: an ambient set given
	 * without it (runc's spec writes none) is made inheritable too */
	data[0].inheritable = (s[2] | s[4]) & s[0];
	data[1].inheritable = ((s[2] | s[4]) & s[0]) >> 32;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -1;
	return raise_ambient(s[4]);
}

uint64_t
caps_bit(const char *name)
{
	size_t i;

	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	if (!strcasecmp(name, "ALL"))
		return CAPS_ALL;
	for (i = 0; i < LEN(names); i++)
		if (!strcasecmp(name, names[i]))
			return BIT(i);
	return 0;
}

int
caps_apply(uint64_t keep, uint64_t ambient)
{
	uint64_t s[5];

	/* a non-root user keeps through exec only what is ambient */
	ambient &= keep;
	s[0] = s[1] = s[3] = keep;
	s[2] = s[4] = ambient;
	return caps_sets(s);
}
