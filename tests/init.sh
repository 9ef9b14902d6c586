# init on its own, as the user in $AS. Needs: INIT, SBX, R, SBXTEST, TMP,
# the harness. Tests of init as PID 1 run it in a new pid namespace.

init() { $AS "$INIT" "$@"; }
st=$SBXTEST
W=$TMP/w # writable by every user
mkdir -p "$W" && chmod 1777 "$W"

# exit statuses
t "exit statuses 0 to 255 pass through" 0 "" statuses init --
for s in HUP INT QUIT ILL TRAP ABRT BUS FPE KILL SEGV PIPE TERM SYS; do
	num=$(kill -l $s)
	t "death by SIG$s gives $((128 + num))" $((128 + num)) "" init -- "$st" raise $num
done
t "-e 143 reports 143 as 0" 0 "" init -e 143 -- "$st" raise 15
t "-e is repeatable" 0 "" init -e 3 -e 4 -- sh -c 'exit 4'
t "-e leaves other codes alone" 5 "" init -e 3 -- sh -c 'exit 5'

# exec failures and bad usage
t "the command is found through PATH" 0 "hi" init echo hi
t "a command not found exits 127" 127 "init: exec nope: No such file or directory" init nope
t "a command not executable exits 126" 126 "init: exec /etc/passwd: Permission denied" init /etc/passwd
t "a directory as command exits 126" 126 "init: exec /etc: Permission denied" init /etc
t "no command: 125" 125 "init: no command given (see init --help)" init
t "unknown option: 125" 125 "init: -x: unknown option (see init --help)" init -x true
t "unknown long option: 125" 125 "init: --bogus: unknown option (see init --help)" init --bogus true
t "missing value: 125" 125 "init: -p: missing value" init -p
t "-p needs a signal" 125 "init: -p BOGUS: not a signal name or number" init -p BOGUS true
t "-e needs 0 to 255" 125 "init: -e 256: not an exit code from 0 to 255" init -e 256 true
t "--grace needs seconds" 125 "init: --grace 1x: not a number of seconds" init --grace 1x true
t "-P takes no command" 125 "init: -P takes no command" init -P true
t "--version" 0 "init $VERSION" init --version
# --exec, what sbx exec runs: no init, the command in its place, with the
# signal mask and the ignored signals it was given
samepid() { $AS sh -c 'echo $$; exec "$1" --exec -- sh -c "echo \$\$"' sh "$INIT" | uniq | wc -l; }
t "--exec: the command in init's place, same pid" 0 "1" samepid
masks() { # from the defaults: the harness may have been started ignoring some
	"$st" default sh -c 'trap "" USR2; exec $AS "$2" pending 10 "$1" --exec -- \
		grep -E "^Sig(Blk|Ign)" /proc/self/status' sh "$INIT" "$st" | awk '{ print $2 }'
}
t "--exec: the signal mask and ignored signals as given" 0 "0000000000000200
0000000000000800" masks
# --sigmask, sbx's: the command's mask is the one given, not init's own
t "--sigmask: the command's signal mask" 0 "0000000000000200" sh -c \
	"$AS '$INIT' --sigmask=200 -- cat /proc/self/status | awk '/^SigBlk/ { print \$2 }'"
t "--sigmask needs a mask" 125 "init: --sigmask 2x: not a signal mask" init --sigmask=2x true
t "--exec: a command not found exits 127" 127 "init: exec nope: No such file or directory" \
	init --exec nope
