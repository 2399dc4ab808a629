/* The mps2-an505 port's firmware name for the relay (HELLO's fw_version, see port.h),
 * so the relay's session log tells the emulated TrustZone board from a host device. */
#include "port.h"

const char *mvk_port_fw_version(void)
{
    return "mvisor-an505/" MVK_FW_VERSION;
}
