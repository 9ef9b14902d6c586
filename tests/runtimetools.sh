# opencontainers/runtime-tools' validation programs against the OCI
# runtime $RUNTIME, one test each, as root. Needs: TMP, the harness, go
# (golang-go) and the snapshot in ../shared/peers, which is unpacked and
# built once under build/ (nothing of it enters the tree). Without one of
# them, one skip line says which. Also read:
#   RUNTIME_WRAP      a command the runtime runs under, its argv appended
#                     (tests/nounified: crun on this VM's hybrid cgroups)
#   RTOOLS            the programs to run, by name (default: all)
#   RTOOLS_TIMEOUT    seconds each program may take (60)
#   RTOOLS_KNOWN      a file of "NAME reason" lines, known failures: the
#                     reason is shown under the failure, or with
#   RTOOLS_KNOWNSKIP  =1, such a failure is a skip
#   RTOOLS_LOG        where each program's stdout and stderr are kept

rtools_tar=../shared/peers/runtime-tools-260e151.tar.gz
rtools_dir=build/runtime-tools/260e151
: "${RTOOLS_TIMEOUT:=60}" "${RTOOLS_LOG:=$TMP/rtools-log}"

# rtools_unmet: why the programs cannot run here, or nothing
rtools_unmet() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root"
	elif ! command -v go >/dev/null; then
		echo "no go (apt-get install golang-go)"
	elif [ ! -f "$rtools_dir/.built" ] && [ ! -f "$rtools_tar" ]; then
		echo "no $rtools_tar"
	elif [ ! -x "$rtools_rt" ]; then
		echo "no runtime ${RUNTIME:-(RUNTIME is empty)}; set RUNTIME"
	fi
}

