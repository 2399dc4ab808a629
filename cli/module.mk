# cli/: mvcli, the command-line client of the relay's REST API, with its unit
# tests (Criterion), integration tests against a real mvrelay, and the SSE fuzzer.

CLI_PKGS := libcurl jansson libssl
CLI_SRCS := $(wildcard cli/src/*.c)
CLI_LIB_OBJS := $(patsubst %.c,$(B)/%.o,$(filter-out cli/src/main.c,$(CLI_SRCS)))
CLI_LIBS := $(shell pkg-config --libs $(CLI_PKGS))
CLI_BIN := $(B)/mvcli

# The bundle header codec (apps bundle) comes from proto/ (libmvp.a).
$(B)/cli/%.o: MOD_CFLAGS := -Icli/include -Icli/src -Iproto/include \
  $(shell pkg-config --cflags $(CLI_PKGS))
$(FUZZ_B)/cli/%.o: MOD_CFLAGS := -Icli/include

$(CLI_BIN): $(B)/cli/src/main.o $(CLI_LIB_OBJS) $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLI_LIBS) -lcrypto

BINS += $(CLI_BIN)

CLI_TEST_SRCS := $(wildcard cli/tests/*.c)
CLI_TEST_BIN := $(B)/tests/cli_tests
$(CLI_TEST_BIN): $(CLI_TEST_SRCS:%.c=$(B)/%.o) $(CLI_LIB_OBJS) $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcriterion $(CLI_LIBS) -lcrypto
ifneq ($(CLI_TEST_SRCS),)
UNIT_TESTS += $(CLI_TEST_BIN)
endif

# Integration tests drive the real relay: listed only when $(B)/mvrelay is part of
# the build (cloud/module.mk is included before this fragment).
ifneq ($(filter $(B)/mvrelay,$(BINS)),)
CLI_INTEG := $(wildcard cli/tests/integ_*.sh)
endif
INTEG_TESTS += $(CLI_INTEG)

$(FUZZ_B)/cli_sse: $(FUZZ_B)/cli/fuzz/fuzz_sse.o $(FUZZ_B)/cli/src/sse.o
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^
FUZZ_BINS += $(FUZZ_B)/cli_sse