t "--exec: not with -P" 125 "init: --exec: not with -P or --boot" init --exec -P
waited() { $AS sh -c 'echo go | "$1" --wait=5 -- sh -c "echo ran; ls /proc/self/fd | grep -c ^5\$" 5<&0' sh "$INIT"; }
t "--wait=FD: a byte on FD, closed, then the exec" 1 "ran
0" waited
t "--wait=FD: EOF on FD: 125, nothing runs" 125 "" sh -c "$AS '$INIT' --wait=5 -- echo ran 5</dev/null"
t "--wait=2: not below 3" 125 "init: --wait=2: not a descriptor from 3 to 1023" init --wait=2 true
# --hooks=5,6: sbx's file of an OCI container's own hooks on 5, each
# string NUL-ended; the report (a byte with the code, shown as #, then a
# line) on 6
ihook() { # WORDS... -- CMD...: the report after init's output
	: >"$TMP/blob"
	while [ "$1" != -- ]; do printf '%s\0' "$1" >>"$TMP/blob"; shift; done
	shift
	$AS "$INIT" --hooks=5,6 -- "$@" 5<"$TMP/blob" 6>"$TMP/report" 2>&1
	_s=$?; tr '}' '#' <"$TMP/report"; return $_s
}
t "--hooks: createContainer's, the state on stdin; startContainer's, its env; the command, none of ours" 0 "STATE
start 1
0" ihook STATE createContainer 0 /bin/sh 3 sh -c 'cat; echo' - startContainer 0 /bin/sh 3 sh -c 'echo start $A' 1 A=1 \
	-- sh -c 'ls /proc/self/fd | grep -e "^[56]$" | wc -l'
t "--hooks: a hook has no descriptor of ours but stdio, and init's ids" 0 "0
1
2
3
$($AS id -u)" ihook S startContainer 0 /bin/sh 3 sh -c 'ls /proc/self/fd; id -u' - -- true
t "--hooks: one that fails ends init, 125, and the report says why" 125 "#sbx: hooks: createContainer hook 1 (/bin/false): exit status 1" \
	ihook S createContainer 0 /bin/true 1 true - createContainer 0 /bin/false 1 false - -- echo ran
t "--hooks: one past its timeout is killed" 125 "#sbx: hooks: startContainer hook 0 (/bin/sleep): killed at its timeout, 1 s" \
	ihook S startContainer 1000 /bin/sleep 2 sleep 30 - -- echo ran
t "--hooks: one not found: 127, and why" 125 "sbx: hooks: execve(/nope): No such file or directory
#sbx: hooks: createContainer hook 0 (/nope): exit status 127" ihook S createContainer 0 /nope 1 x - -- echo ran
t "--hooks: a file cut short" 125 "#init: the hooks' file is cut short" ihook S createContainer 0 -- echo ran
t "--hooks: a count that is none" 125 "#init: the hooks' file: x: not a count" ihook S createContainer 0 /bin/true x -- echo ran
t "--hooks: no args" 125 "#init: the hooks' file: a hook with no args" ihook S createContainer 0 /bin/true 0 - -- echo ran
t "--hooks: a kind that is none, and nothing runs before that is seen" 125 "#init: the hooks' file: a kind that is none" \
	ihook S createContainer 0 /bin/echo 2 echo early - poststop 0 /bin/true 1 true - -- echo ran
t "--hooks=5: no report descriptor" 125 "init: --hooks=5: not a descriptor from 3 to 1023" init --hooks=5 true
t "--help" 0 "$("$INIT" --help)" init --help

# signals: every catchable one is forwarded (1 to 31 but KILL, STOP and
# CHLD, and the real-time ones), faults too when sent by kill
sigtest() { # sigtest NAME SIGNAL INITOPTS...
	_sig=$2
	shift 2
	# whatever the harness was started with ignoring (the actions of
	# ignored signals are inherited), init gets the defaults
	rm -f "$TMP/sigs" # or the last test's "ready" could be read
	$AS "$st" default "$INIT" "$@" -- "$st" sigs > "$TMP/sigs" 2>&1 &
	_pid=$!
	waitfor 5 grep -qs ready "$TMP/sigs"
	kill -"$_sig" $_pid
	reap $_pid
	echo "status $?; $(grep got "$TMP/sigs")"
}
for num in $(seq 1 31 | grep -vxE '9|17|19') $(kill -l RTMIN+3) $(kill -l RTMAX); do
	t "SIG$(kill -l $num) is forwarded" 0 "status 0; got $num" sigtest "" $num
