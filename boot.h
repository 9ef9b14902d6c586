/* See LICENSE file for copyright and license details. */
/* a booted system's init: see boot.c. It calls nothing of init.c's but
 * the warn it is given, for the failures it lives with */

typedef void warnfn(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* 1 if the kernel started us (not a pid namespace): then boot_end never
 * exits */
int boot_detect(void);
/* /proc, /sys, /dev and /run where absent, and the console as fds 0, 1
 * and 2; NULL, or the step that failed (errno says why) and must be fatal */
const char *boot_mount(warnfn *warn);
/* what runs: argv, if it names a command, else /etc/rc, else /bin/sh */
char **boot_command(char **argv);
/* the reboot(2) a signal asks for: SIGUSR1 powers off, SIGINT (Ctrl-Alt-Del)
 * reboots; 0 for any other signal, which goes to the command */
int boot_how(int sig);
/* once the others are gone: sync and reboot(how), or, if that fails,
 * exit with code (in a pid namespace), or pause forever (as the kernel's) */
__attribute__((noreturn)) void boot_end(int how, int code, warnfn *warn);
