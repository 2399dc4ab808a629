# bench/: benchmarks run by `make bench` (each prints its figures).
# an505_nullcall: the null system call round trip on the mps2-an505 port, in
# instructions, from a non-secure benchmark image linked against the secure gateway.

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
$(B)/bench/an505_nullcall: bench/an505_nullcall.sh bench/an505_trace_split.py $(AN505_S_ELF) \
    $(AN505_BENCH_ELF) $(AN505_TRACE_ELF)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec "%s/bench/an505_nullcall.sh" "%s/$(AN505_B)"\n' "$$PWD" "$$PWD" > $@
	chmod +x $@
BENCH_BINS += $(B)/bench/an505_nullcall
endif
