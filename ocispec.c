/* See LICENSE file for copyright and license details. */
/*
 * ocispec.c: what the OCI runtime says of itself: its version, its
 * features (runtime-spec's features.md), and the default bundle config
 * that spec writes. It writes only that one new file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "oci.h"
#include "ocispec.h"
#include "sbx.h"

int
oci_version(void)
{
	static const char text[] = "sbx version " VERSION "\nspec: "
	    OCI_VERSION_STR "\n";

	return put_all(1, text, sizeof(text) - 1) < 0 ? 125 : 0;
}

/* the architectures profile.c has tables for here */
#if defined(__x86_64__)
#define ARCHS "\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\""
#elif defined(__aarch64__)
#define ARCHS "\"SCMP_ARCH_AARCH64\""
#else
#define ARCHS ""
#endif

/* only what bundle.c reads and the child does: nothing more is claimed */
static const char features[] =
"{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"" OCI_VERSION_STR "\","
"\"hooks\":[],"
"\"mountOptions\":[\"async\",\"atime\",\"bind\",\"defaults\",\"dev\","
"\"diratime\",\"dirsync\",\"exec\",\"loud\",\"noatime\",\"nodev\","
"\"nodiratime\",\"noexec\",\"norelatime\",\"nostrictatime\",\"nosuid\","
"\"private\",\"rbind\",\"relatime\",\"ro\",\"rprivate\",\"rshared\","
"\"rslave\",\"runbindable\",\"rw\",\"shared\",\"silent\",\"slave\","
"\"strictatime\",\"suid\",\"sync\",\"unbindable\"],"
"\"linux\":{\"namespaces\":[\"cgroup\",\"ipc\",\"mount\",\"network\","
"\"pid\",\"time\",\"user\",\"uts\"],"
"\"cgroup\":{\"v1\":false,\"v2\":false,\"systemd\":false,"
"\"systemdUser\":false},"
"\"seccomp\":{\"enabled\":true,\"actions\":[\"SCMP_ACT_ALLOW\","
"\"SCMP_ACT_ERRNO\",\"SCMP_ACT_KILL\",\"SCMP_ACT_KILL_PROCESS\","
"\"SCMP_ACT_KILL_THREAD\",\"SCMP_ACT_LOG\",\"SCMP_ACT_TRACE\","
"\"SCMP_ACT_TRAP\"],\"operators\":[\"SCMP_CMP_EQ\",\"SCMP_CMP_GE\","
"\"SCMP_CMP_GT\",\"SCMP_CMP_LE\",\"SCMP_CMP_LT\",\"SCMP_CMP_MASKED_EQ\","
"\"SCMP_CMP_NE\"],\"archs\":[" ARCHS "],"
"\"knownFlags\":[\"SECCOMP_FILTER_FLAG_TSYNC\",\"SECCOMP_FILTER_FLAG_LOG\","
"\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
"\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
"\"supportedFlags\":[\"SECCOMP_FILTER_FLAG_TSYNC\","
"\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]},"
"\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":false},"
"\"intelRdt\":{\"enabled\":false}},"
"\"annotations\":{\"org.opencontainers.runtime-spec.features.sbx\":"
"\"" VERSION "\"}}\n";

int
oci_features(void)
{
	return put_all(1, features, sizeof(features) - 1) < 0 ? 125 : 0;
}

/* the defaults, runc's in substance: a shell as root in a read-only
 * rootfs, the kernel's file systems, the masks */
static const char head[] =
"{\n"
"\t\"ociVersion\": \"" OCI_VERSION_STR "\",\n"
"\t\"process\": {\n"
"\t\t\"terminal\": true,\n"
"\t\t\"user\": { \"uid\": 0, \"gid\": 0 },\n"
"\t\t\"args\": [ \"sh\" ],\n"
"\t\t\"env\": [ \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
"/usr/bin:/sbin:/bin\", \"TERM=xterm\" ],\n"
"\t\t\"cwd\": \"/\",\n"
"\t\t\"capabilities\": {\n"
"\t\t\t\"bounding\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\","
" \"CAP_NET_BIND_SERVICE\" ],\n"
"\t\t\t\"effective\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\","
" \"CAP_NET_BIND_SERVICE\" ],\n"
"\t\t\t\"permitted\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\","
" \"CAP_NET_BIND_SERVICE\" ]\n"
"\t\t},\n"
"\t\t\"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024,"
" \"soft\": 1024 } ],\n"
"\t\t\"noNewPrivileges\": true\n"
"\t},\n"
"\t\"root\": { \"path\": \"rootfs\", \"readonly\": true },\n"
"\t\"hostname\": \"sbx\",\n"
"\t\"mounts\": [\n"
"\t\t{ \"destination\": \"/proc\", \"type\": \"proc\","
" \"source\": \"proc\" },\n"
"\t\t{ \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
" \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\","
" \"size=65536k\" ] },\n"
"\t\t{ \"destination\": \"/dev/pts\", \"type\": \"devpts\","
" \"source\": \"devpts\", \"options\": [ \"nosuid\", \"noexec\","
" \"newinstance\", \"ptmxmode=0666\", \"mode=0620\"%s ] },\n"
"\t\t{ \"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\","
" \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"mode=1777\","
" \"size=65536k\" ] },\n"
"\t\t{ \"destination\": \"/dev/mqueue\", \"type\": \"mqueue\","
" \"source\": \"mqueue\", \"options\": [ \"nosuid\", \"noexec\","
" \"nodev\" ] },\n"
"\t\t{ \"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\","
" \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] }\n"
"\t],\n";

static const char tail[] =
"\t\"linux\": {\n"
"\t\t\"namespaces\": [ { \"type\": \"pid\" }, { \"type\": \"ipc\" },"
" { \"type\": \"uts\" }, { \"type\": \"mount\" }%s ],\n"
"%s"
"\t\t\"maskedPaths\": [ \"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\","
" \"/proc/keys\", \"/proc/latency_stats\", \"/proc/timer_list\","
" \"/proc/timer_stats\", \"/proc/sched_debug\", \"/proc/scsi\","
" \"/sys/firmware\" ],\n"
"\t\t\"readonlyPaths\": [ \"/proc/bus\", \"/proc/fs\", \"/proc/irq\","
" \"/proc/sys\", \"/proc/sysrq-trigger\" ]\n"
"\t}\n"
"}\n";

int
oci_spec(const char *bundle, int rootless)
{
	char path[PATH_MAX], maps[256], text[8192];
	size_t n;
	int fd;

	enter("spec");
	fmt(maps, sizeof(maps), "\t\t\"uidMappings\": [ { \"containerID\": 0,"
	    " \"hostID\": %u, \"size\": 1 } ],\n\t\t\"gidMappings\": [ {"
	    " \"containerID\": 0, \"hostID\": %u, \"size\": 1 } ],\n",
	    (unsigned)getuid(), (unsigned)getgid());
	n = fmt(text, sizeof(text), head, rootless ? "" : ", \"gid=5\"");
	n += fmt(text + n, sizeof(text) - n, tail, rootless ?
	    ", { \"type\": \"user\" }" : ", { \"type\": \"network\" }",
	    rootless ? maps : "");
	fmt(path, sizeof(path), "%s/config.json", bundle ? bundle : ".");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		die(errno == EEXIST ? "%s: there already (remove it first)" :
		    "open(%s):", path);
	if (put_all(fd, text, n) < 0 || close(fd) < 0)
		die("write(%s):", path);
	return 0;
}
