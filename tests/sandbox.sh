# sbx's behaviour, black-box, as the user in $AS. Needs: SBX, R (the
# test rootfs), TMP, and the harness (lib.sh).

sbx() { $AS "$SBX" "$@"; }
uid=$($AS id -u) gid=$($AS id -g)
mounts_before=$(wc -l < /proc/self/mountinfo)

# identity
t "default hostname is sbx" 0 "sbx" sbx -r "$R" -- hostname
t "-h sets the hostname" 0 "box" sbx -r "$R" -h box -- hostname
t "--hostname=NAME sets the hostname" 0 "box2" sbx -r "$R" --hostname=box2 -- hostname
t "uid and gid 0 inside" 0 "0 0" sbx -r "$R" -- sh -c 'echo $(id -u) $(id -g)'
t "uid_map maps 0 onto the caller" 0 "0 $uid 1" sbx -r "$R" -- sh -c 'echo $(cat /proc/self/uid_map)'
t "gid_map maps 0 onto the caller" 0 "0 $gid 1" sbx -r "$R" -- sh -c 'echo $(cat /proc/self/gid_map)'
t "setgroups is deny" 0 "deny" sbx -r "$R" -- cat /proc/self/setgroups
t "the rootfs is /" 0 "sbx test rootfs" sbx -r "$R" -- cat /etc/sbx-rootfs
t "--root=DIR and -rDIR work" 0 "sbx test rootfs
sbx test rootfs" sh -c 'sbx() { $AS "$SBX" "$@"; }; sbx --root="$R" -- cat /etc/sbx-rootfs && sbx -r"$R" -- cat /etc/sbx-rootfs'
t "without -r the host's / is the root" 0 "$(cat /etc/hostname 2>/dev/null || echo none)" sbx -- sh -c 'cat /etc/hostname 2>/dev/null || echo none'
t "the command defaults to /bin/sh" 0 "from sh" sh -c 'echo "echo from sh" | $AS "$SBX" -r "$R"'

# processes
t "PID 1 is init" 0 "init" sbx -r "$R" -- cat /proc/1/comm
t "the command is PID 2" 0 "2" sbx -r "$R" -- sh -c 'echo $$'
t "/proc shows only the sandbox" 0 "1 2" sbx -r "$R" -- sh -c 'cd /proc && echo [0-9]*'
t "/proc is mounted nosuid,nodev,noexec" 0 "proc rw,nosuid,nodev,noexec,relatime" \
	sbx -r "$R" -- sh -c 'grep "^proc /proc " /proc/mounts | cut -d" " -f3-4'
for ns in user pid mnt uts; do
	t "a new $ns namespace" 0 "differs" sbx -r "$R" -- sh -c \
		"[ \"\$(readlink /proc/self/ns/$ns)\" != \"$(readlink /proc/self/ns/$ns)\" ] && echo differs"
done
t "the network namespace is the host's" 0 "same" sbx -r "$R" -- sh -c \
	"[ \"\$(readlink /proc/self/ns/net)\" = \"$(readlink /proc/self/ns/net)\" ] && echo same"

# /dev
want=
for d in null zero full random urandom tty; do
	want="$want$d $(stat -c '%t:%T' /dev/$d)
"
done
t "/dev holds the host's nodes, same numbers" 0 "${want%?}" sbx -r "$R" -- sh -c \
	'for d in null zero full random urandom tty; do test -c /dev/$d && stat -c "$d %t:%T" /dev/$d; done'
t "/dev's symlinks" 0 "/proc/self/fd /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2 pts/ptmx" \
	sbx -r "$R" -- sh -c 'for l in fd stdin stdout stderr ptmx; do readlink /dev/$l; done | xargs'
t "/dev is a tmpfs, /dev/pts a new devpts, /dev/shm a tmpfs" 0 "tmpfs devpts tmpfs" \
	sbx -r "$R" -- sh -c 'for m in /dev /dev/pts /dev/shm; do grep " $m " /proc/mounts | cut -d" " -f3; done | xargs'
