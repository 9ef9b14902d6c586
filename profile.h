/* See LICENSE file for copyright and license details. */
/*
 * profile.c: an OCI seccomp profile (linux.seccomp) compiled to classic
 * BPF; no system call, no die(): an error string naming the JSON path.
 *
 * As runc and crun read it through libseccomp, where the spec leaves it
 * open:
 * - The filter covers this machine's own architecture and those listed
 *   that this build has a system call table for (on x86_64: X86_64, X86,
 *   X32; on aarch64: AARCH64). Others listed are left out: this kernel
 *   never makes their calls (but ARM's, on aarch64: killed, see below).
 *   A call from an architecture left out is killed, with the whole
 *   process (SECCOMP_RET_KILL_PROCESS; libseccomp's default is
 *   SCMP_ACT_KILL, the thread alone, but a process with a thread gone
 *   astray is of no use); on x86_64 without X32, so is an x32 call.
 * - A name this build's tables lack, for an architecture or for all, is
 *   skipped: profiles list calls of newer kernels and of other machines.
 * - A rule whose action is the default action is skipped (libseccomp
 *   refuses it). Then, for each call, the first rule without arguments
 *   decides alone; without one, the rules with arguments are tried in
 *   order, the first whose conditions all hold deciding, else the
 *   default action. A rule that names one argument twice is, as in runc
 *   and crun, one rule per condition. On a 32-bit ABI (X86, X32, ARM) a
 *   condition compares the low 32 bits only, as libseccomp does. On X86,
 *   a rule without conditions for a call that socketcall(2) or ipc(2)
 *   also makes covers that way too, as in libseccomp.
 * - SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD; errnoRet (and
 *   defaultErrnoRet) defaults to EPERM and is refused with any action
 *   but SCMP_ACT_ERRNO and SCMP_ACT_TRACE. SCMP_ACT_NOTIFY is refused:
 *   there is no seccomp agent here (listenerPath).
 * - Without "flags", SECCOMP_FILTER_FLAG_SPEC_ALLOW, as runc and crun
 *   (Linux 4.17); SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is accepted and
 *   sets nothing: it means something only with a listener, and the
 *   kernel refuses it without one.
 * Unknown members are ignored, as the spec wants; null is taken as
 * absent, as Go's decoder does.
 */
#include <stddef.h>

struct json;
struct sock_filter;

struct profile {
	struct sock_filter *prog;
	unsigned short len;
	unsigned flags; /* SECCOMP_FILTER_FLAG_*, for seccomp(2) */
};

/*
 * seccomp is the linux.seccomp object of a config's tree. 0, with *out
 * filled (free it with profile_free); or -1, with err holding one line:
 * "linux.seccomp.syscalls[3].action: unknown action 'X'".
 */
int profile_compile(const struct json *seccomp, struct profile *out,
    char *err, size_t errlen);
void profile_free(struct profile *p);
