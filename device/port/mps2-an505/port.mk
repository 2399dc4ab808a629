# device/port/mps2-an505/: the TrustZone port for QEMU's mps2-an505 (Cortex-M33).
# Cross-built with arm-none-eabi-gcc + picolibc into build/an505/ whatever TARGET is:
#   s.elf          secure image (kernel side, gateway, drivers), -kernel
#   an505_implib.o import library of the secure gateway (the NS images link it)
#   boot_test.elf  non-secure test application, -device loader
#   fault_log.elf  non-secure app that faults while logging (an505_fault.sh)
# `make an505` builds them, `make run-an505` runs them; `make an505-mbedtls`,
# `make an505-kernel`, `make check-an505-kernel` and `make run-an505-kernel` are the
# kernel image's (below); the tests/e2e/an505_*.sh tests join E2E_TESTS for
# TARGET=host only (once per `make test`). Included by device/module.mk
# (and by bench/module.mk when that fragment is missing).
ifndef AN505_PORT_MK
AN505_PORT_MK := 1

AN505_DIR := device/port/mps2-an505
AN505_B := build/an505
AN505_CC := arm-none-eabi-gcc
AN505_SIZE := arm-none-eabi-size
AN505_QEMU := qemu-system-arm
AN505_HAVE_TOOLS := $(shell command -v $(AN505_CC) >/dev/null 2>&1 && \
  command -v $(AN505_QEMU) >/dev/null 2>&1 && echo yes)

AN505_CPU := -mcpu=cortex-m33 -mthumb -mfloat-abi=soft
AN505_CFLAGS := -std=c11 -g -O2 $(WARN) -Wconversion -Wsign-conversion \
  -ffunction-sections -fdata-sections -specs=picolibc.specs $(AN505_CPU)
AN505_GEN := $(AN505_B)/gen
# The code this port shares with riscv-virt (device/port/common/, its app_shim.h hooks
# are in ns/ and appshim/), compiled here into build/an505/common/ for the NS images and
# with the kernel image's sources for the kernel side.
AN505_COMMON := device/port/common
AN505_S_CFLAGS := $(AN505_CFLAGS) -mcmse -I$(AN505_DIR)/secure -I$(AN505_COMMON) -Idevice/kernel \
  -Idevice/include -I$(AN505_GEN)/sys
AN505_NS_CFLAGS := $(AN505_CFLAGS) -I$(AN505_DIR)/ns -I$(AN505_COMMON) -Idevice/include \
  -I$(AN505_GEN)/sys
AN505_LINK := $(AN505_CPU) -specs=picolibc.specs --crt0=hosted --oslib=semihost -Wl,--gc-sections

# Secure image: code 0x10000000 (512 KiB), data 0x38000000 (2 MiB, SSRAM2), NSC
# window for the gateway veneers at 0x10080000 (the SAU region in security.c).
AN505_S_LDFLAGS := $(AN505_LINK) \
  -T$(AN505_DIR)/secure/secure.ld \
  -Wl,--undefined=mvk_an505_syscall -Wl,--undefined=mvk_an505_null_gateway
# Non-secure images: code 0x00200000, data 0x28200000, 2 MiB each.
AN505_NS_LDFLAGS := $(AN505_LINK) \
  -Wl,--defsym=__flash=0x00200000 -Wl,--defsym=__flash_size=0x200000 \
  -Wl,--defsym=__ram=0x28200000 -Wl,--defsym=__ram_size=0x200000

