# The building blocks of images (#16), each in its own section, through the
# host-side tool $BLOCKS (tests/blocks.c), as the user in $AS.
# Needs: BLOCKS, TMP, the harness; python3 for the differential tests.

# json
J=$TMP/json$($AS id -u) _jk=0
rm -rf "$J" && mkdir -p "$J"
# jt NAME STATUS OUTPUT DOC [ARG...]: blocks json ARG... reads DOC (kept
# for the differential test below)
jt() {
	_jn=$1 _js=$2 _jo=$3 _jk=$((_jk + 1))
	printf %s "$4" >"$J/in"
	cp "$J/in" "$J/doc.$_jk"
	shift 4
	t "json: $_jn" "$_js" "$_jo" $AS "$BLOCKS" json "$@" <"$J/in"
}
# y NAME DOC [CANONICAL]: DOC is valid and comes back as CANONICAL (DOC)
y() { jt "y_$1" 0 "${3-$2}" "$2"; }
# n NAME DOC WHERE WHAT: DOC is refused with "line, column: WHAT"
n() { jt "n_$1" 1 "blocks: json: line ${3%:*}, column ${3#*:}: $4" "$2"; }

y structure_lonely_null 'null'
y structure_lonely_true ' true '      'true'
y structure_lonely_false $'\n\tfalse\r\n' 'false'
y structure_whitespace_around $' \t\r\n[ \t\r\n1 \t\r\n, 2 ]\n' '[1,2]'
y array_empty '[]'
y object_empty '{ }' '{}'
y array_nested '[[],[[]],{"a":[{}]}]'
y object_keys_in_input_order '{"z":1,"a":2,"m":3}'
y object_same_key_in_two_objects '[{"a":1},{"a":2}]'
y object_keys_differ_in_length '{"a":1,"aa":2,"":3}'
y object_keys_differ_after_a_nul '{"a\u0000x":1,"a\u0000y":2,"a":3}'
y number_minus_zero '-0'
y number_exponent '1e5'
y number_fraction '1.5'
y number_all_forms '[0,-0.0,12.5e-3,1E+2,-1e0]'
y number_bigger_than_any_integer '123456789012345678901234567890'
y string_escapes '"\"\\\/\b\f\n\r\t"' '"\"\\/\b\f\n\r\t"'
y string_u_escapes_to_utf8 '"\u0041\u00e9\u20ac\uD834\uDD1E"' '"Aé€𝄞"'
y string_utf8_kept '"é€𝄞"'
y string_control_escaped_back '"\u0001\u001f\u007f"' $'"\\u0001\\u001f\x7f"'
y string_nul_escape '"a\u0000b"'
y string_last_code_point $'"\xf4\x8f\xbf\xbf"'
y string_key_escapes '{"a\nb":"\u0022"}' '{"a\nb":"\""}'

