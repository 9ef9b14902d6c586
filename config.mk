# sbx version
VERSION = 0.1.0

# paths
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man

# Debian's musl-gcc has no kernel headers: give it linux-libc-dev's through
# a directory of symlinks searched after its own (as Alpine's linux-headers).
KHDR = /usr/include
KARCH = $(KHDR)/$(shell gcc -print-multiarch 2>/dev/null)
# the system call tables of seccomp profiles (profile.c): for each ABI this
# machine's kernel runs, its libseccomp name and its header in $(KARCH)/asm
SYSCALLS_x86_64 = SCMP_ARCH_X86_64:unistd_64.h SCMP_ARCH_X86:unistd_32.h \
	SCMP_ARCH_X32:unistd_x32.h
SYSCALLS_aarch64 = SCMP_ARCH_AARCH64:unistd.h
SYSCALLS = $(SYSCALLS_$(shell uname -m))

# flags: -flto lets the units inline into each other as one file would
CPPFLAGS = -D_GNU_SOURCE -DVERSION=\"$(VERSION)\"
CFLAGS = -std=c11 -Os -Wall -Wextra -Werror -ffunction-sections -fdata-sections -flto
LDFLAGS = -static -s -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noseparate-code -flto -flto-partition=one -Os

# compiler and linker; `make CC=cc` builds a static glibc binary instead
CC = musl-gcc
