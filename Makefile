# sbx - a tiny rootless sandbox with an embedded PID-1 init
# See LICENSE file for copyright and license details.
.POSIX:

include config.mk

# O: where the build goes (e.g. O=build/asan/), the sources stay here
O =
# SBXFLAGS=-DFAULTS: a test build that can fail any set-up step (tests/check)
SBXFLAGS =
BUILDNEEDS = musl-tools linux-libc-dev toybox busybox-static
CHECKNEEDS = util-linux procps gcc libc6-dev binutils uidmap tmux runc crun qemu-system-x86 \
	linux-image-cloud-amd64 cppcheck clang libclang-rt-dev man-db umoci skopeo golang-go podman zstd
HELPERS = $(O)tests/sbxtest

all: $(O)init $(O)sbx

needs:
	@tests/needs $(BUILDNEEDS)

# linux-libc-dev's headers, and nothing else of glibc's, for musl-gcc
$(O)kinc/linux:
	mkdir -p $(O)kinc
	ln -sfn $(KHDR)/linux $(O)kinc/linux
	ln -sfn $(KARCH)/asm $(O)kinc/asm
	ln -sfn $(KHDR)/asm-generic $(O)kinc/asm-generic

# each ABI's system call names and numbers (SYSCALLS in config.mk), from
# the kernel headers, in a table sorted by name for profile.c
$(O)syscalls.h: syscalls.awk config.mk $(O)kinc/linux
	n=0; for a in $(SYSCALLS); do n=$$((n + 1)); \
		$(CC) -E -dM -idirafter $(O)kinc $(KARCH)/asm/$${a#*:} \
			>$@.$$n || exit 1; files="$$files $@.$$n"; done; \
	awk -f syscalls.awk $$files >$@.rows && \
	{ echo "/* made by make from the kernel's headers: do not edit */"; \
	printf 'static const char *const sysabi[] = {'; \
	for a in $(SYSCALLS); do printf ' "%s",' $${a%%:*}; done; \
	echo " };"; echo "static const struct sysname {"; \
	echo "	const char *name;"; echo "	unsigned short nr[$$n];"; \
	echo "} sysname[] = {"; LC_ALL=C sort $@.rows; echo "};"; } >$@.tmp && \
	grep -q '"exit"' $@.tmp && mv $@.tmp $@ && rm -f $$files $@.rows

INITSRC = init.c boot.c fmt.c inithooks.c
$(O)init: $(INITSRC) boot.h exitcode.h fmt.h inithooks.h millis.h signames.h config.mk \
	$(O)kinc/linux
	$(CC) $(CPPFLAGS) -idirafter $(O)kinc $(CFLAGS) -o $@ $(INITSRC) $(LDFLAGS)

# init is embedded with .incbin, so sbx is rebuilt whenever init changes
SBXSRC = sandbox.c caps.c embed.c exec.c fmt.c idmap.c kernfs.c cgroup.c cglimit.c hint.c limit.c lockdown.c mount.c \
	names.c ns.c opts.c seccomp.c supervise.c tty.c util.c verbs.c \
	image.c images.c import.c owners.c store.c tags.c oci.c ocistate.c ocispec.c \
	bundle.c bundleproc.c bundlefs.c bundleres.c ocicfg.c $(IMAGESRC) $(OCISRC)
# the in-house readers images need: sha256, gzip, tar, JSON
IMAGESRC = sha256.c crc32.c huff.c inflate.c tar.c pax.c unpack.c json.c
# what an OCI bundle needs beyond them: JSON paths, the seccomp profile
OCISRC = jsonout.c profile.c profbpf.c hooks.c hookrun.c ocitext.c ocifds.c
SBXHDR = exitcode.h caps.h exec.h fmt.h idmap.h kernfs.h cgroup.h cglimit.h hint.h limit.h lockdown.h millis.h \
	mount.h names.h ns.h opts.h plan.h sbx.h seccomp.h signames.h \
	supervise.h tty.h verbs.h image.h images.h import.h owners.h store.h tags.h \
	oci.h ocistate.h ocispec.h bundle.h bundlefs.h bundleproc.h bundleres.h ocicfg.h \
	sha256.h crc32.h huff.h inflate.h tar.h pax.h unpack.h json.h jsonout.h \
	profile.h profbpf.h hooks.h hookrun.h embed.h ocitext.h ocifds.h inithooks.h \
	$(O)syscalls.h

$(O)sbx: $(SBXSRC) $(SBXHDR) config.mk $(O)init $(O)kinc/linux
	$(CC) $(CPPFLAGS) $(SBXFLAGS) -DINIT_PATH=\"$(O)init\" -idirafter $(O)kinc \
		-iquote $(O). $(CFLAGS) -o $@ $(SBXSRC) $(LDFLAGS)

$(O)tests/sbxtest: tests/sbxtest.c config.mk $(O)kinc/linux
	@mkdir -p $(O)tests
	$(CC) $(CPPFLAGS) -idirafter $(O)kinc $(CFLAGS) -o $@ tests/sbxtest.c \
		$(LDFLAGS)

# the image's building blocks (#16), on the host only, for tests/image.sh
BLOCKSRC = json.c jsonout.c tar.c pax.c unpack.c sha256.c crc32.c huff.c \
	inflate.c util.c hint.c fmt.c tty.c profile.c profbpf.c
BLOCKHDR = json.h jsonout.h pax.h tar.h unpack.h sha256.h crc32.h huff.h \
	inflate.h sbx.h exitcode.h fmt.h hint.h tty.h profile.h profbpf.h $(O)syscalls.h
$(O)tests/blocks: tests/blocks.c $(BLOCKSRC) $(BLOCKHDR) config.mk $(O)kinc/linux
	@mkdir -p $(O)tests
	$(CC) $(CPPFLAGS) -idirafter $(O)kinc -iquote $(O). $(CFLAGS) -o $@ \
		tests/blocks.c $(BLOCKSRC) $(LDFLAGS)

rootfs: needs $(HELPERS)
	rootfs/mkrootfs rootfs $(HELPERS)

run: needs all rootfs
	./sbx -r rootfs -h box -- /bin/sh

check: needs all rootfs $(O)tests/blocks
	@tests/needs $(CHECKNEEDS)
	./init -s -- tests/check

# opencontainers/runtime-tools' validation programs against an OCI runtime,
# as root (tests/runtimetools.sh); RTOOLS="kill start" runs only those.
# RUNTIME_WRAP=tests/nounified runs crun on this kind of VM's cgroups.
RUNTIME = ./$(O)sbx-runc
RUNTIME_WRAP =
RTOOLS =
oci-validate: needs all
	@tests/needs golang-go
	RUNTIME="$(RUNTIME)" RUNTIME_WRAP="$(RUNTIME_WRAP)" ./init -s -- tests/runtimetools $(RTOOLS)

# cppcheck and gcc's static analyzer, over every C file; variableScope is
# off, as our style declares at the top of a block (see STYLE.md)
LINTSRC = $(SBXSRC) init.c boot.c inithooks.c tests/sbxtest.c tests/bench/bench.c \
	tests/bench/floor.c tests/blocks.c
LINTDEFS = -D_GNU_SOURCE -DVERSION=\"$(VERSION)\" -DINIT_PATH=\"init\"
lint: $(O)syscalls.h
	@tests/needs cppcheck gcc
	cppcheck -q --std=c11 --enable=warning,style,performance,portability \
		--suppress=variableScope --inline-suppr --error-exitcode=1 \
		-D__$(shell uname -m)__ $(LINTDEFS) -I$(O). $(LINTSRC)
	for f in $(LINTSRC); do \
		gcc -std=c11 -fanalyzer -Wall -Wextra -Werror $(LINTDEFS) \
			-iquote $(O). -c -o /dev/null $$f || exit 1; \
	done

# libFuzzer over each parser (tests/fuzz.c) for FUZZTIME seconds, from the
# seed corpus in tests/corpus; a crash is saved there, as a new input. The
# parsers' units are linked as they are, with exit() caught (--wrap).
FUZZERS = args mount rlimit signal duration cap idmap name id json tar sha256 crc32 gunzip bundle profile hooks
FUZZTIME = 60
FUZZSRC = tests/fuzz.c opts.c limit.c idmap.c names.c caps.c fmt.c tty.c util.c hint.c \
	json.c jsonout.c tar.c pax.c sha256.c crc32.c huff.c inflate.c \
	bundle.c bundleproc.c bundlefs.c bundleres.c ocicfg.c profile.c profbpf.c hooks.c \
	inithooks.c
$(O)fuzz/sbxfuzz: $(FUZZSRC) $(SBXHDR) $(BLOCKHDR)
	@tests/needs clang libclang-rt-dev
	@mkdir -p $(O)fuzz
	clang $(CPPFLAGS) -iquote $(O). -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Wl,--wrap=exit -o $@ $(FUZZSRC)

fuzz: $(O)fuzz/sbxfuzz
	for t in $(FUZZERS); do \
		mkdir -p $(O)fuzz/$$t && \
		FUZZ_TARGET=$$t $(O)fuzz/sbxfuzz -max_total_time=$(FUZZTIME) \
			-artifact_prefix=tests/corpus/$$t/ \
			$(O)fuzz/$$t tests/corpus/$$t || exit 1; \
	done

# sbx against its peers and the kernel's floor (not a test: no timing
# is asserted); prints one table, see BENCHMARKS.md
bench: needs all rootfs
	tests/bench/run

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	cp -f sbx init $(DESTDIR)$(PREFIX)/bin/
	chmod 755 $(DESTDIR)$(PREFIX)/bin/sbx $(DESTDIR)$(PREFIX)/bin/init
	sed "s/VERSION/$(VERSION)/g" sbx.1 > $(DESTDIR)$(MANPREFIX)/man1/sbx.1
	sed "s/VERSION/$(VERSION)/g" init.1 > $(DESTDIR)$(MANPREFIX)/man1/init.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/sbx.1 \
		$(DESTDIR)$(MANPREFIX)/man1/init.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sbx $(DESTDIR)$(PREFIX)/bin/init \
		$(DESTDIR)$(MANPREFIX)/man1/sbx.1 $(DESTDIR)$(MANPREFIX)/man1/init.1

clean:
	rm -rf sbx init kinc syscalls.h tests/sbxtest tests/blocks build
	rootfs/mkrootfs --clean rootfs

.PHONY: all needs rootfs run check oci-validate lint fuzz bench install uninstall clean
