# cgroup limits from the command line, here: cgroup v1's hierarchies as
# root (this VM's hybrid layout), and their refusal as an ordinary user;
# tests/cgroup2.sh runs cgroup v2 in a virtual machine. Needs: SBX, R,
# TMP, AS, FSBX (the fault-injection build, may be empty).

t "cgroup: --memory 0: one line" 125 "sbx: --memory '0': not a size above 0 (bytes, or with K, M, G or T: 512M)" \
	$AS "$SBX" -r "$R" --memory 0 -- true
t "cgroup: --memory-high 1x: one line" 125 "sbx: --memory-high '1x': not a size above 0 (bytes, or with K, M, G or T: 512M)" \
	$AS "$SBX" -r "$R" --memory-high 1x -- true
t "cgroup: --memory 17179869184T: too big" 125 "sbx: --memory '17179869184T': not a size above 0 (bytes, or with K, M, G or T: 512M)" \
	$AS "$SBX" -r "$R" --memory 17179869184T -- true
t "cgroup: --pids 0: one line" 125 "sbx: --pids '0': not a number from 1 to 4194304" \
	$AS "$SBX" -r "$R" --pids 0 -- true
t "cgroup: --cpus 0.001: below a hundredth" 125 "sbx: --cpus '0.001': not a number of CPUs from 0.01 to 1024" \
	$AS "$SBX" -r "$R" --cpus 0.001 -- true
t "cgroup: --cpu-weight 10001: one line" 125 "sbx: --cpu-weight '10001': not a weight from 1 to 10000" \
	$AS "$SBX" -r "$R" --cpu-weight 10001 -- true
t "cgroup: --io-weight x: one line" 125 "sbx: --io-weight 'x': not a weight from 1 to 10000" \
	$AS "$SBX" -r "$R" --io-weight x -- true

CGV1=/sys/fs/cgroup
# own HIERARCHY: our cgroup in it, as /proc/self/cgroup says
own() { sed -n "s/^[0-9]*:$1:\(.*\)/\1/p" /proc/self/cgroup | sed 's,^/$,,'; }
# left: what an sbx left in the hierarchies we use
left() {
	for c in memory pids cpu blkio; do
		ls -d "$CGV1/$c$(own $c)"/sbx-* 2>/dev/null
	done
	true
}
if [ "$(stat -fc %T $CGV1 2>/dev/null)" = cgroup2fs ]; then
	skip "cgroup: v1 limits" "this host has cgroup v2 alone (tests/cgroup2.sh covers it)"
elif [ ! -d $CGV1/memory ] || [ ! -d $CGV1/pids ] || [ ! -d $CGV1/cpu ]; then
	skip "cgroup: v1 limits" "no v1 memory, pids and cpu hierarchies here"
elif [ -n "$AS" ]; then
	t "cgroup: v1 as an ordinary user: one line, with the hint" 125 \
		"sbx: cgroup v1: mkdir($CGV1/memory$(own memory)/sbx-PID): Permission denied (hint: limits through cgroup v1 take root, or a hierarchy of one's own)" \
		sh -c "$AS '$SBX' -r '$R' --memory 32M -- true 2>&1 | sed 's,/sbx-[0-9]*),/sbx-PID),'; exit \${PIPESTATUS:-125}"
	t "cgroup: ... and nothing is left" 0 "" left
else
	# the sandbox reads its own cgroups' files, through /sys
	files='cg() { echo $CG/$1$(sed -n "s/^[0-9]*:$1:\(.*\)/\1/p" /proc/self/cgroup); }
		memory=$(cg memory); pids=$(cg pids); cpu=$(cg cpu)'
	t "cgroup: --memory, --memory-high, --pids, --cpus, --cpu-weight: in cgroups of its own" 0 "sbx-
