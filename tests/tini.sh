# init as a drop-in for tini and dumb-init, as the user in $AS. Needs
# what init.sh needs. Every case tini's own test script checks is here,
# in our words, or in init.sh (exit statuses 0 to 255 and 128+N, -p);
# all but its "reaping failure" case: that one checks a weakness of
# tini's, that it reaps nothing when neither PID 1 nor a subreaper, and
# init is a subreaper by itself.

st=$SBXTEST
W=$TMP/w # writable by every user
mkdir -p "$W" && chmod 1777 "$W"

# -e, for each code: given, it is reported as 0; not given, it passes
# through 255 others, which no "--" ends
remap() {
	_all=$(seq 0 255) _bad=
	for _i in $_all; do
		$AS "$INIT" -e $_i -- sh -c "exit $_i" || _bad="$_bad $_i:$?"
		$AS "$INIT" $(echo "$_all" | sed "/^$_i\$/d; s/^/-e /") sh -c "exit $_i"
		_rc=$?
		[ $_rc = $_i ] || _bad="$_bad others-$_i:$_rc"
	done
	printf %s "$_bad"
}
t "-e N reports N as 0, and -e for every other code leaves N" 0 "" remap

# the command orphans ten processes that outlive it a while, and waits
# until each one is reaped: a zombie keeps its /proc entry until then
cat > "$TMP/orphans.sh" <<'EOF'
pids=$(sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.$i >/dev/null & echo $!; done')
i=0
for p in $pids; do
	while [ -e /proc/$p ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
done
left=
for p in $pids; do [ -e /proc/$p ] && left="$left $p"; done
echo "left:$left"
EOF
# reports INIT...: how many of those init reports with -w, as tini words it
reports() {
	"$@" -w -- sh "$TMP/orphans.sh" 2>&1 >/dev/null |
		awk '/^init: Reaped zombie process with pid=[0-9]+$/ { n++ } END { print n + 0 }'
}
# killed SIGNAL INIT...: SIGNAL sent to init ends the command, with the
# default action for it, and init exits 128+N
killed() {
	_sig=$1
	shift
	"$@" -- "$st" default sleep 30 &
	_pid=$!
	waitfor 5 pgrep -x -P $_pid sleep >/dev/null
	kill -"$_sig" $_pid
	reap $_pid
}
# init as a supervisor that is a subreaper starts it (tini's "proxy"),
# with -s, and with TINI_SUBREAPER (any value, the empty one too)
for how in proxy -s TINI_SUBREAPER; do
	case $how in
	proxy) start="$st subreaper $INIT" ;;
	-s) start="$INIT -s" ;;
	*) start="env TINI_SUBREAPER= $INIT" ;;
	esac
	t "$how: the command's orphans are reaped, and not reported" 0 "left:" \
		$AS $start -- sh "$TMP/orphans.sh"
	t "$how: with -w each is reported as tini does" 0 "10" reports $AS $start
	for s in TERM USR1 USR2; do
		num=$(kill -l $s)
		t "$how: SIG$s ends the command, init exits $((128 + num))" \
			$((128 + num)) "" killed $s $AS $start
	done
done

# TINI_VERBOSITY: 0 silences warnings, -w's too; 2 and 3 are -v; a -v
# given wins
t "TINI_VERBOSITY=0: no warning" 0 "0" reports $AS env TINI_VERBOSITY=0 "$INIT"
t "TINI_VERBOSITY=0 and -v: -v wins" 0 "10" reports $AS env TINI_VERBOSITY=0 "$INIT" -v
t "TINI_VERBOSITY=1: no diagnostics" 0 "" $AS env TINI_VERBOSITY=1 "$INIT" -- true
for v in 2 3; do
	t "TINI_VERBOSITY=$v: diagnostics, as -v" 0 "init: spawned true" sh -c \
		"$AS env TINI_VERBOSITY=$v '$INIT' -- true 2>&1 | grep -o 'init: spawned true'"
done
t "TINI_VERBOSITY must be a number" 125 "init: TINI_VERBOSITY=x: not a number from 0 to 3" \
	$AS env TINI_VERBOSITY=x "$INIT" -- true
t "TINI_VERBOSITY=0 keeps the command's exec failure" 127 \
	"init: exec nope: No such file or directory" $AS env TINI_VERBOSITY=0 "$INIT" nope
t "--exec, no init, reads none of them" 0 "" $AS env TINI_VERBOSITY=x "$INIT" --exec true

# -g and TINI_KILL_PROCESS_GROUP: the command ignores USR1, its child,
# the signal's target, does not; the child dies, then the command
pgroup() {
	# 2>/dev/null: dash would say how the child died
	"$@" -- sh -c "trap '' USR1; '$st' default sleep 30 & wait \$! 2>/dev/null" &
	_pid=$!
	waitfor 5 sh -c 'pgrep -x -P "$(pgrep -P $1)" sleep' sh $_pid >/dev/null 2>&1
	kill -USR1 $_pid
	reap $_pid
}
t "-g: a grandchild gets the signal its parent ignores" 138 "" pgroup $AS "$INIT" -g
t "TINI_KILL_PROCESS_GROUP: the same, as -g" 138 "" \
	pgroup $AS env TINI_KILL_PROCESS_GROUP=1 "$INIT"

# the signal configuration: the command's blocked and ignored signals
# are those init was given, the forwarded ones among them (INT, TERM)
# and those init touches (TTOU); not SEGV, which Linux 6.18 resets
t "the command's blocked and ignored signals are those init was given" 0 \
	"0000000000104008
0000000040200002" sigconf $AS "$INIT" -- cat /proc/self/status
t "none blocked, none ignored when init was given none" 0 "0000000000000000
0000000000000000" sh -c "'$st' default $AS '$INIT' -- cat /proc/self/status |
	awk '/^Sig(Blk|Ign)/ { print \$2 }'"
t "TINI_ variables leave it so" 0 "0000000000104008
0000000040200002" sigconf $AS env TINI_SUBREAPER= TINI_KILL_PROCESS_GROUP= \
	"$INIT" -- cat /proc/self/status

# dumb-init's: with -g, once the command exits, its group gets SIGTERM,
# also a process whose parent lives on (and ignores SIGTERM)
cat > "$TMP/leftover.sh" <<'EOF'
# leftover.sh SBXTEST FILE: leave a shell that ignores SIGTERM, and its
# child, which writes the signals it gets to FILE
sh -c 'trap "" TERM; "$0" sigs > "$1" & wait' "$1" "$2" &
i=0
until grep -qs ready "$2" || [ $i -gt 250 ]; do sleep 0.02; i=$((i + 1)); done
EOF
rm -f "$W/lt"
t "-g: once the command exits, its whole group gets SIGTERM" 0 "got 15" sh -c \
	"$AS '$INIT' -g -- sh '$TMP/leftover.sh' '$st' '$W/lt'; grep got '$W/lt'"
