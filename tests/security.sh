# The security defaults, each attacked from inside, as the user in $AS.
# Needs: SBX, R, TMP, FSBX (the fault-injection build, may be empty), the
# harness. The README's Security table names these tests.

sbx() { $AS "$SBX" "$@"; }
mounts_before=$(wc -l < /proc/self/mountinfo)
W=$TMP/w
mkdir -p "$W" && chmod 1777 "$W"

# 1. no host descriptor gets in, even one not marked close-on-exec
t "fds: a descriptor passed without close-on-exec does not get in" 0 "0 1 2" \
	bash -c 'exec 7</etc/hostname 100</dev/null; $AS "$SBX" -r "$R" -- sbxtest fds'
t "fds: a directory on stdin is refused" 125 "sbx: fds: descriptor 0 is a directory or O_PATH: refused" \
	sh -c '$AS "$SBX" -r "$R" -- sh -c "cat /proc/self/fd/0/../hostname" < /etc'
# 2.
t "no_new_privs: set" 0 "1" sbx -r "$R" -- sh -c 'grep NoNewPrivs /proc/self/status | cut -f2'

# 3. capabilities
caps() { sbx -r "$R" "$@" -- sh -c 'grep ^Cap /proc/self/status | cut -f2 | xargs'; }
t "caps: the default set, nothing inheritable or ambient" 0 \
	"0000000000000000 00000000a80425fb 00000000a80425fb 00000000a80425fb 0000000000000000" caps
t "caps: --cap-add SYS_ADMIN" 0 \
	"0000000000000000 00000000a82425fb 00000000a82425fb 00000000a82425fb 0000000000000000" caps --cap-add SYS_ADMIN
t "caps: --cap-drop cap_chown, lower case" 0 \
	"0000000000000000 00000000a80425fa 00000000a80425fa 00000000a80425fa 0000000000000000" caps --cap-drop cap_chown
t "caps: --cap-drop ALL" 0 \
	"0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000" caps --cap-drop ALL
t "caps: a bad name" 125 "sbx: --cap-add 'CAP_FLY': no such capability" sbx --cap-add CAP_FLY true
t "caps: without SYS_ADMIN nothing set up can be unmounted" 0 "kept" sbx -r "$R" -- sh -c \
	'umount /proc 2>/dev/null || umount -l /dev/null 2>/dev/null || echo kept'
t "caps: ... nor remounted read-write" 0 "kept" sbx -r "$R" -- sh -c \
	'mount -o remount,rw /sys 2>/dev/null || echo kept'

# 4. seccomp
t "seccomp: TIOCSTI and TIOCLINUX denied, high bits or not" 0 \
	"TIOCSTI:EPERM TIOCSTI|1<<32:EPERM TIOCLINUX:EPERM" sbx -r "$R" -- sbxtest tiocsti
calls="kexec_load kexec_file_load init_module finit_module delete_module keyctl add_key request_key bpf perf_event_open userfaultfd open_by_handle_at acct swapon swapoff reboot syslog iopl ioperm"
want=
for c in $calls; do want="$want$c:EPERM "; done
t "seccomp: the dangerous calls fail with EPERM" 0 "${want% }" sbx -r "$R" -- sbxtest sys $calls
t "seccomp: clone3 fails with ENOSYS, so libc falls back to clone" 0 "clone3:ENOSYS" \
	sbx -r "$R" -- sbxtest sys clone3
t "seccomp: --seccomp=off turns it off" 0 "0" sbx -r "$R" --seccomp=off -- sh -c \
	'grep ^Seccomp: /proc/self/status | cut -f2'
t "seccomp: a bad value" 125 "sbx: --seccomp 'maybe': must be on or off" sbx --seccomp=maybe true

# 5. init from a sealed memfd
cp "$SBX" "$W/sbx.orig"
t "memfd: /proc/1/exe cannot be written" 0 "refused" sbx -r "$R" -- sh -c \
	'{ echo x >> /proc/1/exe; } 2>/dev/null || echo refused'
t "memfd: ... and sbx on the host is unchanged" 0 "" cmp "$SBX" "$W/sbx.orig"

