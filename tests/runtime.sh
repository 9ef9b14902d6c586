# sbx as an OCI runtime (sbx oci VERB, or a link named sbx-runc): spec,
# the lifecycle, config.json into the plan, bad configs; as the user in
# $AS: root runs spec's bundle (no user namespace), the others spec
# --rootless's. Needs: SBX, R, TMP, the harness, python3 (to edit
# configs, as root).

U=$($AS id -u)
OB=$TMP/bundle$U
OS=$TMP/ocistate$U/s
rm -rf "$OB" "${OS%/s}" && mkdir -p "$OB" "$OS" && chown "$U" "$OB" "$OS" "${OS%/s}" && chmod 700 "$OS"
ln -sf "$SBX" "$OB/sbx-runc"
rtc() { $AS "$OB/sbx-runc" --root "$OS" "$@"; }
ROOTLESS=
[ "$U" != 0 ] && ROOTLESS=--rootless

# cfg PY: the bundle's config, changed by the python statements PY on c
# (the config as a dict), from spec's afresh each time
cfg() {
	python3 - "$OB/config.json" "$R" "$1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1] + ".spec"))
c["root"]["path"] = sys.argv[2]
c["process"]["terminal"] = False
exec(sys.argv[3])
json.dump(c, open(sys.argv[1], "w"))
PY
}
# sh CMD: the process is sh -c CMD
shcmd() { cfg "c['process']['args'] = ['sh', '-c', '''$1''']; $2"; }

t "oci: --version names the spec's" 0 "sbx version $VERSION
spec: 1.2.0" rtc --version
t "oci: sbx oci --version is the same" 0 "spec: 1.2.0" sh -c "$AS '$SBX' oci --version | sed 1d"
t "oci: features is JSON, up to the spec's version" 0 "1.2.0" sh -c \
	"$AS '$SBX' oci features | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"ociVersionMax\"])'"
t "oci: spec writes a config.json" 0 "1.2.0" sh -c \
	"cd '$OB' && $AS '$SBX' oci spec $ROOTLESS && python3 -c 'import json; print(json.load(open(\"config.json\"))[\"ociVersion\"])'"
t "oci: spec again: one line, nothing changed" 125 "sbx: spec: ./config.json: there already (remove it first)" \
	sh -c "cd '$OB' && $AS '$SBX' oci spec"
cp "$OB/config.json" "$OB/config.json.spec"
t "oci: runc's global options before its verb, as containerd's shim gives them" 0 "ID                 PID     STATUS    BUNDLE" \
	$AS "$SBX" --root "$OS" --log-format=json --log "$OS/../glog$U" list
t "oci: ... and sbx's -r/--root before a command stays sbx's" 0 "sbx" $AS "$SBX" --root "$R" -- hostname
t "oci: sbx's own verbs stay its own: kill NAME" 125 "sbx: kill: nosuch: no such sandbox (sbx ps lists them)" \
	$AS "$SBX" kill nosuch

NB=$TMP/newbundle$U NX=$TMP/newxdg$U
rm -rf "$NB" "$NX" && mkdir -p "$NB" "$NX" && ln -s "$R" "$NB/rootfs" && chown -h "$U" "$NB" "$NB/rootfs" "$NX" && chmod 700 "$NX"
newcomer() {
	cd "$NB" && $AS "$SBX" spec $ROOTLESS && python3 -c "import json; c = json.load(open('config.json')); c['process']['args'] = ['sh', '-c', 'echo hi \$(tty)']; json.dump(c, open('config.json', 'w'))" &&
		$AS env XDG_RUNTIME_DIR="$NX" "$SBX" run --bundle . newbie </dev/null | tr -d '\r'; cd "$OLDPWD"
}
t "sbx spec $ROOTLESS && sbx run --bundle . ID: as typed, with the spec's terminal" 0 "hi /dev/pts/0" newcomer
t "sbx spec, run: ... and no state left" 125 "sbx: state: newbie: no such container" \
	$AS env XDG_RUNTIME_DIR="$NX" "$SBX" state newbie
shcmd 'echo $(hostname) $(id -u) $PWD $TERM; exit 3' "c['process']['cwd'] = '/etc'"
t "run: the process, its hostname, ids, cwd and env; its status" 3 "sbx 0 /etc xterm" \
	rtc run --bundle "$OB" r1 </dev/null
