# device/: the secure kernel (libmvk.a, libmvkconn.a), the system-call layer generated
# from device/syscalls/syscall.tbl, the host port (mvdevice), sample apps and tests.
# Every target is built only from files that exist, so the tree can fill in any order.

DEV_GEN := $(B)/device/gen
DEV_INC := -Idevice/include -Idevice/kernel -Iproto/include
DEV_KFLAGS := $(DEV_INC) -I$(DEV_GEN) -Wconversion -Wsign-conversion
DEV_MBEDTLS_LIBS := -lmbedtls -lmbedx509 -lmbedcrypto
DEV_PROTO_LIB := $(B)/libmvp.a
# A never-up port link shared by the test binaries that drive conn through fakes.
DEV_LINK_CLOSED := $(B)/device/tests/common/link_closed.o

$(B)/device/kernel/%.o: MOD_CFLAGS := $(DEV_KFLAGS) -Idevice/kernel/conn
$(B)/device/port/host/%.o: MOD_CFLAGS := $(DEV_INC) -I$(DEV_GEN) -Idevice/port/host \
  -Idevice/kernel/conn
$(B)/device/apps/%.o: MOD_CFLAGS := -Idevice/include -Idevice/apps
$(B)/device/tests/%.o: MOD_CFLAGS := $(DEV_INC) -I$(DEV_GEN) -Idevice/port/host \
  -Idevice/tests -Idevice/tests/fakes
$(B)/device/tests/conn/%.o: MOD_CFLAGS := $(DEV_INC) -I$(DEV_GEN) -Idevice/kernel/conn \
  -Idevice/port/host -Idevice/tests/conn -Idevice/tests/conn/fakes

