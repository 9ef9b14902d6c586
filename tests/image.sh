# Images' building blocks on the host, through $BLOCKS (tests/blocks.c),
# each block in its own section. As the user in $AS. Needs: BLOCKS, TMP,
# the harness, python3.

# tar and unpack
U=$($AS id -u)
I=$(mktemp -d "$TMP/tar.XXXXXX") && chown "$U" "$I" && chmod 755 "$I"
A=$I/archives S=$I/src OUT=$I/outside
mkdir -p "$A" "$S"

# the user's unpack of archive $1 into directory $2 (fresh), with the
# environment in $LAYENV; then, on stdout, whatever it left outside $2:
# in $OUT (the user's, so a broken unpacker could write there) or $I/x
LAYENV=
lay() {
	rm -rf "$2" "$OUT" "$I/x" && mkdir "$OUT" && chown "$U" "$OUT"
	$AS env $LAYENV "$BLOCKS" unpack "$2" <"$1"
	_rc=$?
	ls -A "$OUT"
	[ -e "$I/x" ] && echo "outside: $I/x"
	return $_rc
}
# laid ARCHIVE DIR CMD...: CMD in DIR once the archive is unpacked there
laid() {
	_a=$1 _d=$2
	shift 2
	lay "$_a" "$_d" >&2 && (cd "$_d" && "$@")
}
# trees in DIR as text: type, mode, links, size, mtime (whole seconds
# with SECS=1), name and link; directories without links or size
tree() {
	(cd "$1" && shift && find "$@" -type d -printf '%y %m - - %T@ %p\n' -o \
		-printf '%y %m %n %s %T@ %p -> %l\n') | LC_ALL=C sort -k6 |
		if [ -n "$SECS" ]; then sed -E 's/ ([0-9]+)\.[0-9]+ / \1 /'; else cat; fi
}
xattr() {
	python3 -c 'import os, sys
try: print(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).decode())
except OSError as e: print(e.strerror)' "$@"
}
listing() { "$BLOCKS" tar <"$1" | grep '^[02] .* long/' | LC_ALL=C sort; }
same_file() { stat -c %h "$1" && [ "$(stat -c %i "$1")" = "$(stat -c %i "$2")" ]; }
at_most_kb() { [ "$(du -sk "$1" | cut -f1)" -le "$2" ]; }
replaced() {
	find . -mindepth 1 -printf '%y %m %P\n' | LC_ALL=C sort -k3
	for f in f dd l; do echo "$(cat $f)"; done
}
modes() { find . -mindepth 1 -printf '%y %m %T@ %P\n' | LC_ALL=C sort -k4 | sed -E 's/\.0+ / /'; }
whiteouts() { find . -name '.wh.*'; stat -c '%F %t:%T %n' top d/gone; }

# archives from GNU tar: ustar (names split at the prefix, 150 bytes),
# pax and gnu (a name of 401 bytes, a 300-byte link); times to the ns
N=$(printf 'n%.0s' $(seq 1 200)) M=$(printf 'm%.0s' $(seq 1 200))
P=$(printf 'p%.0s' $(seq 1 49))
mkdir -p "$S/d/sub" "$S/d/$P/$P" "$S/long/$N" &&
	echo one >"$S/d/f" && chmod 640 "$S/d/f" && ln "$S/d/f" "$S/d/hard" &&
	ln -s f "$S/d/sym" && mkfifo "$S/d/fifo" && echo deep >"$S/d/$P/$P/$P" &&
	chmod 1777 "$S/d/sub" && chmod 555 "$S/d/$P" && echo long >"$S/long/$N/$M" &&
	ln -s "$(printf 't%.0s' $(seq 1 300))" "$S/long/link" &&
	find "$S" -depth -exec touch -h -d @1000000000.123456789 {} + ||
	fail "tar: the source tree" "could not be made"
for f in ustar pax gnu; do
	trees="d long" SECS=1
	[ $f = ustar ] && trees=d
	[ $f = pax ] && SECS=
	tar -C "$S" --format=$f -cf "$A/$f.tar" $trees
	t "tar: GNU tar's $f format unpacks as it was packed" 0 "$(SECS=$SECS tree "$S" $trees)" \
		laid "$A/$f.tar" "$I/$f" eval 'SECS=$SECS tree . $trees'
done
SECS=
t "tar: the listing of a gnu archive, long names and links" 0 \
	"0 0644 0:0 5 long/$N/$M
2 0777 0:0 0 long/link -> $(printf 't%.0s' $(seq 1 300))" listing "$A/gnu.tar"
t "tar: a hard link is the same file" 0 "2" same_file "$I/pax/d/f" "$I/pax/d/hard"

# crafted ones, with python's tarfile; and by hand what it will not write
python3 - "$A" "$OUT" <<'EOF' || fail "tar: the crafted archives" "python3 failed"
import io, os, sys, tarfile
A, OUT = sys.argv[1], sys.argv[2]
def ent(name, data=None, type=tarfile.REGTYPE, **kw):
    ti = tarfile.TarInfo(name); ti.type = type
    for k, v in kw.items(): setattr(ti, k, v)
    if data is not None: ti.size = len(data)
    return ti, io.BytesIO(data) if data is not None else None
