# The sandbox's own terminal, on a real one from tmux, as the user in $AS.
# Needs: SBX, R, TMP, SBXTEST, the harness, tmux.

if ! command -v tmux >/dev/null; then
	skip "pty: the sandbox's own terminal" "tmux is not installed"
	return 0 2>/dev/null
fi
W=$TMP/w
mkdir -p "$W" && chmod 1777 "$W"
export TT # the tmux server's name, new for each test
tshows() { tmux -L "$TT" capture-pane -p | grep -q "$1"; }
tkeys() { tmux -L "$TT" send-keys "$@"; }
# a host shell (sh, or $1) in a 90x25 window, its prompt "host$ "
tstart() {
	# a server of its own each time: a new one under the name of one
	# just killed can find it still going away
	TT=sbxtty$$.$n
	tmux -L "$TT" new-session -d -x 90 -y 25 "env PS1='host$ ' ${1:-sh}" </dev/null >/dev/null 2>&1 &&
		waitfor 10 tshows '^host\$'
}
tstop() { tmux -L "$TT" kill-server 2>/dev/null; }
# tsbx ARGS: start sbx in the host shell, wait for the sandbox's prompt
tsbx() {
	tkeys "stty -g > $W/stty.before; PS1='box$ ' $AS $SBX -r $R $* -- sh" Enter
	waitfor 10 tshows '^box\$'
}

session() {
	tstart || return
	tsbx
	tkeys 'tty; stty size' Enter
	waitfor 10 tshows '^25 90' && tmux -L "$TT" capture-pane -p | grep -m1 '^/dev/pts/'
	tmux -L "$TT" resize-window -x 100 -y 30
	tkeys 'stty size' Enter
	waitfor 10 tshows '^30 100' && echo resized
	jobsteps "$TT" 918 box
	tkeys 'vi /tmp/sbx-vi' Enter
	waitfor 10 tshows '^~' && echo vi drew
	tkeys ':q!' Enter
	waitfor 10 tshows '^box\$ *$' && echo vi left
	tkeys 'exit 3' Enter
	waitfor 10 tshows '^host\$ *$'
	tkeys "echo status \$?; stty -g | cmp -s - $W/stty.before && echo same settings" Enter
	waitfor 10 tshows '^same settings' && tmux -L "$TT" capture-pane -p | grep -m1 '^status'
	tstop
}
t "pty: a terminal of its own, sized, job control, vi, settings kept" 0 "/dev/pts/0
resized
stopped
resumed
ended
alive
vi drew
vi left
status 3" session

# stdin a terminal, stdout a file: the output still all arrives
tail_out() {
	tstart || return
	tkeys "$AS $SBX -r $R -- sh -c 'seq 1 30000; printf end' > $W/out; echo done" Enter
	waitfor 10 tshows '^done'
	tstop
	tail -n 2 "$W/out" | tr -d '\r'
}
t "pty: every byte written just before exit arrives" 0 "30000
end" tail_out

# sbx ended by SIGTERM: the terminal comes back as it was
killed() {
	tstart || return
	tkeys "stty -g > $W/stty.before; $AS $SBX -r $R -- sleep 917; echo status \$?" Enter
	waitfor 10 pgrep -x -f 'sleep 917' >/dev/null
	pkill -TERM -f "^$SBX -r $R -- sleep 917"
	waitfor 10 tshows '^status'
	tkeys "stty -g | cmp -s - $W/stty.before && echo same settings" Enter
	waitfor 10 tshows '^same settings' && echo restored
	tmux -L "$TT" capture-pane -p | grep -m1 '^status'
	tstop
}
t "pty: after sbx is ended by SIGTERM the settings are back" 0 "restored
status 143" killed

# TIOCSTI inside can only reach the sandbox's own terminal
injected() {
	tstart || return
	tkeys "$AS $SBX -r $R --seccomp=off -- sbxtest tiocsti" Enter
	waitfor 10 tshows '^TIOCSTI'
	waitfor 10 tshows '^host\$ *$'
	tkeys 'echo marker' Enter
	waitfor 10 tshows '^marker'
	tmux -L "$TT" capture-pane -p | grep -c 'xecho marker'
	tstop
}
t "pty: TIOCSTI from inside cannot type into the host's terminal" 0 "0" injected

