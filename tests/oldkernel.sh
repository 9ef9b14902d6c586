# Old kernels: each system call newer than the oldest kernel sbx supports
# fails with ENOSYS (through sbxtest enosys, a seccomp filter), and sbx
# must take its fallback or fail with one clear line. Runs the sandbox and
# named-sandbox suites that way, as the user in $AS, then the calls that
# have no fallback. Needs: SBX, R, TMP, SBXTEST, the harness.

NEWER=openat2,close_range,mount_setattr,pidfd_open,pidfd_send_signal,execveat,clone3
real=$SBX
SBX=$TMP/oldsbx
printf '#!/bin/sh\nexec "%s" enosys %s "%s" "$@"\n' "$SBXTEST" "$NEWER" "$real" > "$SBX"
chmod 755 "$SBX"
who="${who% }/enosys "
. tests/sandbox.sh
. tests/names.sh

old() { $AS "$SBXTEST" enosys "$@"; }
t "no mount_setattr: every mount under /sys and -B is read-only" 0 "ro" \
	old mount_setattr "$real" -r "$R" -B /sys:/mnt -- sh -c \
	'awk "\$5 ~ \"^/(sys|mnt)(/|\$)\" { split(\$6, o, \",\"); print o[1] }" /proc/self/mountinfo | sort -u'
mkdir -p "$TMP/oldsub"
t "no mount_setattr: -R, nosuid and nodev reach the host's submounts" 0 "ro,nosuid,nodev" \
	unshare -m sh -c 'mount -t tmpfs none "$1" && shift && "$@"' sh "$TMP/oldsub" \
	$AS "$SBXTEST" enosys mount_setattr "$real" -R -- sh -c \
	"awk '\$5 == \"$TMP/oldsub\" { print \$6 }' /proc/self/mountinfo | tail -1 | sed -E 's/,?(rw|relatime)//g; s/^,//'"
t "no mount_setattr: -b is nosuid and nodev all the way down" 0 "nosuid,nodev" \
	unshare -m sh -c 'mount -t tmpfs none "$1" && shift && "$@"' sh "$TMP/oldsub" \
	$AS "$SBXTEST" enosys mount_setattr "$real" -r "$R" -b "$TMP:/mnt" -- sh -c \
	"awk '\$5 == \"/mnt/oldsub\" { print \$6 }' /proc/self/mountinfo | tail -1 | sed -E 's/,?(rw|relatime)//g; s/^,//'"
t "no close_range: descriptors above 2 are still not inherited" 0 "0 1 2" sh -c \
	'exec 3</dev/null 4>/dev/null; $AS "$SBXTEST" enosys close_range "$1" -r "$R" -- sbxtest fds' sh "$real"
t "no memfd_create: one line, 125" 125 \
	"sbx: init: memfd_create: Function not implemented (hint: sbx needs Linux 3.17 or later)" \
	old memfd_create "$real" -r "$R" -- true
# a rootfs the user's ids own, as -o wants
OLDR=$TMP/oldroot$($AS id -u)
[ -d "$OLDR" ] || { cp -a "$R" "$OLDR" && chown -R "$($AS id -u):$($AS id -g)" "$OLDR"; }
t "no fsopen: -o says what it needs, 125" 125 \
	"sbx: overlay: tmpfs for the layer: Function not implemented (hint: -o needs Linux 5.2 or later; or give --overlay-dir)" \
	old fsopen "$real" -r "$OLDR" -o -- true
# sbx exec reaches its memfd through the sandbox's /proc then, which a
# sandbox that may mount can forge into a link to sbx's own image
rm -f "$X/forge.log"
$AS env XDG_RUNTIME_DIR="$X" "$real" -r "$R" -t /tmp --cap-add SYS_ADMIN --name forge -d \
	--log "$X/forge.log" -- sh -c 'mkdir /tmp/p && mount --bind /proc /tmp/p &&
	mount -t tmpfs none /proc && mkdir -p /proc/self/fd && for i in $(seq 3 20); do
	ln -s /tmp/p/self/exe /proc/self/fd/$i; done && echo ready && exec sleep 930' >/dev/null
waitfor 10 grep -qs ready "$X/forge.log"
t "no execveat: exec into a sandbox that keeps SYS_ADMIN is refused, 125" 125 \
	"sbx: init: execveat(memfd): Function not implemented (hint: sbx exec into a sandbox that keeps SYS_ADMIN needs Linux 3.19 or later)" \
	old execveat env XDG_RUNTIME_DIR="$X" "$real" exec forge sh -c 'echo inside'
$AS env XDG_RUNTIME_DIR="$X" "$real" stop forge 0
$AS env XDG_RUNTIME_DIR="$X" "$real" wait forge >/dev/null 2>&1
SBX=$real
who="${who%/enosys } "
