# Named sandboxes: --name, -d, --log, and the verbs ps, exec, kill, stop,
# wait, as the user in $AS. Needs: SBX, R, TMP, the harness, tmux.

uid=$($AS id -u)
# each user's state directory, private, as XDG_RUNTIME_DIR gives it
export X=$TMP/run-$uid
mkdir -p "$X" && chown "$uid" "$X" && chmod 700 "$X"
sx() { $AS env XDG_RUNTIME_DIR="$X" "$SBX" "$@"; }
# the names ps lists; listed NAME: it is among them
names() { sx ps | awk 'NR > 1 { print $1 }'; }
listed() { names | grep -qx "$1"; }
unlisted() { ! listed "$1"; }
# gone PID: the process has ended (a zombie counts as ended)
gone() { waitfor 10 sh -c '! [ -e /proc/$1 ] || grep -qs ") Z" /proc/$1/stat' sh "$1"; }

# detach, ps
pid=$(timeout 10 $AS env XDG_RUNTIME_DIR="$X" "$SBX" -r "$R" --name box -h boxhost -w /tmp \
	--cap-drop NET_RAW -e FOO=bar -d -- sh -c "echo one > /tmp/f$uid; exec sleep 901")
t "-d prints sbx's pid and returns while the sandbox runs" 0 "sbx" sh -c \
	'case $1 in *[!0-9]*|"") exit 1;; esac; ps -o comm= -p $1' sh "$pid"
t "ps lists it: name, pid, uptime, command" 0 "NAME PID UPTIME COMMAND
box $pid sh -c echo one > /tmp/f$uid; exec sleep 901" eval \
	'sx ps | sed "s/  */ /g; s/ [0-9]*s / /"'
t "ps --json says the same, for scripts" 0 "ok" eval \
	'sx ps --json | grep -qx "\[{\"name\":\"box\",\"pid\":$pid,\"init\":[0-9]*,\"started\":[0-9]*,\"uptime\":[0-9]*,\"command\":\[\"sh\",\"-c\",\"echo one > /tmp/f$uid; exec sleep 901\"\],\"memory\":null,\"pids\":null}\]" && echo ok'

# exec (once the command has written its file)
waitfor 10 sx exec box test -s /tmp/f$uid
t "exec: same hostname, directory, files, /proc and PID 1" 0 "boxhost
/tmp
one
init --sigmask=0 -- sh -c echo one > /tmp/f$uid; exec sleep 901 " sx exec box sh -c \
	"hostname; pwd; cat /tmp/f$uid; tr '\0' ' ' < /proc/1/cmdline; echo"
t "exec: every namespace the same as the command's" 0 "" sx exec box sh -c \
	'for n in user pid mnt uts ipc net cgroup time; do
		[ "$(readlink /proc/self/ns/$n)" = "$(readlink /proc/2/ns/$n)" ] || echo $n differs
	done'
sx -r "$R" --name allns -a -d -- sleep 911 >/dev/null
t "exec: with -a too, every namespace the command's" 0 "" sx exec allns sh -c \
	'for n in user pid mnt uts ipc net cgroup time; do
		[ -e /proc/self/ns/$n ] || continue
		[ "$(readlink /proc/self/ns/$n)" = "$(readlink /proc/2/ns/$n)" ] || echo $n differs
	done'
sx stop allns 0
sx wait allns >/dev/null 2>&1
t "exec: same capabilities, no_new_privs, seccomp filter" 0 "same" sx exec box sh -c \
	'f() { grep -E "^(Cap|NoNewPrivs|Seccomp)" /proc/$1/status; }
	[ "$(f self)" = "$(f 2)" ] && f self | grep -q "^Seccomp:[[:space:]]*2" && echo same'
t "exec: the sandbox's environment, not the caller's" 0 "bar unset" eval \
	'BAR=leak sx exec box sh -c "echo \$FOO \${BAR-unset}"'
$AS env XDG_RUNTIME_DIR="$X" FOO=run "$SBX" -r "$R" --name asfive -u 5 -e BAR=sandbox -d -- sleep 918 >/dev/null
t "exec: into -u 5 (no 0 mapped, init's /proc is root's): its id, its environment, then ours" 0 \
	"5 run sandbox ours" eval 'FOO=leak sx exec -e BAZ=ours asfive sh -c "echo \$(id -u) \$FOO \$BAR \$BAZ"'