done
t "with -g too" 0 "status 0; got 10" sigtest "" USR1 -g
# libc keeps 32 to 34 for itself: the helper cannot catch 33, and dies
t "signal 33 is forwarded, and init survives it" 0 "status 161; " sigtest "" 33
t "a signal pending when init starts reaches the command" 0 "arrived" sh -c \
	'out=$($AS "$INIT" -- "$SBXTEST" pending 10 "$INIT" -- "$SBXTEST" sigs 2>&1); rc=$?
	[ $rc = 138 ] || { [ $rc = 0 ] && echo "$out" | grep -q "got 10"; } && echo arrived'
# with -g the whole group gets it; without, only the command (the shell)
grouptest() {
	rm -f "$W/g1" "$W/g2"
	$AS "$INIT" "$@" -- sh -c "'$st' sigs > '$W/g1' & '$st' sigs > '$W/g2' & wait" 2>&1 &
	_pid=$!
	waitfor 5 grep -qs ready "$W/g1"
	waitfor 5 grep -qs ready "$W/g2"
	kill -USR1 $_pid
	reap $_pid
	echo "status $?; $(cat "$W/g1" "$W/g2" | grep -c "got 10")"
}
t "-g: the command's whole group gets the signal" 0 "status 138; 2" grouptest -g
t "without -g: only the command" 0 "status 138; 0" grouptest

# -p: the parent-death signal is passed on
rm -f "$W/pd"
$AS sh -c "'$INIT' -p USR2 -- '$st' sigs > '$W/pd' 2>&1 &
	i=0; until grep -q ready '$W/pd' || [ \$i -gt 250 ]; do sleep 0.02; i=\$((i+1)); done"
waitfor 5 grep -q got "$W/pd"
t "-p: init's parent dies, the command gets the signal" 0 "got 12" grep got "$W/pd"

# -P: pause until SIGTERM or SIGINT
for s in TERM INT; do
	$AS "$st" default "$INIT" -P &
	pid=$!
	waitfor 5 grep -q sigtimedwait /proc/$pid/wchan
	kill -$s $pid
	reap $pid
	t "-P exits 0 on SIG$s" 0 "" test $? = 0
done

# reaping, as a subreaper and as PID 1
t "subreaper: 5000 orphaned zombies are reaped" 0 "zombies: 0" init -- sh -c \
	"'$st' zombies 5000 && '$st' nozombies 10"
t "PID 1: 5000 orphaned zombies are reaped" 0 "zombies: 0" $AS "$SBX" -r "$R" -- sh -c \
	'sbxtest zombies 5000 && sbxtest nozombies 10'
t "subreaper: a double-forked daemon is reaped" 0 "zombies: 0" init -- sh -c \
	"( (sleep 0.3) & ); sleep 0.6; '$st' nozombies 5"
t "PID 1: a double-forked daemon is reaped" 0 "zombies: 0" $AS "$SBX" -r "$R" -- sh -c \
	'( (sleep 0.3) & ); sleep 0.6; sbxtest nozombies 5'
t "subreaper: a tree 100 deep is reaped" 0 "zombies: 0" init -- sh -c \
	"'$st' tree 100; '$st' nozombies 5"
t "PID 1: a tree 100 deep is reaped" 0 "zombies: 0" $AS "$SBX" -r "$R" -- sh -c \
	'sbxtest tree 100; sbxtest nozombies 5'
t "-w warns about reaped processes, in tini's words" 0 "init: Reaped zombie process with pid=" sh -c \
	"$AS '$INIT' -w -- sh -c \"'$st' zombies 1; sleep 0.3\" 2>&1 | grep -o 'init: Reaped zombie process with pid=' | head -1"
t "-v tells what init does" 0 "init: spawned true" sh -c \
	"$AS '$INIT' -v -- true 2>&1 | grep -o 'init: spawned true'"