def arc(name, *ents, fmt=tarfile.PAX_FORMAT):
    with tarfile.open(os.path.join(A, name), 'w', format=fmt) as tf:
        for ti, f in ents: tf.addfile(ti, f)
D, L, S, H, C, B = (tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.SYMTYPE,
    tarfile.LNKTYPE, tarfile.CHRTYPE, tarfile.BLKTYPE)
arc('dotdot.tar', ent('../x', b'x'))
arc('dotdot2.tar', ent('a', type=D), ent('a/../../x', b'x'))
arc('abs.tar', ent(OUT + '/abs', b'x'))
arc('symlink.tar', ent('l', type=L, linkname=OUT), ent('l/x', b'x'))
arc('updots.tar', ent('a', type=D), ent('a/b', type=L, linkname='../..'),
    ent('a/b/x', b'x'))
arc('filepath.tar', ent('f', b'f'), ent('f/x', b'x'))
arc('hardpw.tar', ent('pw', type=H, linkname='/etc/passwd'))
arc('harddots.tar', ent('h', type=H, linkname='../x'))
arc('hardsym.tar', ent('l', type=L, linkname=OUT), ent('h', type=H,
    linkname='l/x'))
arc('harddir.tar', ent('d', type=D), ent('h', type=H, linkname='d'))
arc('longname.tar', ent('a/' * 2100 + 'x', b'x'))
arc('devices.tar', ent('dev/null', type=C, devmajor=1, devminor=3),
    ent('dev/sda', type=B, devmajor=8, devminor=0), ent('after', b'a'))
arc('bomb.tar', *[ent('b%d' % i, bytes(65536)) for i in range(40)])
arc('wh.tar', ent('d', type=D, mode=0o755), ent('d/keep', b'k'), ent('d/.wh..wh..opq', b''),
    ent('d/.wh.gone', b''), ent('.wh.top', b''),
    ent('fake', type=D, mode=0o755, pax_headers={'SCHILY.xattr.user.overlay.opaque': 'y',
        'SCHILY.xattr.user.kept': 'v'}))
arc('replace.tar', ent('f', b'one'), ent('f', b'two'),
    ent('dd', type=D), ent('dd/x', b'x'), ent('dd', b'file'),
    ent('ff', b'ff'), ent('ff', type=D),
    ent('l', type=L, linkname=OUT + '/target'), ent('l', b'mine'),
    ent('keep', type=D, mode=0o700), ent('keep/a', b'a'),
    ent('keep', type=D, mode=0o755))
arc('modes.tar', ent('ro', type=D, mode=0o555, mtime=1000000000),
    ent('ro/sub', type=D, mode=0o500, mtime=1000000002),
    ent('ro/sub/f', b'f', mode=0o444, pax_headers={'mtime': '1000000001.5'}),
    ent('fifo', type=tarfile.FIFOTYPE, mode=0o600, mtime=1000000003),
    ent('sticky', type=D, mode=0o1777, mtime=1000000004),
    ent('suid', b's', mode=0o4755, uid=1234, gid=5678, mtime=1000000005))
def hdr(name, size, type, sum_ok=True):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b'0000644\0'; h[108:116] = b'0000000\0'; h[116:124] = b'0000000\0'
    h[124:136] = b'%011o\0' % size; h[136:148] = b'00000000000\0'
    h[156] = ord(type); h[257:265] = b'ustar\x0000'
    h[148:156] = b' ' * 8
    h[148:156] = b'%06o\0 ' % (sum(h) + (0 if sum_ok else 1))
    return bytes(h)
open(os.path.join(A, 'paxhuge.tar'), 'wb').write(hdr(b'PaxHeaders/x', (8 << 30) - 1,
    'x') + b'30 path=aaaaaaaaaaaaaaaaaaaa\n' + bytes(10240))
arc('huge.tar', ent('huge', size=1 << 40))
open(os.path.join(A, 'badsum.tar'), 'wb').write(hdr(b'f', 0, '0', False) +
    bytes(1024))
# GNU long names: one of PATH_MAX bytes and no NUL, a link over it
open(os.path.join(A, 'gnulong.tar'), 'wb').write(hdr(b'././@LongLink', 4096,
    'L') + b'a' * 4096 + hdr(b'x', 0, '0') + bytes(1024))
arc('gnulink.tar', ent('l', type=L, linkname='t' * 5000), fmt=tarfile.GNU_FORMAT)
data = hdr(b'f', 10000, '0') + b'y' * 10240 + bytes(1024)
open(os.path.join(A, 'truncated.tar'), 'wb').write(data[:3000])
open(os.path.join(A, 'truncated2.tar'), 'wb').write(data[:512 + 10240 + 100])
EOF

