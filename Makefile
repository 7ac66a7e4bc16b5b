# shorewall-c — plain GNU make; `make` builds build/shorewall.
#   make run            build, then compile the shipped defaults (etc/shorewall) to stdout; no kernel touched
#   make test           install what is missing, build, run every test suite (unit, fixtures, ASan/UBSan)
#   make fuzz           build one libFuzzer target per parser (clang, ASan/UBSan)
#   make update-goldens regenerate the expected outputs of tests/fixtures from the current binary
#   make bench          time our compiler against Shorewall 5.2.8 (docs/bench.md)
#   make install        DESTDIR, PREFIX, SBINDIR, SYSCONFDIR, MANDIR, SYSTEMDUNITDIR as usual (also uninstall)
#   make dist           shorewall-c-VERSION.tar.gz of every file git tracks: builds with no network

PREFIX     ?= /usr
SBINDIR    ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
SHAREDIR   ?= $(PREFIX)/share/shorewall-c
MANDIR     ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR    ?=

CC      ?= cc
BUILD   ?= build
PKGS     = libip4tc xtables yaml-0.1
CFLAGS  ?= -O2 -g
# Flags the code needs whatever CFLAGS the caller passes (sanitizer builds pass their own CFLAGS).
override CFLAGS += -std=gnu11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Wshadow \
           -Wno-unused-parameter -Isrc -Isrc/parsers -Isrc/build -Isrc/optimize -Isrc/explain -Isrc/ipsec -Isrc/emit -MMD -MP \
           -DSHAREDIR='"$(SHAREDIR)"' -DSYSCONFDIR='"$(SYSCONFDIR)"'
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lip4tc -lxtables -lyaml)

ifeq ($(V),1)
Q =
else
Q = @
endif