t "run: ... and no state left" 0 "" ls -A "$OS"
shcmd 'ls /proc/self/fd; readlink /proc/1/exe'
t "run: the process is PID 1, itself, with only its stdio (no fifo, no sbx)" 0 "0
1
2
3
/bin/busybox" rtc run -b "$OB" r2 </dev/null
shcmd 'env | sort' "c['process']['env'] = ['A=1', 'PATH=/bin']"
t "run: the environment is the bundle's alone" 0 "A=1
PATH=/bin
PWD=/
SHLVL=1" rtc run -b "$OB" r3 </dev/null
shcmd 'sed -n "s/^\(CapBnd\|CapEff\|NoNewPrivs\):\t//p" /proc/self/status; ulimit -n'
t "run: capabilities, noNewPrivileges and rlimits as the bundle has them" 0 "0000000020000420
0000000020000420
1
1024" rtc run -b "$OB" r4 </dev/null
shcmd 'grep NoNewPrivs /proc/self/status' "c['process']['noNewPrivileges'] = False"
t "run: noNewPrivileges false is false" 0 "NoNewPrivs:	0" rtc run -b "$OB" r5 </dev/null
# run blocks what it forwards, SIGTERM among them, while it sets up: the
# process must start with the caller's mask, or a trap never fires
shcmd 'grep SigBlk /proc/self/status'
t "run: the process has the caller's signal mask, not the one run blocks" 0 "$(grep SigBlk /proc/self/status)" \
	rtc run -b "$OB" r6 </dev/null
shcmd 'touch /x 2>&1; cat /proc/timer_list | wc -c; echo 1 > /proc/sys/kernel/domainname 2>&1' 
t "run: a read-only root, masked and read-only paths" 1 "touch: /x: Read-only file system
0
sh: can't create /proc/sys/kernel/domainname: Read-only file system" rtc run -b "$OB" r6 </dev/null
shcmd 'df -k /mnt | sed 1d | tr -s " " | cut -d" " -f2; echo hi > /mnt/f && cat /mnt/f; ls /home' \
	"c['mounts'].append({'destination': '/mnt', 'type': 'tmpfs', 'source': 'x', 'options': ['size=2048k']}); c['mounts'].append({'destination': '/home', 'type': 'bind', 'source': '$OB', 'options': ['rbind', 'ro']})"
t "run: the bundle's mounts: a tmpfs with its size, a read-only bind" 0 "2048
hi
config.json
config.json.spec
sbx-runc" rtc run -b "$OB" r7 </dev/null
shcmd 'touch /home/x 2>&1' "c['mounts'].append({'destination': '/home', 'type': 'bind', 'source': '$OB', 'options': ['bind', 'ro']})"
t "run: ... read-only it is" 1 "touch: /home/x: Read-only file system" rtc run -b "$OB" r8 </dev/null

shcmd 'ls -l /dev/mynull | cut -c1; echo x > /dev/mynull && echo written' \
	"c['linux']['devices'] = [{'path': '/dev/mynull', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 0o666}]"
t "run: linux.devices: made as root, bound from the host's in a user namespace" 0 "c
written" rtc run -b "$OB" r9 </dev/null
shcmd 'true' "c['linux']['devices'] = [{'path': '/dev/mynull', 'type': 'c', 'major': 1, 'minor': 99}]"
if [ "$U" = 0 ]; then
	t "run: linux.devices: as root any number" 0 "" rtc run -b "$OB" r10 </dev/null
	unshare --ipc sleep 300 &
	nspid=$!
	sleep 0.2
	shcmd 'readlink /proc/self/ns/ipc' "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'ipc'] + [{'type': 'ipc', 'path': '/proc/$nspid/ns/ipc'}]"
	t "run: a namespace joined by its path" 0 "$(readlink /proc/$nspid/ns/ipc)" rtc run -b "$OB" r11 </dev/null
	shcmd 'true' "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network'] + [{'type': 'network', 'path': '/proc/$nspid/ns/ipc'}]"
	t "run: a path to a namespace of another type: one line" 125 "sbx: namespaces: setns(/proc/$nspid/ns/ipc, net): Invalid argument" \
		rtc run -b "$OB" r12 </dev/null
	kill $nspid; wait $nspid 2>/dev/null
else
	t "run: linux.devices: in a user namespace only the host's node of that number" 125 \
		"sbx: devices: /dev/mynull: no 1:99 on the host, which is what a user namespace can bind" rtc run -b "$OB" r10 </dev/null
fi

shcmd 'mkdir /dev/shm/a 2>&1; echo $(grep ^Seccomp: /proc/self/status)' \
	"c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64'], 'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 13}]}"
t "run: linux.seccomp, compiled and installed" 1 "mkdir: can't create directory '/dev/shm/a': Permission denied
Seccomp: 2" sh -c "$AS '$OB/sbx-runc' --root '$OS' run -b '$OB' s1 </dev/null; [ -d /nonexistent ]"
shcmd 'true' "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_NOPE'}"
t "run: a bad linux.seccomp: one line naming it" 125 \
	"sbx: bundle: config.json: linux.seccomp.defaultAction: unknown action 'SCMP_ACT_NOPE'" rtc run -b "$OB" s2 </dev/null

