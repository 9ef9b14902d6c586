# --map-users, --map-groups: the caller's range from /etc/subuid and
# /etc/subgid, through newuidmap and newgidmap (uidmap); -u and -g inside
# it; and images whose layers keep their owners in it. The harness, as
# root, gives both test users a range, and takes it back after.
# Needs: SBX, R, TMP, the harness; tests/images.sh first, for $I/base.tar.

sbx() { $AS "$SBX" "$@"; }
MST=${R%/rootfs}/mapstore$($AS id -u)
mimg() { $AS env XDG_DATA_HOME="$MST" "$SBX" "$@"; }
MI=${R%/rootfs}/mapimages

# an image whose top layer holds others' files, setuid and setgid ones,
# and one whose owner no range holds
mkmapimages() {
	mkdir -p "$MI" && python3 - "$MI" <<'PY' || return 1
import io, sys, tarfile
def layer(path, entries):
    t = tarfile.open(path, "w")
    for name, uid, gid, mode in entries:
        i = tarfile.TarInfo(name); i.uid, i.gid, i.mode = uid, gid, mode
        if name.endswith("/"):
            i.type = tarfile.DIRTYPE; t.addfile(i)
        else:
            i.size = 1; t.addfile(i, io.BytesIO(b"x"))
    t.close()
layer(sys.argv[1] + "/own.tar", [("home/", 0, 0, 0o755),
    ("home/app/", 1234, 2345, 0o700), ("home/app/f", 1234, 2345, 0o600),
    ("sbin2/", 0, 0, 0o755), ("sbin2/su", 0, 0, 0o4755),
    ("sbin2/sg", 0, 50, 0o2755)])
layer(sys.argv[1] + "/far.tar", [("far", 70000, 0, 0o644)])
PY
	python3 tests/mkimage.py "$MI/own" own '{"Cmd":["/bin/sh"],"User":"1234:2345"}' \
		"$I/base.tar" "$MI/own.tar" &&
		python3 tests/mkimage.py "$MI/far" far '{}' "$I/base.tar" "$MI/far.tar" &&
		chmod -R a+rX "$MI"
}

if ! command -v newuidmap >/dev/null || [ "$(id -u)" != 0 ]; then
	skip "--map-users, --map-groups" "needs newuidmap (uidmap) and a root harness"
elif [ ! -s "$I/base.tar" ]; then
	skip "--map-users with images" "no test images (tests/images.sh builds them)"
elif [ ! -d "$MI" ] && ! mkmapimages >"$TMP/mkmap.log" 2>&1; then
	fail "--map-users: building the test images" "$(tail -5 "$TMP/mkmap.log")"
