/* See LICENSE file for copyright and license details. */
/*
 * seccomp.c: the filter, built and installed; it must not be loaded
 * before set-up is done, since it binds sbx's own calls too.
 *
 * The sandbox's seccomp filter, in classic BPF, without libseccomp. It
 * denies what a sandbox has no business doing and what has been used to
 * break out; a denied call fails with an error, it never kills.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include "seccomp.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000 /* __X32_SYSCALL_BIT: x32's numbers, refused */
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#define X32_BIT 0
#else
#error "seccomp.c: no AUDIT_ARCH for this architecture"
#endif

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

/* each one denied with EPERM: loading code into the kernel, keys shared
 * with the host, kernel memory and logs, and the accounting and swap of
 * the whole machine */
static const int denied[] = {
#ifdef SYS_kexec_load
	SYS_kexec_load,
#endif
	SYS_kexec_file_load, SYS_init_module, SYS_finit_module,
	SYS_delete_module, SYS_keyctl, SYS_add_key, SYS_request_key, SYS_bpf,
	SYS_perf_event_open, SYS_userfaultfd, SYS_open_by_handle_at, SYS_acct,
	SYS_swapon, SYS_swapoff, SYS_reboot, SYS_syslog,
#ifdef SYS_iopl
	SYS_iopl, SYS_ioperm,
#endif
};

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, t, f) ((struct sock_filter)BPF_JUMP(code, k, t, f))
#define LOAD(off) STMT(BPF_LD | BPF_W | BPF_ABS, off)
#define RET(v) STMT(BPF_RET | BPF_K, v)
#define ERR(e) RET(SECCOMP_RET_ERRNO | (e))
/* the low 32 bits of argument i, on a little-endian machine */
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define NR offsetof(struct seccomp_data, nr)

/* if the loaded value equals k, return errno e */
#define DENY_EQ(k, e) JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 0, 1), ERR(e)
/* if the loaded value has a bit of k set, return errno e */
#define DENY_SET(k, e) JUMP(BPF_JMP | BPF_JSET | BPF_K, k, 0, 1), ERR(e)

int
seccomp_install(int flags)
{
	struct sock_filter f[128];
	struct sock_fprog prog = { 0, f };
	size_t i, k, n = 0;

#define ADD(...) do { struct sock_filter x[] = { __VA_ARGS__ }; \
	for (k = 0; k < LEN(x); k++) f[n++] = x[k]; } while (0)

	/* another architecture's numbers mean other calls: none passes */
	ADD(LOAD(offsetof(struct seccomp_data, arch)),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0), ERR(ENOSYS),
	    LOAD(NR));
	if (X32_BIT)
		ADD(JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 0, 1),
		    ERR(ENOSYS));
	for (i = 0; i < LEN(denied); i++)
		ADD(DENY_EQ(denied[i], EPERM));
	/* libc falls back to clone, whose flags a filter can see */
	ADD(DENY_EQ(SYS_clone3, ENOSYS));
	/* no pushing input into a terminal, nor TIOCLINUX's console tricks;
	 * the kernel compares only the low 32 bits of the request
	 * (CVE-2017-5226, CVE-2019-10063, CVE-2023-28100) */
	ADD(JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 5),
	    LOAD(ARG_LO(1)), DENY_EQ(TIOCSTI, EPERM), DENY_EQ(TIOCLINUX, EPERM),
	    LOAD(NR));
	if (flags & SBX_NO_USERNS)
		ADD(JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 1, 0),
		    JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 0, 3),
		    LOAD(ARG_LO(0)), DENY_SET(CLONE_NEWUSER, EPERM));
	ADD(RET(SECCOMP_RET_ALLOW));
#undef ADD
	prog.len = n;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}
