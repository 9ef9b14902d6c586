# The options of the options issue, each run for real, as the user in
# $AS. Needs: SBX, R, TMP, the harness.

sbx() { $AS "$SBX" "$@"; }
W=$TMP/w
mkdir -p "$W" && chmod 1777 "$W"
D=$W/data-${AS:+nobody}
rm -rf "$D" && mkdir -p "$D" && echo hello > "$D/file" && chmod -R a+rwX "$D"

# mounts
t "-b binds a host directory, writable" 0 "hello
written" sbx -r "$R" -b "$D:/mnt" -- sh -c 'cat /mnt/file && echo written > /mnt/new && cat /mnt/new'
t "... and what was written is on the host" 0 "written" cat "$D/new"
t "--bind=SRC puts it at the same path inside" 0 "$(head -n1 /etc/passwd)" \
	sbx -r "$R" --bind=/etc -- head -n1 /etc/passwd
t "-b binds a single file" 0 "hello" sbx -r "$R" -b "$D/file:/etc/bound" -- cat /etc/bound
t "-B binds read-only" 0 "Read-only file system" sbx -r "$R" -B "$D:/mnt" -- sh -c \
	'touch /mnt/x 2>&1 | grep -o "Read-only file system"'
t "-B is read-only below too" 0 "0" sbx -r "$R" --cap-add SYS_ADMIN -B /dev:/mnt -- sh -c \
	'awk "\$5 ~ /^\/mnt/ && \$6 !~ /^ro/" /proc/self/mountinfo | wc -l'
t "-t mounts an empty tmpfs, nosuid and nodev" 0 "tmpfs rw,nosuid,nodev 0" sbx -r "$R" -t /mnt -- sh -c \
	'echo $(grep " /mnt " /proc/mounts | cut -d" " -f3) $(grep " /mnt " /proc/mounts | cut -d" " -f4 | cut -d, -f1-3) $(ls -A /mnt | wc -l)'
t "mounts apply in the order given" 0 "hello" sbx -r "$R" -t /mnt -b "$D:/mnt/d" -- cat /mnt/d/file
t "-R makes the root read-only" 0 "Read-only file system" sbx -r "$R" -R -- sh -c \
	'touch /x 2>&1 | grep -o "Read-only file system"'
t "-R leaves the other mounts their mode" 0 "ok" sbx -r "$R" -R -t /tmp -- sh -c 'touch /tmp/x && echo ok'

# process
t "-w sets the working directory" 0 "/etc" sbx -r "$R" -w /etc -- pwd
t "--chdir=DIR too" 0 "/proc" sbx -r "$R" --chdir=/proc -- pwd
t "-e sets a variable" 0 "bar baz" sbx -r "$R" -e FOO=bar -e "BAR=baz" -- sh -c 'echo $FOO $BAR'
t "--unsetenv removes one" 0 "unset" sbx -r "$R" --unsetenv HOME -- sh -c 'echo ${HOME-unset}'
t "-E clears the environment, PATH comes back" 0 "A=b
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" sbx -r "$R" -E -e A=b -- printenv
t "-E keeps a PATH given" 0 "PATH=/bin" sbx -r "$R" -E -e PATH=/bin -- printenv
t "changes apply in order" 0 "second" sbx -r "$R" -e X=first -E -e X=second -- sh -c 'echo $X'
t "-u and -g set the ids inside" 0 "1000 100" sbx -r "$R" -u 1000 -g 100 -- sh -c 'echo $(id -u) $(id -g)'
t "... mapped onto the caller's" 0 "1000 $($AS id -u) 1" sbx -r "$R" -u 1000 -- sh -c 'echo $(cat /proc/self/uid_map)'
t "a non-zero uid gets no capabilities" 0 "0000000000000000" sbx -r "$R" -u 1000 -- sh -c \
	'grep CapEff /proc/self/status | cut -f2'
t "... unless added" 0 "0000000000000400" sbx -r "$R" -u 1000 --cap-add NET_BIND_SERVICE -- sh -c \
	'grep CapEff /proc/self/status | cut -f2'