# The system-call layer comes from the API generator (device/syscalls/): the kernel
# table (mvk_syscall_table.c, compiled into the secure image; entries not defined by
# the secure sources return MV_STATUS_UNAVAILABLE) and the user stubs calling the
# gateway mvk_an505_syscall() (--stub-entry; same packing as the host stubs). The
# stamp is needed because the generator leaves unchanged outputs untouched.
AN505_GEN_PY := device/syscalls/gen_syscalls.py
AN505_TBL := device/syscalls/syscall.tbl
AN505_API_H := device/include/mv_syscalls.h
AN505_SYS := $(AN505_GEN)/sys
AN505_S_SRCS := $(wildcard $(AN505_DIR)/secure/*.c)
AN505_STAMP := $(AN505_SYS)/.stamp
$(AN505_STAMP): $(AN505_GEN_PY) $(AN505_TBL) $(AN505_API_H) $(AN505_S_SRCS)
	@mkdir -p $(@D)
	@# The "not defined yet" warning lists the whole API here: keep it out of the log.
	python3 $(AN505_GEN_PY) --api-header $(AN505_API_H) --out-dir $(AN505_SYS) --allow-missing \
	  --stub-entry mvk_an505_syscall --stub-out $(AN505_GEN)/mv_stubs_an505.c \
	  $(addprefix --kernel-src ,$(AN505_S_SRCS)) $(AN505_TBL) 2> $(AN505_SYS)/gen.log || \
	  { cat $(AN505_SYS)/gen.log >&2; exit 1; }
	@grep -v 'ENTRY functions not defined yet' $(AN505_SYS)/gen.log >&2 || true
	touch $@
$(AN505_SYS)/mvk_syscall_table.c $(AN505_SYS)/mv_stubs_host.c $(AN505_SYS)/syscall_nr.h \
  $(AN505_SYS)/mvk_sys_decl.h $(AN505_GEN)/mv_stubs_an505.c: $(AN505_STAMP)

AN505_S_OBJS := $(patsubst $(AN505_DIR)/secure/%.c,$(AN505_B)/s/%.o,$(AN505_S_SRCS)) \
  $(AN505_B)/s/mvk_syscall_table.o $(AN505_B)/s-common/fmt_num.o $(AN505_B)/s-common/link_pipe.o \
  $(AN505_B)/s-common/prov_identity.o
AN505_NS_OBJS := $(patsubst $(AN505_DIR)/ns/%.c,$(AN505_B)/ns/%.o,$(wildcard $(AN505_DIR)/ns/*.c)) \
  $(AN505_B)/ns/mv_stubs_an505.o $(AN505_B)/common/app_console.o $(AN505_B)/common/fmt_num.o
AN505_IMPLIB := $(AN505_B)/an505_implib.o
AN505_S_ELF := $(AN505_B)/s.elf
AN505_BOOT_ELF := $(AN505_B)/boot_test.elf

$(AN505_B)/s/%.o: $(AN505_DIR)/secure/%.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_S_CFLAGS) -MMD -MP -c $< -o $@
$(AN505_B)/ns/%.o: $(AN505_DIR)/ns/%.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_NS_CFLAGS) -MMD -MP -c $< -o $@
$(AN505_B)/apps/%.o: $(AN505_DIR)/apps/%.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_NS_CFLAGS) -MMD -MP -c $< -o $@
$(AN505_B)/common/%.o: $(AN505_COMMON)/%.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_NS_CFLAGS) -MMD -MP -c $< -o $@
$(AN505_B)/s-common/%.o: $(AN505_COMMON)/%.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_S_CFLAGS) -MMD -MP -c $< -o $@
$(AN505_B)/s/mvk_syscall_table.o: $(AN505_SYS)/mvk_syscall_table.c $(AN505_DIR)/port.mk
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_S_CFLAGS) -MMD -MP -c $< -o $@
$(AN505_B)/ns/mv_stubs_an505.o: $(AN505_GEN)/mv_stubs_an505.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_NS_CFLAGS) -MMD -MP -c $< -o $@

# The import library is a by-product of linking the secure image.
$(AN505_S_ELF): $(AN505_S_OBJS) $(AN505_DIR)/secure/secure.ld
	$(AN505_CC) $(AN505_S_LDFLAGS) -Wl,--cmse-implib -Wl,--out-implib=$(AN505_IMPLIB) \
	  -Wl,-Map=$(AN505_B)/s.map -o $@ $(filter %.o,$^)
$(AN505_IMPLIB): $(AN505_S_ELF)

# $(call an505_ns_image,ELF,OBJS): a non-secure image linked against the gateway.
define an505_ns_image
$(1): $(2) $(AN505_NS_OBJS) $(AN505_IMPLIB)
	$(AN505_CC) $(AN505_NS_LDFLAGS) -o $$@ $$^
endef
$(eval $(call an505_ns_image,$(AN505_BOOT_ELF),$(patsubst $(AN505_DIR)/apps/%.c,$(AN505_B)/apps/%.o,$(wildcard $(AN505_DIR)/apps/boot_test/*.c)) \
  $(AN505_B)/common/app_test.o))
# The application-fault test app (tests/e2e/an505_fault.sh): logs, faults, logs again.
AN505_FAULT_ELF := $(AN505_B)/fault_log.elf
$(eval $(call an505_ns_image,$(AN505_FAULT_ELF),$(patsubst $(AN505_DIR)/apps/%.c,$(AN505_B)/apps/%.o,$(wildcard $(AN505_DIR)/apps/fault_log/*.c))))
# Device-management calls on the kernel image (tests/e2e/an505_sys.sh, bench/an505_fastirq.sh).
AN505_SYS_ELF := $(AN505_B)/sys_test.elf
$(eval $(call an505_ns_image,$(AN505_SYS_ELF),$(patsubst $(AN505_DIR)/apps/%.c,$(AN505_B)/apps/%.o,$(wildcard $(AN505_DIR)/apps/sys_test/*.c)) \
  $(AN505_B)/common/app_test.o))

# The portable applications (device/apps/NAME, those without custom system calls) as
# non-secure images build/an505/app_NAME.elf, through the mv_app_port.h shim in appshim/.
AN505_APPS := demo http_demo mqtt_demo hello
AN505_APP_ELFS := $(AN505_APPS:%=$(AN505_B)/app_%.elf)
$(AN505_B)/devapps/%.o: device/apps/%.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_NS_CFLAGS) -I$(dir $<) -MMD -MP -c $< -o $@
$(AN505_B)/appshim/%.o: $(AN505_DIR)/appshim/%.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_NS_CFLAGS) -MMD -MP -c $< -o $@
$(foreach a,$(AN505_APPS),$(eval $(call an505_ns_image,$(AN505_B)/app_$(a).elf,\
  $(patsubst device/apps/%.c,$(AN505_B)/devapps/%.o,$(wildcard device/apps/$(a)/*.c)) \
  $(AN505_B)/appshim/app_port.o $(AN505_B)/common/app_port.o)))

# The OTA test application (device/tests/apps/ota_*, tests/e2e/an505_ota.sh) in three
# versions, and as raw images (the application slot's bytes from 0x00200000: what an
# an505 bundle carries, docs/ota.md). Only sections in the slot are copied: the rest of
# the ELF is RAM the image's start-up code initialises.
AN505_OTA_APPS := ota_v1 ota_v2 ota_crash
AN505_OTA_BINS := $(AN505_OTA_APPS:%=$(AN505_B)/app_%.bin)
$(AN505_B)/otaapps/%.o: device/tests/apps/%.c $(AN505_DIR)/port.mk | $(AN505_STAMP)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_NS_CFLAGS) -MMD -MP -c $< -o $@
$(foreach a,$(AN505_OTA_APPS),$(eval $(call an505_ns_image,$(AN505_B)/app_$(a).elf,\
  $(patsubst device/tests/apps/%.c,$(AN505_B)/otaapps/%.o,$(wildcard device/tests/apps/$(a)/*.c)) \
  $(AN505_B)/appshim/app_port.o $(AN505_B)/common/app_port.o)))
$(AN505_B)/app_%.bin: $(AN505_B)/app_%.elf
	arm-none-eabi-objcopy -O binary --only-section=.init --only-section=.text \
	  --only-section=.data --only-section=.tdata $< $@

# QEMU command line shared by run-an505, the e2e test and the benchmark:
# UART0 = NS console, UART1 = link, UART2 = secure console.
AN505_QEMU_BASE := $(AN505_QEMU) -M mps2-an505 -display none -monitor none \
  -semihosting-config enable=on,target=native

.PHONY: an505 run-an505
an505: $(AN505_S_ELF) $(AN505_BOOT_ELF)
	$(AN505_SIZE) $^

run-an505: an505
	$(AN505_QEMU_BASE) -chardev stdio,id=con,mux=on,signal=on -serial chardev:con \
	  -serial null -serial chardev:con -kernel $(AN505_S_ELF) \
	  -device loader,file=$(AN505_BOOT_ELF)

# mbedTLS for the firmware (not part of `make test` yet): Debian's source via
# `apt-get source` (enabling bookworm deb-src if missing, as root) into
# build/an505/src, cross-built with mbedtls/mvk_mbedtls_config.h into
# build/an505/mbedtls/libmbedtls-an505.a, plus a size probe of the TLS client.
AN505_MBEDTLS_SRC := $(AN505_B)/src/mbedtls.dir
AN505_MBEDTLS_LIB := $(AN505_B)/mbedtls/libmbedtls-an505.a
$(AN505_MBEDTLS_SRC): $(AN505_DIR)/mbedtls/fetch.sh
	$(AN505_DIR)/mbedtls/fetch.sh $(AN505_B)/src
$(AN505_MBEDTLS_LIB): $(AN505_MBEDTLS_SRC) $(AN505_DIR)/mbedtls/build.sh $(AN505_COMMON)/mbedtls_build.sh \
    $(AN505_DIR)/mbedtls/mvk_mbedtls_config.h $(AN505_DIR)/mbedtls/size_probe.c
	CC=$(AN505_CC) CPUFLAGS="$(AN505_CPU)" $(AN505_DIR)/mbedtls/build.sh \
	  "$$(cat $(AN505_MBEDTLS_SRC))" $(AN505_B)/mbedtls
.PHONY: an505-mbedtls
an505-mbedtls: $(AN505_MBEDTLS_LIB)

# --- the kernel image: the portable kernel (device/kernel/, conn/, proto/) on this
# port, with mbedTLS (above). `make an505-kernel` -> build/an505/s_kernel.elf, whose
# gateway veneers are pinned to the bring-up image's addresses (--in-implib), so the
# same non-secure images run on both. Part of `make test` (TARGET=host) where the
# mbedTLS source can be had: as root (fetch.sh enables deb-src) or once fetched.
AN505_KSYS := $(AN505_GEN)/ksys
AN505_K_SRCS := $(wildcard device/kernel/*.c device/kernel/conn/*.c proto/src/*.c)
AN505_KPORT_SRCS := $(filter-out %/sys_bringup.c %/entropy_none.c,$(AN505_S_SRCS)) \
  $(wildcard $(AN505_DIR)/kernel/*.c) $(AN505_COMMON)/seeded_entropy.c $(AN505_COMMON)/fmt_num.c \
  $(AN505_COMMON)/link_pipe.c $(AN505_COMMON)/prov_identity.c $(AN505_COMMON)/ram_slots.c
# The board's one 20 MHz clock (AN505_CPU_HZ in secure/regs.h) for the four clock calls.
AN505_CLOCKS := $(foreach c,SYSCLK HCLK PCLK1 PCLK2,-DMVK_PORT_$(c)_HZ=20000000u)
AN505_K_CFLAGS := $(AN505_CFLAGS) -mcmse -I$(AN505_DIR)/secure -Idevice/kernel \
  -Idevice/kernel/conn -Idevice/include -I$(AN505_KSYS) -Iproto/include -I$(AN505_COMMON) \
  -DMBEDTLS_CONFIG_FILE='"mvk_mbedtls_config.h"' -I$(AN505_DIR)/mbedtls \
  -I$(AN505_B)/src/mbedtls/include $(AN505_CLOCKS)
AN505_KSTAMP := $(AN505_KSYS)/.stamp
$(AN505_KSTAMP): $(AN505_GEN_PY) $(AN505_TBL) $(AN505_API_H) $(AN505_K_SRCS) $(AN505_KPORT_SRCS)
	@mkdir -p $(@D)
	python3 $(AN505_GEN_PY) --api-header $(AN505_API_H) --out-dir $(AN505_KSYS) --allow-missing \
	  $(addprefix --kernel-src ,$(filter device/kernel/%,$(AN505_K_SRCS)) $(AN505_KPORT_SRCS)) \
	  $(AN505_TBL)
	touch $@
$(AN505_KSYS)/mvk_syscall_table.c: $(AN505_KSTAMP)
AN505_K_OBJS := $(patsubst %.c,$(AN505_B)/k/%.o,$(AN505_K_SRCS) $(AN505_KPORT_SRCS)) \
  $(AN505_B)/k/ksys/mvk_syscall_table.o
$(AN505_B)/k/%.o: %.c $(AN505_DIR)/port.mk | $(AN505_KSTAMP) $(AN505_MBEDTLS_SRC)
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_K_CFLAGS) $(AN505_K_EXTRA) -MMD -MP -c $< -o $@
$(AN505_B)/k/ksys/mvk_syscall_table.o: $(AN505_KSYS)/mvk_syscall_table.c $(AN505_DIR)/port.mk
	@mkdir -p $(@D)
	$(AN505_CC) $(AN505_K_CFLAGS) -MMD -MP -c $< -o $@
AN505_SK_ELF := $(AN505_B)/s_kernel.elf
$(AN505_SK_ELF): $(AN505_K_OBJS) $(AN505_MBEDTLS_LIB) $(AN505_IMPLIB) \
    $(AN505_DIR)/secure/secure.ld
	$(AN505_CC) $(AN505_S_LDFLAGS) -Wl,--cmse-implib -Wl,--in-implib=$(AN505_IMPLIB) \
	  -Wl,--out-implib=$(AN505_B)/an505_kernel_implib.o -Wl,-Map=$(AN505_B)/s_kernel.map \
	  -o $@ $(AN505_K_OBJS) $(AN505_MBEDTLS_LIB)
.PHONY: an505-kernel check-an505-kernel
an505-kernel: $(AN505_SK_ELF) $(AN505_BOOT_ELF) $(AN505_APP_ELFS) $(AN505_FAULT_ELF) \
    $(AN505_SYS_ELF) $(AN505_OTA_BINS)
	$(AN505_SIZE) $(AN505_SK_ELF)
check-an505-kernel: an505-kernel $(if $(filter host,$(TARGET)),$(B)/mvrelay $(B)/mvcli)
	tests/e2e/an505_kernel.sh
	tests/e2e/an505_sys.sh
	B=$(B) tests/e2e/an505_relay.sh
	B=$(B) tests/e2e/an505_fault.sh
	B=$(B) tests/e2e/an505_http.sh
	B=$(B) tests/e2e/an505_mqtt.sh
	B=$(B) tests/e2e/an505_ota.sh

# The kernel image with the demo application against a relay:
#   make run-an505-kernel IDENTITY=DIR RELAY=wss://HOST:PORT [AN505_APP=NAME]
# DIR as written by `mvcli devices provision --out DIR`; a fresh provisioning blob
# (new DRBG seed) is made for every run. AN505_APP: one of AN505_APPS (default demo).
AN505_APP ?= demo
.PHONY: run-an505-kernel
run-an505-kernel: an505-kernel
	@test -n "$(IDENTITY)" && test -n "$(RELAY)" || \
	  { echo "usage: make run-an505-kernel IDENTITY=DIR RELAY=wss://HOST:PORT [AN505_APP=NAME]"; exit 1; }
	@test -f $(AN505_B)/app_$(AN505_APP).elf || \
	  { echo "run-an505-kernel: no app '$(AN505_APP)' (AN505_APPS: $(AN505_APPS))"; exit 1; }
	$(AN505_DIR)/mkprov.py "$(IDENTITY)" "$(RELAY)" $(AN505_B)/prov.bin
	hp=$$(echo "$(RELAY)" | sed -e 's|^wss://||' -e 's|/.*||'); \
	$(AN505_QEMU_BASE) -chardev stdio,id=con,mux=on,signal=on \
	  -chardev socket,id=net0,host=$${hp%:*},port=$${hp##*:},server=off,reconnect=1 \
	  -serial chardev:con -serial chardev:net0 -serial chardev:con \
	  -kernel $(AN505_SK_ELF) -device loader,file=$(AN505_B)/app_$(AN505_APP).elf \
	  -device loader,file=$(AN505_B)/prov.bin,addr=0x381F0000

# Host unit tests of the port's pure code (ring, MPC arithmetic): normal C, run in
# both host and asan builds.
AN505_UT_SRCS := $(wildcard $(AN505_DIR)/tests/test_*.c)
AN505_UT_BIN := $(B)/tests/an505_tests
AN505_PURE_SRCS := $(AN505_DIR)/secure/ring.c $(AN505_DIR)/secure/mpc_range.c \
  $(AN505_DIR)/secure/prov.c
$(B)/$(AN505_DIR)/%.o: MOD_CFLAGS := -I$(AN505_DIR)/secure -Idevice/kernel -Wconversion \
  -Wsign-conversion
$(AN505_UT_BIN): $(patsubst %.c,$(B)/%.o,$(AN505_UT_SRCS) $(AN505_PURE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcriterion
ifneq ($(AN505_UT_SRCS),)
UNIT_TESTS += $(AN505_UT_BIN)
endif
# Host unit tests of device/port/common's pure code (both boards build it; it is
# tested once, here).
PC_UT_BIN := $(B)/tests/port_common_tests
$(B)/$(AN505_COMMON)/%.o: MOD_CFLAGS := -I$(AN505_COMMON) -Wconversion -Wsign-conversion
$(PC_UT_BIN): $(patsubst %.c,$(B)/%.o,$(wildcard $(AN505_COMMON)/tests/test_*.c) \
    $(AN505_COMMON)/fmt_num.c)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcriterion
UNIT_TESTS += $(PC_UT_BIN)

# libFuzzer: the provisioning blob parser (the one decoder of external input here;
# the link's bytes are decoded by the kernel's conn code).
$(FUZZ_B)/$(AN505_DIR)/%.o: MOD_CFLAGS := -I$(AN505_DIR)/secure -Idevice/kernel
$(FUZZ_B)/an505_prov: $(FUZZ_B)/$(AN505_DIR)/fuzz/fuzz_prov.o $(FUZZ_B)/$(AN505_DIR)/secure/prov.o
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^
FUZZ_BINS += $(FUZZ_B)/an505_prov

ifeq ($(TARGET),host)
ifeq ($(AN505_HAVE_TOOLS),yes)
BINS += $(AN505_S_ELF) $(AN505_BOOT_ELF)
E2E_TESTS += tests/e2e/an505_boot.sh
# The real kernel on the board: boot test and the demo against a real relay over TLS.
ifneq ($(or $(filter 0,$(shell id -u)),$(wildcard $(AN505_MBEDTLS_SRC))),)
BINS += $(AN505_SK_ELF) $(AN505_APP_ELFS) $(AN505_FAULT_ELF) $(AN505_SYS_ELF) $(AN505_OTA_BINS)
E2E_TESTS += tests/e2e/an505_kernel.sh tests/e2e/an505_relay.sh tests/e2e/an505_fault.sh \
  tests/e2e/an505_sys.sh \
  tests/e2e/an505_http.sh \
  tests/e2e/an505_mqtt.sh \
  tests/e2e/an505_ota.sh
else
$(warning an505: mbedTLS source not fetched and not root: the kernel-image tests are skipped (sudo make an505-mbedtls))
SKIPPED_TESTS += an505-kernel-image-tests
endif
else
$(warning an505: arm-none-eabi-gcc or qemu-system-arm missing: the an505 images and test are skipped (make deps))
SKIPPED_TESTS += an505-tests
endif
endif

# Dependency files of our own objects only (build/an505/src holds unpacked mbedTLS).
-include $(shell find $(AN505_B) -path $(AN505_B)/src -prune -o -name '*.d' -type f -print 2>/dev/null)
endif
