# kpr: the key-project registry.  See README.md.
#
#   make            build kpr (into $(BUILD)/)
#   make check      install dependencies, build, run every test, then again under ASan+UBSan, then
#                   a fuzz smoke (20 s a target)
#   make check-full make check, then the long tests (tests/full: load, TLS), memcheck, and
#                   fuzzing for 300 s a target
#   make demo       build, start the local instance, load the Langfang 2023 sample, print its Q4 report
#   make bench      national-scale import benchmark against psql \copy
#   make fuzz       libFuzzer targets: the CSV parse-and-validate path, the workbook readers, the
#                   configuration loader and colour rules, the money, month and date parsers
#   make check-clients  the report's rich forms read by real clients (LibreOffice, Chromium)
#   make deps       install the Debian packages kpr needs (idempotent)
#   make install    kpr, libkpr.a, its headers, kpr.pc, kpr(1), the catalogs (PREFIX, DESTDIR);
#                   make uninstall removes them

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
SANITIZE ?=
# the builds make check and make fuzz start, one compiler a CPU (make check runs without -j in CI)
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages: build and test (the runtime shared libraries come with their -dev packages)
DEPS = libpq-dev libcsv-dev libyaml-dev libssl-dev pkg-config postgresql libxlsxwriter-dev \
       libjansson-dev clang libclang-rt-14-dev valgrind perl libasan8 libubsan1 time jq libxml2-utils unzip python3-openpyxl \
       libzip-dev libexpat1-dev libfreexl-dev zlib1g gettext locales openssl groff-base

PKGS    = libpq yaml-0.1 libcrypto xlsxwriter libzip expat freexl
WARN    = -Wall -Wextra -Wformat-security -Wstrict-prototypes -Wmissing-prototypes \
          -Wvla -Wwrite-strings -fno-common -Wshadow
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Ilib -I$(BUILD) \
          $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -I$(shell pg_config --includedir 2>/dev/null) \
          -DKPR_VERSION='"$(VERSION)"' -DLOCALEDIR='"$(LOCALEDIR)"'
LDLIBS  = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
TEST_LDLIBS = $(shell pkg-config --libs jansson 2>/dev/null)
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifneq ($(WERROR),0)
ALL_CFLAGS += -Werror
endif

VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1)

