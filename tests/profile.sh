# The seccomp profile compiler (profile.c, profbpf.c) through $BLOCKS
# profile, as the user in $AS: what it makes of each field, the message
# for each bad input, and the kernel running what it made. Needs: BLOCKS,
# TMP, the harness; python3 for podman's profile and the differential
# tests; an x86_64 kernel for the calls (the numbers below are its own,
# and i386's through int $0x80).

P=$TMP/profile$($AS id -u)
rm -rf "$P" && mkdir -p "$P"
uid=$($AS id -u)
# pt NAME STATUS OUTPUT SECCOMP [ARG...]: blocks profile ARG... on a
# config whose linux.seccomp is SECCOMP (timeout: a filter that denies
# exit_group would leave blocks looping in _exit)
pt() {
	_pn=$1 _ps=$2 _po=$3
	printf '{"linux":{"seccomp":%s}}' "$4" >"$P/p.json"
	shift 4
	t "profile: $_pn" "$_ps" "$_po" $AS timeout 10 "$BLOCKS" profile "$P/p.json" "$@"
}
# pe NAME SECCOMP MESSAGE: refused with "blocks: profile: MESSAGE"
pe() { pt "$1" 1 "blocks: profile: $3" "$2"; }
# what call needs after the call itself
OUT='{"names":["write","exit_group","exit"],"action":"SCMP_ACT_ALLOW"}'
ALLOW='"defaultAction":"SCMP_ACT_ALLOW"'
DENY='"defaultAction":"SCMP_ACT_ERRNO"'
# rule NAMES ACTION [ARGS]: a rule of syscalls[]
rule() { printf '{"names":[%s],"action":"SCMP_ACT_%s"%s}' "$1" "$2" "${3:+,\"args\":[$3]}"; }
# arg INDEX OP VALUE [VALUETWO]: a condition of args[]
arg() { printf '{"index":%s,"op":"SCMP_CMP_%s","value":%s%s}' "$1" "$2" "$3" "${4:+,\"valueTwo\":$4}"; }

# what each field makes: the program's length and the flags
pt "the default action alone: the arch, x32's numbers, the return" 0 \
	"8 instructions, flags 0x4" "{$DENY}"
pt "flags: none given is SPEC_ALLOW, as in runc and crun" 0 \
	"8 instructions, flags 0x4" "{$ALLOW,\"flags\":null}"
pt "flags: an empty list is none" 0 "8 instructions, flags 0x0" "{$ALLOW,\"flags\":[]}"
pt "flags: TSYNC and LOG" 0 "8 instructions, flags 0x3" \
	"{$ALLOW,\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_TSYNC\"]}"
pt "flags: WAIT_KILLABLE_RECV sets nothing without a listener" 0 \
	"8 instructions, flags 0x0" "{$ALLOW,\"flags\":[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}"
pt "architectures: X86 adds a section, X32 drops x32's check" 0 "8 instructions, flags 0x4" \
	"{$ALLOW,\"architectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]}"
pt "architectures: another machine's add nothing" 0 "8 instructions, flags 0x4" \
	"{$ALLOW,\"architectures\":[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_S390X\",\"SCMP_ARCH_PPC64LE\"]}"
pt "architectures: this machine's own is always in" 0 "8 instructions, flags 0x4" \
	"{$ALLOW,\"architectures\":[\"SCMP_ARCH_X86_64\"]}"
pt "a rule with the default action is left out" 0 "8 instructions, flags 0x4" \
	"{$ALLOW,\"syscalls\":[$(rule '"getuid"' ALLOW)]}"
pt "a name no table has is left out" 0 "8 instructions, flags 0x4" \
	"{$ALLOW,\"syscalls\":[$(rule '"no_such_call"' KILL)]}"
pt "null is absent, unknown members are ignored" 0 "8 instructions, flags 0x4" \
	"{$ALLOW,\"defaultErrnoRet\":null,\"architectures\":null,\"syscalls\":null,\"archMap\":[1],\"listenerPath\":\"/x\"}"