# the lifecycle, its status at each step
shcmd 'echo started; exec sleep 60' "c['annotations'] = {'org.test': 'yes'}"
st() { rtc state "$1" | python3 -c "import json,sys; s=json.load(sys.stdin); print(s['status'], s['pid'] > 0, s['annotations'])"; }
t "create: the container waits" 0 "" sh -c "$AS '$OB/sbx-runc' --root '$OS' create -b '$OB' --pid-file '$OB/pid' c1 </dev/null >'$OB/out' 2>&1"
t "create: status created, its annotations" 0 "created True {'org.test': 'yes'}" st c1
t "create: --pid-file has its pid, the state's" 0 "same" sh -c \
	"[ \"\$(cat '$OB/pid')\" = \"\$($AS '$OB/sbx-runc' --root '$OS' state c1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"pid\"])')\" ] && echo same"
t "create: its process has not run" 0 "" cat "$OB/out"
t "create: an id taken: one line" 125 "sbx: state: c1: a container of that id exists (sbx oci delete c1)" \
	rtc create -b "$OB" c1 </dev/null
t "list: it is there" 0 "c1 created" sh -c "$AS '$OB/sbx-runc' --root '$OS' list | sed 1d | tr -s ' ' | cut -d' ' -f1,3"
started() { rtc start c1 && sleep 0.3 && st c1 && cat "$OB/out"; }
t "start: status running, the process runs" 0 "running True {'org.test': 'yes'}
started" started
t "start: again: one line" 125 "sbx: state: c1: running, not created: only a created container starts" rtc start c1
t "delete: of a running one, without --force: one line" 125 "sbx: state: c1: running (sbx oci kill c1, or delete --force)" rtc delete c1
killed() { rtc kill c1 KILL && sleep 0.5 && st c1; }
t "kill: KILL, then status stopped" 0 "stopped False {'org.test': 'yes'}" killed
t "kill: of a stopped one: one line" 125 "sbx: state: c1: not running" rtc kill c1 9
t "delete: a stopped one goes, with its directory" 0 "" sh -c "$AS '$OB/sbx-runc' --root '$OS' delete c1 && ls -A '$OS'"
t "state: of none: one line" 125 "sbx: state: c1: no such container" rtc state c1
rtc create -b "$OB" c2 </dev/null >/dev/null 2>&1
t "delete: of a created one, without --force: one line" 125 "sbx: state: c2: created (sbx oci kill c2, or delete --force)" rtc delete c2
t "delete --force: a created one goes, and its waiting process" 0 "" sh -c \
	"pid=\$($AS '$OB/sbx-runc' --root '$OS' state c2 | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"pid\"])'); $AS '$OB/sbx-runc' --root '$OS' delete --force c2 && ls -A '$OS' && sleep 0.3 && ! kill -0 \$pid 2>/dev/null"
shcmd 'sleep 60 & sleep 61 & exec sleep 62'
rtc run -d -b "$OB" c3 </dev/null >/dev/null 2>&1
t "kill --all: every process of the container" 0 "stopped" sh -c \
	"sleep 0.3; $AS '$OB/sbx-runc' --root '$OS' kill --all c3 KILL && sleep 0.5 && $AS '$OB/sbx-runc' --root '$OS' state c3 | grep -o stopped &&
	! pgrep -f '^sleep 6[01]\$' >/dev/null; $AS '$OB/sbx-runc' --root '$OS' delete c3"
rtc run -d -b "$OB" c4 </dev/null >/dev/null 2>&1
t "delete --force: of a running one" 0 "" sh -c "$AS '$OB/sbx-runc' --root '$OS' delete --force c4 && ls -A '$OS'"

# sbx killed with -9 at any step of create, or during run: delete
# --force ends what it left, and nothing stays
shcmd 'exec sleep 913'
killed9() {
	for d in 0 0.005 0.01 0.02 0.04 0.08; do
		$AS "$OB/sbx-runc" --root "$OS" create -b "$OB" k9 </dev/null >/dev/null 2>&1 &
		sleep $d; kill -9 $! 2>/dev/null; wait $! 2>/dev/null
		rtc delete --force k9 2>&1 | grep -v 'no such container'
	done
	$AS "$OB/sbx-runc" --root "$OS" run -b "$OB" k9 </dev/null >/dev/null 2>&1 &
	waitfor 5 pgrep -f '^sleep 913$' >/dev/null
	kill -9 $!; wait $! 2>/dev/null
	rtc delete --force k9; ls -A "$OS"; waitfor 5 sh -c '! pgrep -f "^sleep 913\$"' || echo left
}
t "kill -9 of sbx at any step of create, and in run: delete --force leaves nothing" 0 "" killed9