LIB_SRC  = $(sort $(wildcard lib/*.c))
CMD_SRC  = $(sort $(wildcard cmd/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
MIGRATIONS = $(sort $(wildcard migrations/*.sql))
# The translations (docs/translating.md): po/LANG.po, built into $(BUILD)/locale/LANG/LC_MESSAGES/kpr.mo
LINGUAS  = zh_CN
MO       = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/kpr.mo)

LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/migrations.o
CMD_OBJ  = $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOLS    = $(patsubst tools/%.c,$(BUILD)/tools/%,$(wildcard tools/*.c))

.PHONY: all deps check check-full test test-full test-san valgrind demo bench check-clients fuzz install uninstall clean schema po
all: $(BUILD)/kpr $(UNIT_BIN) $(TOOLS) $(MO)

$(BUILD)/%.o: %.c $(wildcard lib/*.h cmd/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/migrations.c: $(MIGRATIONS) tools/embed-migrations.sh
	@mkdir -p $(BUILD)
	sh tools/embed-migrations.sh $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/migrations.o: $(BUILD)/migrations.c lib/migrate.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libkpr.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/kpr: $(CMD_OBJ) $(BUILD)/libkpr.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libkpr.a $(LDLIBS)

# unit tests link the library, and the option parser of cmd/ (tests/unit/options.c)
$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/*.h) $(BUILD)/libkpr.a $(BUILD)/cmd/options.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -Icmd $(LDFLAGS) -o $@ $< $(BUILD)/cmd/options.o $(BUILD)/libkpr.a $(LDLIBS) $(TEST_LDLIBS)

$(BUILD)/tools/%: tools/%.c tools/prng.h $(BUILD)/libkpr.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libkpr.a $(LDLIBS)

# A language's catalog; --check: a translation's conversions (%s, %ld) are the English's
$(BUILD)/locale/%/LC_MESSAGES/kpr.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# After changing messages: the template from the sources, merged into every language's file
# (then translate what msgattrib --untranslated and --only-fuzzy print; tests/t0110-i18n.t checks)
po:
	sh tools/po-template.sh po/kpr.pot
	for l in $(LINGUAS); do msgmerge --quiet --update --backup=none po/$$l.po po/kpr.pot || exit 1; done

deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	fi

# The test suite: unit tests (lib/) and integration tests (the kpr binary) under prove, against a
# throwaway server that tests/run starts and stops.  Then the same under ASan+UBSan, and a fuzz
# smoke: each libFuzzer target for 20 s (make fuzz).
check: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) test
	$(MAKE) test-san
	$(MAKE) fuzz FUZZ_SECONDS=20

# Everything make check does, then what takes too long for every change (CI runs make check):
# the tests under tests/full (50 offices at once, TLS and passwords), the suite under memcheck,
# and each fuzz target for 300 s.
check-full: check
	$(MAKE) test-full
	$(MAKE) valgrind
	$(MAKE) fuzz FUZZ_SECONDS=300

test-full: all
	BUILD=$(BUILD) tests/run tests/full/*.t

test: all
	BUILD=$(BUILD) tests/run

test-san:
	$(MAKE) -j$(JOBS) BUILD=build-san SANITIZE=address,undefined CFLAGS='-O1 -g' all
	BUILD=build-san ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 tests/run

# memcheck over the whole suite: every kpr and unit-test run goes through valgrind
valgrind: all
	BUILD=$(BUILD) KPR_WRAPPER='valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(abspath tests/valgrind.supp)' tests/run

demo: deps all
	KPR_LOCALEDIR=$(abspath $(BUILD))/locale sh tools/demo.sh $(BUILD)/kpr

bench: deps all
	sh tools/bench.sh $(BUILD)

# The report's HTML and XLSX forms opened by the programs people read them with: installs
# LibreOffice, Chromium and poppler-utils (too heavy for every CI run, so not in make check)
check-clients: deps all
	sh tools/check-clients.sh $(BUILD)

# The committed Langfang 2023 sample: rerun after changing tools/gen-langfang.c, commit the result
.PHONY: data
data: $(BUILD)/tools/gen-langfang
	@mkdir -p data/langfang-2023
	$(BUILD)/tools/gen-langfang data/langfang-2023

# Small read chunks (KPR_CHUNK=64) so that short inputs cross many chunk boundaries; stderr closed
# (-close_fd_mask=2: the reader's messages about bad input), sanitizer reports still shown.
fuzz: deps
	$(MAKE) -j$(JOBS) BUILD=build-fuzz CC=clang SANITIZE=fuzzer-no-link,address,undefined CFLAGS='-O1 -g -DKPR_CHUNK=64' build-fuzz/libkpr.a
	clang -std=c17 -D_GNU_SOURCE -g -O1 -Ilib $(shell pkg-config --cflags $(PKGS)) -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz-import tests/fuzz/fuzz_import.c build-fuzz/libkpr.a $(LDLIBS)
	clang -std=c17 -D_GNU_SOURCE -g -O1 -Ilib $(shell pkg-config --cflags $(PKGS)) -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz-workbook tests/fuzz/fuzz_workbook.c build-fuzz/libkpr.a $(LDLIBS)
	clang -std=c17 -D_GNU_SOURCE -g -O1 -Ilib $(shell pkg-config --cflags $(PKGS)) -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz-config tests/fuzz/fuzz_config.c build-fuzz/libkpr.a $(LDLIBS)
	mkdir -p build-fuzz/corpus build-fuzz/corpus-workbook build-fuzz/corpus-config && cp tests/fuzz/corpus/* build-fuzz/corpus/ && \
		cp tests/fuzz/corpus-workbook/* build-fuzz/corpus-workbook/ && cp tests/fuzz/corpus-config/* build-fuzz/corpus-config/
	build-fuzz/fuzz-import -close_fd_mask=2 -max_total_time=$${FUZZ_SECONDS:-60} build-fuzz/corpus
	build-fuzz/fuzz-workbook -close_fd_mask=2 -max_total_time=$${FUZZ_SECONDS:-60} build-fuzz/corpus-workbook
	build-fuzz/fuzz-config -close_fd_mask=2 -max_total_time=$${FUZZ_SECONDS:-60} build-fuzz/corpus-config

# make install PREFIX=/usr/local DESTDIR=: the program, the library and its public headers, a
# pkg-config file, the man page and the message catalogs; make uninstall removes exactly those.
#
# The public headers: what a program using libkpr.a includes (<kpr/money.h>), each compiling by
# itself (tests/t0120-install.t).  The import's machinery (fields, columns, validate, spools,
# the workbook readers and writer, the YAML walker) stays inside: its headers would also pull
# libxlsxwriter's, libzip's, expat's and libyaml's into a program's build.
PUBLIC_HEADERS = kpr log diag strbuf utf8 textwidth fold money month print problems conninfo db config \
	batch migrate local office password project project_find listing card auditlog year \
	reader bulk import rejects revert update stage period colour evaluation override \
	report export template outfile
BINDIR     = $(PREFIX)/bin
LIBDIR     = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
PCDIR      = $(LIBDIR)/pkgconfig
MAN1DIR    = $(PREFIX)/share/man/man1
LOCALEDIR  = $(PREFIX)/share/locale

# The installed kpr looks for its catalogs under PREFIX (-DLOCALEDIR, cmd/kpr.c), so it is
# linked for the PREFIX given here, in $(BUILD)/install/, whatever PREFIX $(BUILD)/kpr was built
# with; $(BUILD)/install/prefix changes, and so rebuilds it, only when PREFIX does.
.PHONY: FORCE
$(BUILD)/install/prefix: FORCE
	@mkdir -p $(dir $@)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@

$(BUILD)/install/kpr.o: cmd/kpr.c $(wildcard lib/*.h cmd/*.h) $(BUILD)/install/prefix
	$(CC) $(ALL_CFLAGS) -c -o $@ cmd/kpr.c

$(BUILD)/install/kpr: $(BUILD)/install/kpr.o $(filter-out $(BUILD)/cmd/kpr.o,$(CMD_OBJ)) $(BUILD)/libkpr.a
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(BUILD)/libkpr.a $(LDLIBS)

# kpr.pc: libpq by its flags, not as a Requires: Debian's libpq.pc names, under --static,
# libraries it does not ship (-lpgcommon -lpgport).  libkpr.a is static: link with
# pkg-config --static --libs kpr, which adds the .private lines.
$(BUILD)/install/kpr.pc: FORCE
	@mkdir -p $(dir $@)
	@{ echo 'prefix=$(PREFIX)'; echo 'libdir=$${prefix}/lib'; echo 'includedir=$${prefix}/include'; \
	  echo 'pq_includedir=$(shell pkg-config --variable=includedir libpq 2>/dev/null || pg_config --includedir)'; \
	  echo; echo 'Name: kpr'; \
	  echo 'Description: the key-project registry library (libkpr.a): money, months, the registry in PostgreSQL'; \
	  echo 'Version: $(VERSION)'; \
	  echo 'Requires.private: $(filter-out libpq,$(PKGS))'; \
	  echo 'Cflags: -I$${includedir} -I$${pq_includedir}'; \
	  echo 'Libs: -L$${libdir} -lkpr'; \
	  echo 'Libs.private: -lpq -lcsv -lm'; } > $@.tmp && mv $@.tmp $@

install: $(BUILD)/install/kpr $(BUILD)/libkpr.a $(BUILD)/install/kpr.pc $(MO)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PCDIR) $(DESTDIR)$(INCLUDEDIR)/kpr \
		$(DESTDIR)$(MAN1DIR)
	install -m 755 $(BUILD)/install/kpr $(DESTDIR)$(BINDIR)/kpr
	install -m 644 $(BUILD)/libkpr.a $(DESTDIR)$(LIBDIR)/libkpr.a
	install -m 644 $(PUBLIC_HEADERS:%=lib/%.h) $(DESTDIR)$(INCLUDEDIR)/kpr/
	install -m 644 $(BUILD)/install/kpr.pc $(DESTDIR)$(PCDIR)/kpr.pc
	install -m 644 docs/kpr.1 $(DESTDIR)$(MAN1DIR)/kpr.1
	for l in $(LINGUAS); do \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	  install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/kpr.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/kpr.mo || exit 1; \
	done

# Only what install wrote; of the folders, only include/kpr, which is kpr's own
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kpr $(DESTDIR)$(LIBDIR)/libkpr.a $(DESTDIR)$(PCDIR)/kpr.pc \
		$(DESTDIR)$(MAN1DIR)/kpr.1 $(PUBLIC_HEADERS:%=$(DESTDIR)$(INCLUDEDIR)/kpr/%.h)
	rmdir $(DESTDIR)$(INCLUDEDIR)/kpr 2>/dev/null || true
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/kpr.mo; done

clean:
	rm -rf build build-san build-fuzz

# schema/kpr.sql: the schema a fresh `kpr init` leaves, from a throwaway server (tests check it)
schema: all
	KPR_WRITE_SCHEMA=1 BUILD=$(BUILD) tests/run tests/t0002-init.t