# Every .c under src/ except main.c goes into a static library that the binary, the unit tests
# and the fuzzers all link, so each test exercises exactly the code the product runs.
LIB_SRCS  = $(sort $(filter-out src/main.c,$(wildcard src/*.c src/parsers/*.c src/build/*.c src/optimize/*.c \
            src/explain/*.c src/ipsec/*.c src/emit/*.c)))
LIB_OBJS  = $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  = $(BUILD)/src/main.o
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS = $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all run test test-unit test-fixtures test-asan test-kernel test-esp deps deps-test fuzz fuzz-run \
        update-goldens install uninstall dist clean check-style bench FORCE

all: $(BUILD)/shorewall

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

# SHAREDIR and SYSCONFDIR are compiled in (where the module lists and /etc/shorewall are), so a
# `make install PREFIX=…` different from the build's must rebuild: this file changes only when they do.
$(BUILD)/paths: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SHAREDIR) $(SYSCONFDIR)' | cmp -s - $@ || echo '$(SHAREDIR) $(SYSCONFDIR)' >$@
$(LIB_OBJS) $(MAIN_OBJ): $(BUILD)/paths

$(BUILD)/libshorewall.a: $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/shorewall: $(MAIN_OBJ) $(BUILD)/libshorewall.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libshorewall.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libshorewall.a $(LDFLAGS) $(LDLIBS) -lcmocka

# ---- set-up: the two README commands install what they need themselves -------------------------
deps:
	@tools/deps build

deps-test:
	@tools/deps test

run: deps
	$(Q)$(MAKE) --no-print-directory all
	./$(BUILD)/shorewall check -v etc/shorewall
	./$(BUILD)/shorewall compile etc/shorewall -

# ---- tests ---------------------------------------------------------------------------------------
test: deps-test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory test-unit test-fixtures
	$(Q)$(MAKE) --no-print-directory test-asan
	$(Q)$(MAKE) --no-print-directory test-kernel
	$(Q)$(MAKE) --no-print-directory test-esp

test-unit: $(UNIT_BINS)
	$(Q)tests/run-unit $(UNIT_BINS)

test-fixtures: $(BUILD)/shorewall
	$(Q)tests/run-fixtures $(BUILD)/shorewall

# The same suites again, built with AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/.
test-asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" test-unit test-fixtures

test-kernel: $(BUILD)/shorewall
	$(Q)tests/run-kernel $(BUILD)/shorewall

# Real ESP through our rules in a qemu VM (docs/esp.md): prints SKIP, not PASS, when it cannot run
# (no qemu, no kernel package reachable); downloads and the base initramfs are cached in $(BUILD)/esp/.
test-esp: $(BUILD)/shorewall
	$(Q)tests/esp/run $(BUILD)/shorewall

update-goldens: $(BUILD)/shorewall
	$(Q)tests/run-fixtures --update $(BUILD)/shorewall

# ---- benchmark: our compiler against Shorewall 5.2.8 on generated configs (docs/bench.md) -------
# Prints the table and writes $(BUILD)/bench/results.md and bench.png. Takes ~10 minutes, most of it
# Shorewall; BENCH_ARGS="--quick" skips Shorewall's slowest cases, BENCH_ARGS="--cases z16-r1k,…" picks.
bench:
	@tools/deps bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/bench --binary $(BUILD)/shorewall --out $(BUILD)/bench $(BENCH_ARGS)

# ---- fuzzing: one libFuzzer target per parser -----------------------------------------------------
# The library is rebuilt into build-fuzz/ with coverage instrumentation (fuzzer-no-link) and the
# sanitizers; each tests/fuzz/fuzz_*.c links libFuzzer's main. FUZZ_CFLAGS reach the sub-make through
# the environment, so the Makefile's own flags (-std, warnings, -I, -D) are still appended to them.
FUZZ_BUILD   = build-fuzz
FUZZ_CFLAGS  = -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
               -fno-sanitize-recover=all
FUZZ_LDFLAGS = -fsanitize=fuzzer,address,undefined
fuzz:
	$(Q)CFLAGS="$(FUZZ_CFLAGS)" LDFLAGS= $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
	    $(FUZZ_BUILD)/libshorewall.a
	$(Q)for f in $(FUZZ_SRCS); do b=$(FUZZ_BUILD)/$$(basename $$f .c); \
	    [ $$b -nt $$f ] && [ $$b -nt tests/fuzz/fuzz_common.h ] && [ $$b -nt $(FUZZ_BUILD)/libshorewall.a ] && continue; \
	    echo "  FUZZ    $$b"; \
	    clang $(FUZZ_CFLAGS) -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Isrc -Isrc/parsers -Isrc/build -Isrc/emit \
	      $(FUZZ_LDFLAGS) -o $$b $$f $(FUZZ_BUILD)/libshorewall.a $(LDLIBS) || exit 1; done

# FUZZ_SECONDS per target (FUZZ_JOBS targets at a time); crashes land in build-fuzz/crashes/<target>/
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
fuzz-run: fuzz
	$(Q)FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run $(FUZZ_SECONDS)

# ---- install ----------------------------------------------------------------------------------------
# Existing files under SYSCONFDIR/shorewall are kept (an administrator's configuration is never
# overwritten); a packager installs into an empty DESTDIR and gets them all.
VERSION = $(shell sed -n 's/^\#define SHOREWALL_C_VERSION "\(.*\)"/\1/p' src/version.h)
MAN5    = $(sort $(wildcard man/*.5))
MAN8    = $(sort $(wildcard man/*.8))
install: $(BUILD)/shorewall
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SHAREDIR)/modules $(DESTDIR)$(SHAREDIR)/macros \
	    $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDUNITDIR)
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/shorewall
	install -m 0755 $(BUILD)/shorewall $(DESTDIR)$(SBINDIR)/shorewall
	install -m 0644 modules/* $(DESTDIR)$(SHAREDIR)/modules/
	install -m 0644 macros/macro.* $(DESTDIR)$(SHAREDIR)/macros/
	@for f in $(MAN5) $(MAN8); do t=$(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}; echo "install $$f $$t"; \
	    sed -e 's|/usr/share/shorewall\\-c|$(subst -,\\-,$(SHAREDIR))|g' \
	        -e 's|/etc/shorewall|$(subst -,\\-,$(SYSCONFDIR))/shorewall|g' $$f >$$t && chmod 0644 $$t || exit 1; done
	sed 's|/usr/sbin/shorewall|$(SBINDIR)/shorewall|g' systemd/shorewall.service \
	    >$(DESTDIR)$(SYSTEMDUNITDIR)/shorewall.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/shorewall.service
	@for f in etc/shorewall/*; do t=$(DESTDIR)$(SYSCONFDIR)/shorewall/$${f##*/}; \
	    if [ -e $$t ]; then echo "kept $$t"; else echo "install -m 0644 $$f $$t"; \
	    install -m 0644 $$f $$t || exit 1; fi; done

# The configuration in SYSCONFDIR/shorewall and the state in /var/lib/shorewall stay.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/shorewall $(DESTDIR)$(SYSTEMDUNITDIR)/shorewall.service
	rm -f $(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%) $(MAN8:man/%=$(DESTDIR)$(MANDIR)/man8/%)
	rm -f $(addprefix $(DESTDIR)$(SHAREDIR)/,$(wildcard modules/* macros/macro.*))
	-rmdir $(DESTDIR)$(SHAREDIR)/modules $(DESTDIR)$(SHAREDIR)/macros $(DESTDIR)$(SHAREDIR) 2>/dev/null

# Every tracked file as it is in the work tree, under shorewall-c-VERSION/, written into DISTDIR.
DISTDIR ?= .
dist:
	$(Q)git ls-files -z | xargs -0 sh -c 'for f; do [ -f "$$f" ] && printf "%s\0" "$$f"; done' sh | \
	    tar --null -T - --transform 's|^|shorewall-c-$(VERSION)/|' --owner=0 --group=0 --numeric-owner \
	    -czf $(DISTDIR)/shorewall-c-$(VERSION).tar.gz
	@echo "$(DISTDIR)/shorewall-c-$(VERSION).tar.gz"

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
