/* The riscv-virt port's firmware name for the relay (HELLO's fw_version, port.h). */
#include "port.h"

const char *mvk_port_fw_version(void)
{
    return "mvisor-riscv-virt/" MVK_FW_VERSION;
}