# --- kernel core and connection libraries -------------------------------------------
DEV_K_SRCS := $(wildcard device/kernel/*.c)
DEV_K_OBJS := $(DEV_K_SRCS:%.c=$(B)/%.o)
DEV_K_LIB := $(B)/libmvk.a
DEV_CONN_SRCS := $(wildcard device/kernel/conn/*.c)
DEV_CONN_OBJS := $(DEV_CONN_SRCS:%.c=$(B)/%.o)
DEV_CONN_LIB := $(B)/libmvkconn.a

$(DEV_K_LIB): $(DEV_K_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
$(DEV_CONN_LIB): $(DEV_CONN_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
ifneq ($(DEV_K_SRCS),)
LIBS += $(DEV_K_LIB)
endif
ifneq ($(DEV_CONN_SRCS),)
LIBS += $(DEV_CONN_LIB)
endif
# libmvk and libmvkconn call each other (session <-> conn): link them as a group.
DEV_KLIBS := -Wl,--start-group $(if $(DEV_K_SRCS),$(DEV_K_LIB)) \
  $(if $(DEV_CONN_SRCS),$(DEV_CONN_LIB)) $(DEV_PROTO_LIB) -Wl,--end-group \
  $(DEV_MBEDTLS_LIBS) -lpthread
DEV_KLIB_DEPS := $(if $(DEV_K_SRCS),$(DEV_K_LIB)) $(if $(DEV_CONN_SRCS),$(DEV_CONN_LIB)) \
  $(DEV_PROTO_LIB)

# --- generated system-call layer -----------------------------------------------------
# A "variant" is the default table plus a list of custom tables. Each custom table
# T lives in an app directory D = $(dir T): headers D/*.h, kernel handlers D/kernel/*.c
# (compiled into that variant only), application sources D/*.c.
DEV_SYSCALL_GEN := device/syscalls/gen_syscalls.py
DEV_SYSCALL_TBL := device/syscalls/syscall.tbl
DEV_API_H := device/include/mv_syscalls.h
DEV_GEN_NAMES := syscall_nr.h mvk_sys_decl.h mvk_syscall_table.c mv_stubs_host.c mv_defsyms.rsp
CUSTOM_SYSCALL_TBL ?=
# Every ENTRY must be defined in the kernel sources (the build fails otherwise). Setting
# this to 1 turns a missing ENTRY into a stub returning MV_STATUS_UNAVAILABLE, with a
# warning: only for bringing up a new port or call.
MVK_SYSCALL_ALLOW_MISSING ?= 0

dev_tbl_dirs = $(patsubst %/,%,$(sort $(dir $(1))))
dev_tbl_ksrcs = $(foreach d,$(call dev_tbl_dirs,$(1)),$(wildcard $(d)/kernel/*.c))
dev_tbl_hdrs = $(foreach d,$(call dev_tbl_dirs,$(1)),$(wildcard $(d)/*.h))

# $(call dev_variant,GEN_DIR,CUSTOM_TABLES): rules for one generated variant.
# Defines DEV_VOBJS_<GEN_DIR> = objects to link (table, stubs, custom kernel handlers).
define dev_variant
$(1)/custom.list: FORCE_DEV_LIST
	@mkdir -p $(1)
	@echo '$(2)' | cmp -s - $$@ || echo '$(2)' > $$@
$(addprefix $(1)/,$(DEV_GEN_NAMES)) &: $(DEV_SYSCALL_GEN) $(DEV_SYSCALL_TBL) $(DEV_API_H) \
    $(2) $(call dev_tbl_hdrs,$(2)) $(DEV_K_SRCS) $(call dev_tbl_ksrcs,$(2)) $(1)/custom.list
	@mkdir -p $(1)
	python3 $(DEV_SYSCALL_GEN) --api-header $(DEV_API_H) --out-dir $(1) \
	  $(if $(filter 1,$(MVK_SYSCALL_ALLOW_MISSING)),--allow-missing) \
	  $(addprefix --kernel-src ,$(DEV_K_SRCS) $(call dev_tbl_ksrcs,$(2))) \
	  $(DEV_SYSCALL_TBL) $(2)
$(1)/mvk_syscall_table.o: MOD_CFLAGS := -I$(1) -I. $(DEV_INC) -Wconversion -Wsign-conversion
$(1)/mv_stubs_host.o: MOD_CFLAGS := -I$(1) -I. -Idevice/include
$(1)/k/%.o: MOD_CFLAGS := -I$(1) -I. $(DEV_KFLAGS)
$(1)/k/%.o: %.c | $(1)/mvk_sys_decl.h
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $$(MOD_CFLAGS) -MMD -MP -c $$< -o $$@
DEV_VOBJS_$(1) := $(1)/mvk_syscall_table.o $(1)/mv_stubs_host.o \
  $(patsubst %.c,$(1)/k/%.o,$(call dev_tbl_ksrcs,$(2)))
endef
.PHONY: FORCE_DEV_LIST
FORCE_DEV_LIST:

$(B)/device/gen%.o: $(B)/device/gen%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(MOD_CFLAGS) -MMD -MP -c $< -o $@

DEV_HAVE_GEN := $(and $(wildcard $(DEV_SYSCALL_GEN)),$(wildcard $(DEV_SYSCALL_TBL)),$(wildcard $(DEV_API_H)))
ifneq ($(DEV_HAVE_GEN),)
$(eval $(call dev_variant,$(DEV_GEN),$(CUSTOM_SYSCALL_TBL)))
DEV_GEN_HDRS := $(DEV_GEN)/syscall_nr.h $(DEV_GEN)/mvk_sys_decl.h
DEV_GEN_OBJS := $(DEV_VOBJS_$(DEV_GEN))
endif
# Everything compiled for the device may include the generated headers.
$(DEV_K_OBJS) $(DEV_CONN_OBJS): | $(DEV_GEN_HDRS)

# --- host port: mvdevice and the application objects ----------------------------------
# Every app directory device/apps/NAME/ (those with a *.tbl only when their table is
# selected with CUSTOM_SYSCALL_TBL) becomes its own shared object $(B)/apps/NAME.so:
# its *.c files, the generated mv* stubs and the app runtime (device/port/host/apprt:
# the app's heap), compiled -fPIC with -Idevice/include, -Idevice/apps and the host
# CMSIS headers (device/port/host/cmsis), linked -Bsymbolic so that its names never
# bind to mvdevice's. mvdevice loads one with --app NAME; the linker's segments are the
# app memory boundary (docs/device.md, "Bring your Microvisor app").
DEV_APP_DIRS := $(patsubst %/,%,$(sort $(dir $(wildcard device/apps/*/*.c))))
DEV_CUSTOM_APP_DIRS := $(patsubst %/,%,$(sort $(dir $(wildcard device/apps/*/*.tbl))))
# Test applications (device/tests/apps/NAME) are built the same way, host only.
DEV_TEST_APP_DIRS := $(patsubst %/,%,$(sort $(dir $(wildcard device/tests/apps/*/*.c))))
DEV_APPS := $(filter-out $(DEV_CUSTOM_APP_DIRS),$(DEV_APP_DIRS)) \
  $(filter $(DEV_APP_DIRS),$(call dev_tbl_dirs,$(CUSTOM_SYSCALL_TBL))) $(DEV_TEST_APP_DIRS)
