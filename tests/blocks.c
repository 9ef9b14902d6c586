/* See LICENSE file for copyright and license details. */
/*
 * blocks: the image building blocks driven from the shell, for
 * tests/image.sh; a host-side test tool, never installed. One function
 * per subcommand:
 *   blocks sha256 [FILE]   the hex digest of FILE or stdin
 *   blocks gunzip          stdin decoded to stdout
 * BLOCKS_CHUNK=N reads (and decodes) N bytes at a time, to split the
 * input at every boundary. A failure is "blocks: CMD: WHY", status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../inflate.h"
#include "../sha256.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *cmd;
static size_t chunk = 65536;
static unsigned char buf[65536];

static void
fail(const char *why, const char *what)
{
	fprintf(stderr, "blocks: %s: %s%s%s\n", cmd, what ? what : "",
	    what ? ": " : "", why);
	exit(1);
}

static ssize_t
readin(void *arg, void *p, size_t n)
{
	return read(*(int *)arg, p, n < chunk ? n : chunk);
}

static void
writeout(const unsigned char *p, size_t n)
{
	ssize_t k;

	for (; n; p += k, n -= k)
		if ((k = write(1, p, n)) < 0)
			fail(strerror(errno), "write");
}

static void
sha256cmd(int argc, char **argv)
{
	struct sha256 s;
	char hex[65];
	ssize_t n;
	int fd = 0;

	if (argc > 2 && (fd = open(argv[2], O_RDONLY)) < 0)
		fail(strerror(errno), argv[2]);
	sha256_init(&s);
	while ((n = readin(&fd, buf, sizeof(buf))) > 0)
		sha256_add(&s, buf, n);
	if (n < 0)
		fail(strerror(errno), "read");
	sha256_hex(&s, hex);
	if (printf("%s\n", hex) < 0 || fflush(stdout) == EOF)
		fail(strerror(errno), "write");
}

static void
gunzipcmd(int argc, char **argv)
{
	struct gz *z;
	ssize_t n;
	int fd = 0;

	(void)argc, (void)argv;
	if (!(z = gz_open(readin, &fd)))
		fail(strerror(errno), NULL);
	while ((n = gz_read(z, buf, chunk)) > 0)
		writeout(buf, n);
	if (n < 0)
		fail(gz_error(z), NULL);
	gz_close(z);
}

static const struct {
	const char *name;
	void (*run)(int, char **);
} cmds[] = {
	{ "sha256", sha256cmd },
	{ "gunzip", gunzipcmd },
};

int
main(int argc, char **argv)
{
	const char *s = getenv("BLOCKS_CHUNK");
	size_t i;

	if (s && (chunk = strtoul(s, NULL, 10)) - 1 >= sizeof(buf))
		chunk = sizeof(buf);
	for (i = 0; argc > 1 && i < LEN(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			cmd = cmds[i].name;
			cmds[i].run(argc, argv);
			return 0;
		}
	fprintf(stderr, "usage: blocks sha256 [FILE] | gunzip\n");
	return 1;
}