sx kill asfive KILL >/dev/null; sx wait asfive >/dev/null
owncodes() { sx exec box sh -c "exit 7"; a=$?; sx exec box -- sh -c 'kill -9 $$'; echo $a $?; }
t "exec: the command's own status" 0 "7 137" owncodes
t "exec: 127 for a command not in the sandbox" 127 "sbx: exec: nosuch: command not found in box" \
	sx exec box nosuch
t "exec: 126 for a directory" 126 "sbx: exec: /tmp: Is a directory" sx exec box /tmp
t "exec: the command blocks and ignores what the caller did" 0 "0000000000104008
0000000040200002" sigconf $AS env XDG_RUNTIME_DIR="$X" "$SBX" exec box cat /proc/self/status
orphans() { sx exec box sbxtest zombies 50 && sx exec box sbxtest nozombies 5; }
t "exec: what it orphans is reaped, no zombie left" 0 "zombies: 0" orphans
t "exec -w DIR -e NAME=VALUE: its own directory and variables" 0 "/etc 1 bar" \
	sx exec -w /etc -e X=1 box sh -c 'echo $(pwd) $X $FOO'
t "exec: a program named like a verb runs after --" 0 "exec" sx -r "$R" -- sh -c 'echo exec'

# verbs on names that are not there
for v in "exec nosuch true" "kill nosuch" "stop nosuch" "wait nosuch"; do
	t "${v%% *} on a missing name: one line, 125" 125 \
		"sbx: ${v%% *}: nosuch: no such sandbox (sbx ps lists them)" sx $v
done
t "a live name cannot be taken" 125 "sbx: name: box: a sandbox of that name is running" \
	sx -r "$R" --name box -- true
t "a name with a slash is no name" 125 "sbx: --name '../x': 1 to 64 letters, digits, '_', '.' or '-', not first '.' or '-'" \
	sx -r "$R" --name ../x -- true
t "kill: an unknown signal" 125 "sbx: kill: NOPE: no such signal" sx kill box NOPE
t "kill: too many words" 125 "sbx: kill: usage: sbx kill NAME [SIGNAL]" sx kill box TERM 3
t "ps: a sandbox's option is refused" 125 "sbx: ps: --root: not an option here (see sbx --help)" \
	sx ps -r "$R"
t "--log needs -d" 125 "sbx: --log: only with --detach" sx -r "$R" --log "$TMP/x" -- true
t "-d has no terminal for --pty" 125 "sbx: --pty: a detached sandbox has no terminal" \
	sx -r "$R" -d --pty -- true

# stop, and every exec'd command ends with the sandbox
sx exec box sleep 902 </dev/null >/dev/null 2>&1 &
ex=$!
waitfor 10 pgrep -f "^sleep 902" >/dev/null
stopbox() { sx stop box; echo $? $(sx ps --json); }
t "stop: ends it; ps no longer lists it" 0 "0 []" stopbox
t "stop: sbx and the sandbox are gone" 0 "" gone "$pid"
reap $ex
t "stop: an exec'd command ended with it" 0 "137" echo $?

# stop waits, then kills; kill signals the command through init
# (ready once the trap is set: a TERM before it would end the shell)
rm -f "$X/hard.log"
sx -r "$R" --name hard -d --log "$X/hard.log" -- sh -c \
	'trap "" TERM; echo ready; while :; do sleep 0.05; done' >/dev/null
waitfor 10 grep -qs ready "$X/hard.log"
stophard() { sx stop hard 0.5; a=$?; sx ps | sed 1d; sx wait hard; echo $a $?; }
t "stop SECS: a command that ignores TERM is killed after SECS" 0 "0 137" stophard
rm -f "$X/log"
sx -r "$R" --name sig -d --log "$X/log" -- sh -c \
	'trap "echo got USR1; sleep 1; exit 42" USR1; echo ready; while :; do sleep 0.05; done' >/dev/null