t "/dev/null swallows, /dev/zero gives zeros" 0 "0000000 000000 000000
0000004" sbx -r "$R" -- sh -c 'echo x > /dev/null && head -c 4 /dev/zero | od'
t "/dev/ptmx gives a pty of the sandbox's own" 0 "/dev/pts/0" sbx -r "$R" -- sh -c \
	'exec 3<>/dev/ptmx && ls /dev/pts | grep -v ptmx | sed "s|^|/dev/pts/|"'

# mounts
t "a tmpfs mounted inside works (with CAP_SYS_ADMIN)" 0 "tmpfs" sbx -r "$R" --cap-add SYS_ADMIN -- sh -c \
	'mount -t tmpfs none /mnt && grep " /mnt " /proc/mounts | cut -d" " -f3'
t "... and is not visible on the host" 0 "0" sh -c "grep -c ' $R/mnt ' /proc/self/mountinfo; :"
t "the host's mount table is unchanged" 0 "$mounts_before" sh -c 'wc -l < /proc/self/mountinfo'

# exit statuses
t "exit statuses 0 to 255 pass through" 0 "" statuses sbx -r "$R" --
for s in HUP INT QUIT ILL ABRT FPE KILL USR1 SEGV USR2 PIPE ALRM TERM; do
	num=$(kill -l $s)
	t "death by SIG$s gives $((128 + num))" $((128 + num)) "" sbx -r "$R" -- sbxtest raise $num
done

# signals sent to sbx reach the command (a shell starts background jobs
# with INT and QUIT ignored, and sbx leaves ignored signals alone)
for s in TERM INT HUP QUIT USR1 USR2 WINCH; do
	num=$(kill -l $s)
	rm -f "$TMP/sigs" # or the last test's "ready" could be read
	$AS "$SBXTEST" default "$SBX" -r "$R" -- sbxtest sigs > "$TMP/sigs" 2>&1 &
	pid=$!
	waitfor 5 grep -qs ready "$TMP/sigs"
	kill -$s $pid
	reap $pid
	rc=$?
	t "SIG$s sent to sbx reaches the command" 0 "got $num" sh -c "[ $rc = 0 ] && grep got '$TMP/sigs'"
done
# the command's blocked and ignored signals are the caller's: sbx keeps
# those it forwards blocked until init takes them, which gives the
# command the caller's mask, not that one
t "the command blocks and ignores no signal when the caller does not" 0 \
	"0000000000000000
0000000000000000" sh -c "'$SBXTEST' default $AS '$SBX' -r '$R' -- cat /proc/self/status |
	awk '/^Sig(Blk|Ign)/ { print \$2 }'"
t "the command blocks and ignores what the caller did" 0 "0000000000104008
0000000040200002" sigconf $AS "$SBX" -r "$R" -- cat /proc/self/status

# reaping
t "500 orphaned zombies are all reaped" 0 "zombies: 0" sbx -r "$R" -- sh -c \
	'sbxtest zombies 500 && sbxtest nozombies 5'

# the sandbox dies with sbx
marker=$(($$ + 10000)).5
$AS "$SBX" -r "$R" -- sleep "$marker" &
pid=$!
waitfor 5 pgrep -f "sleep $marker" >/dev/null
kill -9 $pid
wait $pid 2>/dev/null
waitfor 2 sh -c "! pgrep -f 'sleep $marker' >/dev/null"
t "kill -9 of sbx leaves no sandbox process" 1 "" pgrep -f "sleep $marker"

# stdio and arguments
t "stdin passes through" 0 "hello" sh -c 'echo hello | $AS "$SBX" -r "$R" -- cat'
t "stdout and stderr stay apart" 0 "out" sh -c '$AS "$SBX" -r "$R" -- sh -c "echo out; echo err >&2" 2>/dev/null'
t "stderr passes through" 0 "err" sh -c '$AS "$SBX" -r "$R" -- sh -c "echo out; echo err >&2" 2>&1 >/dev/null'
t "arguments with spaces and empty ones survive" 0 "[a b][][ c ][*]" \
	sbx -r "$R" -- sh -c 'printf "[%s]" "$@"' x "a b" "" " c " "*"