# leftovers at exit
rm -f "$W/flushed"
t "not PID 1: leftovers get SIGTERM and --grace to finish" 0 "flushed" sh -c \
	"$AS '$INIT' --grace 5 -- '$st' daemon '$W/flushed' 1 && cat '$W/flushed'"
rm -f "$W/flushed"
t "not PID 1: without --grace, leftovers are killed after a second" 0 "none left" sh -c \
	"$AS '$INIT' -- '$st' daemon '$W/flushed' 3; sleep 0.1;
	pgrep -f '^$st daemon' || [ -e '$W/flushed' ] || echo none left"
rm -f "$W/flushed"
t "PID 1: --grace gives the others SIGTERM and time" 0 "flushed" sh -c \
	"$AS unshare -Upf '$INIT' --grace 5 -- '$st' daemon '$W/flushed' 1; cat '$W/flushed'"
rm -f "$W/flushed"
t "PID 1: without --grace it exits at once" 0 "not flushed" sh -c \
	"$AS unshare -Upf '$INIT' -- '$st' daemon '$W/flushed' 1; sleep 1.5; [ -e '$W/flushed' ] || echo not flushed"

# hygiene
printf '%s\n' '[ "$LISTEN_PID" = "$$" ] && echo pid ok' 'exec "$SBXTEST" fds' > "$TMP/listen.sh"
# the harness may hold descriptors of its own: start from 0, 1 and 2
t "LISTEN_FDS reach the command, LISTEN_PID is rewritten" 0 "pid ok
0 1 2 3" $AS "$st" nofds sh -c 'exec 3</dev/null; LISTEN_FDS=1 LISTEN_PID=$$ exec "$INIT" -- sh "$TMP/listen.sh"'
# init is not dumpable: its /proc entries are read from here, as root
$AS "$st" nofds sh -c "cd '$TMP' && exec '$INIT' -- sleep 1" &
pid=$!
waitfor 5 pgrep -P $pid sleep >/dev/null
t "init's working directory is /" 0 "/" readlink /proc/$pid/cwd
t "the command's is the one init was started in" 0 "$TMP" readlink /proc/$(pgrep -P $pid sleep)/cwd
t "init holds only stdin, stdout and stderr" 0 "0 1 2" sh -c "ls /proc/$pid/fd | sort -n | xargs"
reap $pid
if [ -n "$AS" ]; then
	t "init cannot be read or traced by what it runs" 0 "refused" init -- sh -c \
		'cat /proc/$PPID/environ >/dev/null 2>&1 || echo refused'
else
	skip "init cannot be read or traced by what it runs" "root may read any process"
fi
t "the status stays 127 when stderr is closed" 127 "" sh -c "$AS '$INIT' -- nonexistentcmd 2>&-"
t "--boot when not PID 1: one line, and nothing else is touched" 125 \
	"init: --boot: init is not PID 1" $AS unshare -Upf sh -c '"$INIT" --boot true; exit $?'
t "--boot as PID 1 of a pid namespace: exits with the status at the end" 3 "" \
	sh -c '$AS unshare -Upf "$INIT" --boot -- sh -c "exit 3" 2>/dev/null'

# job control on a real terminal: init gives the shell the terminal
export TS=sbx$$.$n # the tmux server's name, new for each run
shows() { tmux -L "$TS" capture-pane -p | grep -q "$1"; }
jobctl() {
	tmux -L "$TS" new-session -d -x 80 -y 24 "env PS1='$ ' $AS '$INIT' -- sh -i" \
		</dev/null >/dev/null 2>&1 || return
	waitfor 10 shows '^\$'
	jobsteps "$TS" 919 sh
	tmux -L "$TS" kill-server
}
if command -v tmux >/dev/null; then
	t "job control: Ctrl-Z stops, fg resumes, Ctrl-C ends, the shell lives" 0 \
		"stopped
resumed
ended
alive" jobctl
else
	skip "job control under a terminal" "tmux is not installed"
fi
