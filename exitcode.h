/* See LICENSE file for copyright and license details. */
/*
 * The exit status contract shared by sbx and init, as env(1), chroot(1)
 * and timeout(1) use it: the command's own status, 128+N when it died of
 * signal N, and these three for failures before the command ran.
 */
enum {
	EXIT_SETUP = 125,    /* sbx or init itself failed */
	EXIT_NOEXEC = 126,   /* the command exists but cannot be executed */
	EXIT_NOTFOUND = 127, /* the command does not exist */
};
