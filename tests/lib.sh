# The test harness, sourced by tests/check: TAP lines, one count for all.
# Suites run in this one shell, so the counts and the numbering carry on.
n=0 passed=0 failed=0 skipped=0
who=                   # "[root] ", "[nobody] ": which user a test ran as
AS=                    # command prefix that runs as that user

pass() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $who$1"; }
skip() { n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n - $who$1 # SKIP $2"; }
fail() {
	n=$((n + 1)); failed=$((failed + 1))
	echo "not ok $n - $who$1"
	shift
	printf '%s\n' "$@" | sed 's/^/#   /'
}

# t NAME STATUS OUTPUT CMD...: CMD exits with STATUS and prints OUTPUT
# (stdout then stderr, as one string; trailing newlines dropped)
t() {
	_name=$1 _want=$2 _out=$3
	shift 3
	_got=$("$@" 2>"$TMP/stderr")
	_rc=$?
	_got=$(printf '%s' "$_got"; [ -s "$TMP/stderr" ] && { [ -n "$_got" ] && echo; cat "$TMP/stderr"; })
	if [ "$_rc" = "$_want" ] && [ "$_got" = "$_out" ]; then
		pass "$_name"
	else
		fail "$_name" "expected status $_want and:" "$_out" "got status $_rc and:" "$_got"
	fi
}

# ok NAME CMD...: CMD succeeds
ok() {
	_name=$1
	shift
	if _got=$("$@" 2>&1); then pass "$_name"; else fail "$_name" "$_got"; fi
}

# waitfor SECS CMD...: poll until CMD succeeds
waitfor() {
	_i=0 _n=$(($1 * 50))
	shift
	until "$@"; do
		_i=$((_i + 1))
		[ $_i -ge $_n ] && return 1
		sleep 0.02
	done
}

# reap PID [SECS]: wait for background job PID, killing it if it is still
# running after SECS (10): a test that fails must not hang the suite
reap() {
	waitfor "${2:-10}" sh -c 'grep -qs ") Z" /proc/$1/stat || ! [ -e /proc/$1 ]' sh "$1" ||
		kill -9 "$1" 2>/dev/null
	wait "$1"
}

# statuses CMD...: run CMD sh -c "exit N" for N from 0 to 255; print the
# N:STATUS pairs that differ
statuses() {
	_bad=
	for _i in $(seq 0 255); do
		"$@" sh -c "exit $_i"
		_rc=$?
		[ $_rc = $_i ] || _bad="$_bad $_i:$_rc"
	done
	printf %s "$_bad"
}

# jobsteps SERVER N WORD: in the interactive shell of tmux server SERVER,
# stop "sleep N" with Ctrl-Z, resume it with fg, end it with Ctrl-C, then
# have the shell say "WORD alive"; print each step that worked
jobsteps() {
	tmux -L "$1" send-keys "sleep $2" Enter
	waitfor 10 pgrep -x -f "sleep $2" >/dev/null
	tmux -L "$1" send-keys C-z
	waitfor 10 sh -c 'ps -o stat= -p "$(pgrep -x -f "sleep $1")" | grep -q ^T' sh "$2" &&
		echo stopped
	tmux -L "$1" send-keys fg Enter
	waitfor 10 sh -c 'ps -o stat= -p "$(pgrep -x -f "sleep $1")" | grep -q ^S' sh "$2" &&
		echo resumed
	tmux -L "$1" send-keys C-c
	waitfor 10 sh -c '! pgrep -x -f "sleep $1" >/dev/null' sh "$2" && echo ended
	tmux -L "$1" send-keys "echo \"$3\" alive" Enter
	waitfor 10 sh -c 'tmux -L "$1" capture-pane -p | grep -q "^$2 alive"' sh "$1" "$3" &&
		echo alive
}

# sigconf CMD...: the SigBlk and SigIgn that CMD prints, from a
# /proc/PID/status, when it was started with TTIN ILL TERM blocked and
# TTOU SYS INT ignored, and every other signal as by default
sigconf() {
	"$SBXTEST" default "$SBXTEST" ignore 22,31,2 "$SBXTEST" block 21,4,15 "$@" |
		awk '/^Sig(Blk|Ign)/ { print $2 }'
}

summary() { echo "$passed passed, $failed failed, $skipped skipped"; }