# bad input: one line that names the JSON path; nothing left behind
badcfg() {
	_want=$1
	shift
	printf '%s' "$1" > "$OB/config.json"
	t "bad config: $_want" 125 "$_want" rtc run -b "$OB" bad </dev/null
}
badcfg "sbx: bundle: $OB/config.json: line 1, column 2: expected a member's name, a string" '{,}'
badcfg "sbx: bundle: config.json: ociVersion: not 1.x" '{"ociVersion":"2.0"}'
badcfg "sbx: bundle: config.json: root: not an object" '{"ociVersion":"1.0.2","root":[]}'
badcfg "sbx: bundle: config.json: (the document): no root.path" '{"ociVersion":"1.0.2"}'
badcfg "sbx: bundle: config.json: process.args: not an array" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":"sh","cwd":"/","user":{"uid":0,"gid":0}}}'
badcfg "sbx: bundle: config.json: process.args[1]: not a string" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh",1],"cwd":"/","user":{"uid":0,"gid":0}}}'
badcfg "sbx: bundle: config.json: process.cwd: not an absolute path" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"x","user":{"uid":0,"gid":0}}}'
badcfg "sbx: bundle: config.json: process.user.uid: not a whole number from 0 to 4294967294" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":-1,"gid":0}}}'
badcfg "sbx: bundle: config.json: process.capabilities.bounding[0]: not a capability this kernel header knows" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0},"capabilities":{"bounding":["CAP_NOPE"]}}}'
badcfg "sbx: bundle: config.json: process.rlimits[0]: type: not an RLIMIT_ name" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0},"rlimits":[{"type":"NOFILE","hard":1,"soft":1}]}}'
badcfg "sbx: bundle: config.json: process.apparmorProfile: no LSM is supported here: leave it out" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0},"apparmorProfile":"x"}}'
badcfg "sbx: bundle: config.json: mounts[0]: destination: not an absolute path below the root" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"mounts":[{"destination":"x","type":"tmpfs"}]}'
badcfg "sbx: bundle: config.json: mounts[0]: type: not one sbx mounts (bind, proc, sysfs, tmpfs, devpts, mqueue, cgroup)" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"mounts":[{"destination":"/x","type":"ext4"}]}'
badcfg "sbx: bundle: config.json: linux.namespaces[0]: type: not a namespace's (user, pid, mount, uts, ipc, network, cgroup, time)" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"linux":{"namespaces":[{"type":"nope"}]}}'
badcfg "sbx: bundle: config.json: hooks.prestart[0]: no path" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"linux":{"namespaces":[{"type":"mount"}]},"hooks":{"prestart":[{"args":["true"]}]}}'
badcfg "sbx: bundle: config.json: hooks.poststop[1].path: not an absolute path" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"linux":{"namespaces":[{"type":"mount"}]},"hooks":{"poststop":[{"path":"/bin/true"},{"path":"true"}]}}'
badcfg "sbx: bundle: config.json: hooks.createRuntime[0].timeout: not a whole number from 1" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"linux":{"namespaces":[{"type":"mount"}]},"hooks":{"createRuntime":[{"path":"/bin/true","timeout":0}]}}'
badcfg "sbx: bundle: config.json: hooks.startContainer[0].env[0]: not a string" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"linux":{"namespaces":[{"type":"mount"}]},"hooks":{"startContainer":[{"path":"/bin/true","env":[1]}]}}'
badcfg "sbx: bundle: config.json: linux.rootfsPropagation: not a propagation" '{"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"linux":{"namespaces":[{"type":"mount"}],"rootfsPropagation":"nope"}}'
t "bad config: nothing left in the state directory" 0 "" ls -A "$OS"
shcmd 'true' "c['process']['terminal'] = True"
rm -f "$OB/con.sock"
$AS "$SBXTEST" console "$OB/con.sock" >"$OB/con.out" 2>"$OB/con.err" &
conpid=$!
shcmd 'tty; stty size; echo $TERM' "c['process']['terminal'] = True; c['process']['consoleSize'] = {'height': 30, 'width': 100}"
consoled() {
	waitfor 5 test -S "$OB/con.sock" && rtc create -b "$OB" --console-socket "$OB/con.sock" tty0 </dev/null &&
		rtc start tty0 && waitfor 5 sh -c "! kill -0 $conpid 2>/dev/null"; tr -d '\r' < "$OB/con.out"; cat "$OB/con.err"; rtc delete --force tty0
}
t "create --console-socket: the pty's master, in one message of one byte; the process's terminal, its consoleSize" 0 "/dev/pts/0
30 100
xterm
payload 1" consoled
t "create: a terminal without --console-socket: one line" 125 "sbx: console: process.terminal: needs --console-socket" \
	rtc create -b "$OB" tty1 </dev/null