waitfor 10 grep -qs ready "$X/log"
killsig() { sx kill sig usr1 && sx wait sig; echo $?; }
t "kill NAME SIGNAL: the command gets it; wait: its status" 0 "42" killsig
t "--log: the command's stdout and stderr" 0 "ready
got USR1" cat "$X/log"
sx -r "$R" --name num -d -- sleep 903 >/dev/null
killnum() { sx kill num 9 && waitfor 10 sh -c '! pgrep -f "^sleep 903"' && sx ps | sed 1d; }
t "kill: by number, 9 included; the name is free again" 0 "" killnum

# a stale entry: sbx killed with SIGKILL
pid=$(sx -r "$R" --name stale -d -- sleep 904)
kill -9 "$pid"
gone "$pid"
t "kill -9 of sbx: the sandbox dies with it" 0 "" waitfor 10 sh -c '! pgrep -f "^sleep 904"'
t "kill -9 of sbx: exec finds no such sandbox" 125 \
	"sbx: exec: stale: no such sandbox (sbx ps lists them)" sx exec stale true
reuse() { sx -r "$R" --name stale -d -- sleep 905 >/dev/null && names && sx stop stale; }
t "kill -9 of sbx: the name can be used again" 0 "stale" reuse

# wait collects the status even after the end, once
sx -r "$R" --name quick -d -- sh -c 'exit 3' >/dev/null
waitfor 10 unlisted quick
t "wait: the status of a sandbox that has already ended" 3 "" sx wait quick
t "wait: collected once, like waitpid" 125 "sbx: wait: quick: no such sandbox (sbx ps lists them)" \
	sx wait quick
t "exec: an ended sandbox" 125 "sbx: exec: box: the sandbox has ended" sx exec box true
t "stop: an ended sandbox is stopped already" 0 "" sx stop box
t "wait: after stop, its status" 143 "" sx wait box

# a file a sandbox could write, if it sees the state directory: believed
# only as far as the kernel confirms it
forge() {
	printf 'pid=%s\0time=0\0cmd=true\0start=%s\0init=%s\0' "$2" \
		"$(cut -d' ' -f22 /proc/$3/stat)" "$3" > "$X/sbx/$1"
	chown "$uid" "$X/sbx/$1"
	$AS flock "$X/sbx/$1" sleep 30 &
	waitfor 10 sh -c '! flock -n "$1" true' sh "$X/sbx/$1"
}
$AS sleep 910 &
host=$!
forge forged $host $host
t "a forged entry for a host process: exec refuses" 125 \
	"sbx: exec: forged: the sandbox has ended" sx exec forged true
t "a forged entry for a host process: kill signals nothing" 125 \
	"sbx: kill: forged: the sandbox has ended" sx kill forged KILL
t "a forged entry for a host process: it lives on" 0 "" kill -0 $host
kill %flock 2>/dev/null; pkill -f "^sleep 30" ; kill $host; wait
mkfifo "$X/sbx/fifo"
t "a fifo in the state directory does not hang ps" 0 "NAME PID UPTIME COMMAND" sh -c \
	'timeout 10 $AS env XDG_RUNTIME_DIR="$X" "$SBX" ps | tr -s " "'
rm -f "$X/sbx/fifo" "$X/sbx/forged"

