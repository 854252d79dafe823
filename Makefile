# libjail / jailctl: one non-recursive GNU Makefile.
#   make                  libjail.a, libjail.so and jailctl
#   make check            every test (unit, unit under ASan+UBSan, integration,
#                         cgroup v2 in a VM)
#   make deps             the Debian packages to build and test
#   make install          PREFIX (/usr/local) and DESTDIR honoured
#   make format-check     clang-format with .clang-format
#   make man-lint         mandoc -Tlint
#   make fuzz             libFuzzer target for the parser (clang)

VERSION	= 0.1.0
SOVER	= 0
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/sbin
LIBDIR	?= $(PREFIX)/lib
INCDIR	?= $(PREFIX)/include
MANDIR	?= $(PREFIX)/share/man
EXDIR	?= $(PREFIX)/share/examples/jail
DATADIR	?= $(PREFIX)/share/jail
DESTDIR	?=

CC	?= cc
PKG	?= pkg-config
WARN	= -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes \
	  -Wstrict-prototypes -Wpointer-arith -Wno-unused-parameter
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -fPIC -D_GNU_SOURCE \
	  -DJAIL_VERSION='"$(VERSION)"' -iquote libjail \
	  $(shell $(PKG) --cflags libbsd-overlay libcap-ng)
LIB_LIBS = $(shell $(PKG) --libs libbsd-overlay libcap-ng libseccomp) -pthread
JSON_CFLAGS = $(shell $(PKG) --cflags jansson)
JSON_LIBS = $(shell $(PKG) --libs jansson)
CHECK_CFLAGS = $(shell $(PKG) --cflags check)
CHECK_LIBS = $(shell $(PKG) --libs check)

LIB_SRCS = $(wildcard libjail/*.c)
LIB_OBJS = $(patsubst %.c,build/obj/%.o,$(LIB_SRCS)) build/obj/holder_blob.o
CTL_SRCS = $(wildcard jailctl/*.c)
CTL_OBJS = $(patsubst %.c,build/obj/%.o,$(CTL_SRCS))
UNIT_SRCS = $(wildcard tests/unit/*.c)
HDRS	= $(wildcard libjail/*.h jailctl/*.h tests/unit/*.h)

SONAME	= libjail.so.$(SOVER)
all: build/libjail.a build/libjail.so build/jailctl

build/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(if $(filter jailctl/%,$<),$(JSON_CFLAGS)) -c -o $@ $<

# The installed recipes' directory is compiled into jailctl: rebuild the
# one object that holds it when PREFIX (or DATADIR) changes.
build/datadir.stamp: FORCE
	@mkdir -p build
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
build/obj/jailctl/lifecycle.o: build/datadir.stamp
build/obj/jailctl/lifecycle.o: ALL_CFLAGS += \
	-DJAIL_RECIPES='"$(DATADIR)/templates"'
FORCE:

# The jail's PID 1, a freestanding program of a few hundred bytes that
# libjail carries as data and execs from a sealed memfd (libjail/ns.c).
# On an architecture it does not know the blob is empty and the holder
# stays a clone of its creator; on x86_64 and aarch64 a failed build fails.
HOLDER_CFLAGS = -Os -static -nostdlib -ffreestanding -fno-builtin \
	  -fno-stack-protector -fno-asynchronous-unwind-tables \
	  -fno-unwind-tables -fno-pie -no-pie -Wall -Wextra -s \
	  -Wl,--build-id=none -Wl,-z,noexecstack -Wl,-z,norelro \
	  -Wl,-z,max-page-size=4096 -Wl,-z,noseparate-code
build/holder: libjail/holder/holder.c
	@mkdir -p build
	$(CC) $(HOLDER_CFLAGS) -o $@ $< || case $$(uname -m) in \
	    x86_64 | aarch64) exit 1 ;; *) : > $@ ;; esac
build/holder_blob.c: build/holder
	{ echo '/* generated from libjail/holder/holder.c */'; \
	  echo '#include <stddef.h>'; \
	  echo 'extern const unsigned char jail_holder_blob[];'; \
	  echo 'extern const size_t jail_holder_len;'; \
	  echo 'const unsigned char jail_holder_blob[] = { 0,'; \
	  od -An -v -tx1 $< | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; \
	  echo 'const size_t jail_holder_len = sizeof(jail_holder_blob) - 1;'; \
	} > $@
build/obj/holder_blob.o: build/holder_blob.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/libjail.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

build/libjail.so: $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,$(SONAME) -o build/$(SONAME) $^ $(LIB_LIBS)
	ln -sf $(SONAME) $@

# jailctl is linked statically, the C library too (static-pie: its
# addresses are still random): exec into a jail is a hot path, and the
# dynamic loader's work (libc's symbols, mappings, relocations) was an
# eighth of it: 2.16-2.37 ms per exec dynamic, 1.88 static-pie, nsenter
# 1.87-1.97 (perf stat -r 400 here).  jailctl calls no NSS function: a
# static getpwnam that loads an NSS module crashes (libjail/user.c reads
# the passwd and group files itself).  The linker still warns about
# getpwuid and initgroups in libcap-ng's capng_change_id, never called.
CTL_LIBS = -lbsd -lmd -lcap-ng -lseccomp -ljansson -pthread
build/jailctl: $(CTL_OBJS) build/libjail.a
	$(CC) $(CFLAGS) -static-pie -o $@ $(CTL_OBJS) build/libjail.a \
	    $(CTL_LIBS)

build/libjail.pc: libjail/libjail.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# Unit tests: once plainly, once under AddressSanitizer and UBSan.
ASAN	= -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=all
build/unit: $(UNIT_SRCS) $(HDRS) build/libjail.a
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ $(UNIT_SRCS) build/libjail.a \
	    $(LIB_LIBS) $(CHECK_LIBS)