# every bad input, by its JSON path
S=linux.seccomp
C=$S.syscalls[0]
pe "not an object" '[]' "$S: not an object"
pe "no defaultAction" '{}' "$S.defaultAction: missing"
pe "defaultAction not a string" '{"defaultAction":1}' "$S.defaultAction: not a string"
pe "defaultAction unknown, shown without its controls" \
	'{"defaultAction":"SCMP_ACT_X\n"}' "$S.defaultAction: unknown action 'SCMP_ACT_X?'"
pe "defaultAction NOTIFY" '{"defaultAction":"SCMP_ACT_NOTIFY"}' \
	"$S.defaultAction: SCMP_ACT_NOTIFY is not supported: there is no seccomp agent (listenerPath) here"
pe "defaultErrnoRet with ALLOW" "{$ALLOW,\"defaultErrnoRet\":1}" \
	"$S.defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE return an errno"
pe "defaultErrnoRet too big" "{$DENY,\"defaultErrnoRet\":65536}" \
	"$S.defaultErrnoRet: not a number from 0 to 65535"
pe "defaultErrnoRet negative" "{$DENY,\"defaultErrnoRet\":-1}" \
	"$S.defaultErrnoRet: not a number from 0 to 65535"
pe "architectures not a list" "{$DENY,\"architectures\":\"SCMP_ARCH_X86\"}" \
	"$S.architectures: not a list"
pe "architectures: not a string" "{$DENY,\"architectures\":[\"SCMP_ARCH_X86\",7]}" \
	"$S.architectures[1]: not a string"
pe "architectures: unknown" "{$DENY,\"architectures\":[\"SCMP_ARCH_FOO\"]}" \
	"$S.architectures[0]: unknown architecture 'SCMP_ARCH_FOO'"
pe "flags not a list" "{$DENY,\"flags\":{}}" "$S.flags: not a list"
pe "flags: unknown" "{$DENY,\"flags\":[\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}" \
	"$S.flags[0]: unknown flag 'SECCOMP_FILTER_FLAG_NEW_LISTENER'"
pe "syscalls not a list" "{$DENY,\"syscalls\":{}}" "$S.syscalls: not a list"
pe "a rule not an object" "{$DENY,\"syscalls\":[[]]}" "$C: not an object"
pe "a rule without names" "{$DENY,\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\"}]}" \
	"$C.names: missing"
pe "a rule with no name" "{$DENY,\"syscalls\":[$(rule '' ALLOW)]}" "$C.names: empty"
pe "a name not a string" "{$DENY,\"syscalls\":[$(rule '"read",1' ALLOW)]}" \
	"$C.names[1]: not a string"
pe "a rule without action" "{$DENY,\"syscalls\":[{\"names\":[\"read\"]}]}" \
	"$C.action: missing"
pe "a rule's action unknown" "{$DENY,\"syscalls\":[$OUT,$(rule '"read"' DENY)]}" \
	"$S.syscalls[1].action: unknown action 'SCMP_ACT_DENY'"
pe "a rule's action NOTIFY" "{$DENY,\"syscalls\":[$(rule '"read"' NOTIFY)]}" \
	"$C.action: SCMP_ACT_NOTIFY is not supported: there is no seccomp agent (listenerPath) here"
pe "errnoRet with KILL" \
	"{$DENY,\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_KILL\",\"errnoRet\":1}]}" \
	"$C.errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE return an errno"
pe "errnoRet not a number" \
	"{$ALLOW,\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":\"1\"}]}" \
	"$C.errnoRet: not a number from 0 to 65535"
pe "args not a list" "{$DENY,\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":{}}]}" \
	"$C.args: not a list"
pe "args: more than six" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW '1,2,3,4,5,6,7')]}" \
	"$C.args: more than 6 conditions"
pe "a condition not an object" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW '1')]}" \
	"$C.args[0]: not an object"
pe "a condition without index" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW '{"value":1,"op":"SCMP_CMP_EQ"}')]}" \
	"$C.args[0].index: missing"