# what else a sandbox could leave there: ps lists the rest, a verb on
# that name fails with one line, and what no sbx holds is removed
sx -r "$R" --name live -d -- sleep 912 >/dev/null
# bogus NAME KIND: a file no sbx wrote, made as the user
bogus() {
	rm -rf "$X/sbx/$1"
	case $2 in
	big) $AS truncate -s 200G "$X/sbx/$1" ;;
	dir) $AS mkdir -p "$X/sbx/$1" ;;
	zero) $AS ln -sf /dev/zero "$X/sbx/$1" ;;
	junk) { head -c 300000 /dev/urandom; printf '\0status=3\0'; } |
		$AS tee "$X/sbx/$1" >/dev/null ;;
	esac
}
left() { if [ -e "$X/sbx/$1" ] || [ -L "$X/sbx/$1" ]; then echo "$1 left"; fi; }
tsx() { timeout 10 $AS env XDG_RUNTIME_DIR="$X" "$SBX" "$@" 2>&1; }
# lsbogus KIND [--json]: the names ps lists, its status, what is left
lsbogus() {
	bogus bad "$1"; o=$(tsx ps $2); s=$?
	if [ "$2" ]; then echo "$o" | grep -o '"name":"[^"]*"'
	else echo "$o" | sed 1d | cut -d" " -f1; fi
	echo "ps $s"; left bad
}
verbsbogus() {
	for v in "exec bad true" "kill bad" "stop bad" "wait bad"; do
		bogus bad "$1"; tsx $v; echo "$?"; left bad
	done
	bogus bad "$1"; tsx -r "$R" --name bad -- true; echo "name $?"
}
verbsout="sbx: exec: bad: not a sandbox's state file: removed
125
sbx: kill: bad: not a sandbox's state file: removed
125
sbx: stop: bad: not a sandbox's state file: removed
125
sbx: wait: bad: not a sandbox's state file: removed
125
name 0"
for k in big dir zero junk; do
	case $k in
	big) what="a 200 GB sparse file" ;; dir) what="a directory" ;;
	zero) what="a symlink to /dev/zero" ;; junk) what="300 KB of garbage" ;;
	esac
	t "$what in the state directory: ps lists the rest; it is removed" 0 \
		"live
ps 0" lsbogus $k
	t "$what in the state directory: so does ps --json" 0 "\"name\":\"live\"
ps 0" lsbogus $k --json
	t "$what in the state directory: a verb on it fails, one line, 125" 0 \
		"$verbsout" verbsbogus $k
done
# one held by some process is left in place, and said so
heldbogus() {
	bogus bad big; $AS flock -o "$X/sbx/bad" sleep 31 & h=$!
	waitfor 10 sh -c '! flock -n "$1" true' sh "$X/sbx/bad"
	tsx ps | awk 'NR > 1 { print $1 }'; tsx kill bad; echo $?
	tsx -r "$R" --name bad -- true; echo $?
	left bad; kill $h; wait $h; pkill -f "^sleep 31"
}
t "a bogus file held open and locked: listed as nothing, left in place" 0 "live
sbx: kill: bad: not a sandbox's state file: left in place
125
sbx: name: bad: not a sandbox's state file: left in place
125
bad left" heldbogus
rm -f "$X/sbx/bad"
# the attack from inside: a sandbox that sees the host's / (the default
# root) writes the file; its own file too, while its sbx holds it
inside() {
	tsx -- sh -c 'truncate -s 200G "$1/sbx/inner"' sh "$X"; echo "made $?"
	o=$(tsx ps); s=$?; echo "$o" | sed 1d | cut -d" " -f1; echo "ps $s"; left inner
}
t "a sandbox with the host's / writes 200 GB there: ps from outside still works" 0 \
	"made 0
live
ps 0" inside
pid=$(sx --name self -d -- sh -c 'truncate -s 200G "$1/sbx/self"; exec sleep 913' sh "$X")
waitfor 10 sh -c '[ "$(stat -c %s "$1")" -gt 1000000 ]' sh "$X/sbx/self"
ownbogus() { tsx ps | awk 'NR > 1 { print $1 }'; tsx stop self; echo $?; left self; }
t "a sandbox that grows its own file to 200 GB: hidden, and said so" 0 "live
sbx: stop: self: not a sandbox's state file: left in place
125
self left" ownbogus
kill "$pid"; gone "$pid"
t "... and removed once its sbx has ended" 0 "live" eval 'tsx ps | awk "NR > 1 { print \$1 }"; left self'
# the biggest command a state file holds (1 MiB) can be recorded; a
# bigger one is refused
a=$(head -c 100000 /dev/zero | tr '\0' x)
bigcmd() { sx -r "$R" --name long -d -- sleep 914 $a $a $a $a $a $a $a $a $a $a >/dev/null && listed long && tsx stop long && echo ok; }
t "--name: a command of 1,000,000 bytes is recorded and listed" 0 "ok" bigcmd
t "--name: one of more than 1 MiB is refused" 125 \
	"sbx: --name: a command that long cannot be recorded (1 MiB at most)" \
	tsx -r "$R" --name long -- true $a $a $a $a $a $a $a $a $a $a $a