build/unit-asan: $(UNIT_SRCS) $(LIB_SRCS) $(HDRS) build/holder_blob.c
	$(CC) $(ALL_CFLAGS) $(ASAN) $(CHECK_CFLAGS) -o $@ $(UNIT_SRCS) \
	    $(LIB_SRCS) build/holder_blob.c $(LIB_LIBS) $(CHECK_LIBS)

check: all build/unit build/unit-asan man-lint format-check
	cd tests/unit && ../../build/unit
	cd tests/unit && ASAN_OPTIONS=detect_leaks=1 \
	    UBSAN_OPTIONS=print_stacktrace=1 ../../build/unit-asan
	sh tests/integration/run.sh tests/integration/t_*.sh tests/security/t_*.sh
	@if command -v clang >/dev/null; then $(MAKE) --no-print-directory fuzz-smoke; \
	else echo "fuzz-smoke: clang missing, skipped"; fi
	$(MAKE) --no-print-directory vm-check

# cgroup v2 on a real kernel: tests/vm/t_*.sh, each in a qemu (TCG) VM of
# Debian's kernel with cgroup_no_v1=all (kernel and initrd cached in
# build/vm).
vm-check: build/unit build/jailctl
	sh tests/integration/run.sh tests/vm/t_*.sh

# The parser under libFuzzer.
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 \
	  -D_GNU_SOURCE -iquote libjail \
	  $(shell $(PKG) --cflags libbsd-overlay libcap-ng)
build/fuzz_conf: tests/fuzz/fuzz_conf.c $(LIB_SRCS) $(HDRS) build/holder_blob.c
	clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_conf.c $(LIB_SRCS) \
	    build/holder_blob.c $(LIB_LIBS)
fuzz: build/fuzz_conf
FUZZ_TIME ?= 600
fuzz-run: build/fuzz_conf
	mkdir -p build/fuzz-corpus
	build/fuzz_conf -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    -dict=tests/fuzz/jail.dict build/fuzz-corpus tests/fuzz/corpus
fuzz-smoke: build/fuzz_conf
	rm -rf build/fuzz-smoke && mkdir -p build/fuzz-smoke
	build/fuzz_conf -max_total_time=30 -seed=1 -print_final_stats=1 \
	    -dict=tests/fuzz/jail.dict build/fuzz-smoke tests/fuzz/corpus
	rm -rf build/fuzz-smoke

MANS	= man/jailctl.8 man/jail.conf.5
man-lint:
	mandoc -Tlint -Wwarning $(MANS)

FORMAT_SRCS = $(LIB_SRCS) $(CTL_SRCS) $(UNIT_SRCS) $(HDRS) tests/fuzz/fuzz_conf.c
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRCS)
format:
	clang-format -i $(FORMAT_SRCS)

DEPS	= build-essential pkg-config libbsd-dev libcap-ng-dev check \
	  libsubunit-dev libseccomp-dev libnl-route-3-dev libjansson-dev \
	  clang mandoc busybox-static debootstrap zstd clang-format iproute2 \
	  procps python3 qemu-system-x86 cpio xz-utils
deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEPS)

install: all build/libjail.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(EXDIR)/jail.conf.d
	install -m 755 build/jailctl $(DESTDIR)$(BINDIR)/jailctl
	install -m 644 build/libjail.a $(DESTDIR)$(LIBDIR)/libjail.a
	install -m 755 build/$(SONAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libjail.so
	install -m 644 libjail/libjail.h $(DESTDIR)$(INCDIR)/libjail.h
	install -m 644 build/libjail.pc $(DESTDIR)$(LIBDIR)/pkgconfig/libjail.pc
	install -m 644 man/jail.conf.5 $(DESTDIR)$(MANDIR)/man5/jail.conf.5
	install -m 644 man/jailctl.8 $(DESTDIR)$(MANDIR)/man8/jailctl.8
	install -m 644 jail.conf.example $(DESTDIR)$(EXDIR)/jail.conf.example
	for t in templates/*/build; do d=$$(dirname "$$t"); \
	    install -d $(DESTDIR)$(DATADIR)/$$d && \
	    install -m 755 "$$t" $(DESTDIR)$(DATADIR)/$$d/build || exit 1; done
	for f in etc/jail.conf.d/*.conf; do [ -e "$$f" ] && \
	    install -m 644 "$$f" $(DESTDIR)$(EXDIR)/jail.conf.d/; done; true

bench: build/jailctl
	sh bench/parse.sh

clean:
	rm -rf build

.PHONY: FORCE all check deps install clean fuzz fuzz-run fuzz-smoke man-lint \
	format-check format bench vm-check

# The README's demo: a busybox jail created, started, entered, listed,
# stopped and destroyed, all under a temporary directory.
demo: build/jailctl
	@set -e; d=$$(mktemp -d "$${TMPDIR:-/tmp}/jailctl-demo.XXXXXX"); \
	trap 'set +e; J stop demo >/dev/null 2>&1; J destroy demo >/dev/null 2>&1; rm -rf "$$d"' EXIT; \
	J() { echo "+ jailctl $$*" >&2; ./build/jailctl -f "$$d/jail.conf" -s "$$d/state" "$$@"; }; \
	export JAILCTL_TEMPLATES="$$d/templates"; \
	printf 'demo {\n\tpath = "%s/root";\n\ttemplate = busybox;\n\tpersist;\n\thost.hostname = demo.example.org;\n}\n' "$$d" > "$$d/jail.conf"; \
	cat "$$d/jail.conf"; \
	J check; J create demo; J start demo; \
	J exec demo sh -c 'echo "inside: $$(hostname), I am PID $$$$; processes:"; ps'; \
	J list; J stop demo; J list; J destroy demo
.PHONY: demo