# bad values: one line, 125, nothing made
t "-b of a missing path" 125 "sbx: bind: stat($W/nope): No such file or directory" sbx -r "$R" -b "$W/nope:/mnt" true
t "-b with an empty source" 125 "sbx: -b ':/mnt': empty path" sbx -b :/mnt true
t "-b with a relative destination" 125 "sbx: -b '/tmp:mnt': the place inside must be an absolute path" sbx -b /tmp:mnt true
t "-t with a relative path" 125 "sbx: -t 'tmp': the place inside must be an absolute path" sbx -t tmp true
t "-w of a missing directory" 125 "sbx: chdir: chdir(/nope): No such file or directory" sbx -r "$R" -w /nope true
t "-w empty" 125 "sbx: -w: empty directory name" sbx -w "" true
t "-e without =" 125 "sbx: -e 'FOO': must be NAME=VALUE" sbx -e FOO true
t "-e with an empty name" 125 "sbx: -e '=x': must be NAME=VALUE" sbx -e =x true
t "--unsetenv with =" 125 "sbx: --unsetenv 'A=b': must be a variable's name" sbx --unsetenv A=b true
t "-u not a number" 125 "sbx: -u 'root': not a number from 0 to 4294967294" sbx -u root true
t "-g too large" 125 "sbx: -g '4294967295': not a number from 0 to 4294967294" sbx -g 4294967295 true
t "-u negative" 125 "sbx: -u '-1': not a number from 0 to 4294967294" sbx -u -1 true
t "a symlink as a bind's place inside is refused" 125 \
	"sbx: bind: $R/etc/sbx-link: a symlink where a file must be" sh -c \
	"ln -sf /etc/hostname '$R/etc/sbx-link' 2>/dev/null; $AS '$SBX' -r '$R' -b '$D/file:/etc/sbx-link' true"

# namespaces
t "-n: a new network namespace" 0 "differs" sbx -r "$R" -n -- sh -c \
	"[ \"\$(readlink /proc/self/ns/net)\" != \"$(readlink /proc/self/ns/net)\" ] && echo differs"
t "-n: only loopback, and it is up" 0 "lo 0x9" sbx -r "$R" -n -- sh -c \
	'echo $(ls /sys/class/net) $(cat /sys/class/net/lo/flags)'
t "-n: a fresh sysfs, read-only, in place of the host's" 0 "sysfs ro 0" sbx -r "$R" -n -- sh -c \
	'echo $(awk "\$5 == \"/sys\" { print \$9, substr(\$6, 1, 2) }" /proc/self/mountinfo) $(awk "\$5 ~ /^\/sys\/fs/" /proc/self/mountinfo | wc -l)'
for ns in ipc cgroup time; do
	[ -e /proc/self/ns/$ns ] || { skip "a new $ns namespace" "no $ns namespaces here"; continue; }
	opt=--${ns}ns
	[ $ns = ipc ] && opt=--ipc
	t "$opt: a new $ns namespace" 0 "differs" sbx -r "$R" $opt -- sh -c \
		"[ \"\$(readlink /proc/self/ns/$ns)\" != \"$(readlink /proc/self/ns/$ns)\" ] && echo differs"
done
t "--ipc: a fresh /dev/mqueue" 0 "mqueue" sbx -r "$R" --ipc -- sh -c \
	'awk "\$5 == \"/dev/mqueue\" { print \$9 }" /proc/self/mountinfo'
