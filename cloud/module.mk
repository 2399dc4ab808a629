# cloud/: the relay mvrelay. Everything but main.c goes into libmvr.a so the unit tests,
# the fuzz targets and the test device client link the same code as the binary.

CLOUD_PKGS := libwebsockets libuv sqlite3 jansson openssl libcurl libmosquitto libpq
CLOUD_PKG_CFLAGS := $(shell pkg-config --cflags $(CLOUD_PKGS) 2>/dev/null)
CLOUD_PKG_LIBS := $(shell pkg-config --libs $(CLOUD_PKGS) 2>/dev/null)
# device/include: the Microvisor wire values (MvStatus, MvChannelType, results) come from
# the one header the kernel uses too, never re-#defined here.
CLOUD_INC := -Icloud/include -Icloud/src -Iproto/include -Idevice/include -I$(B)/cloud/gen

# Sources sit in folders below cloud/src that show the relay's parts: device/ (the device
# endpoint and its sessions), api/ (REST), store/ (persistence), svc/ (channel services).
CLOUD_LIB_SRCS := $(filter-out cloud/src/main.c,$(wildcard cloud/src/*.c cloud/src/*/*.c cloud/src/*/*/*.c))
CLOUD_LIB_OBJS := $(CLOUD_LIB_SRCS:%.c=$(B)/%.o) $(B)/cloud/gen/schema_sql.o
CLOUD_LIB := $(B)/libmvr.a
CLOUD_BIN := $(B)/mvrelay

$(B)/cloud/%.o: MOD_CFLAGS := $(CLOUD_INC) $(CLOUD_PKG_CFLAGS)
$(FUZZ_B)/cloud/%.o: MOD_CFLAGS := $(CLOUD_INC) -I$(FUZZ_B)/cloud/gen $(CLOUD_PKG_CFLAGS)

# The SQL migrations are embedded: one C string per cloud/sql/NNN_*.sql, in order.
CLOUD_SQL := $(sort $(wildcard cloud/sql/*.sql))
$(B)/cloud/gen/schema_sql.c: $(CLOUD_SQL) cloud/gen-schema.sh
	@mkdir -p $(@D)
	cloud/gen-schema.sh $(CLOUD_SQL) > $@.tmp && mv $@.tmp $@
$(B)/cloud/gen/schema_sql.o: $(B)/cloud/gen/schema_sql.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -Icloud/include -c $< -o $@

$(CLOUD_LIB): $(CLOUD_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(CLOUD_BIN): $(B)/cloud/src/main.o $(CLOUD_LIB) $(PROTO_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLOUD_PKG_LIBS)

LIBS += $(CLOUD_LIB)
BINS += $(CLOUD_BIN)

# Unit tests (Criterion): one binary for all of cloud/tests/test_*.c.
CLOUD_TEST_SRCS := $(wildcard cloud/tests/test_*.c)
CLOUD_TEST_BIN := $(B)/tests/relay_tests
$(CLOUD_TEST_BIN): $(CLOUD_TEST_SRCS:%.c=$(B)/%.o) $(CLOUD_LIB) $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcriterion $(CLOUD_PKG_LIBS)
UNIT_TESTS += $(CLOUD_TEST_BIN)

# Test device client used by the integration tests.
CLOUD_TDEV := $(B)/tests/mvtdev
# Frame I/O shared by the test devices and the benchmark drivers.
CLOUD_TDEV_LINK := $(B)/cloud/tests/tdev/tdev_link.o $(B)/cloud/tests/tdev/wsclient.o
$(CLOUD_TDEV): $(B)/cloud/tests/tdev/mvtdev.o $(CLOUD_TDEV_LINK) $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto
ifneq ($(wildcard cloud/tests/tdev/mvtdev.c),)
BINS += $(CLOUD_TDEV)
endif

# MQTT test device (the bridge's integration tests and bench/relay_mqtt).
CLOUD_TMQTT := $(B)/tests/mvtmqtt
$(CLOUD_TMQTT): $(B)/cloud/tests/tdev/mvtmqtt.o $(CLOUD_TDEV_LINK) $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto
ifneq ($(wildcard cloud/tests/tdev/mvtmqtt.c),)
BINS += $(CLOUD_TMQTT)
endif

# Integration tests: scripts that start a real mvrelay; they need the binaries above.
CLOUD_INTEG := $(sort $(wildcard cloud/tests/integ_*.sh))
INTEG_TESTS += $(CLOUD_INTEG)

# libFuzzer targets: one per cloud/fuzz/fuzz_<name>.c, linked with the relay library
# sources compiled for fuzzing.
CLOUD_FUZZ_SRCS := $(wildcard cloud/fuzz/fuzz_*.c)
CLOUD_FUZZ_LIB_OBJS := $(CLOUD_LIB_SRCS:%.c=$(FUZZ_B)/%.o) $(FUZZ_B)/cloud/gen/schema_sql.o \
  $(PROTO_SRCS:%.c=$(FUZZ_B)/%.o)
$(FUZZ_B)/cloud/gen/schema_sql.c: $(CLOUD_SQL) cloud/gen-schema.sh
	@mkdir -p $(@D)
	cloud/gen-schema.sh $(CLOUD_SQL) > $@.tmp && mv $@.tmp $@
$(FUZZ_B)/relay_%: $(FUZZ_B)/cloud/fuzz/fuzz_%.o $(CLOUD_FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(CLOUD_PKG_LIBS)
FUZZ_BINS += $(CLOUD_FUZZ_SRCS:cloud/fuzz/fuzz_%.c=$(FUZZ_B)/relay_%)
$(FUZZ_B)/cloud/gen/schema_sql.o: $(FUZZ_B)/cloud/gen/schema_sql.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Icloud/include -c $< -o $@