t "descriptors above 2 are not inherited" 0 "0 1 2" sh -c 'exec 3</dev/null 4>/dev/null; $AS "$SBX" -r "$R" -- sbxtest fds'
t "stdin that is not a terminal: a new session" 0 "1" sh -c '$AS "$SBX" -r "$R" -- sh -c "cut -d\" \" -f6 /proc/1/stat" </dev/null'
t "no_new_privs is set" 0 "NoNewPrivs:	1" sbx -r "$R" -- grep NoNewPrivs /proc/self/status

# errors: one line, the right status, nothing left behind
long=$(printf '%065d' 0)
t "--help prints the usage" 0 "$("$SBX" --help)" sbx --help
t "--version" 0 "sbx $VERSION" sbx --version
t "unknown option" 125 "sbx: --bogus: unknown option (see sbx --help)" sbx --bogus
t "unknown short option" 125 "sbx: -x: unknown option (see sbx --help)" sbx -x true
t "missing value" 125 "sbx: -r: missing value" sbx -r
t "flag given a value" 125 "sbx: --version: takes no value" sbx --version=1
t "empty root" 125 "sbx: --root: empty directory name" sbx --root= true
t "hostname too long" 125 "sbx: -h '$long': must be 1 to 64 bytes" sbx -h "$long" true
t "missing rootfs" 125 "sbx: rootfs: stat($TMP/none): No such file or directory" sbx -r "$TMP/none" true
t "rootfs that is a file" 125 "sbx: rootfs: $R/etc/passwd: not a directory" sbx -r "$R/etc/passwd" true
t "command not found" 127 "sbx: exec: nope: command not found in $R" sbx -r "$R" -- nope
t "command path not found" 127 "sbx: exec: /bin/nope: command not found in $R" sbx -r "$R" -- /bin/nope
t "command is a directory" 126 "sbx: exec: /etc: Is a directory" sbx -r "$R" -- /etc
t "command not executable" 126 "sbx: exec: /etc/passwd: Permission denied" sbx -r "$R" -- /etc/passwd
t "a PATH directory that cannot be searched: still 127" 127 \
	"sbx: exec: nonexistentcmd: command not found in /" sh -c 'PATH=/root:/bin $AS "$SBX" -- nonexistentcmd'
t "-- ends the options" 127 "sbx: exec: -h: command not found in $R" sbx -r "$R" -- -h

# a hostile rootfs: symlinks where sbx mounts must not reach the host
H=$TMP/hostile
for what in proc dev; do
	rm -rf "$H" "$TMP/target"
	mkdir -p "$TMP/target"
	cp -a "$R" "$H"
	rm -rf "$H/$what"
	ln -s "$TMP/target" "$H/$what"
	t "a symlink at /$what is refused" 125 \
		"sbx: $what: open($H/$what): Not a directory (a symlink or a file where a directory must be)" \
		sbx -r "$H" -- true
	t "... and nothing was mounted or written on the host" 0 "0 0" sh -c \
		"echo \$(grep -c '$TMP/target' /proc/self/mountinfo) \$(ls -A '$TMP/target' | wc -l)"
	rm -rf "$H"
done
t "the host's mount table is unchanged after the errors" 0 "$mounts_before" sh -c 'wc -l < /proc/self/mountinfo'
t "no sandbox process is left" 1 "" pgrep -f "$SBX"
# a user namespace of our own where no more may be made, as when disabled
t "user namespaces disabled: exit 125 with a hint" 125 \
	"sbx: namespaces: clone: No space left on device (hint: user namespaces may be disabled: see sysctl user.max_user_namespaces and kernel.unprivileged_userns_clone)" \
	$AS unshare -Ur sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$SBX" -r "$R" true'