# rtools_path CMD: CMD's absolute path, symlinks kept (sbx-runc is one):
# the programs run from the snapshot's directory, not from here
rtools_path() {
	case $1 in
	*/*) realpath -s "$1" ;;
	?*) command -v "$1" ;;
	*) return 1 ;;
	esac
}

# rtools_build: unpack and build into a directory of its own, renamed into
# place when done, so an interrupted or concurrent build leaves no half;
# Go's caches, and what it might write under HOME, stay beside it
rtools_build() {
	[ -f "$rtools_dir/.built" ] && return
	_b=$rtools_dir.$$
	rm -rf "$_b" && mkdir -p "$_b/go" &&
		tar -xzf "$rtools_tar" -C "$_b" &&
		HOME=$PWD/$_b/go GOCACHE=$PWD/$_b/go/cache GOPATH=$PWD/$_b/go/path \
			GOPROXY=off GOFLAGS=-mod=vendor GOTOOLCHAIN=local \
			make -C "$_b/runtime-tools" COMMIT=260e151 runtimetest \
			validation-executables >"$TMP/rtools-build.log" 2>&1 &&
		chmod -R u+w "$_b/go" && rm -rf "$_b/go" &&
		touch "$_b/runtime-tools/.built" &&
		{ [ -f "$rtools_dir/.built" ] || rm -rf "$rtools_dir"; } &&
		{ mv -T "$_b/runtime-tools" "$rtools_dir" 2>/dev/null ||
			[ -f "$rtools_dir/.built" ]; }
	_s=$?
	chmod -R u+w "$_b" 2>/dev/null
	rm -rf "$_b"
	return $_s
}

# rtools_runtime: the command the programs get as RUNTIME: the runtime
# itself, or a script running it under RUNTIME_WRAP
rtools_runtime() {
	if [ -z "$RUNTIME_WRAP" ]; then
		echo "$rtools_rt"
		return
	fi
	set -- $RUNTIME_WRAP
	_w=$(rtools_path "$1") || return 1
	shift
	printf '#!/bin/sh\nexec "%s" %s "%s" "$@"\n' "$_w" "$*" "$rtools_rt" \
		>"$TMP/rtools-runtime"
	chmod 755 "$TMP/rtools-runtime" && echo "$TMP/rtools-runtime"
}

# rtools_run NAME: run validation/NAME/NAME.t from the snapshot's
# directory, where it finds the rootfs and runtimetest, with its bundles
# in a temporary directory of its own; its status goes to NAME.rc
rtools_run() {
	_t=$TMP/rtools/$1
	mkdir -p "$_t"
	rtools_cgroups >"$_t.cgroups"
	rtools_list >"$_t.list"
	(cd "$rtools_dir" && TMPDIR=$_t RUNTIME=$rtools_cmd \
		timeout -k 5 "$RTOOLS_TIMEOUT" "validation/$1/$1.t") \
		</dev/null >"$RTOOLS_LOG/$1.out" 2>"$RTOOLS_LOG/$1.err"
	echo $? >"$RTOOLS_LOG/$1.rc"
	rtools_list | comm -13 "$_t.list" - >"$RTOOLS_LOG/$1.left"
	rtools_unmount "$_t" >"$RTOOLS_LOG/$1.mounts"
	rm -rf --one-file-system "$_t"
	rtools_cgroups | comm -13 "$_t.cgroups" - | rtools_rmcgroups >"$RTOOLS_LOG/$1.cgroups"
}

# rtools_rmcgroups: remove each cgroup named on stdin and those below it;
# name each one removed
rtools_rmcgroups() {
	sort -r | while read -r _c; do
		find "$_c" -depth -type d 2>/dev/null | while read -r _d; do
			rmdir "$_d" && echo "${_d#/sys/fs/cgroup/}"
		done
	done
}

# rtools_list: the containers the runtime lists, if it can (runc's and
# crun's list -q): a program that fails or times out may leave some, only
# named, as another caller's could be among them
rtools_list() {
	"$rtools_cmd" list -q 2>/dev/null | sort
}

# rtools_cgroups: the cgroups named as the programs name theirs (their
# /cgrouptest and testdir/cgrouptest/container), in every hierarchy:
# delete should remove what create made, parents too (runc and crun leave
# testdir/cgrouptest)
rtools_cgroups() {
	find /sys/fs/cgroup -type d \( -name testdir -o -name cgrouptest \) 2>/dev/null |
		sort
}

# rtools_unmount DIR: detach and name every mount left under DIR: rm must
# not follow one into the host's files. A runtime makes them in the
# host's namespace when the config asks for no mount namespace, and then
# delete should take them away (runc's does not)
rtools_unmount() {
	awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r _m; do
			umount -l "$_m" && echo "${_m#"$1"/}"
		done
}

# rtools_why NAME: nothing when NAME passed: it exited 0 and printed an
# ok line and no not ok line (as runtime-tools' README counts); else a
# few lines on why: the first failing subtest and its diagnostics, or
# the status and the start of stderr
rtools_why() {
	_rc=$(cat "$RTOOLS_LOG/$1.rc") _o=$RTOOLS_LOG/$1.out
	if [ "$_rc" = 124 ] || [ "$_rc" = 137 ]; then
		echo "timed out after $RTOOLS_TIMEOUT s"
	elif grep -q '^not ok' "$_o"; then
		rtools_notok <"$_o"
	elif [ "$_rc" != 0 ]; then
		echo "exit status $_rc"
		grep -v '^$' "$RTOOLS_LOG/$1.err" | head -n 3 | cut -c1-240
	elif ! grep -q '^ok' "$_o"; then
		rtools_silent "$1"
	fi
}

# rtools_silent NAME: why NAME, which exited 0 and printed no ok line,
# failed. Some programs report only failures, so their silence may be a
# pass; it is not counted as one, as a runtime that does nothing (false)
# is silent too
rtools_silent() {
	if grep -q '"error":' "$RTOOLS_LOG/$1.out"; then
		echo "exit status 0, no ok line, and a diagnostic:"
		grep -m1 '"error":' "$RTOOLS_LOG/$1.out" | rtools_tidy
	else
		echo "exit status 0, no ok line and no diagnostic: a silence is not a pass"
	fi
	grep -v '^$' "$RTOOLS_LOG/$1.err" | head -n 2 | cut -c1-240
}

# rtools_notok: the first not ok line of a TAP stream, with the YAML
# diagnostics and comment lines after it, less the spec's links
rtools_notok() {
	awk '/^not ok/ { if (f) exit; f = 1; sub(/^not ok /, "subtest ")
			sub(/ - /, ": "); print; next }
		!f { next }
		/^ok/ || /^  \.\.\./ { exit }
		/^#/ || /^ *"[^"]*": / && !/"(reference|level)":/' | rtools_tidy | head -n 6
}

# rtools_tidy: a line of the programs' JSON diagnostics as "key: value",
# to its first line (a list of errors on one)
rtools_tidy() {
	sed -E 's/^ +//; s/^# //; s/[0-9]+ errors? occurred:\\n\\t\* //; s/\\n\\t\* /; /g
		s/\\n.*//; s/\\"/\x01/g; s/,$//; s/"$//
		s/^"([^"]*)": "?/\1: /; s/\x01/"/g' | cut -c1-240
}