n structure_empty '' 1:1 'unexpected end of input'
n structure_only_space '   ' 1:4 'unexpected end of input'
n structure_two_values '1 2' 1:3 'trailing data after the value'
n structure_trailing_garbage '{}x' 1:3 'trailing data after the value'
n structure_bom $'\xef\xbb\xbf{}' 1:1 'unexpected byte 0xef'
n structure_control_after $'[]\x01' 1:3 'trailing data after the value'
n structure_unclosed_array '[1,2' 1:5 'unexpected end of input'
n structure_unclosed_object '{"a":1' 1:7 'unexpected end of input'
n structure_line_and_column $'{\n  "a": [1,\n    }' 3:5 "unexpected '}'"
n structure_column_counts_characters '["éé", x]' 1:8 "unexpected 'x'"
n array_trailing_comma '[1,]' 1:4 "unexpected ']'"
n array_missing_comma '[1 2]' 1:4 "expected ',' or ']'"
n array_wrong_close '[1}' 1:3 "expected ',' or ']'"
n object_trailing_comma '{"a":1,}' 1:8 "expected a member's name, a string"
n object_number_key '{1:2}' 1:2 "expected a member's name, a string"
n object_missing_colon '{"a" 1}' 1:6 "expected ':'"
n object_single_quotes "{'a':1}" 1:2 "expected a member's name, a string"
n literal_capital 'True' 1:1 "unexpected 'T'"
n literal_truncated 'nul' 1:1 'expected true, false or null'
n literal_nan 'NaN' 1:1 "unexpected 'N'"
n literal_infinity '-Infinity' 1:2 'expected a digit'
n number_leading_zero '012' 1:1 'leading zero in a number'
n number_minus_leading_zero '-01' 1:2 'leading zero in a number'
n number_plus '+1' 1:1 "unexpected '+'"
n number_dot_first '.5' 1:1 "unexpected '.'"
n number_dot_last '1.' 1:3 'expected a digit'
n number_exponent_empty '1e+' 1:4 'expected a digit'
n number_hex '0x1' 1:2 'trailing data after the value'
n string_unterminated '"abc' 1:1 'unterminated string'
n string_escaped_quote_last '"abc\"' 1:1 'unterminated string'
n string_single_quote "'a'" 1:1 "unexpected '''"
n string_bad_escape '"\x41"' 1:2 'invalid escape'
n string_short_u '"\u12"' 1:2 'expected four hex digits after \u'
n string_u_not_hex '"\u12G4"' 1:2 'expected four hex digits after \u'
n string_u_control_not_hex $'"\\u\x10\x10\x10\x10"' 1:2 'expected four hex digits after \u'
n string_tab $'"a\tb"' 1:3 'control character in a string'
n string_newline $'"a\nb"' 1:3 'control character in a string'
n string_lone_high_surrogate '"\uD800"' 1:2 'lone high surrogate'
n string_high_then_letter '"\uDBFFx"' 1:2 'lone high surrogate'
n string_two_high_surrogates '"\uD800\uD800"' 1:2 'lone high surrogate'
n string_lone_low_surrogate '"a\uDC00"' 1:3 'lone low surrogate'
n string_lone_surrogate_in_key '{"\uDFFF":1}' 1:3 'lone low surrogate'
n utf8_overlong_nul $'"\xc0\x80"' 1:2 'invalid UTF-8'
n utf8_overlong_slash $'"\xe0\x80\xaf"' 1:2 'invalid UTF-8'
n utf8_overlong_4byte $'"\xf0\x8f\xbf\xbf"' 1:2 'invalid UTF-8'
n utf8_encoded_surrogate $'"\xed\xa0\x80"' 1:2 'invalid UTF-8'
n utf8_over_10ffff $'"\xf4\x90\x80\x80"' 1:2 'invalid UTF-8'
n utf8_lone_continuation $'"a\x80"' 1:3 'invalid UTF-8'
n utf8_truncated $'"\xe2\x82"' 1:2 'invalid UTF-8'
n utf8_truncated_at_end $'"\xe2\x82' 1:1 'unterminated string'
n utf8_f8 $'"\xf8\x88\x80\x80\x80"' 1:2 'invalid UTF-8'
n utf8_f9_looks_like_4_bytes $'"\xf9\x90\x80\x80"' 1:2 'invalid UTF-8'
n utf8_fc_looks_like_4_bytes $'"\xfc\x80\x80\x80"' 1:2 'invalid UTF-8'
n utf8_outside_string $'\xc3\xa9' 1:1 'unexpected byte 0xc3'
n object_duplicate_key '{"a":1,"b":2,"a":3}' 1:14 'duplicate key'
n object_duplicate_key_escaped '{"a":1,"\u0061":2}' 1:8 'duplicate key'
n object_duplicate_key_nested '[{"x":{"k":1,"k":1}}]' 1:14 'duplicate key'
n object_duplicate_empty_key '{"":1,"":2}' 1:7 'duplicate key'

# nesting: 128 levels are read, the 129th is refused, however deep it goes
nest() { python3 -c 'import sys; n=int(sys.argv[1]); print("["*n+"]"*n)' "$1"; }
if command -v python3 >/dev/null; then
	jt "nesting: 128 arrays deep is read" 0 "$(nest 128)" "$(nest 128)"
	jt "nesting: 129 arrays deep is refused" 1 \
		"blocks: json: line 1, column 129: nested deeper than 128" "$(nest 129)"
	jt "nesting: 100000 deep is refused, not a stack overflow" 1 \
		"blocks: json: line 1, column 129: nested deeper than 128" "$(nest 100000)"
	jt "nesting: objects count too" 1 \
		"blocks: json: line 1, column 641: nested deeper than 128" \
		"$(python3 -c 'print("{\"a\":"*128+"{}"+"}"*128)')"
else
	skip "nesting: deep documents" "no python3"
fi