# the host's terminal gone: the sandbox gets SIGHUP
hangup() {
	tstart || return
	tkeys "$AS $SBX -r $R -- sleep 916" Enter
	waitfor 10 pgrep -x -f 'sleep 916' >/dev/null
	tstop
	waitfor 10 sh -c '! pgrep -x -f "sleep 916" >/dev/null' && echo gone
}
t "pty: when the terminal goes away the sandbox gets SIGHUP" 0 "gone" hangup

# Without a pty of its own (sbx in the background, --no-pty, sbx exec with
# stdin elsewhere) the sandbox gets pipes that sbx relays, never a
# descriptor of the host's terminal: in a session of its own, outside job
# control, it could read what the user types next into the shell, or into
# a password prompt.
uid=$($AS id -u)
TX=$TMP/tty-run-$uid # the state directory of this suite's named sandbox
mkdir -p "$TX" && chown "$uid" "$TX" && chmod 700 "$TX"
tx() { $AS env XDG_RUNTIME_DIR="$TX" "$SBX" "$@"; }
TXSBX="$AS env XDG_RUNTIME_DIR=$TX $SBX" # the same, typed into tmux
# the host's terminal, as sbxtest hosttty looks for it
hostid() { stat -L -c %d:%r "$(tmux -L "$TT" display -p '#{pane_tty}')"; }
# tcount N RE: wait until N lines of the pane match RE
tcount() { waitfor 10 sh -c '[ $(tmux -L "$1" capture-pane -p | grep -c "$2") -ge $3 ]' sh "$TT" "$2" "$1"; }
tlines() { tmux -L "$TT" capture-pane -pJ | grep -E "$1"; }
# unmatched PATTERN: no process's command line matches it any more
unmatched() { waitfor 10 sh -c '! pgrep -f "$1" >/dev/null' sh "$1"; }

tx -r "$R" --name ttybox -d -- sleep 920 >/dev/null
held() {
	tstart || return
	id=$(hostid) rd='read -r l && echo stolen:$l'
	hold="echo held \$(sbxtest hosttty $id)"
	tkeys "$AS $SBX -r $R -- sh -c '$hold; $rd' &" Enter
	tcount 1 'held [nf]'
	tkeys "$AS $SBX -r $R --no-pty -- sh -c '$hold'" Enter
	tcount 2 'held [nf]'
	# stdin /dev/null: the terminal, if it is there, is 1 and 2, open
	# for reading too
	tkeys "$TXSBX exec ttybox sh -c '$hold; head -n 1 <&1 2>&- | sed s/^/stolen:/' </dev/null" Enter
	tcount 3 'held [nf]'
	# typed into the host's shell: it is the shell's
	tkeys 'echo host read $((6 * 7))' Enter
	waitfor 5 tshows '^host read 42'
	tkeys 'kill %1' Enter
	unmatched "$SBX -r $R -- sh -c echo held"
	tmux -L "$TT" capture-pane -pJ | grep -oE 'held [nf].*|stolen:[^$/].*|^host read.*'
	tstop
}
t "terminal: none of the host's enters a sandbox; what is typed stays the shell's" 0 "held none
held none
held none
host read 42" held

