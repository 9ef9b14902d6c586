# The image's building blocks, each through its subcommand of
# tests/blocks and checked against the system's own tools; as the user in
# $AS. One section per block. Needs: BLOCKS, TMP, the harness.

# sha256 and gunzip
G=$TMP/gz
if ! [ -d "$G" ]; then
	mkdir -p "$G"
	head -c 1048576 /dev/urandom > "$G/random"
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

for k in 0 55 56 63 64 65; do
	t "sha256: $k bytes, as sha256sum" 0 "$(digest "$G/b$k")" \
		$AS "$BLOCKS" sha256 "$G/b$k"
done
t "sha256: 1 MiB of random data, from stdin" 0 "$(digest "$G/random")" \
	sh -c '$AS "$BLOCKS" sha256 < "$1"' sh "$G/random"
t "sha256: 1 MiB read 7 bytes at a time" 0 "$(digest "$G/random")" \
	$AS env BLOCKS_CHUNK=7 "$BLOCKS" sha256 "$G/random"
t "sha256: a file of many small writes, read 1 byte at a time" 0 \
	"$(digest "$G/writes")" $AS env BLOCKS_CHUNK=1 "$BLOCKS" sha256 "$G/writes"
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
