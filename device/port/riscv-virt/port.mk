# device/port/riscv-virt/: the RISC-V port for QEMU's `virt` board (rv32imac, one hart):
# the portable kernel in M-mode, the application in U-mode behind the PMP, system calls
# by ecall (ESP-IDF's ABI). Cross-built with riscv64-unknown-elf-gcc + picolibc into
# build/riscv-virt/ whatever TARGET is:
#   kernel.elf        the kernel image (kernel, conn, proto, mbedTLS), -kernel
#   boot_test.elf     the port's test application (tests/e2e/riscv_kernel.sh)
#   fault_log.elf     mps2-an505's fault test application, unchanged (riscv_fault.sh)
#   app_NAME.elf      the portable applications (RV_APPS: demo, http_demo, mqtt_demo, hello)
#   app_ota_*.elf/.bin  the OTA test application, v1, v2 and a faulting v3 (riscv_ota.sh)
#   nullcall.elf      the null-call and upcall benchmark (bench/riscv_nullcall.sh)
#   kernel_custom.elf, custom_test.elf   the kernel with device/apps/custom_example's
#                     table and that example (custom and common calls)
# `make riscv` builds them, `make check-riscv` runs the port's tests, `make run-riscv`
# runs the demo against a relay; the tests join
# E2E_TESTS for TARGET=host. mbedTLS comes from the source mps2-an505's fetch.sh gets
# with `apt-get source` (build/an505/src), so this fragment comes after that one.
ifndef RV_PORT_MK
RV_PORT_MK := 1

RV_DIR := device/port/riscv-virt
RV_B := build/riscv-virt
RV_CC := riscv64-unknown-elf-gcc
RV_SIZE := riscv64-unknown-elf-size
RV_QEMU := qemu-system-riscv32
RV_HAVE_TOOLS := $(shell command -v $(RV_CC) >/dev/null 2>&1 && \
  command -v $(RV_QEMU) >/dev/null 2>&1 && echo yes)

# -misa-spec=2.2: CSR instructions are part of I (spelling _zicsr picks rv64 libraries).
RV_CPU := -march=rv32imac -mabi=ilp32 -misa-spec=2.2
RV_CFLAGS := -std=c11 -g -O2 $(WARN) -Wconversion -Wsign-conversion \
  -ffunction-sections -fdata-sections -specs=picolibc.specs $(RV_CPU)
RV_LINK := $(RV_CPU) -specs=picolibc.specs --crt0=hosted --oslib=dummyhost -Wl,--gc-sections
# Kernel: image 0x80000000 (2 MiB), RAM up to the provisioning blob at 0x807F0000.
RV_K_LDFLAGS := $(RV_LINK) -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x200000 \
  -Wl,--defsym=__ram=0x80200000 -Wl,--defsym=__ram_size=0x5F0000
# Applications: image 0x80800000, RAM 0x80A00000, 2 MiB each (the PMP regions).
RV_APP_LDFLAGS := $(RV_LINK) -Wl,--defsym=__flash=0x80800000 -Wl,--defsym=__flash_size=0x200000 \
  -Wl,--defsym=__ram=0x80A00000 -Wl,--defsym=__ram_size=0x200000

# QEMU: no S-mode (so U-mode may WFI), the link on the board's UART, two pci-serial
# consoles (application: slot 2, kernel: slot 3), 32 MiB so the device tree QEMU
# places at the end of DRAM stays clear of the images.
RV_QEMU_BASE := $(RV_QEMU) -M virt -cpu rv32,s=false,h=false -m 32M -bios none -display none \
  -monitor none -nodefaults