# what goes through the relays all arrives: stdout and stderr, kept apart
# when they go apart, the command's status, every byte; and an orphan that
# holds stdout does not keep sbx exec waiting for it
relayed() {
	tstart || return
	id=$(hostid)
	tkeys "echo x | $AS $SBX -r $R -- sh -c 'echo held \$(sbxtest hosttty $id); echo out; echo err >&2; exit 7'; echo status \$?" Enter
	waitfor 10 tshows '^status' && tlines '^(held|out|err|status)'
	tkeys "echo x | $AS $SBX -r $R -- sh -c 'echo out1; echo err1 >&2' 2>$W/err" Enter
	waitfor 10 tshows '^out1'
	tkeys "echo x | $AS $SBX -r $R -- sh -c 'echo out2; echo err2 >&2' >$W/out" Enter
	waitfor 10 tshows '^err2'
	tmux -L "$TT" pipe-pane -o "cat > $W/pane"
	tkeys "$AS $SBX -r $R -- seq 1 30000 </dev/null; echo status \$?" Enter
	waitfor 20 grep -q '^status' "$W/pane"
	tmux -L "$TT" pipe-pane
	tkeys "$TXSBX exec ttybox sh -c 'sleep 921 & echo hi' </dev/null; echo exec status \$?" Enter
	waitfor 5 tshows '^exec status' && tlines '^(hi|exec status)'
	cat "$W/err" "$W/out"
	tr -d '\r' < "$W/pane" | grep -cx '[0-9][0-9]*'
	tstop
}
t "terminal: through the relays, output all arrives, stdout and stderr apart" 0 "held none
out
err
status 7
hi
exec status 0
err1
out2
30000" relayed

# in the background, sbx does not read the terminal: what is typed is the
# shell's, and the sandbox waits for its input until fg. Ctrl-Z stops sbx,
# bg lets it go on in the background. In dash fg sends SIGCONT to a job
# that runs, in bash not.
job() { pgrep -f "$SBX -r $R -- sh -c echo started"; }
fgjob() { ps -o stat= -p "$(job)" | grep -q +; }
bgjob() { ps -o stat= -p "$(job)" | grep -q '^S[^+]*$'; }
stopped() { ps -o stat= -p "$(job)" | grep -q '^T'; }
bgread() {
	tstart "$1" || return
	tkeys "$AS $SBX -r $R -- sh -c 'echo started \$(sbxtest hosttty $(hostid)); read x; echo got \$x' &" Enter
	waitfor 10 tshows 'started [nf]' && tmux -L "$TT" capture-pane -pJ | grep -o 'started [nf].*'
	tkeys 'echo host one' Enter
	waitfor 10 tshows '^host one' && waitfor 2 bgjob && echo not stopped
	tkeys fg Enter
	waitfor 10 fgjob
	tkeys C-z
	waitfor 10 stopped && echo stopped
	tkeys bg Enter
	waitfor 10 bgjob
	tkeys 'echo host two' Enter
	waitfor 10 tshows '^host two' && echo host two
	tkeys fg Enter
	waitfor 10 fgjob
	tkeys LINE Enter
	waitfor 10 tshows '^got LINE' && echo got LINE
	tkeys 'echo status $?' Enter
	waitfor 10 tshows '^status' && tlines '^status'
	tstop
}
t "terminal: in the background sbx leaves the terminal to the shell until fg" 0 "started none
not stopped
stopped
host two
got LINE
status 0" bgread
t "terminal: the same under bash, whose fg sends no SIGCONT" 0 "started none
not stopped
stopped
host two
got LINE
status 0" bgread "bash --norc --noprofile -i"

# --no-pty on the terminal: the command reads a pipe, which gets what is
# typed, then EOF from Ctrl-D; Ctrl-C and Ctrl-\ reach it once, through sbx
nopty() {
	tstart || return
	tkeys "$AS $SBX -r $R --no-pty -- sh -c 'readlink /proc/self/fd/0 | cut -d: -f1; read x; echo got \$x; cat; echo eof'" Enter
	waitfor 10 tshows '^pipe$\|^/'
	tkeys LINE Enter
	waitfor 10 tshows '^got LINE'
	tkeys C-d
	waitfor 10 tshows '^eof'
	tkeys "$TXSBX exec --no-pty ttybox sbxtest sigs 2; echo status \$?" Enter
	waitfor 10 tshows '^ready'
	tkeys C-c
	waitfor 10 tshows '^got 2'
	tkeys 'C-\'
	waitfor 10 tshows '^status' &&
		tmux -L "$TT" capture-pane -pJ | grep -oE '^(pipe|/.*|got LINE|eof|status.*)|got [0-9]$'
	tstop
}
t "terminal: --no-pty reads a pipe that sbx fills, and sees Ctrl-D's EOF" 0 "pipe
got LINE
eof
got 2
got 3
status 0" nopty
tx stop ttybox
