/* The provisioning blob's contents for the kernel (prov_identity.h): parsed once at
 * boot; everything returned points into the blob, which stays in place for the run.
 * mvk_port_identity() of the kernel's port interface is answered here. */
#include "prov.h"
#include "prov_identity.h"

static struct mvk_identity identity;
static const uint8_t *prov_seed;
static const uint8_t *update_key;
static size_t update_key_len;

int port_identity_init(const uint8_t *blob, size_t size)
{
    if (an505_prov_parse(blob, size, &identity, &prov_seed) != 0) {
        prov_seed = NULL;
        return -1;
    }
    update_key = an505_prov_update_key(blob, &update_key_len);
    return 0;
}

const uint8_t *port_update_key(size_t *len)
{
    *len = update_key_len;
    return update_key;
}

const uint8_t *port_prov_seed(void)
{
    return prov_seed;
}

const struct mvk_identity *mvk_port_identity(void)
{
    return &identity;
}
