/* The device identity: parsed at boot from the provisioning blob QEMU loads into
 * secure RAM (prov.h). Without a valid blob the identity stays empty (the kernel then
 * cannot authenticate to a relay) and the port says so on the secure console. */
#include "an505.h"
#include "port.h"
#include "prov.h"

static struct mvk_identity identity;
static const uint8_t *prov_seed;
static const uint8_t *update_key;
static size_t update_key_len;

int an505_identity_init(void)
{
    if (an505_prov_parse((const uint8_t *)(uintptr_t)AN505_PROV_BASE, AN505_PROV_SIZE,
                         &identity, &prov_seed) != 0) {
        prov_seed = NULL;
        return -1;
    }
    update_key = an505_prov_update_key((const uint8_t *)(uintptr_t)AN505_PROV_BASE,
                                       &update_key_len);
    return 0;
}

const uint8_t *an505_update_key(size_t *len)
{
    *len = update_key_len;
    return update_key;
}

const uint8_t *an505_prov_seed(void)
{
    return prov_seed;
}

const struct mvk_identity *mvk_port_identity(void)
{
    return &identity;
}
