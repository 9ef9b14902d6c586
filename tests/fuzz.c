/* See LICENSE file for copyright and license details. */
/*
 * libFuzzer harnesses for sbx's parsers, one binary: FUZZ_TARGET picks
 * the parser (args, mount, rlimit, signal, duration, cap, idmap, name,
 * id). sandbox.c is included whole, with die() made to jump back here:
 * a parse error is a normal outcome, a sanitizer report is a bug.
 * Built and run by `make fuzz` (and briefly by make check).
 */
#include <setjmp.h>
#include <stdint.h>

static jmp_buf back;
static const char *target;

__attribute__((noreturn)) static void
fuzz_fail(void)
{
	longjmp(back, 1);
}

#define main sbx_main
#include "../sandbox.c"
#undef main

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!(target = getenv("FUZZ_TARGET")))
		target = "args";
	return 0;
}

/* the input split at its NUL bytes, as a command line */
static void
fuzz_args(char *buf, size_t size)
{
	static struct plan p;
	char *argv[66];
	size_t i;
	int argc = 1;

	argv[0] = "sbx";
	for (i = 0; i < size && argc < 65; i += strlen(buf + i) + 1) {
		/* these print and exit, as they should */
		if (!strncmp(buf + i, "--help", 6) ||
		    !strncmp(buf + i, "--version", 9))
			return;
		argv[argc++] = buf + i;
	}
	argv[argc] = NULL;
	parse(argc, argv, &p);
}

static void
fuzz_one(char *s, size_t size)
{
	static struct plan p;
	unsigned long range[2];

	memset(&p, 0, sizeof(p));
	if (!strcmp(target, "args"))
		fuzz_args(s, size);
	else if (!strcmp(target, "mount"))
		add_mount(&p, size & 1 ? OPT_TMPFS : OPT_BIND, "-b", s);
	else if (!strcmp(target, "rlimit"))
		add_rlimit(&p, "--rlimit", s);
	else if (!strcmp(target, "signal"))
		(void)signum(s);
	else if (!strcmp(target, "duration"))
		(void)millis("--timeout", s, size & 1);
	else if (!strcmp(target, "cap"))
		(void)caps_bit(s);
	else if (!strcmp(target, "idmap"))
		(void)range_of(s, "1000", "user", range);
	else if (!strcmp(target, "name"))
		(void)names_valid(s);
	else if (!strcmp(target, "id"))
		(void)id_number("-u", s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 65536 || !(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	step = NULL;
	if (!setjmp(back))
		fuzz_one(s, size);
	free(s);
	return 0;
}
