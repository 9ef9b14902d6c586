/* See LICENSE file for copyright and license details. */
/* signals by name (TERM, SIGTERM, term), RTMIN+N or number, for init's
 * options and sbx's kill verb; -1 for anything else */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <strings.h>

static const struct { const char *name; int sig; } signames[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

static int
signum(const char *s)
{
	char *end;
	long n;
	size_t i;

	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 0; i < LEN(signames); i++)
		if (!strcasecmp(s, signames[i].name))
			return signames[i].sig;
	if (!strncasecmp(s, "RTMIN+", 6) &&
	    (n = strtol(s + 6, &end, 10)) >= 0 && !*end && n <= SIGRTMAX - SIGRTMIN)
		return SIGRTMIN + n;
	errno = 0;
	n = strtol(s, &end, 10);
	if (!*s || *end || errno || n < 1 || n > SIGRTMAX)
		return -1;
	return n;
}
