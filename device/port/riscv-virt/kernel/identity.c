/* The device identity, DRBG seed and update public key: the provisioning blob QEMU loads
 * into kernel RAM before boot (-device loader,file=prov.bin,addr=0x807F0000), in the
 * same format and parsed by the same code as on mps2-an505 (device/port/common/
 * prov_identity.c over its prov.c, made by its mkprov.py). The region is kernel memory,
 * outside every PMP entry: the application cannot read the key. */
#include "prov.h"
#include "prov_identity.h"
#include "rv.h"

_Static_assert(RV_PROV_SIZE == AN505_PROV_SIZE, "same blob capacity as mps2-an505");

int rv_identity_init(void)
{
    return port_identity_init((const uint8_t *)(uintptr_t)RV_PROV_BASE, RV_PROV_SIZE);
}
