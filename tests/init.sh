# init on its own, as the user in $AS. Needs: INIT, TMP, the harness.

init() { $AS "$INIT" "$@"; }

t "exit status passes through" 3 "" init -- sh -c 'exit 3'
t "death by SIGTERM gives 143" 143 "" init -- sh -c 'kill -TERM $$'
t "the command is found through PATH" 0 "hi" init echo hi
t "a command not found exits 127" 127 "init: exec nope: No such file or directory" init nope
t "a command not executable exits 126" 126 "init: exec /etc/passwd: Permission denied" init /etc/passwd
t "no command: 125" 125 "init: no command given (see init --help)" init
t "unknown option: 125" 125 "init: -x: unknown option (see init --help)" init -x true
t "--version" 0 "init $VERSION" init --version
t "not PID 1, it is a subreaper: orphans are reaped" 0 "zombies: 0" init -- sh -c \
	"'$SBXTEST' zombies 300 && '$SBXTEST' nozombies 5"
