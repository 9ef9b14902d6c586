# init as the init of a booted system, in a virtual machine: an initramfs
# holding init, busybox and a test command. Needs: INIT, TMP, the harness,
# root (the kernel is readable by root only), qemu-system-x86_64, toybox.

B=$TMP/boot
for kernel in /boot/vmlinuz-*-cloud-amd64; do :; done

# boot LOG [INITARG...]: boot with init's arguments INITARG; the serial
# console goes to $B/LOG (the firmware's escapes, which may glue the first
# line to its own, made line breaks), qemu's exit status to $B/LOG.rc.
# With panic=-1 and -no-reboot a panic too ends qemu, with status 0.
boot() {
	_log=$B/$1
	shift
	timeout -k 5 120 qemu-system-x86_64 -accel tcg -nographic -no-reboot \
		-m 256 -nic none -kernel "$kernel" -initrd "$B/initramfs.gz" \
		-append "console=ttyS0 rdinit=/init panic=-1 quiet${1+ -- $*}" \
		</dev/null >"$_log.raw" 2>&1
	echo $? >"$_log.rc"
	tr -d '\r' <"$_log.raw" | sed 's/\x1b\[*[0-9;?]*[a-zA-Z]/\n/g' >"$_log"
}

# console LOG: what came after the firmware
console() { sed '1,/^Booting from ROM/d' "$B/$1" | head -n 10; }

# logged NAME LOG LINE: the console showed LINE, at the end of a line: the
# serial console can glue a stray byte of the kernel's output (a ".") to
# its front
logged() {
	if awk -v s="$3" 'substr($0, length($0) - length(s) + 1) == s { f = 1 }
	    END { exit !f }' "$B/$2"; then
		pass "$1"
	else
		fail "$1" "no line \"$3\" in $2:" "$(console "$2")"
	fi
}

# halted NAME LOG: qemu ended on its own, by a power-off and not a panic
halted() {
	if [ "$(cat "$B/$2.rc")" = 0 ] && grep -q 'reboot: Power down$' "$B/$2" &&
	    ! grep -qE 'Kernel panic|Attempted to kill init' "$B/$2"; then
		pass "$1"
	else
		fail "$1" "qemu status $(cat "$B/$2.rc"), $2:" "$(console "$2")"
	fi
}

# the command: what init mounted, then a process left behind for init to
# end, ready once it has its trap, and exit ${1:-0}
mkinitramfs() {
	rm -rf "$B" && mkdir -p "$B/root/bin" "$B/root/etc" || return
	cp "$INIT" "$B/root/init" && cp /bin/busybox "$B/root/bin/" &&
	ln -s busybox "$B/root/bin/sh" || return
	cat >"$B/root/bin/check" <<-'EOF'
	#!/bin/sh
	while read -r dev dir type rest; do
		echo "mount: $type on $dir"
	done </proc/mounts
	sh -c 'trap "echo left behind: TERM; exit" TERM
		: >/run/ready
		while :; do sleep 1; done' &
	until [ -e /run/ready ]; do sleep 0.1; done
	echo ran: "$0" "$@"
	exit ${1:-0}
	EOF
	ln -s /bin/check "$B/root/etc/rc" && chmod 755 "$B/root/bin/check" &&
	(cd "$B/root" && find . | toybox cpio -o -H newc) | gzip -1 >"$B/initramfs.gz"
}

if ! [ -r "$kernel" ]; then
	skip "boot: init in a virtual machine" "no /boot/vmlinuz-*-cloud-amd64"
elif ! command -v qemu-system-x86_64 >/dev/null; then
	skip "boot: init in a virtual machine" "no qemu-system-x86_64"
elif ! _out=$(mkinitramfs 2>&1); then
	fail "boot: the initramfs is built" "$_out"
else
	boot cmd.log /bin/check
	logged "boot: init mounts /proc" cmd.log "mount: proc on /proc"
	logged "boot: init mounts /sys" cmd.log "mount: sysfs on /sys"
	logged "boot: init mounts devtmpfs on /dev" cmd.log "mount: devtmpfs on /dev"
	logged "boot: init mounts /run" cmd.log "mount: tmpfs on /run"
	logged "boot: the command from the kernel command line runs" cmd.log \
		"ran: /bin/check"
	logged "boot: the others get SIGTERM at power-off" cmd.log "left behind: TERM"
	halted "boot: the system powers off when the command ends" cmd.log

	boot rc.log
	logged "boot: no command runs /etc/rc" rc.log "ran: /etc/rc"
	halted "boot: /etc/rc ends in a power-off" rc.log

	boot exit3.log /bin/check 3
	logged "boot: a failing command runs" exit3.log "ran: /bin/check 3"
	halted "boot: a failing command ends in a power-off" exit3.log

	boot nope.log nope
	logged "boot: a command not found is reported" nope.log \
		"init: exec nope: No such file or directory"
	halted "boot: a command not found ends in a power-off" nope.log

	boot badopt.log -x /bin/check
	logged "boot: a bad option is reported" badopt.log \
		"init: -x: unknown option (see init --help)"
	halted "boot: a bad option ends in a power-off" badopt.log
fi