# --- system-call layer: one generator run for the kernel table (with the register
# table the trap entry uses) and the application stubs (li a7, NR; ecall; ret).
RV_GEN := $(RV_B)/gen
RV_GEN_PY := device/syscalls/gen_syscalls.py
RV_TBL := device/syscalls/syscall.tbl
RV_API_H := device/include/mv_syscalls.h
RV_K_SRCS := $(wildcard device/kernel/*.c device/kernel/conn/*.c proto/src/*.c)
# The code this port shares with mps2-an505 (device/port/common/; the hooks it calls are
# in kernel/ and appshim/), built here with this port's flags.
RV_COMMON := device/port/common
RV_KPORT_SRCS := $(wildcard $(RV_DIR)/kernel/*.c) device/port/mps2-an505/secure/prov.c \
  $(RV_COMMON)/seeded_entropy.c $(RV_COMMON)/fmt_num.c $(RV_COMMON)/link_pipe.c \
  $(RV_COMMON)/prov_identity.c $(RV_COMMON)/ram_slots.c
RV_KPORT_ASM := $(wildcard $(RV_DIR)/kernel/*.S)
RV_STAMP := $(RV_GEN)/.stamp
$(RV_STAMP): $(RV_GEN_PY) $(RV_TBL) $(RV_API_H) $(RV_K_SRCS) $(RV_KPORT_SRCS)
	@mkdir -p $(@D)
	@# The "not defined yet" warning lists the missing calls: keep the log short.
	python3 $(RV_GEN_PY) --api-header $(RV_API_H) --out-dir $(RV_GEN) --allow-missing \
	  --riscv-stubs $(RV_GEN)/mv_stubs_riscv.S \
	  $(addprefix --kernel-src ,$(filter device/kernel/%,$(RV_K_SRCS)) $(RV_KPORT_SRCS)) \
	  $(RV_TBL) 2> $(RV_GEN)/gen.log || { cat $(RV_GEN)/gen.log >&2; exit 1; }
	touch $@
$(RV_GEN)/mvk_syscall_table.c $(RV_GEN)/mv_stubs_riscv.S $(RV_GEN)/syscall_nr.h: $(RV_STAMP)

# --- mbedTLS (Debian source, fetched by mps2-an505's rule) -----------------------------
# The archive comes from the ports' shared script (device/port/common/mbedtls_build.sh).
RV_MBEDTLS_LIB := $(RV_B)/mbedtls/libmbedtls-rv32.a
$(RV_MBEDTLS_LIB): $(AN505_MBEDTLS_SRC) $(RV_COMMON)/mbedtls_build.sh \
    device/port/mps2-an505/mbedtls/mvk_mbedtls_config.h
	CC=$(RV_CC) CPUFLAGS="$(RV_CPU)" AR=riscv64-unknown-elf-ar $(RV_COMMON)/mbedtls_build.sh \
	  "$$(cat $(AN505_MBEDTLS_SRC))" $(RV_B)/mbedtls libmbedtls-rv32.a
	@echo "mbedTLS for riscv-virt: $@"

# --- kernel image ------------------------------------------------------------------------
# The clocks mvGetSysClk & co. report: the board defines one frequency, the CLINT's
# 10 MHz timebase (QEMU's virt has no CPU clock of its own).
RV_CLOCKS := $(foreach c,SYSCLK HCLK PCLK1 PCLK2,-DMVK_PORT_$(c)_HZ=10000000u)
RV_K_CFLAGS := $(RV_CFLAGS) $(RV_CLOCKS) -I$(RV_DIR)/kernel -I$(RV_DIR)/include -I$(RV_COMMON) \
  -Idevice/kernel -Idevice/kernel/conn -Idevice/include -I$(RV_GEN) -Iproto/include \
  -Idevice/port/mps2-an505/secure \
  -DMBEDTLS_CONFIG_FILE='"mvk_mbedtls_config.h"' -Idevice/port/mps2-an505/mbedtls \
  -I$(AN505_B)/src/mbedtls/include
RV_K_OBJS := $(patsubst %.c,$(RV_B)/k/%.o,$(RV_K_SRCS) $(RV_KPORT_SRCS)) \
  $(patsubst %.S,$(RV_B)/k/%.o,$(RV_KPORT_ASM)) $(RV_B)/k/gen/mvk_syscall_table.o
$(RV_B)/k/%.o: %.c $(RV_DIR)/port.mk | $(RV_STAMP) $(AN505_MBEDTLS_SRC)
	@mkdir -p $(@D)
	$(RV_CC) $(RV_K_CFLAGS) -MMD -MP -c $< -o $@
$(RV_B)/k/%.o: %.S $(RV_DIR)/port.mk
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CPU) -I$(RV_DIR)/kernel -I$(RV_DIR)/include -MMD -MP -c $< -o $@
$(RV_B)/k/gen/mvk_syscall_table.o: $(RV_GEN)/mvk_syscall_table.c $(RV_DIR)/port.mk
	@mkdir -p $(@D)
	$(RV_CC) $(RV_K_CFLAGS) -MMD -MP -c $< -o $@
RV_KERNEL_ELF := $(RV_B)/kernel.elf
$(RV_KERNEL_ELF): $(RV_K_OBJS) $(RV_MBEDTLS_LIB)
	$(RV_CC) $(RV_K_LDFLAGS) -Wl,-Map=$(RV_B)/kernel.map -o $@ $(RV_K_OBJS) $(RV_MBEDTLS_LIB)

# --- applications (U-mode) ---------------------------------------------------------------
RV_APP_CFLAGS := $(RV_CFLAGS) -I$(RV_DIR)/appshim -I$(RV_DIR)/include -I$(RV_COMMON) \
  -Idevice/include -I$(RV_GEN)
RV_SHIM_OBJS := $(patsubst $(RV_DIR)/appshim/%,$(RV_B)/shim/%.o,\
  $(filter-out %/app_port.c,$(wildcard $(RV_DIR)/appshim/*.c $(RV_DIR)/appshim/*.S))) \
  $(RV_B)/shim/mv_stubs_riscv.o $(RV_B)/a/$(RV_COMMON)/app_console.o $(RV_B)/a/$(RV_COMMON)/fmt_num.o
$(RV_B)/shim/%.c.o: $(RV_DIR)/appshim/%.c $(RV_DIR)/port.mk | $(RV_STAMP)
	@mkdir -p $(@D)
	$(RV_CC) $(RV_APP_CFLAGS) -MMD -MP -c $< -o $@
$(RV_B)/shim/%.S.o: $(RV_DIR)/appshim/%.S $(RV_DIR)/port.mk
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CPU) -I$(RV_DIR)/include -MMD -MP -c $< -o $@
$(RV_B)/shim/mv_stubs_riscv.o: $(RV_GEN)/mv_stubs_riscv.S
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CPU) -c $< -o $@
# Application sources from anywhere in the tree (port apps, device/apps, mps2-an505's
# fault test app), each compiled with its own directory on the include path.
$(RV_B)/a/%.o: %.c $(RV_DIR)/port.mk | $(RV_STAMP)
	@mkdir -p $(@D)
	$(RV_CC) $(RV_APP_CFLAGS) -I$(dir $<) -MMD -MP -c $< -o $@

# $(call rv_app_image,ELF,SOURCES): a U-mode image with the shim and the stubs.
define rv_app_image
$(1): $(patsubst %.c,$(RV_B)/a/%.o,$(2)) $(RV_SHIM_OBJS)
	$(RV_CC) $(RV_APP_LDFLAGS) -o $$@ $$^
endef
RV_BOOT_ELF := $(RV_B)/boot_test.elf
RV_FAULT_ELF := $(RV_B)/fault_log.elf
$(eval $(call rv_app_image,$(RV_BOOT_ELF),$(wildcard $(RV_DIR)/apps/boot_test/*.c) \
  $(RV_COMMON)/app_test.c))
$(eval $(call rv_app_image,$(RV_FAULT_ELF),$(wildcard device/port/mps2-an505/apps/fault_log/*.c)))
RV_APPS := demo http_demo mqtt_demo hello
RV_APP_ELFS := $(RV_APPS:%=$(RV_B)/app_%.elf)
$(foreach a,$(RV_APPS),$(eval $(call rv_app_image,$(RV_B)/app_$(a).elf,\
  $(wildcard device/apps/$(a)/*.c) $(RV_DIR)/appshim/app_port.c \
  $(RV_COMMON)/app_port.c)))
# The OTA test application (device/tests/apps/ota_*, tests/e2e/riscv_ota.sh) in three
# versions, and as raw images: the application image region's bytes from 0x80800000,
# what a riscv-virt bundle carries (docs/ota.md). Only sections loaded into that region
# are copied (by load address): the rest of the ELF is RAM crt0 initialises.
RV_OTA_APPS := ota_v1 ota_v2 ota_crash
RV_OTA_BINS := $(RV_OTA_APPS:%=$(RV_B)/app_%.bin)
$(foreach a,$(RV_OTA_APPS),$(eval $(call rv_app_image,$(RV_B)/app_$(a).elf,\
  $(wildcard device/tests/apps/$(a)/*.c) $(RV_DIR)/appshim/app_port.c \
  $(RV_COMMON)/app_port.c)))
$(RV_B)/app_%.bin: $(RV_B)/app_%.elf
	riscv64-unknown-elf-objcopy -O binary $(foreach s,.init .text .rodata .srodata mvapp_data \
	  .data .sdata .tdata,--only-section=$(s)) $< $@
# --- custom system calls on this port: the kernel built with device/apps/custom_example's
# table (a custom and a common call) and that example as a U-mode image, linked with the
# generated --defsym options of the common call (tests/e2e/riscv_custom.sh).
RV_CX_DIR := device/apps/custom_example
RV_CX_GEN := $(RV_B)/gen-custom
RV_CX_KSRCS := $(wildcard $(RV_CX_DIR)/kernel/*.c)
RV_CX_STAMP := $(RV_CX_GEN)/.stamp
$(RV_CX_STAMP): $(RV_GEN_PY) $(RV_TBL) $(RV_API_H) $(RV_CX_DIR)/custom.tbl $(wildcard $(RV_CX_DIR)/*.h) \
    $(RV_K_SRCS) $(RV_KPORT_SRCS) $(RV_CX_KSRCS)
	@mkdir -p $(@D)
	python3 $(RV_GEN_PY) --api-header $(RV_API_H) --out-dir $(RV_CX_GEN) --allow-missing \
	  --riscv-stubs $(RV_CX_GEN)/mv_stubs_riscv.S \
	  $(addprefix --kernel-src ,$(filter device/kernel/%,$(RV_K_SRCS)) $(RV_KPORT_SRCS) $(RV_CX_KSRCS)) \
	  $(RV_TBL) $(RV_CX_DIR)/custom.tbl 2> $(RV_CX_GEN)/gen.log || { cat $(RV_CX_GEN)/gen.log >&2; exit 1; }
	touch $@
$(RV_CX_GEN)/mvk_syscall_table.c $(RV_CX_GEN)/mv_stubs_riscv.S $(RV_CX_GEN)/mv_defsyms.rsp: $(RV_CX_STAMP)
# The custom variant's own objects: its table and handlers (against its generated
# declarations); the rest of the kernel is the default image's objects.
$(RV_B)/kc/%.o: %.c $(RV_DIR)/port.mk | $(RV_CX_STAMP)
	@mkdir -p $(@D)
	$(RV_CC) $(subst -I$(RV_GEN),-I$(RV_CX_GEN),$(RV_K_CFLAGS)) -MMD -MP -c $< -o $@
$(RV_B)/kc/gen/mvk_syscall_table.o: $(RV_CX_GEN)/mvk_syscall_table.c $(RV_DIR)/port.mk
	@mkdir -p $(@D)
	$(RV_CC) $(subst -I$(RV_GEN),-I$(RV_CX_GEN),$(RV_K_CFLAGS)) -MMD -MP -c $< -o $@
RV_CX_K_OBJS := $(filter-out $(RV_B)/k/gen/mvk_syscall_table.o,$(RV_K_OBJS)) \
  $(RV_B)/kc/gen/mvk_syscall_table.o $(patsubst %.c,$(RV_B)/kc/%.o,$(RV_CX_KSRCS))
RV_CX_KERNEL_ELF := $(RV_B)/kernel_custom.elf
$(RV_CX_KERNEL_ELF): $(RV_CX_K_OBJS) $(RV_MBEDTLS_LIB)
	$(RV_CC) $(RV_K_LDFLAGS) -o $@ $(RV_CX_K_OBJS) $(RV_MBEDTLS_LIB)
$(RV_B)/ca/%.o: %.c $(RV_DIR)/port.mk | $(RV_CX_STAMP)
	@mkdir -p $(@D)
	$(RV_CC) $(subst -I$(RV_GEN),-I$(RV_CX_GEN),$(RV_APP_CFLAGS)) -I$(RV_CX_DIR) -MMD -MP -c $< -o $@
$(RV_B)/ca/mv_stubs_riscv.o: $(RV_CX_GEN)/mv_stubs_riscv.S
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CPU) -c $< -o $@
RV_CX_APP_ELF := $(RV_B)/custom_test.elf
RV_CX_APP_OBJS := $(patsubst %.c,$(RV_B)/ca/%.o,$(wildcard $(RV_CX_DIR)/*.c $(RV_DIR)/apps/custom_test/*.c)) \
  $(filter-out $(RV_B)/shim/mv_stubs_riscv.o,$(RV_SHIM_OBJS)) $(RV_B)/ca/mv_stubs_riscv.o
$(RV_CX_APP_ELF): $(RV_CX_APP_OBJS) $(RV_CX_GEN)/mv_defsyms.rsp
	$(RV_CC) $(RV_APP_LDFLAGS) -Wl,@$(RV_CX_GEN)/mv_defsyms.rsp -o $@ $(RV_CX_APP_OBJS)

RV_ALL := $(RV_KERNEL_ELF) $(RV_BOOT_ELF) $(RV_FAULT_ELF) $(RV_APP_ELFS) $(RV_CX_KERNEL_ELF) \
  $(RV_CX_APP_ELF) $(RV_OTA_BINS)

.PHONY: riscv check-riscv
riscv: $(RV_ALL)
	$(RV_SIZE) $(RV_KERNEL_ELF)

# The kernel image with an application against a relay, consoles on the terminal:
#   make run-riscv IDENTITY=DIR RELAY=wss://HOST:PORT [RV_APP=NAME]
# DIR as written by `mvcli devices provision --out DIR`; a fresh provisioning blob (new
# DRBG seed) is made for every run. RV_APP: one of RV_APPS (default demo). Ctrl-A X
# quits QEMU.
RV_APP ?= demo
.PHONY: run-riscv
run-riscv: riscv
	@test -n "$(IDENTITY)" && test -n "$(RELAY)" || \
	  { echo "usage: make run-riscv IDENTITY=DIR RELAY=wss://HOST:PORT [RV_APP=NAME]"; exit 1; }
	@test -f $(RV_B)/app_$(RV_APP).elf || \
	  { echo "run-riscv: no app '$(RV_APP)' (RV_APPS: $(RV_APPS))"; exit 1; }
	device/port/mps2-an505/mkprov.py "$(IDENTITY)" "$(RELAY)" $(RV_B)/prov.bin
	hp=$$(echo "$(RELAY)" | sed -e 's|^wss://||' -e 's|/.*||'); \
	$(RV_QEMU_BASE) -chardev stdio,id=con,mux=on,signal=on \
	  -chardev socket,id=net0,host=$${hp%:*},port=$${hp##*:},server=off,reconnect=1 \
	  -serial chardev:net0 -device pci-serial,chardev=con,addr=2.0 \
	  -device pci-serial,chardev=con,addr=3.0 -kernel $(RV_KERNEL_ELF) \
	  -device loader,file=$(RV_B)/app_$(RV_APP).elf \
	  -device loader,file=$(RV_B)/prov.bin,addr=0x807F0000

# Host unit tests of the port's pure code: region and NAPOT arithmetic, the upcall
# state machine (upcall.c has no CSR or MMIO access).
RV_UT_SRCS := $(wildcard $(RV_DIR)/tests/test_*.c)
RV_UT_BIN := $(B)/tests/riscv_tests
$(B)/$(RV_DIR)/%.o: MOD_CFLAGS := -I$(RV_DIR)/kernel -I$(RV_DIR)/include -Idevice/kernel \
  -Wconversion -Wsign-conversion
RV_PURE_SRCS := $(addprefix $(RV_DIR)/kernel/,app_region_math.c app_regions.c upcall.c)
$(RV_UT_BIN): $(patsubst %.c,$(B)/%.o,$(RV_UT_SRCS) $(RV_PURE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcriterion
ifneq ($(RV_UT_SRCS),)
UNIT_TESTS += $(RV_UT_BIN)
endif

# The boot test and the custom-call test (no relay), then the images against a real relay: the demo with a relay
# restart, the fault test application, HTTP, MQTT and OTA updates (as the mps2-an505 suite).
RV_E2E := tests/e2e/riscv_kernel.sh tests/e2e/riscv_custom.sh tests/e2e/riscv_relay.sh \
  tests/e2e/riscv_fault.sh tests/e2e/riscv_http.sh tests/e2e/riscv_mqtt.sh tests/e2e/riscv_ota.sh
check-riscv: riscv $(if $(filter host,$(TARGET)),$(B)/mvrelay $(B)/mvcli)
	$(foreach t,$(RV_E2E),B=$(B) $(t) &&) true

ifeq ($(TARGET),host)
ifeq ($(RV_HAVE_TOOLS),yes)
ifneq ($(or $(filter 0,$(shell id -u)),$(wildcard $(AN505_MBEDTLS_SRC))),)
BINS += $(RV_ALL)
E2E_TESTS += $(RV_E2E)
else
$(warning riscv-virt: mbedTLS source not fetched and not root: the riscv tests are skipped (sudo make an505-mbedtls))
SKIPPED_TESTS += riscv-virt-tests
endif
else
$(warning riscv-virt: riscv64-unknown-elf-gcc or qemu-system-riscv32 missing: the riscv images and tests are skipped (make deps))
SKIPPED_TESTS += riscv-virt-tests
endif
endif

-include $(shell find $(RV_B) -path $(RV_B)/mbedtls -prune -o -name '*.d' -type f -print 2>/dev/null)
endif