# 6. /proc
t "proc: masked entries are empty" 0 "0 0" sbx -r "$R" -- sh -c \
	'echo $(cat /proc/timer_list /proc/interrupts /proc/keys 2>/dev/null | wc -c) $(ls -A /proc/acpi 2>/dev/null | wc -l)'
want=
for d in bus fs irq sys sysrq-trigger keys timer_list interrupts; do [ -e /proc/$d ] && want="$want/proc/$d ro "; done
t "proc: sys, sysrq-trigger, the others and the masks are read-only" 0 "${want% }" sbx -r "$R" -- sh -c \
	'for d in bus fs irq sys sysrq-trigger keys timer_list interrupts; do
		awk -v m=/proc/$d "\$5 == m { print m, substr(\$6, 1, 2) }" /proc/self/mountinfo; done | xargs'
t "proc: it is a real procfs" 0 "proc" sbx -r "$R" -- stat -f -c %T /proc

# 7. /sys
t "sys: read-only" 0 "Read-only file system" sbx -r "$R" -- sh -c \
	'touch /sys/x 2>&1 | grep -o "Read-only file system"'
t "sys: read-only below too, cgroups included" 0 "0" sbx -r "$R" -- sh -c \
	'awk "\$5 ~ /^\/sys/ && \$6 !~ /^ro/" /proc/self/mountinfo | wc -l'
t "sys: firmware is masked" 0 "0" sbx -r "$R" -- sh -c 'ls -A /sys/firmware | wc -l'

# 8. a hostile rootfs cannot redirect set-up
H=$TMP/hostile
for what in proc dev sys; do
	rm -rf "$H" "$TMP/target"
	mkdir -p "$TMP/target"
	cp -a "$R" "$H"
	rm -rf "${H:?}/$what"
	ln -s "$TMP/target" "$H/$what"
	t "hostile rootfs: a symlink at /$what is refused" 125 \
		"sbx: $what: open($H/$what): Not a directory (a symlink or a file where a directory must be)" \
		sbx -r "$H" -- true
	t "hostile rootfs: ... nothing mounted or written on the host" 0 "0 0" sh -c \
		"echo \$(grep -c '$TMP/target' /proc/self/mountinfo) \$(ls -A '$TMP/target' | wc -l)"
done
rm -rf "$H"

# 10. mounts never reach the host
t "mounts: one made inside does not reach the host" 0 "0" sh -c \
	'$AS "$SBX" -r "$R" --cap-add SYS_ADMIN -- mount -t tmpfs none /mnt; grep -c " $R/mnt " /proc/self/mountinfo; :'

# 11. TIOCSTI even without the filter: no controlling terminal
t "terminal: without a terminal, no controlling one" 0 "0" sbx -r "$R" --seccomp=off -- sh -c \
	'cut -d" " -f7 /proc/self/stat' </dev/null

t "terminal: init, PID 1, cannot be read or traced from inside" 0 "refused" sbx -r "$R" -- sh -c \
	'cat /proc/1/environ >/dev/null 2>&1 || echo refused'
printf '%s\n' '"$SBX" -r "$R" -- true' \
	'[ $(ps -o tpgid= -p $$) -eq $(ps -o pgid= -p $$) ] && echo same' > "$W/fg.sh"
# (script forwards the EOF of its stdin as a byte, which the sandbox's
# pty may echo as ^@ first)
t "terminal: the shell gets its terminal back" 0 "same" sh -c \
	"$AS script -qec 'sh $W/fg.sh' /dev/null | tr -d '\\r' | grep -o 'same\$'"

# 13. nested user namespaces
t "userns: allowed inside by default" 0 "made" sbx -r "$R" -- sh -c 'unshare -U true && echo made'
t "userns: --no-userns denies them" 0 "denied 0" sbx -r "$R" --no-userns -- sh -c \
	'unshare -U true 2>/dev/null || echo denied $(cat /proc/sys/user/max_user_namespaces)'

# 14. device nodes: on the rootfs or in a bind, a node the host made
# (a block device of a host disk, say) gives nothing inside
DV=$TMP/devs
rm -rf "$DV" && mkdir -p "$DV/bind" && cp -a "$R" "$DV/root" &&
	mknod -m 666 "$DV/root/zero" c 1 5 && mknod -m 666 "$DV/bind/zero" c 1 5