33554432
33554432
16777216
7
25000 100000
13084" $SBX -r "$R" --memory 32M --memory-high 16M --pids 7 --cpus 0.25 --cpu-weight 500 -- sh -c \
		"CG=$CGV1; $files"'; [ "${memory##*/}" = "${pids##*/}" ] && [ "${pids##*/}" = "${cpu##*/}" ] && echo ${memory##*/} | cut -c1-4
		cat $memory/memory.limit_in_bytes $memory/memory.memsw.limit_in_bytes $memory/memory.soft_limit_in_bytes $pids/pids.max
		echo $(cat $cpu/cpu.cfs_quota_us $cpu/cpu.cfs_period_us); cat $cpu/cpu.shares'
	t "cgroup: ... and none is left" 0 "" left
	psjson() {
		$SBX --name cgps -d -r "$R" --memory 64M --pids 20 -- sleep 30 >/dev/null
		waitfor 5 sh -c "$SBX ps --json | grep -q '\"pids\":2'"
		$SBX ps --json | sed -n 's/.*"name":"cgps".*"memory":\([0-9]*\),"pids":\([0-9]*\)}.*/\1 \2/p' |
			awk '{ print ($1 > 0 && $1 < 67108864) ? "memory" : "memory " $1, $2 }'
		$SBX stop cgps
	}
	t "cgroup: ps --json: the memory it uses and its processes" 0 "memory 2" psjson
	execin() {
		# its sbx, which may say its command too was OOM-killed, is quiet
		$SBX --name cgex -d -r "$R" --memory 32M --pids 20 -- sleep 30 >/dev/null 2>&1
		$SBX exec cgex sh -c 'grep -E "^[0-9]+:(memory|pids):" /proc/self/cgroup | sed "s,.*/,,"' | sort -u | cut -c1-4
		$SBX exec cgex sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived'
		echo "status $?"
		$SBX stop cgex
	}
	t "cgroup: sbx exec runs the command in the sandbox's cgroups, under its limits" 0 "sbx-
status 137" execin
	t "cgroup: a memory hog is OOM-killed: 137, and sbx says so" 137 "sbx: killed: out of memory (limit 32M)" \
		$SBX -r "$R" --memory 32M -- sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived'
	t "cgroup: a fork bomb stops at --pids: init, sh and 3 more" 2 "sh: can't fork: Resource temporarily unavailable" \
		$SBX -r "$R" --pids 5 -- sh -c 'for i in 1 2 3 4 5 6; do sleep 2 & done; echo all 6'
	t "cgroup: attack from inside: its limits and its cgroup stay as they are" 0 "33554432
$(own memory | sed 's,^$,/,;s,$,/sbx-,' | sed 's,//,/,')" $SBX -r "$R" --memory 32M -- sh -c "CG=$CGV1; $files"'
		echo 8G 2>/dev/null > $memory/memory.limit_in_bytes; cat $memory/memory.limit_in_bytes
		echo $$ 2>/dev/null > '$CGV1'/memory/cgroup.procs; sed -n "s/^[0-9]*:memory:\(.*\/sbx-\).*/\1/p" /proc/self/cgroup'
	t "cgroup: --cgroupns: rooted at the sandbox's cgroup" 0 "4:memory:/" \
		$SBX -r "$R" --memory 32M --cgroupns -- sh -c 'grep :memory: /proc/self/cgroup'
	# an existing cgroup, which stays
	mkdir -p $CGV1/pids/sbxtest-given
	t "cgroup: --cgroup PATH: run there, with the limits given, and it stays" 0 "/sbxtest-given
9
9" sh -c "$SBX -r '$R' --cgroup /sbxtest-given --pids 9 -- sh -c 'sed -n \"s/^[0-9]*:pids://p\" /proc/self/cgroup; cat $CGV1/pids/sbxtest-given/pids.max' && cat $CGV1/pids/sbxtest-given/pids.max"
	rmdir $CGV1/pids/sbxtest-given
	t "cgroup: --cgroup PATH that is none: one line" 125 "sbx: cgroup v1: --cgroup /sbxtest-none: in none of /sys/fs/cgroup/memory, pids, cpu" \
		$SBX -r "$R" --cgroup /sbxtest-none -- true
	# kill -9 of sbx: its sandbox dies with it, its cgroup stays until the
	# next sbx with limits
	killed() {
		$SBX -r "$R" --pids 10 -- sleep 30 & _p=$!
		waitfor 5 sh -c "[ -d '$CGV1/pids$(own pids)/sbx-$_p' ]" && kill -9 $_p
		wait $_p 2>/dev/null
		waitfor 5 sh -c "[ ! -s '$CGV1/pids$(own pids)/sbx-$_p/cgroup.procs' ]"
		[ -d "$CGV1/pids$(own pids)/sbx-$_p" ] && echo left
		$SBX -r "$R" --pids 10 -- true
		[ -d "$CGV1/pids$(own pids)/sbx-$_p" ] && echo still there
		left
	}
	t "cgroup: after kill -9 of sbx, the next sbx removes what it left" 0 "left" killed
	if [ -n "$FSBX" ]; then
		bad= seen=0
		for step in $(seq 1 30) $(seq 101 140); do
			out=$(SBX_FAULT=$step "$FSBX" -r "$R" --memory 32M --pids 10 --cpus 1 -- true 2>&1 >/dev/null)
			rc=$?
			[ $rc = 0 ] && [ -z "$out" ] && continue
			seen=$((seen + 1))
			[ $rc = 125 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
				case $out in "sbx: "*"injected fault $step: I/O error") ;; *) false;; esac ||
				bad="$bad [$step: $rc $out]"
			[ -n "$(left)" ] && bad="$bad [$step: left $(left)]"
		done
		t "cgroup: faults: each step fails in one line, 125, leaving no cgroup" 0 "none" \
			sh -c "[ -z '$bad' ] && [ $seen -ge 15 ] && echo none || echo 'seen $seen:$bad'"
	else
		skip "cgroup: faults" "no fault-injection build for this one"
	fi
fi