t "... which runs without --name" 0 "" tsx -r "$R" -- true $a $a $a $a $a $a $a $a $a $a $a
sx stop live
rm -f "$X/sbx/self" "$X/sbx/inner"

# -d: what happens to stdio
rm -f "$X/out"
keptfile() {
	sx -r "$R" -d -- sh -c "echo in the file" >> "$X/out" &&
	waitfor 10 grep -q "in the file" "$X/out"; grep -v "^[0-9]*$" "$X/out"
}
t "-d: stdout redirected to a file is kept" 0 "in the file" keptfile
t "-d: a failure is reported by the caller, one line" 127 \
	"sbx: exec: nosuch: command not found in $R" sx -r "$R" -d -- nosuch

# a foreground sandbox can be named too
(sx -r "$R" --name fg -- sleep 906 </dev/null; echo $? > "$TMP/fg") &
waitfor 10 listed fg
stopfg() { h=$(sx exec fg hostname); sx stop fg; waitfor 10 test -s "$TMP/fg"; echo $h $(cat "$TMP/fg"); }
t "a named sandbox in the foreground: exec, and stop ends it" 0 "sbx 143" stopfg
wait

# exec with a terminal: a pty of its own
texec() {
	TT=sbxnames$$.$n
	tmux -L "$TT" new-session -d -x 80 -y 24 \
		"$AS env XDG_RUNTIME_DIR=$X $SBX exec tbox sh; echo status \$?; sleep 10" </dev/null >/dev/null 2>&1
	waitfor 10 sh -c 'tmux -L "$1" capture-pane -p | grep -q "^/ #"' sh "$TT"
	tmux -L "$TT" send-keys 'tty; stty size; exit 5' Enter
	waitfor 10 sh -c 'tmux -L "$1" capture-pane -p | grep -q "^status"' sh "$TT"
	tmux -L "$TT" capture-pane -p | grep -E '^(/dev/pts/|24 80|status)'
	tmux -L "$TT" kill-server 2>/dev/null
}
if command -v tmux >/dev/null; then
	sx -r "$R" --name tbox -d -- sleep 907 >/dev/null
	t "exec: a pty under a real terminal" 0 "/dev/pts/0
24 80
status 5" texec
	sx stop tbox
else
	skip "exec: a pty under a real terminal" "tmux is not installed"
fi

# two users
mkdir -p "$TMP/hostile$uid/sbx" && chown "$uid" "$TMP/hostile$uid" && chmod 777 "$TMP/hostile$uid/sbx"
t "a state directory someone else made is refused" 125 \
	"sbx: ps: $TMP/hostile$uid/sbx: owner 0, mode 777: must be uid $uid's, mode 700 (hint: remove it, or set XDG_RUNTIME_DIR)" \
	$AS env XDG_RUNTIME_DIR="$TMP/hostile$uid" "$SBX" ps
if [ -n "$AS" ]; then
	mkdir -p "$TMP/run-0" && chmod 700 "$TMP/run-0"
	sx -r "$R" --name mine -d -- sleep 908 >/dev/null
	XDG_RUNTIME_DIR=$TMP/run-0 "$SBX" -r "$R" --name roots -d -- sleep 909 >/dev/null
	both() { names; XDG_RUNTIME_DIR=$TMP/run-0 "$SBX" ps | awk 'NR > 1 { print $1 }'; }
	t "two users: each lists only its own" 0 "mine
roots" both
	t "two users: another's sandbox cannot be reached by name" 125 \
		"sbx: exec: roots: no such sandbox (sbx ps lists them)" sx exec roots true
	# another user's XDG_RUNTIME_DIR (su passes it on) is not used: ours
	# in /tmp is
	[ -e /tmp/sbx-$uid ] || made=/tmp/sbx-$uid
	t "two users: nor through its XDG_RUNTIME_DIR" 125 \
		"sbx: kill: roots: no such sandbox (sbx ps lists them)" \
		$AS env XDG_RUNTIME_DIR="$TMP/run-0" "$SBX" kill roots 9
	t "two users: the /tmp directory is private to the user" 0 "$uid 700" \
		stat -c "%u %a" /tmp/sbx-$uid
	[ -n "$made" ] && rm -rf "$made"
	t "two users: root cannot reach ours by name either" 125 \
		"sbx: exec: mine: no such sandbox (sbx ps lists them)" \
		env XDG_RUNTIME_DIR="$TMP/run-0" "$SBX" exec mine true
	XDG_RUNTIME_DIR=$TMP/run-0 "$SBX" stop roots
	sx stop mine
