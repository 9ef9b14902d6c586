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
# a host shell in a 90x25 window, its prompt "host$ "
tstart() {
	# a server of its own each time: a new one under the name of one
	# just killed can find it still going away
	TT=sbxtty$$.$n
	tmux -L "$TT" new-session -d -x 90 -y 25 "env PS1='host$ ' sh" </dev/null >/dev/null 2>&1 &&
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
