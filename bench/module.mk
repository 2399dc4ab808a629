# bench/: benchmarks run by `make bench` (each prints its figures).
# an505_nullcall: the null system call round trip on the mps2-an505 port, in
# instructions, from a non-secure benchmark image linked against the secure gateway.
# riscv_nullcall: system calls and upcalls on the riscv-virt port (below).

# The port's rules and variables (device/module.mk normally includes them first).
-include device/port/mps2-an505/port.mk

ifeq ($(AN505_HAVE_TOOLS),yes)
AN505_BENCH_ELF := $(AN505_B)/nullcall.elf
$(AN505_B)/bench/%.o: bench/%.c | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_NS_CFLAGS) -MMD -MP -c $< -o $@
AN505_TRACE_ELF := $(AN505_B)/nullcall_trace.elf
$(eval $(call an505_ns_image,$(AN505_BENCH_ELF),$(patsubst bench/%.c,$(AN505_B)/bench/%.o,$(wildcard bench/an505_nullcall/*.c))))
$(eval $(call an505_ns_image,$(AN505_TRACE_ELF),$(patsubst bench/%.c,$(AN505_B)/bench/%.o,$(wildcard bench/an505_nullcall_trace/*.c))))

# The runner is the script, made a build product so that it depends on the images.
$(B)/bench/an505_nullcall: bench/an505_nullcall.sh bench/an505_trace_split.py bench/trace_split_lib.py $(AN505_S_ELF) \
    $(AN505_BENCH_ELF) $(AN505_TRACE_ELF)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/an505_nullcall.sh" "%s/$(AN505_B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/an505_nullcall
# an505_fastirq: fast vs ordinary IRQ latency while the kernel is busy (kernel image,
# so only where its mbedTLS source can be had, as for the kernel-image tests).
ifneq ($(or $(filter 0,$(shell id -u)),$(wildcard $(AN505_MBEDTLS_SRC))),)
$(B)/bench/an505_fastirq: bench/an505_fastirq.sh $(AN505_SK_ELF) $(AN505_SYS_ELF)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/an505_fastirq.sh" "%s/$(AN505_B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/an505_fastirq
# an505_ota: update download over the UART link vs the link's raw rate (kernel image and
# the host relay and CLI, so TARGET=host only).
ifeq ($(TARGET),host)
$(B)/bench/an505_ota: bench/an505_ota.sh $(AN505_SK_ELF) $(AN505_OTA_BINS) $(CLOUD_BIN) $(CLI_BIN)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/an505_ota.sh" "%s/$(AN505_B)" "%s/$(B)"\n' "$$PWD" "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/an505_ota
endif
endif
endif

# Host benchmarks, built with the project's flags against the libraries they measure.
BENCH_PKG_CFLAGS := $(shell pkg-config --cflags openssl 2>/dev/null)
$(B)/bench/%.o: MOD_CFLAGS := -Iproto/include -Icloud/tests/tdev $(BENCH_PKG_CFLAGS)

# proto_codec: encode + mvp_reader throughput, whole and 7-byte splits.
$(B)/bench/proto_codec: $(B)/bench/proto_codec.o $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^
BENCH_BINS += $(B)/bench/proto_codec

# relay_ingest: a real mvrelay fed LOG batches by relay_ingest_drv (the test device's
# WebSocket client, cloud/tests/tdev/wsclient.c, linked from the relay's build).
$(B)/bench/relay_ingest_drv: $(B)/bench/relay_ingest_drv.o $(CLOUD_TDEV_LINK) \
    $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto
# relay_ingest_many: the multi-device runs, all devices on one epoll loop.
$(B)/bench/relay_ingest_many: $(B)/bench/relay_ingest_many.o $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto
# relay_ingest_raw: the anchor, plain SQLite with the relay's schema and settings.
$(B)/bench/relay_ingest_raw.o: MOD_CFLAGS := $(CLOUD_INC) $(CLOUD_PKG_CFLAGS)
$(B)/bench/relay_ingest_raw: $(B)/bench/relay_ingest_raw.o $(CLOUD_LIB) $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLOUD_PKG_LIBS)
$(B)/bench/relay_ingest: bench/relay_ingest.sh $(B)/bench/relay_ingest_drv $(CLOUD_BIN) \
    $(B)/bench/relay_ingest_raw $(B)/bench/relay_ingest_many
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/relay_ingest.sh" "%s/$(B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/relay_ingest

# host_syscall: a system call and an interrupt on the host port (kernel over the unit
# tests' fakes, the real kernel lock and software NVIC; see the file).
$(B)/bench/host_syscall.o: MOD_CFLAGS := $(DEV_INC) -I$(DEV_GEN) -Idevice/port/host \
  -Idevice/tests -Idevice/tests/fakes
$(B)/bench/host_syscall.o: | $(DEV_GEN_HDRS)
$(B)/bench/host_syscall: $(B)/bench/host_syscall.o $(DEV_FAKE_OBJS) $(DEV_GEN_OBJS) \
    $(patsubst %,$(B)/device/port/host/%.o,syscall_host kernel_lock nvic apps regions) \
    $(DEV_KLIB_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(DEV_KLIBS)
BENCH_BINS += $(B)/bench/host_syscall
# relay_http: proxied HTTPS GETs through a real mvrelay (relay_http_drv, one process per
# device) against a local nginx, compared with direct keep-alive requests from curl.
$(B)/bench/relay_http_drv: $(B)/bench/relay_http_drv.o $(CLOUD_TDEV_LINK) \
    $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto
$(B)/bench/relay_http: bench/relay_http.sh $(B)/bench/relay_http_drv $(CLOUD_BIN)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/relay_http.sh" "%s/$(B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/relay_http
# relay_mqtt: the MQTT bridge's throughput and latency through a real mvrelay and
# Mosquitto (bridged side: the MQTT test device mvtmqtt) against relay_mqtt_direct, a
# plain libmosquitto client on the same broker in the same run.
$(B)/bench/relay_mqtt_direct: $(B)/bench/relay_mqtt_direct.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lmosquitto
$(B)/bench/relay_mqtt: bench/relay_mqtt.sh $(B)/bench/relay_mqtt_direct $(CLOUD_BIN) \
    $(CLOUD_TMQTT) $(B)/mvcli
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/relay_mqtt.sh" "%s/$(B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/relay_mqtt
# relay_query: the store's log queries (newest page, since time, since cursor, oldest
# page) at 1e4, 1e5 and 1e6 records (MVBENCH_QUERY_MAX), linked against the relay library.
$(B)/bench/relay_query.o: MOD_CFLAGS := $(CLOUD_INC) $(CLOUD_PKG_CFLAGS)
$(B)/bench/relay_query: $(B)/bench/relay_query.o $(CLOUD_LIB) $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLOUD_PKG_LIBS)
BENCH_BINS += $(B)/bench/relay_query
# relay_conns: N idle mutually authenticated connections (CONNS, default 2000) held by
# mvrelay and by Mosquitto in the same run (relay_conns_drv: one epoll loop of TLS clients).
$(B)/bench/relay_conns_drv: $(B)/bench/relay_conns_drv.o $(PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto
$(B)/bench/relay_conns: bench/relay_conns.sh $(B)/bench/relay_conns_drv $(CLOUD_BIN)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/relay_conns.sh" "%s/$(B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/relay_conns
# The same driver holds the fleet in cloud/tests/integ_conns.sh: built by `make all`.
BINS += $(B)/bench/relay_conns_drv

# host_ota: update download throughput against the raw TLS loopback link, and
# deploy-to-running time of a 64 KiB app (docs/ota.md).
# ota_rawtls: its second anchor, the link as the device's mbedTLS configuration reads it.
$(B)/bench/ota_rawtls: $(B)/bench/ota_rawtls.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lmbedtls -lmbedx509 -lmbedcrypto
$(B)/bench/host_ota: bench/host_ota.sh $(CLOUD_BIN) $(CLI_BIN) $(DEV_MVDEVICE) $(DEV_APP_SOS) \
    $(B)/bench/ota_rawtls
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/host_ota.sh" "%s/$(B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/host_ota

# riscv_nullcall: system-call round trips and upcall latency on the riscv-virt port,
# in instructions (instret under -icount), from a U-mode benchmark image.
# Needs the kernel image, so the toolchain and the mbedTLS source (root can fetch it).
-include device/port/riscv-virt/port.mk
ifeq ($(RV_HAVE_TOOLS)$(if $(or $(filter 0,$(shell id -u)),$(wildcard $(AN505_MBEDTLS_SRC))),y),yesy)
RV_BENCH_ELF := $(RV_B)/nullcall.elf
RV_TRACE_ELF := $(RV_B)/nullcall_trace.elf
$(eval $(call rv_app_image,$(RV_BENCH_ELF),$(wildcard bench/riscv_nullcall/*.c)))
$(eval $(call rv_app_image,$(RV_TRACE_ELF),$(wildcard bench/riscv_nullcall_trace/*.c)))
$(B)/bench/riscv_nullcall: bench/riscv_nullcall.sh bench/riscv_trace_split.py bench/trace_split_lib.py $(RV_KERNEL_ELF) \
    $(RV_BENCH_ELF) $(RV_TRACE_ELF)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/riscv_nullcall.sh" "%s/$(RV_B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/riscv_nullcall
endif
# relay_fleet: ingestion of one SQLite relay vs one PostgreSQL relay vs two PostgreSQL
# relays behind HAProxy, same devices, same run (docs/scale.md); FLEET_QUICK=1: sanity run.
$(B)/bench/relay_fleet: bench/relay_fleet.sh $(B)/bench/relay_ingest_drv $(CLOUD_BIN)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/relay_fleet.sh" "%s/$(B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/relay_fleet
