/* The device identity: the provisioning blob QEMU loads into secure RAM (prov.h),
 * parsed by the shared device/port/common/prov_identity.c. Without a valid blob the
 * identity stays empty (the kernel then cannot authenticate to a relay) and the port
 * says so on the secure console. */
#include "an505.h"
#include "prov.h"
#include "prov_identity.h"

int an505_identity_init(void)
{
    return port_identity_init((const uint8_t *)(uintptr_t)AN505_PROV_BASE, AN505_PROV_SIZE);
}