pe "index 6" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW "$(arg 6 EQ 1)")]}" \
	"$C.args[0].index: not an argument's index, from 0 to 5"
pe "a condition without value" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW '{"index":0,"op":"SCMP_CMP_EQ"}')]}" \
	"$C.args[0].value: missing"
pe "value past 64 bits" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW "$(arg 0 EQ 18446744073709551616)")]}" \
	"$C.args[0].value: not a number from 0 to 2^64-1"
pe "value negative" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW "$(arg 0 EQ -1)")]}" \
	"$C.args[0].value: not a number from 0 to 2^64-1"
pe "valueTwo a fraction" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW "$(arg 0 MASKED_EQ 1 0.5)")]}" \
	"$C.args[0].valueTwo: not a number from 0 to 2^64-1"
pe "a condition without op" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW '{"index":0,"value":1}')]}" \
	"$C.args[0].op: missing"
pe "op unknown" "{$DENY,\"syscalls\":[$(rule '"read"' ALLOW "$(arg 0 EQ 1),$(arg 1 IN 2)")]}" \
	"$C.args[1].op: unknown operator 'SCMP_CMP_IN'"
# big N: N rules for one call, each of six conditions of five instructions
big() {
	python3 -c '
import json, sys
c = [{"index": i, "value": 1 << 40, "op": "SCMP_CMP_GT"} for i in range(6)]
print(json.dumps({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names":
    ["getuid"], "action": "SCMP_ACT_ALLOW", "args": c}] * int(sys.argv[1])}))' "$1"
}
if command -v python3 >/dev/null; then
	pt "4075 instructions: within the kernel's bound" 0 \
		"4075 instructions, flags 0x4" "$(big 131)"
	pe "4106: more than the kernel's 4096" "$(big 132)" \
		"$S: the filter would be more than 4096 instructions, the kernel's bound"
else
	skip "profile: the kernel's bound on instructions" "no python3"
fi

# the kernel running the program: x86_64's getuid (102) and getgid (104),
# i386's getuid32 (199), through int $0x80
ia32="the calls' numbers are x86_64's"
if [ "$(uname -m)" = x86_64 ]; then
	printf '{"linux":{"seccomp":{%s,"architectures":["SCMP_ARCH_X86"]}}}' \
		"$ALLOW" >"$P/i.json"
	ia32=
	[ "$($AS "$BLOCKS" profile "$P/i.json" call -32 199 2>&1)" = "= $uid" ] ||
		ia32="no i386 system calls here (IA32_EMULATION)"
