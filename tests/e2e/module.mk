# tests/e2e/: whole-system tests on the host (relay + host device + CLI), run by
# `make check` after the unit and integration tests. QEMU tests (an505_*, riscv_*) come
# from their own fragment.

E2E_HOST_TESTS := tests/e2e/host_logs_config.sh tests/e2e/chaos.sh
E2E_HOST_TESTS += tests/e2e/host_http.sh
E2E_HOST_TESTS += tests/e2e/host_mqtt_demo.sh
E2E_HOST_TESTS += tests/e2e/host_ota.sh
E2E_HOST_TESTS += tests/e2e/demo.sh
# PostgreSQL + 2 relays + HAProxy + 100 test devices (docs/fleet.md), about 1 min.
E2E_HOST_TESTS += tests/e2e/fleet.sh

# Listed only when every program they drive is part of the build.
ifneq ($(and $(filter $(B)/mvrelay,$(BINS)),$(filter $(B)/mvdevice,$(BINS)),$(filter $(B)/mvcli,$(BINS))),)
E2E_TESTS += $(E2E_HOST_TESTS)
endif

# A Microvisor-style application, unchanged, on the host port (device/tests/apps/mvstyle).
ifneq ($(and $(filter $(B)/mvrelay,$(BINS)),$(filter $(B)/mvdevice,$(BINS)),$(filter $(B)/mvcli,$(BINS))),)
E2E_TESTS += tests/e2e/host_mvstyle.sh
endif

# The compose stack with a real Docker daemon (host build only: the images build their own
# binaries). It skips (exit 77, counted as skipped, not failed) where no daemon can run.
ifeq ($(TARGET),host)
ifneq ($(and $(filter $(B)/mvdevice,$(BINS)),$(filter $(B)/mvcli,$(BINS))),)
E2E_TESTS += tests/e2e/compose.sh
endif
endif