hostns=$(for ns in net ipc cgroup uts pid mnt user; do readlink /proc/self/ns/$ns; done | xargs)
t "-a: every namespace differs" 0 "7 differ" sbx -r "$R" -a -- sh -c \
	"set -- $hostns; n=0; for ns in net ipc cgroup uts pid mnt user; do
		[ \"\$(readlink /proc/self/ns/\$ns)\" != \"\$1\" ] && n=\$((n + 1)); shift; done; echo \$n differ"
# rlimits
t "--rlimit NAME=SOFT:HARD" 0 "64 128" sbx -r "$R" --rlimit nofile=64:128 -- sh -c \
	'awk "/Max open files/ { print \$4, \$5 }" /proc/self/limits'
t "--rlimit NAME=N sets both, any case" 0 "100 100" sbx -r "$R" --rlimit NOFILE=100 -- sh -c \
	'awk "/Max open files/ { print \$4, \$5 }" /proc/self/limits'
# (not core: an ASan build's init sets that one to 0 for what it runs)
t "--rlimit unlimited" 0 "unlimited unlimited" sbx -r "$R" --rlimit stack=unlimited -- sh -c \
	'awk "/Max stack size/ { print \$4, \$5 }" /proc/self/limits'
t "--rlimit of an unknown resource" 125 \
	"sbx: --rlimit 'bogus=1': must be NAME=SOFT[:HARD] with NAME one of as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack" \
	sbx --rlimit bogus=1 true
t "--rlimit with a bad number" 125 "sbx: --rlimit 'nofile=ten': a limit is a number or unlimited" sbx --rlimit nofile=ten true
t "--rlimit soft above hard" 125 "sbx: --rlimit 'nofile=10:5': the soft limit is above the hard one" sbx --rlimit nofile=10:5 true
# timeout
t "--timeout: SIGTERM when the time is up, status 124" 124 "" sbx -r "$R" --timeout 0.3 -- sleep 10
t "--timeout: SIGKILL when SIGTERM is not enough" 124 "" sbx -r "$R" --timeout 0.2 -- sh -c \
	'trap "" TERM; sleep 5; sleep 5'
t "--timeout: a command that ends in time keeps its status" 3 "" sbx -r "$R" --timeout 5 -- sh -c 'exit 3'
# 2^32 ms (49.7 days) and more once wrapped to 0.7 s, and 2^31 to 2^32
# ms to never
t "--timeout of 4294968 s does not fire at once" 3 "" sbx -r "$R" --timeout 4294968 -- sh -c 'sleep 1.2; exit 3'
t "--timeout of 2147484 s neither" 3 "" sbx -r "$R" --timeout 2147484 -- sh -c 'sleep 0.3; exit 3'
t "--timeout of more than a year is refused" 125 "sbx: --timeout '31536001': more than a year" sbx --timeout 31536001 true
t "--timeout of nothing" 125 "sbx: --timeout '0': not a number of seconds above 0" sbx --timeout 0 true
t "--timeout not a number" 125 "sbx: --timeout '1m': not a number of seconds above 0" sbx --timeout 1m true

# overlay: a rootless overlay copies up only what belongs to mapped ids,
# so the unprivileged user gets a rootfs of its own
OR=$R
if [ -n "$AS" ]; then
	OR=$W/rootfs-nobody
	rm -rf "$OR" && cp -a "$R" "$OR" && chown -R 65534:65534 "$OR"
fi
rm -rf "$W/keep" "$W/keep.work" "$W/lower" && mkdir -p "$W/lower/etc" && echo from-lower > "$W/lower/lowerfile" &&
	echo lower > "$W/lower/etc/sbx-rootfs" && chmod -R a+rwX "$W/lower"
t "-o: the sandbox may write anywhere it could" 0 "written" sbx -r "$OR" -o -- sh -c \
	'echo written > /tmp/sbx-o && cat /tmp/sbx-o'
t "-o: ... and the rootfs is not written" 0 "absent" sh -c "[ -e '$OR/tmp/sbx-o' ] || echo absent"
t "-o: ... nor seen by the next run" 0 "absent" sbx -r "$OR" -o -- sh -c '[ -e /tmp/sbx-o ] || echo absent'
t "--overlay-dir keeps the layer" 0 "kept" sh -c \
	"$AS '$SBX' -r '$OR' --overlay-dir '$W/keep' -- sh -c 'echo kept > /tmp/sbx-keep' &&
	$AS '$SBX' -r '$OR' --overlay-dir '$W/keep' -- cat /tmp/sbx-keep"
t "... in DIR, the rootfs untouched" 0 "kept absent" sh -c \
	"echo \$(cat '$W/keep/tmp/sbx-keep') \$([ -e '$OR/tmp/sbx-keep' ] || echo absent)"
t "-l stacks a layer under the rootfs" 0 "from-lower" sbx -r "$R" -l "$W/lower" -- cat /lowerfile
t "-l: the rootfs wins over its layers" 0 "sbx test rootfs" sbx -r "$R" -l "$W/lower" -- cat /etc/sbx-rootfs
t "-l without -o: read-only" 0 "Read-only file system" sbx -r "$R" -l "$W/lower" -- sh -c \
	'touch /tmp/x 2>&1 | grep -o "Read-only file system"'
rm -rf "$W/odd:lay" && cp -a "$R" "$W/odd:lay" && mkdir -p "$W/odd"
t "-r with a colon, when overlayfs would split it" 125 \
	"sbx: -r '$W/odd:lay': with -o or -l, must be a path without ',', ':' or '\\'" sbx -r "$W/odd:lay" -l "$R" true
t "-r with a comma and -o" 125 \
	"sbx: -r '$W/odd,lay': with -o or -l, must be a path without ',', ':' or '\\'" sbx -r "$W/odd,lay" -o true
t "-r with a colon and no overlay is fine" 0 "" sbx -r "$W/odd:lay" -- true
rm -rf "$W/odd:lay" "$W/odd"
# copy-up keeps owners, and one the sandbox cannot map fails every write
if [ -n "$AS" ]; then
	t "-o over a rootfs the user's ids do not own: one warning, with the fix" 0 \
		"sbx: overlay: warning: $R belongs to 0:0, which the sandbox cannot map: writing under it will fail with EOVERFLOW (hint: chown -R 65534:65534 $R, or --map-users and --map-groups)" \
		sbx -r "$R" -o -- true
else
	rm -rf "$W/gr" && cp -a "$R" "$W/gr" && chgrp 65534 "$W/gr/etc"
	t "-o over a rootfs of an unmapped group: one warning, with the fix" 0 \
		"Value too large for defined data type
sbx: overlay: warning: $W/gr/etc belongs to 0:65534, which the sandbox cannot map: writing under it will fail with EOVERFLOW (hint: chown -R 0:0 $W/gr, or --map-users and --map-groups)" sbx -r "$W/gr" -o -- sh -c 'touch /etc/x 2>&1 | grep -o "Value too large.*"'
	rm -rf "$W/gr"
fi
t "-o over a rootfs the user owns: no warning" 0 "written" sbx -r "$OR" -o -- sh -c 'touch /bin/x && echo written'
t "a layer path with a colon" 125 "sbx: -l '/a:b': must be a path without ',', ':' or '\\'" sbx -l /a:b true

