# Bad input, one line per case: the exact one-line message on stderr, the
# status (125, or 126/127 for the command), nothing on stdout, and after
# it no new mount on the host and no process left. As the user in $AS.
# Needs: SBX, R, TMP, the harness.

B=$TMP/bad$($AS id -u)
mkdir -p "$B/empty" "$B/noperm" "$B/hostile" "$B/xdg" && touch "$B/afile" &&
	chown -hR "$($AS id -u)" "$B" && chmod 000 "$B/noperm" && chmod 700 "$B/xdg" &&
	ln -sfn /etc "$B/hostile/proc"
LONG=/$(printf 'x%.0s' $(seq 1 5000))
# a long name in a message keeps its first 500 bytes and its last 60
short() { if [ ${#1} -gt 600 ]; then printf %s "${1:0:500}...${1: -60}"; else printf %s "$1"; fi; }
TOOLONG="Filename too long" # musl's words; glibc's:
case $SBX in */asan/*) TOOLONG="File name too long";; esac
MARK=sbxbad$$

# bad STATUS MESSAGE ARG...: sbx ARG... fails cleanly
bad() {
	_want=$1 _msg=$2
	shift 2
	_mounts=$(wc -l < /proc/self/mountinfo)
	$AS env SBXBAD=$MARK XDG_RUNTIME_DIR="$B/xdg" "$SBX" "$@" >"$TMP/bad.out" 2>"$TMP/bad.err"
	_rc=$?
	_left=$(grep -l "SBXBAD=$MARK" /proc/[0-9]*/environ 2>/dev/null | grep -v "/proc/$$/")
	_why=
	[ "$_rc" = "$_want" ] || _why="status $_rc, not $_want"
	[ "$(cat "$TMP/bad.err")" = "$_msg" ] && [ "$(wc -l < "$TMP/bad.err")" = 1 ] ||
		_why="$_why; stderr: $(cat "$TMP/bad.err")"
	[ -s "$TMP/bad.out" ] && _why="$_why; stdout: $(cat "$TMP/bad.out")"
	[ "$(wc -l < /proc/self/mountinfo)" = "$_mounts" ] || _why="$_why; a mount was left"
	[ -n "$_left" ] && _why="$_why; processes left: $_left"
	if [ -z "$_why" ]; then pass "bad input: sbx $(printf '%.60s' "$*")"
	else fail "bad input: sbx $(printf '%.60s' "$*")" "$_msg" "$_why"; fi
}

# options and their values
bad 125 "sbx: -r: missing value" -r
bad 125 "sbx: -r: empty directory name" -r ""
bad 125 "sbx: --bogus: unknown option (see sbx --help)" -r "$R" --bogus
bad 125 "sbx: -Z: unknown option (see sbx --help)" -r "$R" -Z
bad 125 "sbx: --net: takes no value" -r "$R" --net=1
bad 125 "sbx: -h '': must be 1 to 64 bytes" -r "$R" -h ""
bad 125 "sbx: -h '$(printf 'h%.0s' $(seq 1 65))': must be 1 to 64 bytes" -r "$R" -h "$(printf 'h%.0s' $(seq 1 65))"
bad 125 "sbx: -b '': empty path" -r "$R" -b ""
bad 125 "sbx: -b ':/x': empty path" -r "$R" -b :/x
bad 125 "sbx: -b '/tmp:rel': the place inside must be an absolute path" -r "$R" -b /tmp:rel
bad 125 "sbx: -t 'rel': the place inside must be an absolute path" -r "$R" -t rel
bad 125 "sbx: -w: empty directory name" -r "$R" -w ""
bad 125 "sbx: -e 'NOEQ': must be NAME=VALUE" -r "$R" -e NOEQ
bad 125 "sbx: -e '=v': must be NAME=VALUE" -r "$R" -e =v
bad 125 "sbx: --unsetenv 'A=B': must be a variable's name" -r "$R" --unsetenv A=B
bad 125 "sbx: -u '-1': not a number from 0 to 4294967294" -r "$R" -u -1
bad 125 "sbx: -u '4294967295': not a number from 0 to 4294967294" -r "$R" -u 4294967295
bad 125 "sbx: -g 'abc': not a number from 0 to 4294967294" -r "$R" -g abc
bad 125 "sbx: -g '99999999999999999999999': not a number from 0 to 4294967294" -r "$R" -g 99999999999999999999999
bad 125 "sbx: --rlimit 'bogus=1': must be NAME=SOFT[:HARD] with NAME one of as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack" -r "$R" --rlimit bogus=1
bad 125 "sbx: --rlimit 'nofile=2:1': the soft limit is above the hard one" -r "$R" --rlimit nofile=2:1
bad 125 "sbx: --rlimit 'nofile=-1': a limit is a number or unlimited" -r "$R" --rlimit nofile=-1
bad 125 "sbx: --rlimit 'nofile=99999999999999999999999': a limit is a number or unlimited" -r "$R" --rlimit nofile=99999999999999999999999
bad 125 "sbx: --timeout '0': not a number of seconds above 0" -r "$R" --timeout 0
bad 125 "sbx: --timeout '1e99': not a number of seconds above 0" -r "$R" --timeout 1e99
bad 125 "sbx: --timeout 'nan': not a number of seconds above 0" -r "$R" --timeout nan
bad 125 "sbx: --timeout '4294967296': more than a year" -r "$R" --timeout 4294967296
bad 125 "sbx: -r '$B/a:b': with -o or -l, must be a path without ',', ':' or '\\'" -r "$B/a:b" -o
bad 125 "sbx: --cap-add 'NOPE': no such capability" -r "$R" --cap-add NOPE
bad 125 "sbx: --cap-drop '': no such capability" -r "$R" --cap-drop ""
bad 125 "sbx: --seccomp 'maybe': must be on or off" -r "$R" --seccomp maybe
bad 125 "sbx: --overlay-dir 'a,b': must be a path without ',', ':' or '\\'" -r "$R" --overlay-dir a,b
bad 125 "sbx: -l '': must be a path without ',', ':' or '\\'" -r "$R" -l ""
bad 125 "sbx: --name '.hidden': 1 to 64 letters, digits, '_', '.' or '-', not first '.' or '-'" -r "$R" --name .hidden
bad 125 "sbx: --name '$(printf '\377')': 1 to 64 letters, digits, '_', '.' or '-', not first '.' or '-'" -r "$R" --name "$(printf '\377')"
# conflicts
bad 125 "sbx: --log: only with --detach" -r "$R" --log /dev/null
bad 125 "sbx: --pty: a detached sandbox has no terminal" -r "$R" -d --pty
bad 125 "sbx: --json: not an option here (see sbx --help)" -r "$R" --json
# a hint only where its cause can be: not for a --log path
bad 125 "sbx: detach: open($B/afile/log): Not a directory" -r "$R" -d --log "$B/afile/log"
# odd rootfs
bad 125 "sbx: rootfs: stat(/nonexistent): No such file or directory" -r /nonexistent
bad 125 "sbx: rootfs: $B/afile: not a directory" -r "$B/afile"
bad 125 "sbx: rootfs: $(short "stat($LONG):") $TOOLONG" -r "$LONG"
bad 125 "sbx: proc: open($B/hostile/proc): Not a directory (a symlink or a file where a directory must be)" -r "$B/hostile"
bad 127 "sbx: exec: /bin/sh: command not found in $B/empty" -r "$B/empty"
[ -n "$AS" ] && bad 125 "sbx: proc: open($B/noperm/proc): Permission denied" -r "$B/noperm"
bad 125 "sbx: bind: stat(/nonexistent): No such file or directory" -r "$R" -b /nonexistent
bad 125 "sbx: chdir: chdir(/nonexistent): No such file or directory" -r "$R" -w /nonexistent
bad 125 "sbx: chdir: $(short "chdir($LONG):") $TOOLONG" -r "$R" -w "$LONG"
# commands
bad 127 "sbx: exec: nosuch: command not found in $R" -r "$R" -- nosuch
bad 127 "sbx: exec: '': command not found" -r "$R" -- ""
bad 127 "sbx: exec: $(printf '\377\376'): command not found in $R" -r "$R" -- "$(printf '\377\376')"
bad 127 "sbx: exec: a?[31m: command not found in $R" -r "$R" -- "$(printf 'a\033[31m')"
bad 126 "sbx: exec: /etc: Is a directory" -r "$R" -- /etc
bad 126 "sbx: exec: /etc/sbx-rootfs: Permission denied" -r "$R" -- /etc/sbx-rootfs
bad 127 "sbx: exec: nosuch: command not found in $R" -r "$R" -d -- nosuch
# verbs
bad 125 "sbx: kill: usage: sbx kill NAME [SIGNAL]" kill
bad 125 "sbx: kill: usage: sbx kill NAME [SIGNAL]" kill a b c
bad 125 "sbx: kill: NOPE: no such signal" kill a NOPE
bad 125 "sbx: kill: 99999: no such signal" kill a 99999
bad 125 "sbx: stop: SECONDS '-1': not a number of seconds from 0" stop a -1
bad 125 "sbx: exec: usage: sbx exec [--pty|--no-pty] [-w DIR] [-e NAME=VALUE] NAME [--] [command [arg...]]" exec
bad 125 "sbx: wait: $(printf '\377'): no such sandbox (sbx ps lists them)" wait "$(printf '\377')"
bad 125 "sbx: exec: ../x: no such sandbox (sbx ps lists them)" exec ../x true
bad 125 "sbx: ps: usage: sbx ps [--json]" ps extra
bad 125 "sbx: ps: --root: not an option here (see sbx --help)" ps -r "$R"
bad 125 "sbx: stop: nosuch: no such sandbox (sbx ps lists them)" stop nosuch