# numbers: kept as written; json_int and json_uint take integers alone
NUMS='[-0,1e5,1.5,1.0,9223372036854775807,9223372036854775808,-9223372036854775808,-9223372036854775809,18446744073709551615,18446744073709551616,-1,"7"]'
jt "numbers: kept as their text" 0 "-0
1e5
1.5
9223372036854775808" "$NUMS" '[0]' '[1]' '[2]' '[5]'
jt "numbers: json_int's range is long long's" 1 "0
9223372036854775807
-9223372036854775808
-1
blocks: json: [1]: not an integer
blocks: json: [2]: not an integer
blocks: json: [3]: not an integer
blocks: json: [5]: not an integer
blocks: json: [7]: not an integer
blocks: json: [9]: not an integer
blocks: json: [11]: not an integer" "$NUMS" -i '[0]' '[1]' '[2]' '[3]' '[4]' '[5]' '[6]' \
	'[7]' '[9]' '[10]' '[11]'
jt "numbers: json_uint's range is unsigned long long's, no sign" 1 "0
18446744073709551615
blocks: json: [7]: not an integer
blocks: json: [9]: not an integer
blocks: json: [10]: not an integer" "$NUMS" -u '[0]' '[8]' '[7]' '[9]' '[10]'

# strings: a NUL inside is kept, but is no C string
jt "strings: json_string refuses one with a NUL" 1 \
	'blocks: json: .a: holds a NUL' '{"a":"x\u0000y"}' .a