else
	for f in subuid subgid; do
		rm -f "$TMP/$f.orig"
		[ -e /etc/$f ] && cp -p /etc/$f "$TMP/$f.orig"
		{ cat "$TMP/$f.orig" 2>/dev/null; echo "root:300000:65536"; echo "nobody:400000:65536"; } > /etc/$f
	done
	first=300000
	[ -n "$AS" ] && first=400000
	t "--map-users: the caller is 0, its range from 1" 0 "0 $($AS id -u) 1 1 $first 65536" \
		sbx -r "$R" --map-users -- sh -c 'echo $(cat /proc/self/uid_map)'
	t "--map-groups: the same for groups" 0 "0 $($AS id -g) 1 1 $first 65536" \
		sbx -r "$R" --map-groups -- sh -c 'echo $(cat /proc/self/gid_map)'
	t "--map-users --map-groups: files can belong to other ids" 0 "1000:1000" \
		sbx -r "$R" --map-users --map-groups -t /mnt -- sh -c \
		'touch /mnt/f && chown 1000:1000 /mnt/f && stat -c %u:%g /mnt/f'
	t "--map-users -u N: the command runs as N of the range, with no capabilities" 0 \
		"1000 50 50 0000000000000000 0000000000000000" \
		sbx -r "$R" --map-users --map-groups -u 1000 -g 50 -- sh -c \
		'echo $(id -u) $(id -g) $(id -G) $(sed -n "s/^Cap\(Prm\|Eff\):\t//p" /proc/self/status)'
	t "--map-users -u N: root's files are not N's to write" 1 "Permission denied" \
		sbx -r "$R" --map-users -u 1000 -- sh -c 'touch /etc/x 2>&1 | grep -o "Permission denied"; exit 1'
	t "--map-users -u N --cap-add: N holds what was added, as ambient" 0 "0000000000002000" \
		sbx -r "$R" --map-users -u 1000 --cap-add NET_RAW -- sed -n 's/^CapAmb:\t//p' /proc/self/status
	t "--map-users -u beyond the range: one line" 125 \
		"sbx: id map: uid 65537: --map-users maps 0 to 65536: the caller and its /etc/subuid range" \
		sbx -r "$R" --map-users -u 65537 true
	t "--map-groups -g beyond the range: one line" 125 \
		"sbx: id map: gid 70000: --map-groups maps 0 to 65536: the caller and its /etc/subgid range" \
		sbx -r "$R" --map-groups -g 70000 true
	X=$TMP/mapxdg$($AS id -u)
	rm -rf "$X" && mkdir -p "$X" && chown "$($AS id -u)" "$X" && chmod 700 "$X"
	$AS env XDG_RUNTIME_DIR="$X" "$SBX" -r "$R" --name mapped --map-users -u 1000 -d -- sleep 917 >/dev/null
	t "--map-users -u N: sbx exec runs as N too" 0 "1000" \
		$AS env XDG_RUNTIME_DIR="$X" "$SBX" exec mapped sh -c 'id -u'
	$AS env XDG_RUNTIME_DIR="$X" "$SBX" kill mapped KILL >/dev/null 2>&1
	$AS env XDG_RUNTIME_DIR="$X" "$SBX" wait mapped >/dev/null 2>&1

	rm -rf "$MST" && mkdir -p "$MST" && chown "$($AS id -u)" "$MST"
	t "import --map-users --map-groups: the layers keep their owners" 0 "" sh -c \
		"$AS env XDG_DATA_HOME='$MST' '$SBX' import --map-users --map-groups 'oci:$MI/own:own' own:1 >/dev/null"
	t "... in the range, as the host sees them" 0 "$((first + 1233)):$((first + 2344))" \
		sh -c "stat -c %u:%g '$MST'/sbx/layers/*-u$first+65536-g$first+65536/home/app/f"
	t "-i --map-users --map-groups: the image's owners, setuid and setgid bits inside" 0 \
		"1234:2345 600 0:0 4755 0:50 2755" mimg -i own:1 --map-users --map-groups --entrypoint /bin/sh -- -c \
		'echo $(stat -c "%u:%g %a" /home/app/f /sbin2/su /sbin2/sg)'
	t "-i --map-users --map-groups: the image's User, which owns its files" 0 "1234:2345 x" \
		mimg -i own:1 --map-users --map-groups --entrypoint /bin/sh -- -c 'echo $(id -u):$(id -g) $(cat /home/app/f)'
	t "-i: an image imported for ranges, run without them: one line" 125 \
		"sbx: image: own:1: in the store only for --map-users or --map-groups (hint: sbx import SRC, or run it with them)" \
		mimg -i own:1 true
	t "-i: ... or with other ones: one line" 125 \
		"sbx: image: own:1: not in the store for these --map-users and --map-groups (hint: sbx import with the same ones)" \
		mimg -i own:1 --map-users true
	t "-i SRC --map-users: the variant is unpacked as it runs" 0 "1234:0" \
		mimg -i "oci:$MI/own:own" --map-users -u 0 -g 0 -- stat -c %u:%g /home/app
	t "import --map-users: an owner outside the range: one line, nothing stored" 125 \
		"sbx: layer: sha256:D: far: chown(70000:0): an id the maps do not hold (hint: a larger range in /etc/subuid or /etc/subgid)
|" \
		sh -c "$AS env XDG_DATA_HOME='$MST' '$SBX' import --map-users 'oci:$MI/far:far' 2>&1 | sed 's/sha256:[0-9a-f]*/sha256:D/'; echo \"|\$(ls -A '$MST/sbx/tmp')\"; exit 125"
	t "rmi, prune: the layers that keep ids go too, as their owner removes them" 0 "0 0" sh -c \
		"$AS env XDG_DATA_HOME='$MST' '$SBX' rmi \$($AS env XDG_DATA_HOME='$MST' '$SBX' images | awk 'NR > 1 { print \$3 }') &&
		$AS env XDG_DATA_HOME='$MST' '$SBX' prune && echo \$(ls -A '$MST/sbx/layers' | wc -l) \$(ls -A '$MST/sbx/tmp' | wc -l)"
	t "--map-users without a range: one line" 125 "sbx: id map: /etc/subuid: no range for $($AS id -un) (id $($AS id -u))" \
		sh -c "grep -v '^$($AS id -un):' /etc/subuid > '$TMP/s' && cat '$TMP/s' > /etc/subuid && $AS '$SBX' --map-users true"
	for f in subuid subgid; do
		if [ -e "$TMP/$f.orig" ]; then cat "$TMP/$f.orig" > /etc/$f; else rm -f /etc/$f; fi
	done
	t "--map-users without newuidmap: one line" 125 "sbx: id map: newuidmap not found (hint: apt-get install uidmap)" \
		sh -c "$AS env PATH=/nonexistent '$SBX' --map-users true"
fi