t "oci: a bad id: one line" 125 "sbx: oci: 'a/b': not a container id (letters, digits, '_', '+', '-' and '.', at most 247)" rtc state a/b
t "oci: an unknown verb: one line" 125 "sbx: oci: frob: not a verb of the OCI runtime's (see sbx oci --help)" rtc frob
t "oci: --log-format json: the error as containerd reads it" 125 '{"level":"error","msg":"sbx: state: nosuch: no such container"}' \
	sh -c "rm -f '$OB/log'; $AS '$OB/sbx-runc' --root '$OS' --log '$OB/log' --log-format json state nosuch 2>/dev/null; s=\$?; cat '$OB/log'; exit \$s"
t "bad config: ... and still nothing left" 0 "" ls -A "$OS"

# hooks: each at its step, where the spec puts it, with the state on its
# stdin; a failure ends the step, but poststart's and poststop's
HL=$OB/hooklog
rm -rf "$HL" && mkdir -p "$HL" && chown "$U" "$HL"
# a hook that logs its name ($0), the status it was given and whether it
# runs in the host's mount namespace
export HOSTMNT=$(readlink /proc/self/ns/mnt) HL
export HOOK='s=$(cat); s=${s#*\"status\":\"}; w=inside; [ "$(readlink /proc/self/ns/mnt)" = "$HOSTMNT" ] && w=host; echo "$0 ${s%%\"*} $w" >> "$LOG"'
hooks() {
	cfg "
import os
def hook(kind, log, path='/bin/sh', **kw):
    h = {'path': path, 'args': ['sh', '-c', os.environ['HOOK'], kind],
        'env': ['HOSTMNT=' + os.environ['HOSTMNT'], 'LOG=' + log]}
    h.update(kw)
    return h
c['process']['args'] = ['sh', '-c', 'cp /hooklog/log /hooklog/seen; exec sleep 60']
c['mounts'].append({'destination': '/hooklog', 'type': 'bind', 'source': os.environ['HL'], 'options': ['rbind']})
inside = ('createContainer', 'startContainer')
c['hooks'] = {k: [hook(k, '/hooklog/log' if k in inside else os.environ['HL'] + '/log')] for k in
    ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop']}
$1"
}
hooks ''
t "hooks: create runs prestart, createRuntime (host) and createContainer (inside), with status created" 0 "prestart created host
createRuntime created host
createContainer created inside" sh -c "$AS '$OB/sbx-runc' --root '$OS' create -b '$OB' h1 </dev/null >'$HL/out' 2>&1; cat '$HL/out' '$HL/log'"
hooks 'c["process"]["args"] = ["true"]'
t "hooks: the container waits, its config.json now changed" 0 "created True {}" st h1
t "hooks: start runs create's startContainer inside, before the process; then poststart, running" 0 "startContainer created inside
poststart running host
startContainer created inside" sh -c "$AS '$OB/sbx-runc' --root '$OS' start h1 && sed 1,3d '$HL/log' && sleep 0.2 && sed -n 4p '$HL/seen'"
t "hooks: delete runs poststop, after the container is gone" 0 "poststop stopped host" \
	sh -c "$AS '$OB/sbx-runc' --root '$OS' delete --force h1 && sed 1,5d '$HL/log' && ls -A '$OS'"
hooks 'c["process"]["args"] = ["true"]'
t "hooks: run runs all six, in the lifecycle's order" 0 "prestart created host
createRuntime created host
createContainer created inside
startContainer created inside
poststart running host
poststop stopped host" sh -c "rm -f '$HL/log'; $AS '$OB/sbx-runc' --root '$OS' run -b '$OB' h2 </dev/null && cat '$HL/log'"
hooks "c['process']['terminal'] = True"
t "hooks: a create that fails before there is a container runs none, poststop neither" 125 "sbx: console: process.terminal: needs --console-socket" \
	sh -c "rm -f '$HL/log'; $AS '$OB/sbx-runc' --root '$OS' create -b '$OB' hc </dev/null; s=\$?; cat '$HL/log' 2>/dev/null; exit \$s"
# an init killed during createContainer (here by its hook: without a
# pid namespace it is no PID 1) closes the report pipe with nothing in
# it, as one that waits for start does: create must fail, not succeed
hooks "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'pid']; c['process']['args'] = ['true']
c['hooks'] = {'createContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'kill -9 \$PPID; sleep 1']}, {'path': '/bin/true'}]}"
if [ "$U" = 0 ]; then
	t "hooks: an init killed during createContainer fails create" 0 "status 125
sbx: create: init ended before the container was created (killed by signal 9)" sh -c "'$OB/sbx-runc' --root '$OS' create -b '$OB' hk </dev/null; echo status \$?; ls -A '$OS'"
else
	skip "hooks: an init killed during createContainer fails create" "a bundle without a pid namespace, whose /proc is the host's, is root's"
fi
hookfail() { # KIND: a /bin/false hook of KIND first
	hooks "c['hooks']['$1'].insert(0, {'path': '/bin/false'}); c['process']['args'] = ['sh', '-c', 'echo process > /hooklog/process']"
	rm -f "$HL/log" "$HL/process"
	$AS "$OB/sbx-runc" --root "$OS" create -b "$OB" hf </dev/null >"$HL/out" 2>&1; s=$?; cat "$HL/out"
	[ $s = 0 ] && { $AS "$OB/sbx-runc" --root "$OS" start hf 2>&1 && sleep 0.3 &&
		$AS "$OB/sbx-runc" --root "$OS" delete hf 2>&1; s=$?; }
	echo "status $s"; cat "$HL/process" 2>/dev/null; cat "$HL/log" 2>/dev/null | grep -c .
	$AS "$OB/sbx-runc" --root "$OS" delete --force hf 2>&1 | grep -v 'no such container'; ls -A "$OS"
}
# KIND STATUS RAN (the process ran) LOGGED (hook lines) WHAT
while read -r kind st ran logged what; do
	_out="sbx: hooks: $kind hook 0 (/bin/false): exit status 1
status $st"
	[ "$ran" = yes ] && _out="$_out
process"
	t "hooks: a failing $kind $what" 0 "$_out
$logged" hookfail "$kind" </dev/null
done <<'EOF'
prestart 125 no 1 fails create; nothing runs but poststop, nothing stays
createRuntime 125 no 2 fails create, after prestart; poststop runs
createContainer 125 no 3 fails create, after those; poststop runs
startContainer 125 no 3 fails start and stops the container
poststart 0 yes 6 is a warning; the next runs, and the rest
poststop 0 yes 6 is a warning; the next runs
EOF
hooks "c['hooks'] = {'prestart': [{'path': '/bin/sleep', 'args': ['sleep', '30'], 'timeout': 1}]}"
t "hooks: one past its timeout is killed, and fails its step" 125 "sbx: hooks: prestart hook 0 (/bin/sleep): killed at its timeout, 1 s" \
	timeout 20 $AS "$OB/sbx-runc" --root "$OS" run -b "$OB" ht </dev/null
hooks "c['hooks'] = {'createRuntime': [{'path': '/nonexistent/hook'}]}"
t "hooks: one that cannot be found: 127, and why" 125 "sbx: hooks: execve(/nonexistent/hook): No such file or directory
sbx: hooks: createRuntime hook 0 (/nonexistent/hook): exit status 127" rtc run -b "$OB" hn </dev/null
hooks "c['hooks'] = {'poststart': [{'path': '/nonexistent/hook'}]}; c['process']['args'] = ['sleep', '2']"
poststarted() {
	$AS "$OB/sbx-runc" --root "$OS" run -b "$OB" hp </dev/null >/dev/null 2>&1 &
	waitfor 5 sh -c "$AS '$OB/sbx-runc' --root '$OS' state hp 2>/dev/null | grep -q running" && echo running
	wait $!; echo "status $?"; ls -A "$OS"
}
t "hooks: run's poststart that cannot be found leaves its state as it is" 0 "running
status 0" poststarted
hooks "c['hooks'] = {'startContainer': [{'path': '/bin/busybox', 'args': ['sh', '-c', 'echo \$0 \$A; ls /proc/self/fd', 'named'], 'env': ['A=1']}]}; c['process']['args'] = ['true']"
t "hooks: startContainer gets its own argv[0] and env, and no descriptor of ours but its stdio" 0 "named 1
0
1
2
3" rtc run -b "$OB" ha </dev/null
# a hostile rootfs makes a hook's path lead to /proc/self/exe: what runs
# is init's sealed image, never the host's sbx (CVE-2019-5736)
hooks "c['mounts'].append({'destination': '/mnt', 'type': 'tmpfs', 'source': 'tmpfs'}); c['process']['args'] = ['true']; c['hooks'] = {
    'createContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'ln -s /proc/self/exe /mnt/exe']}],
    'startContainer': [{'path': '/mnt/exe', 'args': ['x', '--version']}]}"
t "hooks: attack: a startContainer path that links to /proc/self/exe runs init, not sbx" 0 "init $VERSION" rtc run -b "$OB" hx </dev/null
# start returns once init has exec'd the process, known by the fifo's
# end, which init holds till then: not by a name the process can take
mkdir -p "$HL/memfd:init" && cp "$R/bin/busybox" "$HL/memfd:init/sleep"
hooks "c['process']['args'] = ['/hooklog/memfd:init/sleep', '30']; c['hooks'] = {'startContainer': [{'path': '/bin/true'}]}"
t "hooks: attack: a process whose path names init's memfd does not hold start, nor so its lock" 0 "running" \
	sh -c "$AS '$OB/sbx-runc' --root '$OS' create -b '$OB' hm </dev/null && timeout 10 $AS '$OB/sbx-runc' --root '$OS' start hm &&
		$AS '$OB/sbx-runc' --root '$OS' state hm | grep -o running; s=\$?; $AS '$OB/sbx-runc' --root '$OS' delete --force hm; exit \$s"
# a hook from the rootfs gets no more than the process: its ids, its
# capabilities, its seccomp filter; and PID 1, init, which holds the
# report pipe, the fifo and its image, is out of reach through /proc: a
# daemon left with the pipe would hang create, forge its report
RIGHTS='grep -E "^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status | tr -s "\t" " "
n=0; for f in /proc/1/exe /proc/1/fd/*; do [ -e "$f" ] && n=$((n + 1)); done; echo "PID 1: $n in reach"'
HU=1 # a rootless bundle maps one id
[ -n "$ROOTLESS" ] && HU=0
hooks "c['process']['user'] = {'uid': $HU, 'gid': $HU}; c['process']['args'] = ['true']; c['process']['capabilities'] = {'bounding': ['CAP_KILL']}
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['sethostname'], 'action': 'SCMP_ACT_ERRNO'}]}
c['hooks'] = {k: [{'path': '/bin/sh', 'args': ['sh', '-c', '''$RIGHTS; echo ''' + k]}] for k in ['createContainer', 'startContainer']}"
for mode in run create; do
	t "hooks: attack: $mode: createContainer and startContainer have the process's rights, and PID 1 is out of reach" 0 "Uid: $HU $HU $HU $HU
CapEff: 0000000000000000
CapBnd: 0000000000000020
NoNewPrivs: 1
Seccomp: 2
PID 1: 0 in reach
createContainer
Uid: $HU $HU $HU $HU
CapEff: 0000000000000000
CapBnd: 0000000000000020
NoNewPrivs: 1
Seccomp: 2
PID 1: 0 in reach
startContainer" sh -c "if [ $mode = run ]; then $AS '$OB/sbx-runc' --root '$OS' run -b '$OB' hr </dev/null
		else $AS '$OB/sbx-runc' --root '$OS' create -b '$OB' hr </dev/null >'$HL/out' 2>&1 &&
		$AS '$OB/sbx-runc' --root '$OS' start hr && sleep 0.3 && $AS '$OB/sbx-runc' --root '$OS' delete hr && cat '$HL/out'; fi"
done
t "hooks: ... and nothing stays" 0 "" ls -A "$OS"

# linux.resources and cgroupsPath: cgroup v1 here, as root; ignored with
# a warning when rootless, as runc and crun do
CGV1=/sys/fs/cgroup
cfg "c['process']['args'] = ['sh', '-c', 'grep -E \"^[0-9]+:(pids|memory|cpu):\" /proc/self/cgroup | sort']
c['linux']['cgroupsPath'] = '/sbxtest-oci'
c['linux']['resources'] = {'pids': {'limit': 33}, 'memory': {'limit': 67108864, 'reservation': 33554432},
    'cpu': {'shares': 512, 'quota': 20000, 'period': 50000, 'cpus': '0'}}"
if [ "$(stat -fc %T $CGV1)" = cgroup2fs ]; then
	skip "oci: linux.resources on cgroup v1" "this host has cgroup v2 alone"
elif [ -n "$ROOTLESS" ]; then
	t "oci: linux.resources, rootless on cgroup v1: ignored, with a warning" 0 "1
sbx: bundle: linux.resources.cpu.cpus: not applied by sbx yet
sbx: cgroup: linux.resources: ignored: cgroup v1 takes root" sh -c "$AS '$OB/sbx-runc' --root '$OS' run -b '$OB' cg1 </dev/null | grep -v sbxtest-oci | grep -c :pids:"
else
	cgfiles() {
		rtc create -b "$OB" cg2 </dev/null >"$OB/cg2.out" 2>&1 || { cat "$OB/cg2.out"; return 1; }
		cat $CGV1/pids/sbxtest-oci/pids.max $CGV1/memory/sbxtest-oci/memory.limit_in_bytes \
			$CGV1/memory/sbxtest-oci/memory.soft_limit_in_bytes $CGV1/cpu/sbxtest-oci/cpu.shares \
			$CGV1/cpu/sbxtest-oci/cpu.cfs_quota_us $CGV1/cpu/sbxtest-oci/cpu.cfs_period_us
		rtc start cg2 && sleep 0.3 && rtc delete cg2 && cat "$OB/cg2.out"
		ls -d $CGV1/*/sbxtest-oci 2>/dev/null; true
	}
	t "oci: create makes cgroupsPath with the limits, the process runs there, delete removes it" 0 "33
