# init as the entrypoint of real OCI runtimes, as root. Needs: INIT, R,
# TMP, the harness, and the runc and crun packages (a runtime that is
# missing or cannot run a container here is skipped, with its error).

B=$TMP/oci
mkdir -p "$B" && cp -a "$R" "$B/rootfs" && cp "$INIT" "$B/rootfs/sbin/init-sbx"

rt() { "$RT" --root "$B/state.$RT" "$@"; }

# run ARGS: run a container of $RT whose process.args are ARGS (JSON
# without the brackets); the status is the run's. The timeout and the
# delete make sure a hung init neither stops the suite nor stays behind.
# runc's Go runtime can leave its preemption signal, SIGURG, pending for
# the container's first process (seen without init too): GODEBUG stops it.
run() {
	_id=sbx-test-$$-$n
	mkdir -p "$B/$_id"
	sed "/^\t*\"sh\"\$/c $1" "$B/$RT/config.json" >"$B/$_id/config.json"
	GODEBUG=asyncpreemptoff=1 timeout -s KILL 20 "$RT" --root "$B/state.$RT" \
		run -b "$B/$_id" "$_id" </dev/null
	_s=$?
	rt delete -f "$_id" 2>/dev/null
	return $_s
}

# oci CMD: run "sh -c CMD" under init in a container
oci() { run "\"/sbin/init-sbx\", \"--\", \"sh\", \"-c\", \"$1\""; }

# killed: start sbxtest sigs under init, "$RT kill" it with SIGTERM once
# it is ready; print what it printed (not its pid, which the runtime's
# own threads decide), and exit with the run's status
killed() {
	oci 'exec sbxtest sigs 1' >"$B/out.$n" 2>&1 &
	waitfor 10 grep -qs ready "$B/out.$n" && rt kill "sbx-test-$$-$n" TERM
	wait $!
	_s=$?
	sed 's/^ready [0-9]*$/ready/' "$B/out.$n"
	return $_s
}

for RT in runc crun; do
	why=
	if ! command -v $RT >/dev/null; then
		why="$RT is not installed"
	else
		mkdir -p "$B/$RT" && rm -f "$B/$RT/config.json" && $RT spec -b "$B/$RT" &&
			sed -i -e 's/"terminal": true/"terminal": false/' \
				-e "s|\"path\": \"rootfs\"|\"path\": \"$B/rootfs\"|" "$B/$RT/config.json"
		# the runtime on its own, without init: its spec's sh reads EOF
		why=$(run '"sh"' 2>&1) && why= || why="$RT run: $(printf '%s\n' "$why" | head -n1)"
	fi
	if [ -n "$why" ]; then
		for c in "zombies are reaped" "the exit status comes back" "$RT kill TERM reaches the command"; do
			skip "$RT: $c" "$why"
		done
		continue
	fi
	t "$RT: zombies are reaped" 0 "zombies: 0" oci 'sbxtest zombies 200 && sbxtest nozombies 5'
	t "$RT: the exit status comes back" 7 "" oci 'exit 7'
	t "$RT: $RT kill TERM reaches the command" 0 "$(printf 'ready\ngot 15')" killed
done
