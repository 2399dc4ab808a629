# mvisor top-level Makefile (non-recursive).
#
# Each module describes itself in a fragment (<module>/module.mk) that this file
# includes; outputs go out of tree to build/$(TARGET)/ (host, asan; the emulated board
# always builds into build/an505/).
# Fragments append to the lists below and never define the generic rules.
#
#   make            build everything for TARGET (default host)
#   make test       deps + unit/integration/e2e tests, normal and ASan+UBSan builds
#   make demo       local broker + relay + host device, logs streaming
#   make bench      benchmarks (print figures and ratios)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make deps       install missing Debian packages (root)
#   make clean

TARGET ?= host
B := build/$(TARGET)

CC ?= cc
ifeq ($(CC),cc)
  CC := gcc
endif
AR ?= ar

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS := -std=c11 -g -O1 $(WARN)
# One version for mvrelay, mvdevice and mvcli (--version), from the VERSION file.
MV_VERSION := $(shell cat VERSION 2>/dev/null || echo unknown)
CPPFLAGS := -D_DEFAULT_SOURCE -DMV_VERSION='"$(MV_VERSION)"'
LDFLAGS :=
SAN_FLAGS :=
ifeq ($(TARGET),asan)
  SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  CFLAGS += $(SAN_FLAGS)
  LDFLAGS += $(SAN_FLAGS)
endif

# Fuzz builds always use Debian's clang with libFuzzer and sanitizers.
FUZZ_CC := clang
FUZZ_B := build/fuzz
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -DMV_VERSION='"$(MV_VERSION)"' \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60

# Lists the fragments append to.
BINS :=          # programs built by `make all`
LIBS :=          # static libraries
UNIT_TESTS :=    # Criterion test binaries, run by check-unit
INTEG_TESTS :=   # executables (scripts or programs) run after unit tests, env B=build dir
E2E_TESTS :=     # whole-system tests (tests/e2e), run last
SKIPPED_TESTS := # tests this machine cannot run (a missing tool): a failure unless MV_ALLOW_SKIP=1
FUZZ_BINS :=     # libFuzzer binaries under $(FUZZ_B)
BENCH_BINS :=    # benchmark programs, run by `make bench`

.PHONY: all test check check-tools check-unit check-integ check-e2e demo bench fuzz deps deps-check deps-check-compose clean
all:

include proto/module.mk
-include device/module.mk
-include cloud/module.mk
-include cli/module.mk
-include tests/e2e/module.mk
-include bench/module.mk

all: $(LIBS) $(BINS) $(UNIT_TESTS)

# Generic compile rule; fragments add per-directory flags with pattern-specific
# variables, e.g. `$(B)/proto/%.o: MOD_CFLAGS := -Iproto/include -Wconversion`.
$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(MOD_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_B)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(MOD_CFLAGS) -MMD -MP -c $< -o $@

deps:
	@scripts/deps.sh scripts/packages.txt scripts/packages-compose.txt

deps-check:
	@scripts/deps.sh --check 2>/dev/null || scripts/deps.sh

# The compose test's tools: installed for `make test` when possible; where they cannot be,
# that one test skips (and says why) instead of `make test` failing here.
deps-check-compose:
	@scripts/deps.sh --check scripts/packages-compose.txt 2>/dev/null || \
	  scripts/deps.sh scripts/packages-compose.txt || \
	  echo "deps: docker tools not installed: tests/e2e/compose.sh will skip"

# `make test`: both builds, each running unit, integration and e2e tests.
test: deps-check deps-check-compose
	@rm -f build/*/results-*.txt
	$(MAKE) --no-print-directory TARGET=host check
	$(MAKE) --no-print-directory TARGET=host check-tools
	$(MAKE) --no-print-directory TARGET=asan check
	@scripts/summary.sh

check: all
	@scripts/run-tests.sh "$(B)" unit $(UNIT_TESTS)
	@scripts/run-tests.sh "$(B)" integ $(INTEG_TESTS)
	@SKIPPED="$(SKIPPED_TESTS)" scripts/run-tests.sh "$(B)" e2e $(E2E_TESTS)

check-unit: all
	@scripts/run-tests.sh "$(B)" unit $(UNIT_TESTS)

check-integ: all
	@scripts/run-tests.sh "$(B)" integ $(INTEG_TESTS)

check-e2e: all
	@SKIPPED="$(SKIPPED_TESTS)" scripts/run-tests.sh "$(B)" e2e $(E2E_TESTS)

# Benchmarks and fuzz targets are not run by `make test`, but they must keep building
# and every fuzz target must get through its seed inputs (FUZZ_SECONDS=0: a replay, no
# random search, so the result does not depend on luck): a fake that grew a Criterion
# dependency once broke both unnoticed.
check-tools: $(BENCH_BINS) $(FUZZ_BINS)
	@scripts/run-fuzz.sh 0 $(FUZZ_BINS)

fuzz: deps-check $(FUZZ_BINS)
	@scripts/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

bench: deps-check all $(BENCH_BINS)
	@set -e; for b in $(BENCH_BINS); do echo "== $$b"; $$b; done

# `make demo` builds only what it runs, in parallel, quietly (compiler output goes to
# $(B)/demo-build.log and is shown only when the build fails), then runs the demo as the
# terminal's foreground job: Ctrl-C reaches the demo, not make, so it ends with
# "demo: stopped" and status 0 instead of make's "Interrupt".
DEMO_BINS = $(B)/mvrelay $(B)/mvdevice $(B)/mvcli $(B)/apps/demo.so $(B)/apps/mqtt_demo.so \
  $(B)/apps/http_demo.so
DEMO_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
demo: deps-check
	@echo "demo: building mvrelay, mvdevice, mvcli and the demo apps in $(B) (log: $(B)/demo-build.log)"
	@mkdir -p $(B)
	@start=$$(date +%s); \
	if ! $(MAKE) --no-print-directory -s -j$(DEMO_JOBS) $(DEMO_BINS) >$(B)/demo-build.log 2>&1; then \
	  cat $(B)/demo-build.log; echo "demo: build failed (above; also in $(B)/demo-build.log)"; exit 1; \
	fi; echo "demo: built in $$(( $$(date +%s) - start )) s"
	@scripts/demo-fg.sh scripts/demo.sh "$(B)"

clean:
	rm -rf build

# Header dependencies of this build only (build/an505 holds unpacked third-party sources).
-include $(shell find $(B) $(FUZZ_B) -name '*.d' -type f 2>/dev/null)
