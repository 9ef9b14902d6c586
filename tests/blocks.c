/* See LICENSE file for copyright and license details. */
/*
 * blocks: the building blocks of images (tar, unpack, ...) on the host,
 * for tests/image.sh; one subcommand each, in its own function:
 *   tar < ARCHIVE        one line per entry: type, mode (octal),
 *                        uid:gid, size, name[ -> link]; reads the data
 *   unpack DIR < ARCHIVE the archive beneath DIR (made if missing), as
 *                        a layer labelled "stdin"; BLOCKS_MAXBYTES
 *                        bounds it, BLOCKS_KEEP_OWNERS=1 keeps owners
 * Failures are one line and status 125, as sbx's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../pax.h"
#include "../sbx.h"
#include "../tar.h"
#include "../unpack.h"

static ssize_t
rd_fd(void *arg, void *buf, size_t n)
{
	return read(*(int *)arg, buf, n);
}

static struct tar *
tar_stdin(void)
{
	static int in = 0;
	struct tar *t;

	if (!(t = tar_open(rd_fd, &in)))
		die("tar_open:");
	return t;
}

static int
cmd_tar(int argc, char **argv)
{
	static char buf[65536];
	const struct tar_entry *e;
	struct tar *t = tar_stdin();
	ssize_t n = 0;
	int r;

	(void)argc, (void)argv;
	while ((r = tar_next(t, &e)) > 0) {
		printf("%c %04o %u:%u %lld %s%s%s\n", e->type, e->mode, e->uid,
		    e->gid, e->size, e->name, e->type == '1' || e->type == '2' ?
		    " -> " : "", e->type == '1' || e->type == '2' ? e->link : "");
		while ((n = tar_read(t, buf, sizeof(buf))) > 0)
			;
		if (n < 0)
			break;
	}
	if (fflush(stdout) == EOF)
		die("write:");
	if (r < 0 || n < 0)
		die("%s", tar_error(t));
	tar_close(t);
	return 0;
}

static int
cmd_unpack(int argc, char **argv)
{
	struct unpack_opts o = { "stdin", 0, 0 };
	const char *s;
	struct tar *t;
	int dir;

	if (argc != 2)
		die("usage: blocks unpack DIR < ARCHIVE");
	if ((s = getenv("BLOCKS_MAXBYTES")))
		o.maxbytes = strtoull(s, NULL, 10);
	o.keep_owners = (s = getenv("BLOCKS_KEEP_OWNERS")) && !strcmp(s, "1");
	if (mkdir(argv[1], 0755) < 0 && errno != EEXIST)
		die("mkdir %s:", argv[1]);
	if ((dir = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open %s:", argv[1]);
	t = tar_stdin();
	unpack(dir, t, &o);
	tar_close(t);
	return close(dir) < 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} cmds[] = {
	{ "tar", cmd_tar },
	{ "unpack", cmd_unpack },
};

int
main(int argc, char **argv)
{
	size_t i;

	for (i = 0; argc > 1 && i < LEN(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	die("usage: blocks tar|unpack ...");
}
