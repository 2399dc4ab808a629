# proto/: the wire protocol library (libmvp.a), its tests and fuzz targets.

PROTO_SRCS := $(wildcard proto/src/*.c)
PROTO_OBJS := $(PROTO_SRCS:%.c=$(B)/%.o)
PROTO_LIB := $(B)/libmvp.a
PROTO_INC := -Iproto/include

$(B)/proto/%.o: MOD_CFLAGS := $(PROTO_INC) -Wconversion -Wsign-conversion
$(FUZZ_B)/proto/%.o: MOD_CFLAGS := $(PROTO_INC) -Iproto/tests
# The golden-vector test reads PROTOCOL.md from the source tree wherever it runs.
$(B)/proto/tests/%.o: MOD_CFLAGS := $(PROTO_INC) -Wconversion -Wsign-conversion \
  -DMVP_PROTO_DIR='"$(CURDIR)/proto"'

$(PROTO_LIB): $(PROTO_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

LIBS += $(PROTO_LIB)

PROTO_TEST_SRCS := $(wildcard proto/tests/*.c)
PROTO_TEST_BIN := $(B)/tests/proto_tests
$(PROTO_TEST_BIN): $(PROTO_TEST_SRCS:%.c=$(B)/%.o) $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcriterion
ifneq ($(PROTO_TEST_SRCS),)
UNIT_TESTS += $(PROTO_TEST_BIN)
endif
# The golden vectors against an independent Python decoder of PROTOCOL.md.
INTEG_TESTS += proto/tests/test_spec_golden.sh

# One libFuzzer binary per proto/fuzz/fuzz_<name>.c, linked with the proto sources.
PROTO_FUZZ_SRCS := $(wildcard proto/fuzz/fuzz_*.c)
PROTO_FUZZ_BINS := $(PROTO_FUZZ_SRCS:proto/fuzz/fuzz_%.c=$(FUZZ_B)/proto_%)
# reencode.c (decode-then-encode dispatcher) is shared with the unit tests.
$(FUZZ_B)/proto_%: $(FUZZ_B)/proto/fuzz/fuzz_%.o $(FUZZ_B)/proto/tests/reencode.o \
  $(PROTO_SRCS:%.c=$(FUZZ_B)/%.o)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^
FUZZ_BINS += $(PROTO_FUZZ_BINS)
# Keep the fuzz objects: they are intermediate files for make and would be deleted.
.SECONDARY: $(PROTO_FUZZ_SRCS:%.c=$(FUZZ_B)/%.o) $(FUZZ_B)/proto/tests/reencode.o \
  $(PROTO_SRCS:%.c=$(FUZZ_B)/%.o)
