# cgroup v2 limits, in a virtual machine: this host's cgroups are v1's
# (a hybrid), so Debian's kernel boots with v1 off, from an initramfs of
# init, busybox, sbx and a copy of the rootfs, and runs sbx as root, as
# uid 1000 in a delegated subtree (as systemd makes one) and as uid 1000
# outside it. The guest prints one line per case on the serial console,
# "case NAME: OUTPUT [STATUS]"; the checks here hold what it must be.
# Needs: SBX, R, TMP, the harness, root (the kernel is readable by root
# only), qemu-system-x86_64, toybox.

CG2=$TMP/cgroup2
for kernel in /boot/vmlinuz-*-cloud-amd64; do :; done

# the command init runs: pivot_root cannot leave the initramfs (rootfs
# has no parent mount) and no user namespace can be made from a chroot,
# so the tree moves onto a tmpfs that becomes /, as switch_root does
cg2_stage() {
	cat <<-'EOF'
	#!/bin/busybox sh
	echo "cgroup2: up"
	busybox --install -s /bin
	mkdir /new && mount -t tmpfs -o mode=755 tmpfs /new &&
	cp -a /bin /etc /r /new/ && mkdir -m 1777 /new/tmp &&
	for d in proc sys dev run; do
		mkdir /new/$d && mount -o move /$d /new/$d || exit
	done
	cd /new && mount -o move . / && exec chroot . /bin/cases
	EOF
}

# the guest's helpers, for the cases of root and of uid 1000
cg2_helpers() {
	cat <<-'EOF'
	CG=/sys/fs/cgroup
	export PATH=/bin
	# waitfor5 CMD...: poll until CMD succeeds, for 5 s at most
	waitfor5() {
		for _i in $(seq 50); do "$@" && return; sleep 0.1; done
		return 1
	}
	# join: the lines read, joined by " | "
	join() { awk '{ printf "%s%s", (NR > 1 ? " | " : ""), $0 }'; }
	# run NAME CMD...: CMD (an sbx, or a shell that execs one, so that $!
	# is sbx's pid) in one line: its output joined, sbx-PID shown as
	# sbx-SBX, then its status
	run() {
		_name=$1 _out=/tmp/out.$$
		shift
		"$@" </dev/null >$_out 2>&1 &
		_pid=$!
		wait $_pid
		_rc=$?
		echo "case $_name: $(sed "s/sbx-$_pid/sbx-SBX/g" $_out | join) [$_rc]"
		rm -f $_out
	}
	# say NAME CMD...: the same, for a command whose pid does not matter
	say() {
		_name=$1
		shift
		echo "case $_name: $("$@" 2>&1 </dev/null | join)"
	}
	# left: what any sbx left in the tree
	left() { echo $(find $CG -name 'sbx-*'); }
	EOF
}