readzero() { sbx "$@" -- sh -c 'for z in /zero /mnt/zero; do [ -e $z ] &&
	{ head -c1 $z 2>/dev/null | wc -c | grep -q 1 && echo $z works || echo $z refused; }; done; :'; }
t "nodev: a device node on the rootfs does not work" 0 "/zero refused" readzero -r "$DV/root"
t "nodev: ... nor one in a -b or -B bind" 0 "/mnt/zero refused
/mnt/zero refused" eval 'readzero -r "$R" -b "$DV/bind:/mnt"; readzero -r "$R" -B "$DV/bind:/mnt"'
t "nodev: --dev-bind lets it through" 0 "/mnt/zero works" readzero -r "$R" --dev-bind "$DV/bind:/mnt"
# the mount options each mount has inside, of ro, nosuid, nodev, noexec
mscript='for m in $0; do awk -v m=$m "\$5 == m { print m, \$6 }" /proc/self/mountinfo | tail -1; done'
mclean() { sed -E 's/,?(rw|relatime|noatime|nodiratime|strictatime)//g; s/ ,/ /'; }
mflags() { _m=$1; shift; sbx "$@" -- sh -c "$mscript" "$_m" | mclean; }
# (with a mount of the host's below the bound directory: a tmpfs with
# neither flag, in a mount namespace of the test's own)
subflags() { unshare -m sh -c 'mount -t tmpfs none "$1/sub" && shift && "$@"' sh "$DV/bind" "$@"; }
mkdir -p "$DV/bind/sub"
t "nosuid: the root, -b, -B and --dev-bind, every mount below them too" 0 "/ nosuid,nodev
/b nosuid,nodev
/b/sub nosuid,nodev
/ro ro,nosuid,nodev
/ro/sub ro,nosuid,nodev
/dev/b nosuid
/dev/b/sub nosuid" eval 'subflags $AS "$SBX" -r "$R" -b "$DV/bind:/b" -B "$DV/bind:/ro" \
	--dev-bind "$DV/bind:/dev/b" -- sh -c "$mscript" "/ /b /b/sub /ro /ro/sub /dev/b /dev/b/sub" | mclean'
t "mount flags: the kernel's file systems as runc mounts them" 0 "/proc nosuid,nodev,noexec
/sys ro,nosuid,nodev,noexec
/sys/fs/cgroup ro,nosuid,nodev,noexec
/dev nosuid,noexec
/dev/pts nosuid,noexec
/dev/shm nosuid,nodev,noexec
/dev/mqueue nosuid,nodev,noexec" \
	mflags "/proc /sys /sys/fs/cgroup /dev /dev/pts /dev/shm /dev/mqueue" -r "$R" --ipc
t "mount flags: ... and with a sysfs of its own (-n)" 0 "/sys ro,nosuid,nodev,noexec" \
	mflags /sys -r "$R" -n
t "mount flags: /dev/shm is mode 1777" 0 "1777" sbx -r "$R" -- stat -c %a /dev/shm
# (and the /proc files masked with a bind of /dev/null, which must read as
# empty, not fail)
t "mount flags: only sbx's own /dev nodes may be devices" 0 "/dev/full /dev/null /dev/random /dev/tty /dev/urandom /dev/zero" \
	sbx -r "$R" -- sh -c 'awk "\$6 !~ /nodev/ && \$5 !~ /^\/(dev(\/pts)?\$|proc\/)/ { print \$5 }" /proc/self/mountinfo | sort | xargs'
rm -rf "$DV"

# 15. -R: read-only all the way down, the host's submounts included (a
# tmpfs at $RO stands for the host's /tmp or /home)
RO=$TMP/rosub
mkdir -p "$RO"
rotest() { unshare -m sh -c 'ro=$1 r=$2 && shift 2 && mount -t tmpfs -o mode=1777 none "$ro" &&
	"$@" -- sh -c "for f in $ro/f $r; do touch \$f 2>/dev/null && echo written || echo refused; done"' \
	sh "$RO" "$W/rof.$($AS id -u)" "$@"; }
t "-R: the host's submounts are read-only too" 0 "refused
refused" rotest $AS "$SBX" -R
t "-R: ... and without -R they stay writable" 0 "written
written" rotest $AS "$SBX"
t "-R: a mount point it would have to make is one line" 125 \
	"sbx: bind: mkdir($R/nosuchdir): Read-only file system (hint: with -R it must exist in the root, or be under a -t)" \
	sbx -r "$R" -R -b /tmp:/nosuchdir -- true
t "-R: ... which a -t above it makes" 0 "ok" sbx -r "$R" -R -t /mnt -b /tmp:/mnt/sub -- sh -c \
	'touch /mnt/x && echo ok'

# fault injection: sbx killed at random moments of start-up; a sandbox
# that outlived it would still be sleeping
marker=3.$$
for i in $(seq 200); do
	$AS "$SBX" -r "$R" -- sleep $marker &
	pid=$!
	sleep "0.00$((RANDOM % 10))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
done
waitfor 5 sh -c "! pgrep -f 'sleep $marker' >/dev/null"
t "faults: 200 kills during start-up leave no process" 1 "" pgrep -f "sleep $marker"
t "faults: ... and the host's mount table as it was" 0 "$mounts_before" sh -c 'wc -l < /proc/self/mountinfo'

# fault injection: each set-up step made to fail in turn
if [ -n "$FSBX" ]; then
	bad= seen=0
	for step in $(seq 1 30) $(seq 101 140); do
		out=$(SBX_FAULT=$step $AS "$FSBX" -r "$R" -- true 2>&1 >/dev/null)
		rc=$?
		[ $rc = 0 ] && [ -z "$out" ] && continue
		seen=$((seen + 1))
		[ $rc = 125 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
			case $out in "sbx: "*": injected fault $step: I/O error") ;; *) false;; esac ||
			bad="$bad [$step: $rc $out]"
	done
	t "faults: every step made to fail prints one line and exits 125" 0 \
		"at least 15 steps; none otherwise" \
		printf '%s; %s' "$([ $seen -ge 15 ] && echo at least 15 steps || echo only $seen steps)" \
		"$([ -z "$bad" ] && echo none otherwise || echo "otherwise:$bad")"
	waitfor 5 sh -c "! pgrep -f '$FSBX' >/dev/null"
	t "faults: ... leaving no process" 1 "" pgrep -f "$FSBX"
	t "faults: ... and no mount" 0 "$mounts_before" sh -c 'wc -l < /proc/self/mountinfo'
else
	skip "faults: every step made to fail" "no fault-injection build for this one"
fi

# 4. the filter's architecture check: i386 calls from a 64-bit process
if [ "$("$SBXTEST" foreign 2>/dev/null | cut -d' ' -f1)" = "i386:ok" ]; then
	t "seccomp: i386 calls (int 0x80) and x32 calls are refused" 0 "i386:ENOSYS x32:ENOSYS" \
		sbx -r "$R" -- sbxtest foreign
else
	skip "seccomp: i386 calls are refused" "this kernel runs no i386 calls"
fi

# 5. where the kernel refuses executable memfds (vm.memfd_noexec, per pid
# namespace), a clear error
if [ -n "$AS" ]; then
	skip "memfd: refused by vm.memfd_noexec" "only root may set the sysctl, even in a pid namespace"
elif [ -e /proc/sys/vm/memfd_noexec ]; then
	t "memfd: refused by vm.memfd_noexec=2: one clear line" 125 \
		"sbx: init: memfd_create: Permission denied (hint: sysctl vm.memfd_noexec=2 forbids executable memfds)" \
		$AS unshare -Upfm --mount-proc -r sh -c 'echo 2 > /proc/sys/vm/memfd_noexec && exec "$SBX" -r "$R" true'
	t "memfd: vm.memfd_noexec=1 still runs init" 0 "ok" \
		$AS unshare -Upfm --mount-proc -r sh -c 'echo 1 > /proc/sys/vm/memfd_noexec && exec "$SBX" -r "$R" echo ok'
else
	skip "memfd: refused by vm.memfd_noexec" "this kernel has no vm.memfd_noexec"
fi
