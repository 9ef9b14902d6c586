# The build and the package, once: static analysis, a short fuzzing run,
# reproducible bytes, install and uninstall, the man pages. Run from the
# source tree. Needs: TMP, the harness, make, cppcheck, clang, man.

t "lint: cppcheck and gcc -fanalyzer find nothing" 0 "" make -s lint

# every parser, a few seconds each, from the committed seed corpus
if make -s O=build/ build/fuzz/sbxfuzz >"$TMP/fuzz.log" 2>&1; then
	for f in $(sed -n 's/^FUZZERS = //p' Makefile); do
		mkdir -p "$TMP/fuzz/$f"
		t "fuzz $f: 3 s from the seed corpus, no sanitizer report" 0 "" sh -c \
			'FUZZ_TARGET=$1 build/fuzz/sbxfuzz -max_total_time=3 \
				-artifact_prefix="$TMP/fuzz/" "$TMP/fuzz/$1" tests/corpus/$1 \
				>"$TMP/fuzz.log" 2>&1 || tail -30 "$TMP/fuzz.log"' sh "$f"
	done
else
	fail "fuzz: the libFuzzer build" "$(cat "$TMP/fuzz.log")"
fi

# the release binaries: the same bytes from two builds
for d in r1 r2; do
	make -s O=build/$d/ build/$d/init build/$d/sbx >"$TMP/repro.log" 2>&1 ||
		fail "reproducible: build $d" "$(cat "$TMP/repro.log")"
done
for b in init sbx; do
	t "reproducible: $b is the same, byte for byte, built twice" 0 "" \
		cmp build/r1/$b build/r2/$b
	t "$b is stripped" 0 "" sh -c \
		"LC_ALL=C readelf -S build/r1/$b | grep -E '\\.(symtab|debug)'; [ \$? = 1 ]"
done

# install and uninstall: exactly these files, and then none of them
D=$TMP/dest
installed() { (cd "$D" && find . -type f | sort); }
t "install: sbx, init and both man pages under DESTDIR/PREFIX" 0 "./opt/sbx/bin/init
./opt/sbx/bin/sbx
./opt/sbx/share/man/man1/init.1
./opt/sbx/share/man/man1/sbx.1" sh -c \
	'make -s install DESTDIR="$1" PREFIX=/opt/sbx >/dev/null && cd "$1" && find . -type f | sort' sh "$D"
t "install: the binaries run, the pages carry the version" 0 "sbx $VERSION
.TH SBX 1 sbx\\-$VERSION" sh -c \
	'"$1/opt/sbx/bin/sbx" --version && head -1 "$1/opt/sbx/share/man/man1/sbx.1"' sh "$D"
touch "$D/opt/sbx/bin/other"
t "uninstall: removes exactly what install put there" 0 "./opt/sbx/bin/other" sh -c \
	'make -s uninstall DESTDIR="$1" PREFIX=/opt/sbx >/dev/null && cd "$1" && find . -type f' sh "$D"

# the man pages: no warning from man, every option and verb in them
for p in sbx.1 init.1; do
	t "man: $p renders without a warning" 0 "" sh -c \
		'LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null' sh "$p"
done
undocumented() {
	./sbx --help | grep -oE -- '--[a-z-]+|^  [a-z]+ ' | tr -d ' ' | sort -u |
		while read -r w; do grep -q -- "$(printf %s "$w" | sed 's/-/\\\\-/g')" sbx.1 || echo "$w"; done
}
t "man: sbx.1 has every option and verb of sbx --help" 0 "" undocumented
