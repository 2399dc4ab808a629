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