# in the sandbox: its cgroup, the sbx-* beside it, and the files asked for
cg2_showcg() {
	cat <<-'EOF'
	#!/bin/sh
	cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
	echo "cgroup $cg"
	echo "beside:" $(ls /sys/fs/cgroup${cg%/*} | grep '^sbx-')
	for f; do echo "$f $(cat /sys/fs/cgroup$cg/$f)"; done
	EOF
}

# as root: limits from the root cgroup, the leaf sbx makes for itself in
# one it is alone in, what fails where, --cgroupns, --cgroup, exec; then
# the delegated subtree and uid 1000's cases
cg2_cases() {
	cat <<-'EOF'
	#!/bin/sh
	. /bin/helpers
	mount -t cgroup2 cgroup2 $CG || exit
	say fs stat -fc %t $CG
	mkdir $CG/alone
	run root.nocontroller into $CG/alone sbx -r /r --memory 64M -- true
	say root.subtree.before cat $CG/cgroup.subtree_control
	run root.limits sbx -r /r --memory 64M --memory-high 48M --pids 50 \
		--cpus 0.5 --cpu-weight 500 --io-weight 300 -- showcg \
		memory.max memory.swap.max memory.high pids.max cpu.max \
		cpu.weight io.weight
	say root.subtree.after cat $CG/cgroup.subtree_control
	say root.limits.left left
	run root.alone into $CG/alone sbx -r /r --memory 64M --pids 50 -- \
		showcg memory.max pids.max
	say root.alone.after sh -c "echo [\$(cat $CG/alone/cgroup.subtree_control)]
		ls $CG/alone | grep sbx-; rmdir $CG/alone && echo removed"
	run root.oom sbx -r /r --memory 64M -- \
		dd if=/dev/zero of=/dev/null bs=100M count=1
	run root.pids sbx -r /r --pids 50 -- sh -c 'sh -c "i=0; while :; do
		sleep 10 & i=\$((i + 1)); echo \$i >/tmp/n0; done"
		rc=$?; read n </tmp/n0; echo "status $rc after $n"'
	run root.cgroupns sbx -r /r --memory 64M --pids 50 --cgroupns -- \
		cat /proc/self/cgroup
	mkdir $CG/busy
	run root.busy sh -c "echo \$\$ >$CG/busy/cgroup.procs; sleep 30 &
		sbx -r /r --pids 10 -- true; echo status \$?; kill \$!; wait"
	say root.busy.after sh -c "echo [\$(cat $CG/busy/cgroup.subtree_control)]
		ls $CG/busy | grep sbx-; rmdir $CG/busy && echo removed"
	mkdir $CG/given
	run root.given sbx -r /r --cgroup /given --pids 9 -- sh -c \
		'cat /proc/self/cgroup /sys/fs/cgroup/given/pids.max'
	run root.given.full sbx -r /r --cgroup $CG/given --pids 8 -- sh -c \
		'cat /proc/self/cgroup /sys/fs/cgroup/given/pids.max'
	say root.given.after sh -c "cat $CG/given/pids.max; ls $CG/given |
		grep sbx-; rmdir $CG/given && echo removed"
	pid=$(sbx --name cg2 -d -r /r --memory 64M --pids 20 -- sleep 30)
	say root.exec sh -c "sbx exec cg2 cat /proc/self/cgroup |
		sed s/sbx-$pid/sbx-SBX/"
	waitfor5 sh -c "sbx ps --json | grep -q '\"pids\":2'"
	say root.ps sh -c "sbx ps --json | sed -n \
		's/.*\"memory\":\([0-9]*\),\"pids\":\([0-9]*\)}.*/\1 \2/p' |
		awk '{ print (\$1 > 0 && \$1 < 67108864) ? \"memory\" : \$1, \$2 }'"
	sbx stop cg2 >/dev/null 2>&1
	say root.left left

	# the subtree a user's systemd manager gets, and a leaf in it for the
	# user's shell, which is the user's to move out of
	mkdir $CG/user $CG/user/login $CG/nodeleg &&
	echo "+memory +pids +cpu +io" >$CG/user/cgroup.subtree_control &&
	chown 1000:1000 $CG/user $CG/user/cgroup.procs \
		$CG/user/cgroup.subtree_control $CG/user/cgroup.threads \
		$CG/user/login $CG/user/login/cgroup.procs \
		$CG/user/login/cgroup.subtree_control \
		$CG/user/login/cgroup.threads || exit
	sh -c "echo \$\$ >$CG/user/login/cgroup.procs &&
		exec su -s /bin/sh user -c usercases"
	say user.left left
	# -d failing after its cgroup is made: the caller waits for it in
	# the leaf sbx made, and must be back where it was for that to go
	max=$(sysctl -n user.max_user_namespaces)
	mkdir $CG/user/run6 && chown -R 1000:1000 $CG/user/run6 &&
	sysctl -qw user.max_user_namespaces=0 || exit
	say user.detach.fails sh -c "into $CG/user/run6 su -s /bin/sh user -c \
		'sbx -d -r /r --memory 64M -- true' 2>&1; echo status \$?" |
		sed 's/sbx-[0-9]*/sbx-PID/g'
	sysctl -qw user.max_user_namespaces=$max
	say user.detach.after sh -c "ls $CG/user/run6 | grep sbx-
		rmdir $CG/user/run6 && echo removed"
	run nodeleg.leaf into $CG/nodeleg su -s /bin/sh user -c \
		'exec sbx -r /r --memory 64M -- true'
	run nodeleg.root su -s /bin/sh user -c \
		'exec sbx -r /r --memory 64M -- true'
	say nodeleg.left left
	echo "cgroup2: done"
	EOF
}

# as uid 1000 in $CG/user/login: each sbx in a scope of its own, as
# systemd-run --user --scope makes one, but one from the login shell's
cg2_usercases() {
	cat <<-'EOF'
	#!/bin/sh
	. /bin/helpers
	U=$CG/user
	say user.id id -u
	run user.userns sbx -r /r -- id -u
	run user.limits into $U/run1 sbx -r /r --memory 64M --pids 50 \
		--cpus 0.5 -- showcg memory.max memory.swap.max pids.max cpu.max
	say user.limits.after sh -c "echo [\$(cat $U/run1/cgroup.subtree_control)]
		ls $U/run1 | grep sbx-; rmdir $U/run1 && echo removed"
	run user.oom into $U/run2 sbx -r /r --memory 64M -- \
		dd if=/dev/zero of=/dev/null bs=100M count=1
	run user.pids into $U/run3 sbx -r /r --pids 50 -- sh -c 'sh -c "i=0
		while :; do sleep 10 & i=\$((i + 1)); echo \$i >/tmp/n1000; done"
		rc=$?; read n </tmp/n1000; echo "status $rc after $n"'
	run user.cgroupns into $U/run4 sbx -r /r --memory 64M --cgroupns -- \
		cat /proc/self/cgroup
	into $U/run5 sbx --name ucg -d -r /r --memory 64M -- sleep 30 \
		>/tmp/pid.$$
	say user.exec sh -c "sbx exec ucg cat /proc/self/cgroup |
		sed s/sbx-$(cat /tmp/pid.$$)/sbx-SBX/"
	sbx stop ucg >/dev/null 2>&1
	# its sbx lets go of the lock stop waits for before it leaves run5
	waitfor5 grep -q "populated 0" $U/run5/cgroup.events
	run user.busy sbx -r /r --memory 64M -- true
	say user.busy.after sh -c "echo [\$(cat $U/login/cgroup.subtree_control)]
		ls $U/login | grep sbx-"
	say user.scopes.after sh -c "ls $U/run2 $U/run3 $U/run4 $U/run5 |
		grep sbx-; rmdir $U/run2 $U/run3 $U/run4 $U/run5 && echo removed"
	EOF
}

# into DIR CMD...: CMD alone in cgroup DIR, made if need be
cg2_into() {
	cat <<-'EOF'
	#!/bin/sh
	[ -d "$1" ] || mkdir "$1" || exit
	echo $$ >"$1/cgroup.procs" && shift && exec "$@"
	EOF
}

cg2_initramfs() {
	rm -rf "$CG2" && mkdir -p "$CG2/root/bin" "$CG2/root/etc" || return
	cp "$INIT" "$CG2/root/init" && cp /bin/busybox "$SBX" "$CG2/root/bin/" &&
	cp -a "$R" "$CG2/root/r" || return
	cg2_stage >"$CG2/root/bin/stage" && cg2_helpers >"$CG2/root/bin/helpers" &&
	cg2_cases >"$CG2/root/bin/cases" && cg2_into >"$CG2/root/bin/into" &&
	cg2_usercases >"$CG2/root/bin/usercases" &&
	cg2_showcg >"$CG2/root/r/bin/showcg" || return
	chmod 755 "$CG2/root/bin/"* "$CG2/root/r/bin/showcg" || return
	printf 'root:x:0:0::/root:/bin/sh\nuser:x:1000:1000::/tmp:/bin/sh\n' \
		>"$CG2/root/etc/passwd"
	printf 'root:x:0:\nuser:x:1000:\n' >"$CG2/root/etc/group"
	(cd "$CG2/root" && find . | toybox cpio -o -H newc) | gzip -1 \
		>"$CG2/initramfs.gz"
}

# cg2_boot ACCEL SECS: boot the guest in qemu, its serial console in
# $CG2/log, its status in $CG2/log.rc; given up on (status 1) unless the
# guest is up in SECS
cg2_boot() {
	timeout -k 5 150 qemu-system-x86_64 -accel "$1" -nographic -no-reboot \
		-m 256 -nic none -kernel "$kernel" -initrd "$CG2/initramfs.gz" \
		-append "console=ttyS0 rdinit=/init panic=-1 quiet loglevel=1 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 -- /bin/stage" \
		</dev/null >"$CG2/log.raw" 2>&1 &
	_qemu=$!
	waitfor "$2" grep -qas "cgroup2: up" "$CG2/log.raw" || kill $_qemu 2>/dev/null
	wait $_qemu
	echo $? >"$CG2/log.rc"
	tr -d '\r' <"$CG2/log.raw" | sed 's/\x1b\[*[0-9;?]*[a-zA-Z]/\n/g' >"$CG2/log"
	grep -q "cgroup2: up" "$CG2/log"
}

# seen NAME CASE WANT: the guest's line for CASE is WANT
seen() {
	_got=$(sed -n "s/^.*case $2: //p" "$CG2/log" | head -n 1)
	if [ "$_got" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected: $3" "got: ${_got:-no line for $2, the log ends:}" \
			"$([ -n "$_got" ] || tail -n 5 "$CG2/log")"
	fi
}

DELEGATE="(hint: no cgroup is delegated to you here; run sbx as systemd-run --user --scope -p Delegate=yes sbx ...)"
_why=
command -v qemu-system-x86_64 >/dev/null || _why="no qemu-system-x86_64"
[ -r "$kernel" ] || _why="no /boot/vmlinuz-*-cloud-amd64"
if [ -n "$_why" ]; then
	skip "cgroup2: cgroup v2 in a virtual machine" "$_why"
elif ! _out=$(cg2_initramfs 2>&1); then
	fail "cgroup2: the initramfs is built" "$_out"
else
	_start=$(date +%s)
	accel=kvm
	if ! [ -w /dev/kvm ] || ! cg2_boot kvm 5; then
		accel=tcg
		cg2_boot tcg 60
	fi
	echo "# cgroup2: the guest ran with $accel in $(($(date +%s) - _start)) s"
	seen "cgroup2: the guest has cgroup v2 alone" fs "63677270"
	seen "cgroup2: as root, a controller the root gives its cgroup none of: one line" \
		root.nocontroller "sbx: cgroup: /sys/fs/cgroup/alone: no memory controller here (hint: the cgroup above gives it none: enable it in its cgroup.subtree_control, or delegate it) [125]"
	seen "cgroup2: as root, the root's controllers to begin with" \
		root.subtree.before ""
	seen "cgroup2: as root, --memory, --memory-high, --pids, --cpus, --cpu-weight, --io-weight: in sbx-PID, in its files" \
		root.limits "cgroup /sbx-SBX | beside: sbx-SBX | memory.max 67108864 | memory.swap.max 0 | memory.high 50331648 | pids.max 50 | cpu.max 50000 100000 | cpu.weight 500 | io.weight default 300 [0]"
	# disabling them would take them from a sandbox still running
	seen "cgroup2: ... the root's controllers it enabled stay enabled" \
		root.subtree.after "cpu io memory pids"
	seen "cgroup2: ... and nothing is left" root.limits.left ""
	seen "cgroup2: as root alone in a cgroup: sbx moves itself to sbx-PID.self, its sandbox is sbx-PID" \
		root.alone "cgroup /alone/sbx-SBX | beside: sbx-SBX sbx-SBX.self | memory.max 67108864 | pids.max 50 [0]"
	seen "cgroup2: ... and the controllers it enabled are disabled, the leaf gone" \
		root.alone.after "[] | removed"
	seen "cgroup2: as root, a memory hog is OOM-killed: 137, and sbx says so" \
		root.oom "sbx: killed: out of memory (limit 64M) [137]"
	seen "cgroup2: as root, forks stop at --pids 50: init, 2 shells and 47 sleeps" \
		root.pids "sh: can't fork: Resource temporarily unavailable | status 2 after 47 [0]"
	seen "cgroup2: as root, --cgroupns with limits: rooted at the sandbox's cgroup" \
		root.cgroupns "0::/ [0]"
	seen "cgroup2: as root, a cgroup holding other processes: one line with the hint" \
		root.busy "sbx: cgroup: write(/sys/fs/cgroup/busy/cgroup.subtree_control, +pids): Resource busy (hint: the cgroup holds other processes: give sbx one of its own, as systemd-run --user --scope -p Delegate=yes sbx ... does) | status 125 [0]"
	seen "cgroup2: ... and it is as it was" root.busy.after "[] | removed"
	seen "cgroup2: as root, --cgroup PATH: run there, with the limits given" \
		root.given "0::/given | 9 [0]"
	seen "cgroup2: as root, --cgroup /sys/fs/cgroup/PATH: the same" \
		root.given.full "0::/given | 8 [0]"
	seen "cgroup2: ... and it stays, as it is left" root.given.after "8 | removed"
	seen "cgroup2: as root, sbx exec runs the command in the sandbox's cgroup" \
		root.exec "0::/sbx-SBX"
	seen "cgroup2: as root, ps --json: the memory the cgroup uses, its processes" \
		root.ps "memory 2"
	seen "cgroup2: as root, nothing named sbx-* is left" root.left ""
	seen "cgroup2: uid 1000 runs the user's cases" user.id "1000"
	seen "cgroup2: as uid 1000, the guest's kernel lets it make a user namespace" \
		user.userns "0 [0]"
	seen "cgroup2: as uid 1000 in a delegated scope: the limits, in sbx-PID beside sbx-PID.self" \
		user.limits "cgroup /user/run1/sbx-SBX | beside: sbx-SBX sbx-SBX.self | memory.max 67108864 | memory.swap.max 0 | pids.max 50 | cpu.max 50000 100000 [0]"
	seen "cgroup2: ... the controllers it enabled disabled, the leaf gone" \
		user.limits.after "[] | removed"
	seen "cgroup2: as uid 1000, a memory hog is OOM-killed: 137, and sbx says so" \
		user.oom "sbx: killed: out of memory (limit 64M) [137]"
	seen "cgroup2: as uid 1000, forks stop at --pids 50" \
		user.pids "sh: can't fork: Resource temporarily unavailable | status 2 after 47 [0]"
	seen "cgroup2: as uid 1000, --cgroupns with limits: rooted at the sandbox's cgroup" \
		user.cgroupns "0::/ [0]"
	seen "cgroup2: as uid 1000, sbx exec runs the command in the sandbox's cgroup" \
		user.exec "0::/user/run5/sbx-SBX"
	seen "cgroup2: as uid 1000 where its shell is too: one line with the hint" \
		user.busy "sbx: cgroup: write(/sys/fs/cgroup/user/login/cgroup.subtree_control, +memory): Resource busy (hint: the cgroup holds other processes: give sbx one of its own, as systemd-run --user --scope -p Delegate=yes sbx ... does) [125]"
	seen "cgroup2: ... and it is as it was" user.busy.after "[]"
	seen "cgroup2: ... and every scope is as it was" user.scopes.after "removed"
	seen "cgroup2: as uid 1000, nothing named sbx-* is left" user.left ""
	seen "cgroup2: as uid 1000, -d failing in a delegated scope: one line" \
		user.detach.fails "sbx: namespaces: clone: No space left on device (hint: user namespaces may be disabled: see sysctl user.max_user_namespaces and kernel.unprivileged_userns_clone) | status 125"
	seen "cgroup2: ... and the scope is as it was" user.detach.after "removed"
	seen "cgroup2: as uid 1000 in a cgroup not delegated: one line with the hint" \
		nodeleg.leaf "sbx: cgroup: mkdir(/sys/fs/cgroup/nodeleg/sbx-SBX.self): Permission denied $DELEGATE [125]"
	seen "cgroup2: as uid 1000 in the root cgroup: one line with the hint" \
		nodeleg.root "sbx: cgroup: mkdir(/sys/fs/cgroup/sbx-SBX): Permission denied $DELEGATE [125]"
	seen "cgroup2: ... and nothing is left" nodeleg.left ""
	if grep -q "cgroup2: done$" "$CG2/log" && [ "$(cat "$CG2/log.rc")" = 0 ] &&
	    grep -q 'reboot: Power down$' "$CG2/log"; then
		pass "cgroup2: the guest ran every case and powered off"
	else
		fail "cgroup2: the guest ran every case and powered off" \
			"qemu status $(cat "$CG2/log.rc"), the log ends:" "$(tail -n 10 "$CG2/log")"
	fi
fi