fi

# sbx exec puts nothing of the host's inside, not even sbx for a moment
# (CVE-2019-5736): the command is a link to /proc/self/exe, and inside a
# process holds the executable of each new process, kills it, and writes
# to the file once it is free. The sbx that execs is a copy the sandbox's
# uid may write, not the one that runs the sandbox (busy while it does).
# The attacker may even ptrace: the set-up before that exec is not its.
evil=$TMP/evil$uid
mkdir -p "$evil" && chown "$uid" "$evil"
# tests/oldkernel.sh's $SBX is a script, $real under a filter
if [ "$(head -c 2 "$SBX")" = "#!" ]; then
	orig=$real evilsbx="$SBXTEST enosys $NEWER $evil/sbx"
else
	orig=$SBX evilsbx=$evil/sbx
fi
cp "$orig" "$evil/sbx" && chown "$uid" "$evil/sbx"
rm -f "$X/evil.log"
sx -r "$R" -t /tmp --cap-add SYS_PTRACE --name evil -d --log "$X/evil.log" -- sh -c \
	'ln -s /proc/self/exe /tmp/evil && exec sbxtest exewatch 10' >/dev/null
waitfor 10 grep -qs watching "$X/evil.log"
timeout 20 $AS env XDG_RUNTIME_DIR="$X" $evilsbx exec evil /tmp/evil -- sleep 2 >/dev/null 2>&1
sx wait evil >/dev/null
intact() { grep "^wrote" "$X/evil.log"; cmp "$orig" "$evil/sbx" && echo intact; }
t "exec: the host's sbx cannot be overwritten from inside (CVE-2019-5736)" 0 "intact" intact
t "exec: what the attacker got hold of is init's sealed memfd" 0 \
	"held the executable: /memfd:init (deleted)" grep "^held" "$X/evil.log"

# a command that is the running image, or PID 1's: init's, never sbx's
# (PTRACE: PID 1 is not dumpable, its /proc/1/exe otherwise refused)
rm -f "$X/self.log"
sx -r "$R" -t /tmp --cap-add SYS_PTRACE --name self -d --log "$X/self.log" -- sh -c 'ln -s /proc/self/exe /tmp/self &&
	ln -s /proc/1/exe /tmp/one && echo ready && exec sleep 921' >/dev/null
waitfor 10 grep -qs ready "$X/self.log"
t "exec: a command linked to /proc/self/exe runs init, not sbx" 0 "init $VERSION" \
	sx exec self /tmp/self --version
t "exec: one linked to /proc/1/exe runs init too" 0 "init $VERSION" \
	sx exec self /tmp/one --version
t "exec: the command is the sandbox's file, init gone, its parent outside" 0 "/bin/$(readlink "$R/bin/sh")
ppid 0" sx exec self sh -c 'readlink /proc/$$/exe; awk "/^PPid/ { print \"ppid\", \$2 }" /proc/$$/status'
sx stop self 0
sx wait self >/dev/null 2>&1

# exec as the sandbox ends: the command runs all inside (its hostname,
# a file only the rootfs has), or sbx fails with one line, or the command
# dies with the sandbox; nothing runs on the host
racing() {
	for i in $(seq 30); do
		sx -r "$R" -h racehost --name race -d -- sleep 0.0$((RANDOM % 4)) >/dev/null
		out=$(sx exec race sh -c 'hostname; test -e /bin/sbxtest && echo inside' 2>&1)
		rc=$?
		case $rc in
		0) [ "$out" = "racehost
inside" ] ;;
		125) [ "$(echo "$out" | wc -l)" = 1 ] && [ "${out#sbx: }" != "$out" ] ;;
		137) case "racehost
inside" in "$out"*) ;; *) false ;; esac ;;
		*) false ;;
		esac || echo "round $i: status $rc: $out"
		sx wait race >/dev/null 2>&1
	done
}
t "exec as the sandbox ends: all inside, or one line and 125" 0 "" racing
