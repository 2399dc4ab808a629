/* The host port's firmware name for the relay (HELLO's fw_version, see port.h), so a
 * session log line tells a host device from an emulated board. */
#include "port.h"

const char *mvk_port_fw_version(void)
{
    return "mvisor-host/" MVK_FW_VERSION;
}