67108864
33554432
512
20000
50000
sbx: bundle: linux.resources.cpu.cpus: not applied by sbx yet
1:cpu:/sbxtest-oci
4:memory:/sbxtest-oci
8:pids:/sbxtest-oci" cgfiles
	shcmd 'grep -E "^[0-9]+:pids:" /proc/self/cgroup' "c['linux']['resources'] = {'pids': {'limit': 8}}; c['linux']['cgroupsPath'] = 'sbxtest-a-b.slice:sbx:t1'"
	t "oci: --systemd-cgroup: slice:prefix:name, nested as systemd would, without D-Bus" 0 "8:pids:/sbxtest.slice/sbxtest-a.slice/sbxtest-a-b.slice/sbx-t1.scope" \
		sh -c "'$OB/sbx-runc' --systemd-cgroup --root '$OS' run -b '$OB' cg4 </dev/null; for c in cpu memory pids; do
			rmdir $CGV1/\$c/sbxtest.slice/sbxtest-a.slice/sbxtest-a-b.slice $CGV1/\$c/sbxtest.slice/sbxtest-a.slice $CGV1/\$c/sbxtest.slice; done"
	cfg "c['linux']['cgroupsPath'] = '/not/systemd'"
	t "oci: --systemd-cgroup: a path of another form: one line" 125 "sbx: bundle: cgroupsPath '/not/systemd': with --systemd-cgroup, slice:prefix:name" \
		sh -c "'$OB/sbx-runc' --systemd-cgroup --root '$OS' run -b '$OB' cg5 </dev/null"
	shcmd 'for i in 1 2 3 4 5; do sleep 1 & done' "c['linux']['resources'] = {'pids': {'limit': 4}}; c['linux']['cgroupsPath'] = 'sbxtest-rel'"
	t "oci: run: a relative cgroupsPath, under ours; pids.limit holds; nothing stays" 2 "sh: can't fork: Resource temporarily unavailable" \
		sh -c "'$OB/sbx-runc' --root '$OS' run -b '$OB' cg3 </dev/null; s=\$?; ls -d $CGV1/pids/*/sbxtest-rel $CGV1/pids/sbxtest-rel 2>/dev/null; exit \$s"