# json_path: what a config reader's message names
jt "json_path: every member of nested arrays and objects" 0 "
process
process.args
process.args[0]
process.args[1]
process.args[2]
annotations
annotations[\"a.b\"]
annotations[\"\"]
annotations[\"1x\"]
annotations[\"q\\\"\\n\"]
annotations._x1
[\"top key\"]
[\"top key\"][0]
[\"top key\"][0][0]" '{"process":{"args":["sh","-c",3]},"annotations":{"a.b":1,"":2,"1x":3,"q\"\n":4,"_x1":5},"top key":[[{}]]}' -p

# real OCI documents, as an image layout holds them
INDEX='{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "sha256:9b1a5a3cf8e5b4b6ad7d2cb51c1ba69ee74aa2a1fc3b79b1ab34e1c5cb3b2e0d",
      "size": 1024,
      "platform": { "architecture": "amd64", "os": "linux" },
      "annotations": { "org.opencontainers.image.ref.name": "3.19" }
    },
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "sha256:1f4c2e1bd0a2e0bd5a1ad2aa8b8ca0b0c3d9b3d8e7a4b0e3f2a1c0b9a8d7e6f5",
      "size": 1025,
      "platform": { "architecture": "arm64", "os": "linux", "variant": "v8" }
    }
  ]
}'
jt "OCI index.json: the digest, platform and ref name of each manifest" 0 \
"2
sha256:9b1a5a3cf8e5b4b6ad7d2cb51c1ba69ee74aa2a1fc3b79b1ab34e1c5cb3b2e0d
amd64
3.19
v8
{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}" "$INDEX" \
	.schemaVersion '.manifests[0].digest' '.manifests[0].platform.architecture' \
	'.manifests[0].annotations["org.opencontainers.image.ref.name"]' \
	'.manifests[1].platform.variant' '.manifests[1].platform'
jt "OCI index.json: a missing member is not found" 1 \
	"blocks: json: .manifests[2]: not found
blocks: json: .manifests[1].annotations: not found" "$INDEX" '.manifests[2]' \
	'.manifests[1].annotations'
MANIFEST='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aa","size":581},
"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:bb","size":3408729},
{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:cc","size":4294967296}]}'
jt "OCI manifest: the config and the layers" 0 "sha256:aa
application/vnd.oci.image.layer.v1.tar+gzip
sha256:cc" "$MANIFEST" '.config.digest' '.layers[0].mediaType' '.layers[1].digest'
jt "OCI manifest: the sizes, through json_uint, beyond 32 bits" 0 "581
3408729
4294967296" "$MANIFEST" -u '.config.size' '.layers[0].size' '.layers[1].size'
CONFIG='{"architecture":"amd64","os":"linux","created":"2024-01-27T00:00:00Z",
"config":{"User":"1000:1000","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"],
"Entrypoint":["/docker-entrypoint.sh"],"Cmd":["nginx","-g","daemon off;"],"WorkingDir":"/srv",
"ExposedPorts":{"80/tcp":{}},"StopSignal":"SIGQUIT","Labels":{"maintainer":"NGINX \u003cdocker-maint@nginx.com\u003e"}},
"rootfs":{"type":"layers","diff_ids":["sha256:dd","sha256:ee"]},
"history":[{"created":"2024-01-27T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:x in / ","empty_layer":false}]}'
jt "OCI config: the runtime defaults an image carries" 0 "1000:1000
LANG=C.UTF-8
[\"/docker-entrypoint.sh\"]
daemon off;
/srv
{}
SIGQUIT
NGINX <docker-maint@nginx.com>
sha256:ee
false" "$CONFIG" .config.User '.config.Env[1]' .config.Entrypoint '.config.Cmd[2]' \
	.config.WorkingDir '.config.ExposedPorts["80/tcp"]' .config.StopSignal \
	.config.Labels.maintainer '.rootfs.diff_ids[1]' '.history[0].empty_layer'

# differential: Python's json module, made as strict (no NaN, no
# duplicate, no lone surrogate, UTF-8 only, 128 levels), must agree on
# every document of this suite and on mutations of some; where both read
# one, they must read the same value. Prints what differs.
jdiff() {
	python3 - "$BLOCKS" "$AS" "$J" <<'EOF'
import glob, json, random, subprocess, sys
blocks, run = sys.argv[1], sys.argv[2].split()
def depth(v):
    if isinstance(v, dict): v = list(v.values())
    return 1 + max(map(depth, v), default=0) if isinstance(v, list) else 0
def pairs(p):
    if len(set(k for k, _ in p)) != len(p): raise ValueError("duplicate")
    return dict(p)
def const(c): raise ValueError(c)
def python(doc):
    try:
        v = json.loads(doc.decode("utf-8"), object_pairs_hook=pairs,
                       parse_constant=const)
        json.dumps(v, ensure_ascii=False).encode("utf-8")  # lone surrogates
        return v if depth(v) <= 128 else ValueError
    except (ValueError, UnicodeError, RecursionError):
        return ValueError
seeds = [b'{"a":[1,-0.5e3,"\\u00e9\\ud83d\\ude00",true,null],"b":{"c":"d"}}',
         b'[0,1e5,1.5,"\\"\\\\/\\b\\f\\n\\r\\t",{"":[]},false]',
         b'{"schemaVersion":2,"manifests":[{"digest":"sha256:a","size":7}]}',
         '"é€𝄞 \\u20ac"'.encode(), b'[[[]],{"k":{"k":{}}}]', b' 12 ']
rnd, docs = random.Random(16), list(seeds)
for _ in range(400):
    d = bytearray(rnd.choice(seeds))
    for _ in range(rnd.randint(1, 3)):
        i, op = rnd.randrange(len(d) + 1), rnd.randrange(4)
        c = rnd.choice(b'{}[]:,"\\u0-+.e1 \t\nxtfn' + bytes([0, 0x1f, 0x80, 0xc3, 0xed, 0xff]))
        if op == 0 and i < len(d): d[i] = c
        elif op == 1: d[i:i] = bytes([c])
        elif op == 2: del d[i:i + rnd.randint(1, 4)]
        else: d = d[:i]
    docs.append(bytes(d))
for f in sorted(glob.glob(sys.argv[3] + "/doc.*")):
    docs.append(open(f, "rb").read())
for doc in docs:
    r = subprocess.run(run + [blocks, "json"], input=doc, capture_output=True)
    want = python(doc)
    try:  # what blocks read, with nothing refused that Python can read
        got = ValueError if r.returncode else json.loads(r.stdout)
    except ValueError:
        got = "unreadable output"
    if r.returncode not in (0, 1) or r.returncode and r.stdout or \
       (want is ValueError) != (got is ValueError) or want != got:
        print(repr(doc), "python:", "refused" if want is ValueError else "read",
              "blocks:", r.returncode, r.stdout[:80], r.stderr[:80])
EOF
}
if command -v python3 >/dev/null; then
	t "json: Python's json module agrees on this suite's documents and 400 more" 0 "" jdiff
else
	skip "json: Python's json module agrees" "no python3"
fi

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
	LAYENV=BLOCKS_KEEP_OWNERS=3
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

# sha256 and gunzip
G=$TMP/gz
if ! [ -d "$G" ]; then
	mkdir -p "$G"
	head -c 1048576 /dev/urandom > "$G/random"
	head -c 4194317 /dev/urandom > "$G/long"
	printf abc > "$G/abc"
	printf abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq > "$G/448"
	printf %s%s abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn \
		hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu > "$G/896"
	yes a | tr -d '\n' | head -c 1000000 > "$G/million"
	for k in 0 55 56 63 64 65; do head -c $k "$G/random" > "$G/b$k"; done
	for i in $(seq 1 3000); do printf '%s ' "$i"; done > "$G/writes"
	# long and short matches, runs of one byte and of a few
	{ seq 1 100000; cat ./*.c; yes | head -c 70000; yes abc | head -c 50000; } > "$G/text"
	gzip -1 -n < "$G/text" > "$G/text1.gz"
	gzip -9 -n < "$G/text" > "$G/text9.gz"
	cp "$G/text" "$G/named" && gzip -9 "$G/named"
	gzip -n < "$G/random" > "$G/random.gz"
	printf 'a\n' | gzip -n > "$G/a.gz"
	cat "$G/text1.gz" "$G/a.gz" "$G/random.gz" > "$G/members.gz"
	{ cat "$G/text"; printf 'a\n'; cat "$G/random"; } > "$G/members"
fi
digest() { sha256sum < "$1" | cut -d' ' -f1; }
crc() { python3 -c 'import sys, zlib
print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()))' "$1"; }
# gunzips GZ FILE: blocks decodes GZ to FILE's bytes
gunzips() { $AS "$BLOCKS" gunzip < "$1" | cmp - "$2"; }
# byteat N GZ FILE: GZ's byte at offset N (a flag, a block type), and
# gunzips GZ FILE
byteat() { od -An -tu1 -j"$1" -N1 "$2" | tr -d ' ' && gunzips "$2" "$3"; }
# gz CMD...: what CMD prints through blocks gunzip, its output dropped
gz() { "$@" | $AS "$BLOCKS" gunzip > /dev/null; }
# badgz NAME WHY CMD...: that fails, with status 1 and one line saying WHY
badgz() {
	_case=$1 _why=$2
	shift 2
	t "gunzip: $_case: $_why" 1 "blocks: gunzip: $_why" gz "$@"
}
# flip FILE OFFSET: FILE with the byte at OFFSET (from the end if < 0)
# inverted
flip() {
	python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[int(sys.argv[2])] ^= 0xff
sys.stdout.buffer.write(b)' "$1" "$2"
}

# each case twice: with the CPU's SHA instructions (if it has them), then
# with the portable code (BLOCKS_PORTABLE)
for P in "" BLOCKS_PORTABLE=1; do
	p=${P:+, portable}
	for k in 0 55 56 63 64 65; do
		t "sha256$p: $k bytes, as sha256sum" 0 "$(digest "$G/b$k")" \
			$AS env $P "$BLOCKS" sha256 "$G/b$k"
	done
	t "sha256$p: 1 MiB of random data, from stdin" 0 "$(digest "$G/random")" \
		sh -c '$AS env $1 "$BLOCKS" sha256 < "$2"' sh "$P" "$G/random"
	t "sha256$p: 1 MiB read 7 bytes at a time" 0 "$(digest "$G/random")" \
		$AS env $P BLOCKS_CHUNK=7 "$BLOCKS" sha256 "$G/random"
	t "sha256$p: a file of many small writes, read 1 byte at a time" 0 \
		"$(digest "$G/writes")" $AS env $P BLOCKS_CHUNK=1 "$BLOCKS" sha256 \
		"$G/writes"
	# FIPS 180-4's examples (csrc.nist.gov), not sha256sum's word
	t "sha256$p: FIPS 180-4, abc" 0 \
		ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad \
		$AS env $P "$BLOCKS" sha256 "$G/abc"
	t "sha256$p: FIPS 180-4, 448 bits" 0 \
		248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1 \
		$AS env $P "$BLOCKS" sha256 "$G/448"
	t "sha256$p: FIPS 180-4, 896 bits" 0 \
		cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1 \
		$AS env $P "$BLOCKS" sha256 "$G/896"
	t "sha256$p: FIPS 180-4, a million a" 0 \
		cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0 \
		$AS env $P "$BLOCKS" sha256 "$G/million"
	# whole blocks in runs of every length, and a block's carry between
	for c in 65536 4099 129 63; do
		t "sha256$p: 4 MiB of random data, read $c bytes at a time" 0 \
			"$(digest "$G/long")" $AS env $P BLOCKS_CHUNK=$c "$BLOCKS" \
			sha256 "$G/long"
	done
	# CRC-32 as zlib has it: 64 bytes and more are folded 64 and then 16
	# at a time, the rest by the tables
	for k in 0 63 64 65; do
		t "crc32$p: $k bytes, as zlib" 0 "$(crc "$G/b$k")" \
			$AS env $P "$BLOCKS" crc32 "$G/b$k"
	done
	for c in 65536 4099 129 112 80 63; do
		t "crc32$p: 4 MiB of random data, read $c bytes at a time" 0 \
			"$(crc "$G/long")" $AS env $P BLOCKS_CHUNK=$c "$BLOCKS" \
			crc32 "$G/long"
	done
done
t "sha256: a file that cannot be read" 1 \
	"blocks: sha256: $G/none: No such file or directory" \
	$AS "$BLOCKS" sha256 "$G/none"

t "gunzip: gzip -1 (dynamic blocks)" 0 "" gunzips "$G/text1.gz" "$G/text"
t "gunzip: gzip -9 -n" 0 "" gunzips "$G/text9.gz" "$G/text"
t "gunzip: gzip -9 with the file's name (FNAME)" 0 "8" \
	byteat 3 "$G/named.gz" "$G/text"
t "gunzip: gzip -9, read and decoded 7 bytes at a time" 0 "" sh -c \
	'$AS env BLOCKS_CHUNK=7 "$BLOCKS" gunzip < "$1" | cmp - "$2"' \
	sh "$G/text9.gz" "$G/text"
t "gunzip: stored blocks (gzip of random data)" 0 "0" \
	byteat 10 "$G/random.gz" "$G/random"
t "gunzip: fixed codes (gzip of 2 bytes)" 0 "a" $AS "$BLOCKS" gunzip < "$G/a.gz"
t "gunzip: every member of a multi-member file" 0 "" \
	gunzips "$G/members.gz" "$G/members"
t "gunzip: zero padding after the last member" 0 "" sh -c \
	'{ cat "$1"; head -c 10240 /dev/zero; } | $AS "$BLOCKS" gunzip | cmp - "$2"' \
	sh "$G/text9.gz" "$G/text"
t "gunzip: FEXTRA, FNAME, FCOMMENT and FHCRC" 0 "hello, hello, hello" \
	$AS "$BLOCKS" gunzip < tests/corpus/gunzip/headers.gz
badgz "a flipped FHCRC" "bad header CRC" flip tests/corpus/gunzip/headers.gz 30
badgz "half the file" "truncated" \
	head -c "$(($(wc -c < "$G/text9.gz") / 2))" "$G/text9.gz"
badgz "no ISIZE" "truncated" head -c -4 "$G/text9.gz"
badgz "half a header" "truncated" head -c 5 "$G/text9.gz"
badgz "inside a stored block" "truncated" head -c 1000 "$G/random.gz"
badgz "empty input" "truncated" printf ''
badgz "plain text" "not gzip" cat "$G/text"
badgz "a flipped CRC" "bad CRC" flip "$G/text9.gz" -8
badgz "a flipped ISIZE" "bad length" flip "$G/text9.gz" -1
badgz "garbage after the member" "trailing data" sh -c \
	'cat "$1"; echo garbage' sh "$G/text9.gz"
badgz "zeros, then garbage" "trailing data" sh -c \
	'cat "$1"; head -c 512 /dev/zero; echo x' sh "$G/a.gz"
# crafted members: a 10-byte header, DEFLATE bits, a zero trailer
crafted() { printf '\037\213\010\0\0\0\0\0\0\003'"$1"'\0\0\0\0\0\0\0\0'; }
badgz "a match before the first byte" "bad distance" crafted '\003\002\0'
badgz "block type 3" "bad block type" crafted '\007'
badgz "LEN and NLEN disagree" "bad stored length" crafted '\001\005\0\0\0'
badgz "fixed literal 286" "bad code" crafted '\033\003'
badgz "fixed distance 30" "bad distance code" crafted '\003\076'
badgz "HLIT 287" "bad code lengths" crafted '\365\0\0\0'
badgz "method 7" "not deflate" printf '\037\213\007\0\0\0\0\0\0\003'
badgz "reserved flags" "bad flags" printf '\037\213\010\040\0\0\0\0\0\003'
t "gunzip: a flipped byte inside the data is an error" 0 "" sh -c \
	'python3 -c "import sys
b = bytearray(open(sys.argv[1], \"rb\").read())
b[len(b) // 2] ^= 0x55
sys.stdout.buffer.write(b)" "$1" | $AS "$BLOCKS" gunzip 2>&1 >/dev/null |
	grep -qxE "blocks: gunzip: (bad .*|truncated)"' sh "$G/text9.gz"