fi
if [ "$(uname -m)" = x86_64 ]; then
	U='"getuid"'
	pt "allowed" 0 "= $uid" "{$DENY,\"syscalls\":[$OUT,$(rule "$U" ALLOW)]}" call 102
	pt "denied, with EPERM by default" 0 "errno 1" "{$ALLOW,\"syscalls\":[$(rule "$U" ERRNO)]}" call 102
	pt "denied, with errnoRet" 0 "errno 13" \
		"{$ALLOW,\"syscalls\":[{\"names\":[$U],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}" call 102
	pt "errnoRet 0: success, the call not made" 0 "= 0" \
		"{$ALLOW,\"syscalls\":[{\"names\":[$U],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":0}]}" call 102
	pt "the default action, with defaultErrnoRet" 0 "errno 38" \
		"{$DENY,\"defaultErrnoRet\":38,\"syscalls\":[$OUT,$(rule "$U" ALLOW)]}" call 104
	pt "the default action, EPERM by default" 0 "errno 1" \
		"{$DENY,\"syscalls\":[$OUT]}" call 104
	pt "TRAP: SIGSYS" 0 "SIGSYS 102" "{$ALLOW,\"syscalls\":[$(rule "$U" TRAP)]}" call 102
	pt "KILL_PROCESS: killed by SIGSYS" 159 "" \
		"{$ALLOW,\"syscalls\":[$(rule "$U" KILL_PROCESS)]}" call 102
	pt "KILL: the thread killed by SIGSYS" 159 "" "{$ALLOW,\"syscalls\":[$(rule "$U" KILL)]}" call 102
	pt "TRACE without a tracer: ENOSYS" 0 "errno 38" \
		"{$ALLOW,\"syscalls\":[$(rule "$U" TRACE)]}" call 102
	pt "LOG: allowed" 0 "= $uid" "{$DENY,\"syscalls\":[$OUT,$(rule "$U" LOG)]}" call 102
	pt "a name unknown beside a known one" 0 "errno 1" \
		"{$ALLOW,\"syscalls\":[$(rule '"no_such_call",'"$U" ERRNO)]}" call 102
	pt "the first rule without arguments decides, wherever it is" 0 "errno 13" \
		"{$ALLOW,\"syscalls\":[$(rule "$U" TRAP "$(arg 0 EQ 1)"),{\"names\":[$U],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},$(rule "$U" KILL)]}" call 102 1
	pt "rules with arguments: the first that holds" 0 "errno 1" \
		"{$ALLOW,\"syscalls\":[$(rule "$U" TRAP "$(arg 0 EQ 2)"),$(rule "$U" ERRNO "$(arg 1 EQ 2)"),$(rule "$U" KILL "$(arg 1 EQ 2)")]}" call 102 1 2
	pt "conditions on two arguments: both must hold" 0 "= $uid" \
		"{$ALLOW,\"syscalls\":[$(rule "$U" ERRNO "$(arg 0 EQ 1),$(arg 1 EQ 2)")]}" call 102 1 3
	pt "one argument named twice: either condition, as in runc" 0 "errno 1" \
		"{$ALLOW,\"syscalls\":[$(rule "$U" ERRNO "$(arg 0 EQ 1),$(arg 0 EQ 2)")]}" call 102 2
	# personality(0xffffffff) only asks; podman's profile allows it so
	P2="{$DENY,\"syscalls\":[$OUT,$(rule '"personality"' ALLOW "$(arg 0 EQ 4294967295)")]}"
	pt "personality(0xffffffff) allowed" 0 "= 0" "$P2" call 135 0xffffffff
	pt "personality(0x1234) denied" 0 "errno 1" "$P2" call 135 0x1234
	pt "personality(0x1ffffffff): 64 bits compared" 0 "errno 1" "$P2" call 135 0x1ffffffff
	P2="{$ALLOW,\"syscalls\":[$(rule '"socket"' ERRNO "$(arg 0 NE 1)"),$(rule '"socket"' ERRNO "$(arg 1 MASKED_EQ 15 2)")]}"
	printf '{"linux":{"seccomp":%s}}' "$P2" >"$P/s.json"
	t "profile: socket(AF_UNIX, SOCK_STREAM) allowed" 0 "= fd" sh -c \
		'$0 timeout 10 "$1" profile "$2" call 41 1 1 0 | sed "s/^= [0-9]*$/= fd/"' \
		"$AS" "$BLOCKS" "$P/s.json"
	pt "socket(AF_INET) denied: NE" 0 "errno 1" "$P2" call 41 2 1 0
	pt "socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC) denied: MASKED_EQ" 0 "errno 1" \
		"$P2" call 41 1 0x80002 0
	pt "x32 left out: killed" 159 "" "{$ALLOW}" call -x32 102
	pt "x32 left out, but -1: the default action" 0 "errno 13" \
		"{$DENY,\"defaultErrnoRet\":13,\"syscalls\":[$OUT]}" call -1
	pt "x32 in: its rules" 0 "errno 13" \
		"{$ALLOW,\"architectures\":[\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[$U],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}" \
		call -x32 102
	P2="{$ALLOW,\"architectures\":[\"SCMP_ARCH_X32\"],\"syscalls\":[$(rule "$U" ERRNO "$(arg 0 EQ 4294967296)")]}"
	pt "x32 in: x86_64 compares 64 bits" 0 "= $uid" "$P2" call 102 0
	pt "x32 in: x32 compares 32 bits, as libseccomp" 0 "errno 1" "$P2" call -x32 102 0
else
	skip "profile: the kernel running the program" "the calls' numbers are x86_64's"