fi

# --preserve-fds N: 3 to 3+N-1 are the process's too, no other of ours
shcmd 'cat <&3; ls /proc/self/fd'
echo three > "$OB/fd3"
t "run --preserve-fds 1: descriptor 3 is the process's, no other" 0 "three
0
1
2
3
4" sh -c "$AS '$OB/sbx-runc' --root '$OS' run --preserve-fds 1 -b '$OB' p1 </dev/null 3<'$OB/fd3' 4<'$OB/fd3'"
t "create --preserve-fds 1: the same, after start" 0 "three
0
1
2
3
4" sh -c "$AS '$OB/sbx-runc' --root '$OS' create --preserve-fds 1 -b '$OB' p2 </dev/null 3<'$OB/fd3' 4<'$OB/fd3' >'$OB/p2.out' 2>&1 &&
	$AS '$OB/sbx-runc' --root '$OS' start p2 && sleep 0.3 && cat '$OB/p2.out' && $AS '$OB/sbx-runc' --root '$OS' delete p2"
t "run --preserve-fds 2 with 4 not open: one line" 125 "sbx: oci: --preserve-fds 2: descriptor 4: Bad file descriptor" \
	sh -c "$AS '$OB/sbx-runc' --root '$OS' run --preserve-fds 2 -b '$OB' p3 </dev/null 3<'$OB/fd3'"
t "run --preserve-fds 1001: more than init could be handed" 125 "sbx: oci: --preserve-fds '1001': not a number from 0 to 1000" \
	rtc run --preserve-fds 1001 -b "$OB" p4 </dev/null
t "preserve-fds: nothing stays" 0 "" ls -A "$OS"
