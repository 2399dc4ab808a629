# device/kernel/conn/: extra rules of the connection part, included by device/module.mk
# (which builds libmvkconn.a and conn_tests): the WebSocket fuzz target and the
# integration test against a real relay.

CONN_DIR := device/kernel/conn

# --- libFuzzer: WebSocket frame decoder and upgrade-response check ---------------------
$(FUZZ_B)/$(CONN_DIR)/%.o: MOD_CFLAGS := $(DEV_INC) -I$(CONN_DIR)
$(FUZZ_B)/conn_ws: $(FUZZ_B)/$(CONN_DIR)/fuzz/fuzz_ws.o $(FUZZ_B)/$(CONN_DIR)/ws.o \
    $(FUZZ_B)/$(CONN_DIR)/ws_handshake.o
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ -lmbedcrypto
FUZZ_BINS += $(FUZZ_B)/conn_ws

# --- libFuzzer: IP subjectAltName walk and IPv4 literal parser -------------------------
$(FUZZ_B)/conn_san: $(FUZZ_B)/$(CONN_DIR)/fuzz/fuzz_san.o $(FUZZ_B)/$(CONN_DIR)/tls_san.o
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ -lmbedcrypto
FUZZ_BINS += $(FUZZ_B)/conn_san

# --- integration: real TLS (OpenSSL stand-in relay, then the real relay) --------------
# tls_integ.sh needs only python3 + openssl; relay_integ.sh runs only once the relay's
# main exists (before that it could not pass, and a skip must not count as a pass).
CONN_ITEST_BIN := $(B)/tests/conn_relay_client
CONN_ITEST_OBJS := $(B)/device/tests/conn/integ/conn_relay_client.o \
  $(B)/device/port/host/link.o $(B)/device/port/host/identity.o \
  $(B)/device/port/host/fw_version.o $(B)/device/kernel/rand.o
$(CONN_ITEST_OBJS): | $(DEV_GEN_HDRS)
$(CONN_ITEST_BIN): $(CONN_ITEST_OBJS) $(DEV_CONN_LIB) $(DEV_PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(DEV_MBEDTLS_LIBS) -lpthread
BINS += $(CONN_ITEST_BIN)
INTEG_TESTS += device/tests/conn/tls_integ.sh
ifneq ($(wildcard cloud/src/main.c),)
INTEG_TESTS += device/tests/conn/relay_integ.sh
endif

# --- libFuzzer: the whole receive path (state machine over the scripted fake relay) ---
CONN_FUZZ_FAKES := $(wildcard device/tests/conn/fakes/*.c) device/tests/common/link_closed.c
$(FUZZ_B)/device/tests/conn/%.o: MOD_CFLAGS := $(DEV_INC) -I$(CONN_DIR) \
  -Idevice/tests/conn/fakes
$(FUZZ_B)/$(CONN_DIR)/fuzz/fuzz_conn.o: MOD_CFLAGS := $(DEV_INC) -I$(CONN_DIR) \
  -Idevice/tests/conn/fakes
$(FUZZ_B)/conn_rx: $(FUZZ_B)/$(CONN_DIR)/fuzz/fuzz_conn.o \
    $(patsubst %.c,$(FUZZ_B)/%.o,$(wildcard $(CONN_DIR)/*.c) $(CONN_FUZZ_FAKES) $(PROTO_SRCS))
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(DEV_MBEDTLS_LIBS) -lpthread
FUZZ_BINS += $(FUZZ_B)/conn_rx

# --- host port pieces of the connection: identity loader and TCP link ----------------
CONN_HOST_TEST_SRCS := $(wildcard device/tests/conn/host/test_*.c)
CONN_HOST_TEST_BIN := $(B)/tests/conn_host_tests
$(CONN_HOST_TEST_SRCS:%.c=$(B)/%.o): | $(DEV_GEN_HDRS)
$(CONN_HOST_TEST_BIN): $(CONN_HOST_TEST_SRCS:%.c=$(B)/%.o) $(B)/device/port/host/link.o \
    $(B)/device/port/host/identity.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(DEV_MBEDTLS_LIBS) -lcriterion
ifneq ($(CONN_HOST_TEST_SRCS),)
UNIT_TESTS += $(CONN_HOST_TEST_BIN)
endif