# hostile NAME MESSAGE ARCHIVE: the unpack fails with that one line and
# status 125, and nothing is written outside its directory
hostile() { t "tar: hostile: $1" 125 "$2" lay "$A/$3" "$I/h"; }
hostile "../x" "sbx: stdin: ../x: '..' in its name" dotdot.tar
hostile "a/../../x" "sbx: stdin: a/../../x: '..' in its name" dotdot2.tar
hostile "a symlink to outside, then l/x" "sbx: stdin: l/x: l is a symlink or not a directory" symlink.tar
hostile "a symlink to ../.., then a/b/x" "sbx: stdin: a/b/x: b is a symlink or not a directory" updots.tar
hostile "a file, then f/x" "sbx: stdin: f/x: f is a symlink or not a directory" filepath.tar
hostile "a hard link to /etc/passwd" "sbx: stdin: pw: hard link to etc/passwd: no such file in the layer" hardpw.tar
hostile "a hard link to ../x" "sbx: stdin: h: '..' in its link" harddots.tar
hostile "a hard link through a symlink" "sbx: stdin: h: hard link to l/x: no such file in the layer" hardsym.tar
hostile "a hard link to a directory" "sbx: stdin: h: hard link to d: a directory" harddir.tar
hostile "a name over PATH_MAX" "sbx: stdin: name over PATH_MAX" longname.tar
hostile "a GNU long name of PATH_MAX bytes" "sbx: stdin: name over PATH_MAX" gnulong.tar
hostile "a GNU long link over PATH_MAX" "sbx: stdin: link over PATH_MAX" gnulink.tar
hostile "a pax header that claims 8 GiB" "sbx: stdin: pax header over 1 MiB" paxhuge.tar
hostile "truncated in the data" "sbx: stdin: f: truncated" truncated.tar
hostile "truncated in a header" "sbx: stdin: truncated" truncated2.tar
hostile "a bad header checksum" "sbx: stdin: bad header checksum" badsum.tar
hostile "an entry that claims 1 TiB, unbounded" "sbx: stdin: huge: truncated" huge.tar
LAYENV=BLOCKS_MAXBYTES=1000000
hostile "an entry that claims 1 TiB, bounded" "sbx: stdin: expands past 1000000 bytes" huge.tar
hostile "a bomb of 40 files of 64 KiB, bounded" "sbx: stdin: expands past 1000000 bytes" bomb.tar
t "tar: the bomb stopped before its bound" 0 "" at_most_kb "$I/h" 1100
LAYENV=BLOCKS_MAXBYTES=3000000
t "tar: the bomb within a bound: all of it" 0 "40" laid "$A/bomb.tar" "$I/h" eval 'ls | wc -l'
LAYENV=
t "tar: an absolute name lands inside" 0 "x" laid "$A/abs.tar" "$I/h" cat ".$OUT/abs"

t "tar: device nodes are skipped with one warning" 0 "after
dev
sbx: stdin: dev/null: device nodes are skipped" laid "$A/devices.tar" "$I/h" eval 'ls; ls dev'
t "tar: a later entry replaces an earlier one" 0 "f 644 dd
f 644 f
d 644 ff
d 755 keep
f 644 keep/a
f 644 l
two
file
mine" laid "$A/replace.tar" "$I/h" replaced
t "tar: modes and times, directories' set last" 0 "p 600 1000000003 fifo
d 555 1000000000 ro
d 500 1000000002 ro/sub
f 444 1000000001.5000000000 ro/sub/f
d 1777 1000000004 sticky
f 755 1000000005 suid" laid "$A/modes.tar" "$I/h" modes
if [ "$U" = 0 ]; then
	LAYENV=BLOCKS_KEEP_OWNERS=1
	t "tar: keep_owners keeps owners and the setuid bit" 0 "4755 1234:5678" \
		laid "$A/modes.tar" "$I/h" stat -c "%a %u:%g" suid
	LAYENV=
else
	t "tar: without keep_owners the files are the caller's" 0 "755 $U:$U" \
		laid "$A/modes.tar" "$I/h" stat -c "%a %u:%g" suid
fi

# whiteouts: a 0:0 character device needs no privilege since Linux 5.8
rm -f "$I/probe"
if ! $AS mknod "$I/probe" c 0 0 2>"$TMP/mknod.err"; then
	skip "tar: whiteouts" "mknod of a whiteout refused here: $(cat "$TMP/mknod.err")"
else
	t "tar: whiteouts become 0:0 character devices, no marker left" 0 \
		"character special file 0:0 top
character special file 0:0 d/gone" laid "$A/wh.tar" "$I/h" whiteouts
	t "tar: .wh..wh..opq makes its directory opaque" 0 "y" xattr "$I/h/d" user.overlay.opaque
	t "tar: an archive's own overlay xattr is dropped" 0 "No data available" xattr "$I/h/fake" user.overlay.opaque
	t "tar: other user xattrs are kept" 0 "v" xattr "$I/h/fake" user.kept
fi