fi
if [ -z "$ia32" ]; then
	X86='"architectures":["SCMP_ARCH_X86"]'
	pt "i386 left out: killed" 159 "" "{$ALLOW}" call -32 199
	pt "i386 in: its rules" 0 "errno 13" \
		"{$ALLOW,$X86,\"syscalls\":[{\"names\":[\"getuid32\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}" call -32 199
	pt "i386: a condition compares 32 bits, as libseccomp's" 0 "errno 1" \
		"{$ALLOW,$X86,\"syscalls\":[$(rule '"getuid32"' ERRNO "$(arg 0 EQ 18446744073709551615)")]}" call -32 199 0xffffffff
	P2="{$ALLOW,$X86,\"syscalls\":[{\"names\":[\"socket\",\"semget\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}"
	pt "i386: socket denied" 0 "errno 13" "$P2" call -32 359 1 1 0
	pt "i386: socket denied through socketcall(2) too" 0 "errno 13" "$P2" call -32 102 1 0
	pt "i386: socketcall's other calls pass" 0 "errno 14" "$P2" call -32 102 2 0
	pt "i386: semget denied through ipc(2), whatever the version" 0 "errno 13" \
		"$P2" call -32 117 0x10002
else
	skip "profile: i386's calls" "$ia32"
fi

# podman's default profile, as podman hands it to a default container
SRC=/usr/share/containers/seccomp.json
if ! command -v python3 >/dev/null; then
	skip "profile: podman's default profile" "no python3"
elif ! [ -r $SRC ]; then
	skip "profile: podman's default profile" "no $SRC (containers-common)"
elif [ "$(uname -m)" != x86_64 ]; then
	skip "profile: podman's default profile" "the calls' numbers are x86_64's"
else
	python3 tests/profile.py podman $SRC >"$P/podman.json"
	# pp NAME OUTPUT ARG...: blocks profile podman.json ARG...
	pp() { t "profile: podman's: $1" 0 "$2" $AS timeout 10 "$BLOCKS" profile "$P/podman.json" "${@:3}"; }
	t "profile: podman's: compiled, within 1024 instructions" 0 "ok" sh -c \
		'n=$($0 "$1" profile "$2") && [ "${n%% *}" -le 1024 ] && echo ok || echo "$n"' \
		"$AS" "$BLOCKS" "$P/podman.json"
	pp "a busybox shell works" "42 listed" exec busybox sh -c \
		'echo $((6 * 7)) $(ls / >/dev/null && echo listed)'
	pp "add_key, not listed: ENOSYS" "errno 38" call 248 0 0 0 0 0
	pp "io_uring_setup, not listed: ENOSYS" "errno 38" call 425 1 0
	pp "bpf: EPERM" "errno 1" call 321 0 0 0
	pp "personality(0x1234): ENOSYS" "errno 38" call 135 0x1234
	pp "personality(0xffffffff) asks" "= 0" call 135 0xffffffff
	pp "socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT): EINVAL" "errno 22" call 41 16 3 9
	if [ -z "$ia32" ]; then
		pp "i386: personality(0x1234): ENOSYS" "errno 38" call -32 136 0x1234
		pp "i386: add_key: ENOSYS" "errno 38" call -32 286 0 0 0 0 0
	fi
fi

# the same semantics, in Python (tests/profile.py): random profiles'
# programs run there, and on getuid by the kernel
if ! command -v python3 >/dev/null; then
	skip "profile: random profiles" "no python3"
elif ! [ -r syscalls.h ]; then
	skip "profile: random profiles" "no syscalls.h: make first"
else
	ok "profile: 200 random profiles, run in Python, do as profile.h says" \
		python3 tests/profile.py model "$BLOCKS" syscalls.h 200 1
	if [ "$(uname -m)" = x86_64 ]; then
		ok "profile: 60 random profiles on getuid, run by the kernel, do as profile.h says" \
			env NO_I386=${ia32:+1} python3 tests/profile.py kernel "$BLOCKS" syscalls.h 60 2 $AS
	fi
fi