DEV_HOST_SRCS := $(wildcard device/port/host/*.c)
DEV_HOST_OBJS := $(DEV_HOST_SRCS:%.c=$(B)/%.o)
DEV_PIC := $(B)/pic
DEV_APP_CFLAGS := -fPIC -Idevice/include -Idevice/apps -Idevice/port/host/cmsis
# The app runtime, linked into every app object as objects (an archive would lose its
# malloc to libasan's in the ASan build); its allocator is weak, so an app that brings
# its own malloc keeps it.
DEV_APPRT_OBJS := $(patsubst %.c,$(DEV_PIC)/%.o,$(wildcard device/port/host/apprt/*.c)) \
  $(DEV_PIC)/gen/mv_stubs_host.o
$(DEV_PIC)/%.o: %.c | $(DEV_GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEV_APP_CFLAGS) -MMD -MP -c $< -o $@
$(DEV_PIC)/gen/mv_stubs_host.o: $(DEV_GEN)/mv_stubs_host.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -I$(DEV_GEN) -I. -Idevice/include -MMD -MP -c $< -o $@
dev_app_so = $(B)/apps/$(notdir $(1)).so
define dev_app_rule
$(call dev_app_so,$(1)): $(patsubst %.c,$(DEV_PIC)/%.o,$(wildcard $(1)/*.c)) $(DEV_APPRT_OBJS) \
    $(DEV_GEN)/custom.list
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -shared -Wl,-Bsymbolic -Wl,@$(DEV_GEN)/mv_defsyms.rsp -o $$@ \
	  $$(filter %.o %.a,$$^)
endef
$(foreach d,$(DEV_APPS),$(eval $(call dev_app_rule,$(d))))
DEV_APP_SOS := $(foreach d,$(DEV_APPS),$(call dev_app_so,$(d)))

# Out-of-tree applications (docs/device.md, "Bring your Microvisor app"):
#   make HOST_APP_DIRS='dir1 dir2' [HOST_APP_CFLAGS='-Iinc -DX'] [HOST_APP_LDLIBS='-lm']
# builds $(B)/apps/<basename of dir>.so from every .c file below each directory, with the
# app's own flags instead of the project's strict warnings (its code is not ours).
HOST_APP_DIRS ?=
HOST_APP_CFLAGS ?=
HOST_APP_LDLIBS ?=
DEV_EXT_CFLAGS = -std=gnu11 -g -O1 $(SAN_FLAGS) -D_DEFAULT_SOURCE -Wall $(DEV_APP_CFLAGS) \
  $(HOST_APP_CFLAGS)
dev_ext_obj = $(DEV_PIC)/ext/$(notdir $(1))/$(subst /,__,$(patsubst $(1)/%,%,$(2))).o
define dev_ext_src
$(call dev_ext_obj,$(1),$(2)): $(2) | $(DEV_GEN_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(DEV_EXT_CFLAGS) -I$(1) -MMD -MP -c $$< -o $$@
endef
define dev_ext_app
$(foreach f,$(shell find $(1) -name '*.c'),$(eval $(call dev_ext_src,$(1),$(f))))
$(B)/apps/$(notdir $(1)).so: $(foreach f,$(shell find $(1) -name '*.c'),\
    $(call dev_ext_obj,$(1),$(f))) $(DEV_APPRT_OBJS)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -shared -Wl,-Bsymbolic -o $$@ $$(filter %.o %.a,$$^) $$(HOST_APP_LDLIBS)
DEV_APP_SOS += $(B)/apps/$(notdir $(1)).so
endef
$(foreach d,$(patsubst %/,%,$(HOST_APP_DIRS)),$(eval $(call dev_ext_app,$(d))))
$(DEV_HOST_OBJS): | $(DEV_GEN_HDRS)

DEV_MVDEVICE := $(B)/mvdevice
DEV_APP_EXPORTS := device/port/host/app_exports.list
$(DEV_MVDEVICE): $(DEV_HOST_OBJS) $(DEV_GEN_OBJS) $(DEV_KLIB_DEPS) $(DEV_APP_EXPORTS) \
    $(DEV_GEN)/custom.list | $(DEV_APP_SOS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -Wl,--dynamic-list=$(DEV_APP_EXPORTS) -o $@ $(filter %.o,$^) $(DEV_KLIBS)
ifneq ($(and $(wildcard device/port/host/main.c),$(DEV_HAVE_GEN)),)
BINS += $(DEV_MVDEVICE) $(DEV_APP_SOS)
endif

# Host-port objects that tests may link (no main, no real link or identity loading).
DEV_TEST_HOST_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard device/port/host/regions.c \
  device/port/host/syscall_host.c device/port/host/diag_limit.c))

# --- kernel unit tests (kernel helper) -------------------------------------------------
DEV_FAKE_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard device/tests/fakes/*.c))
DEV_TEST_SRCS := $(wildcard device/tests/test_*.c)
DEV_TEST_BIN := $(B)/tests/device_tests
$(DEV_TEST_SRCS:%.c=$(B)/%.o) $(DEV_FAKE_OBJS): | $(DEV_GEN_HDRS)
$(DEV_TEST_BIN): $(DEV_TEST_SRCS:%.c=$(B)/%.o) $(DEV_FAKE_OBJS) $(DEV_GEN_OBJS) \
    $(DEV_TEST_HOST_OBJS) $(DEV_KLIB_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(DEV_KLIBS) -lcriterion
ifneq ($(and $(DEV_TEST_SRCS),$(DEV_HAVE_GEN)),)
UNIT_TESTS += $(DEV_TEST_BIN)
endif

# --- host-port tests: the real app loader, software NVIC and RCC register file, with
# a probe application object (device/tests/host/probe) and the kernel over fakes -------
DEV_HOSTT_SRCS := $(wildcard device/tests/host/test_*.c)
DEV_HOSTT_BIN := $(B)/tests/host_port_tests
DEV_PROBE_SO := $(B)/tests/probe_app.so
$(DEV_PROBE_SO): $(patsubst %.c,$(DEV_PIC)/%.o,$(wildcard device/tests/host/probe/*.c \
    device/port/host/apprt/*.c))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -Wl,-Bsymbolic -o $@ $^
$(B)/device/tests/host/%.o: MOD_CFLAGS := $(DEV_INC) -I$(DEV_GEN) -Idevice/port/host \
  -Idevice/kernel/conn -Idevice/tests -Idevice/tests/fakes
DEV_HOSTT_PORT_OBJS := $(patsubst %,$(B)/device/port/host/%.o,regions syscall_host appload \
  apps nvic vectors stack periph kernel_lock fastirq led update_host)
$(DEV_HOSTT_SRCS:%.c=$(B)/%.o): | $(DEV_GEN_HDRS)
$(DEV_HOSTT_BIN): $(DEV_HOSTT_SRCS:%.c=$(B)/%.o) $(DEV_FAKE_OBJS) $(DEV_GEN_OBJS) \
    $(DEV_HOSTT_PORT_OBJS) $(DEV_KLIB_DEPS) | $(DEV_PROBE_SO)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(DEV_KLIBS) -lcriterion
ifneq ($(and $(DEV_HOSTT_SRCS),$(DEV_HAVE_GEN)),)
UNIT_TESTS += $(DEV_HOSTT_BIN)
endif

# --- API unit tests (API helper): linked with the custom_example variant, so the
# custom call path is exercised end to end next to every mv* call -------------------
DEV_EX_TBL := $(wildcard device/apps/custom_example/*.tbl)
DEV_EX_GEN := $(B)/device/gen-custom_example
DEV_API_TEST_SRCS := $(wildcard device/tests/api/*.c)
DEV_API_TEST_BIN := $(B)/tests/device_api_tests
ifneq ($(and $(DEV_EX_TBL),$(DEV_HAVE_GEN)),)
$(eval $(call dev_variant,$(DEV_EX_GEN),$(DEV_EX_TBL)))
DEV_EX_OBJS := $(DEV_VOBJS_$(DEV_EX_GEN)) \
  $(patsubst %.c,$(B)/%.o,$(wildcard device/apps/custom_example/*.c))
endif
$(B)/device/tests/api/%.o: MOD_CFLAGS := $(DEV_INC) -I$(DEV_EX_GEN) -Idevice/port/host \
  -Idevice/tests -Idevice/tests/fakes -Idevice/tests/api -Idevice/apps/custom_example
$(DEV_API_TEST_SRCS:%.c=$(B)/%.o): | $(DEV_GEN_HDRS) $(DEV_EX_GEN)/mvk_sys_decl.h
# Its fakes (port, conn) live in device/tests/api/, so it does not link the kernel
# helper's fakes or libmvkconn.
DEV_API_LINK := $(DEV_API_TEST_SRCS:%.c=$(B)/%.o) $(DEV_EX_OBJS) \
  $(B)/device/port/host/syscall_host.o $(DEV_LINK_CLOSED)
$(DEV_API_TEST_BIN): $(DEV_API_LINK) $(if $(DEV_K_SRCS),$(DEV_K_LIB)) $(DEV_PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -Wl,@$(DEV_EX_GEN)/mv_defsyms.rsp -o $@ $(DEV_API_LINK) -Wl,--start-group $(if $(DEV_K_SRCS),$(DEV_K_LIB)) \
	  $(DEV_PROTO_LIB) -Wl,--end-group $(DEV_MBEDTLS_LIBS) -lcriterion -lpthread
ifneq ($(and $(DEV_API_TEST_SRCS),$(DEV_EX_TBL)),)
UNIT_TESTS += $(DEV_API_TEST_BIN)
endif
# Scripts: generator tests and the header ABI checks.
INTEG_TESTS += $(wildcard device/syscalls/tests/test_*.sh device/tests/api/test_*.sh)
# Kernel/host-port scripts: mvdevice argument handling, demo against a real relay.
INTEG_TESTS += $(wildcard device/tests/test_*.sh)

# --- connection unit tests (connection helper) ---------------------------------------
DEV_CONN_TEST_SRCS := $(wildcard device/tests/conn/test_*.c)
DEV_CONN_FAKE_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard device/tests/conn/fakes/*.c)) \
  $(DEV_LINK_CLOSED)
DEV_CONN_TEST_BIN := $(B)/tests/conn_tests
$(DEV_CONN_TEST_BIN): $(DEV_CONN_TEST_SRCS:%.c=$(B)/%.o) $(DEV_CONN_FAKE_OBJS) \
    $(if $(DEV_CONN_SRCS),$(DEV_CONN_LIB)) $(DEV_PROTO_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(DEV_MBEDTLS_LIBS) -lcriterion
ifneq ($(DEV_CONN_TEST_SRCS),)
UNIT_TESTS += $(DEV_CONN_TEST_BIN)
endif

# --- fuzzing: the dispatch table with the kernel, no network (fakes) ------------------
DEV_FUZZ_SRCS := $(wildcard device/fuzz/fuzz_*.c)
$(FUZZ_B)/device/%.o: MOD_CFLAGS := $(DEV_INC) -I$(DEV_GEN) -Idevice/kernel/conn -Idevice/port/host \
  -Idevice/tests -Idevice/tests/fakes
$(FUZZ_B)/device/gen/%.o: $(DEV_GEN)/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(DEV_GEN) -I. $(DEV_INC) -c $< -o $@
DEV_FUZZ_LINK := $(patsubst %.c,$(FUZZ_B)/%.o,$(DEV_K_SRCS) $(PROTO_SRCS) \
  $(wildcard device/tests/fakes/*.c device/port/host/regions.c device/port/host/syscall_host.c)) \
  $(FUZZ_B)/device/gen/mvk_syscall_table.o $(FUZZ_B)/device/gen/mv_stubs_host.o
$(patsubst %.c,$(FUZZ_B)/%.o,$(DEV_FUZZ_SRCS) $(DEV_K_SRCS)): | $(DEV_GEN_HDRS)
$(FUZZ_B)/device_%: $(FUZZ_B)/device/fuzz/fuzz_%.o $(DEV_FUZZ_LINK)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(DEV_MBEDTLS_LIBS) -lpthread
.SECONDARY: $(DEV_FUZZ_LINK)
ifneq ($(DEV_HAVE_GEN),)
FUZZ_BINS += $(DEV_FUZZ_SRCS:device/fuzz/fuzz_%.c=$(FUZZ_B)/device_%)
endif

-include device/kernel/conn/conn.mk
-include device/port/mps2-an505/port.mk
-include device/port/riscv-virt/port.mk
