/* The device identity, DRBG seed and update public key: the provisioning blob QEMU loads into kernel RAM
 * before boot (-device loader,file=prov.bin,addr=0x807F0000), in the same format and
 * checked by the same parser as on mps2-an505 (its prov.c, made by its mkprov.py). The
 * region is kernel memory, outside every PMP entry: the application cannot read the key. */
#include "port.h"
#include "prov.h"
#include "rv.h"

_Static_assert(RV_PROV_SIZE == AN505_PROV_SIZE, "same blob capacity as mps2-an505");

static struct mvk_identity identity;
static const uint8_t *prov_seed;
static const uint8_t *update_key;
static size_t update_key_len;

int rv_identity_init(void)
{
    if (an505_prov_parse((const uint8_t *)(uintptr_t)RV_PROV_BASE, RV_PROV_SIZE, &identity,
                         &prov_seed) != 0) {
        prov_seed = NULL;
        return -1;
    }
    update_key = an505_prov_update_key((const uint8_t *)(uintptr_t)RV_PROV_BASE,
                                       &update_key_len);
    return 0;
}

const uint8_t *rv_update_key(size_t *len)
{
    *len = update_key_len;
    return update_key;
}

const uint8_t *rv_prov_seed(void)
{
    return prov_seed;
}

const struct mvk_identity *mvk_port_identity(void)
{
    return &identity;
}