# rtools_known NAME: the reason RTOOLS_KNOWN gives for NAME, if any
rtools_known() {
	[ -f "$RTOOLS_KNOWN" ] &&
		awk -v n="$1" '$1 == n { sub(/^[^ ]+ /, ""); print; exit }' "$RTOOLS_KNOWN"
}

# rtools_test NAME: run NAME and report it, as a pass, a failure or (with
# RTOOLS_KNOWNSKIP=1) a known failure's skip. A known failure that passes
# is noted, not failed: the reasons are this VM's, another may lack them
rtools_test() {
	rtools_run "$1"
	_why=$(rtools_why "$1")
	_known=$(rtools_known "$1")
	if [ -z "$_why" ]; then
		pass "runtime-tools $1"
		[ -n "$_known" ] && echo "#   passes here, though $RTOOLS_KNOWN lists it: $_known"
	elif [ -n "$_known" ] && [ "$RTOOLS_KNOWNSKIP" = 1 ]; then
		skip "runtime-tools $1" "known: $_known"
	else
		fail "runtime-tools $1" "$_why" ${_known:+"known: $_known"}
	fi
	rtools_left "$1"
}

# rtools_left NAME: what NAME's run left behind, whether it passed or not,
# as comment lines; each cgroup once, with the count of hierarchies
rtools_left() {
	if [ -s "$RTOOLS_LOG/$1.mounts" ]; then
		echo "#   left mounts in the host's namespace, now detached:" \
			$(cat "$RTOOLS_LOG/$1.mounts")
	fi
	if [ -s "$RTOOLS_LOG/$1.left" ]; then
		echo "#   left containers:" $(cat "$RTOOLS_LOG/$1.left")
	fi
	if [ -s "$RTOOLS_LOG/$1.cgroups" ]; then
		echo "#   left cgroups, now removed:" $(awk '{
			i = match($0, /(^|\/)(testdir|cgrouptest)(\/|$)/); s = substr($0, i)
			sub(/^\//, "", s); print s }' "$RTOOLS_LOG/$1.cgroups" | sort -u) \
			"(in $(cut -d/ -f1 "$RTOOLS_LOG/$1.cgroups" | sort -u | wc -l) hierarchies)"
	fi
}

rtools_rt=$(rtools_path "$RUNTIME")
rtools_skip=$(rtools_unmet)
if [ -n "$rtools_skip" ]; then
	skip "runtime-tools validation" "$rtools_skip"
elif ! rtools_build; then
	fail "runtime-tools: the build" "$(tail -n 5 "$TMP/rtools-build.log")"
elif ! rtools_cmd=$(rtools_runtime); then
	fail "runtime-tools: RUNTIME_WRAP" "no command ${RUNTIME_WRAP%% *}"
else
	mkdir -p "$RTOOLS_LOG"
	echo "# runtime-tools 260e151 against $rtools_rt${RUNTIME_WRAP:+ under $RUNTIME_WRAP}:" \
		$("$rtools_cmd" --version 2>&1 | head -n 1)
	rtools_t0=$(date +%s)
	rtools_all=$(cd "$rtools_dir/validation" && printf '%s\n' */*.t | cut -d/ -f1)
	for rtools_p in ${RTOOLS:-$rtools_all}; do
		if [ -x "$rtools_dir/validation/$rtools_p/$rtools_p.t" ]; then
			rtools_test "$rtools_p"
		else
			fail "runtime-tools $rtools_p" "no such program in validation/"
		fi
	done
	echo "# runtime-tools: $(($(date +%s) - rtools_t0)) s"
fi
