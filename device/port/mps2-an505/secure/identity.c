/* Identity and entropy for the bring-up: no identity is provisioned yet and the
 * board has no TRNG, so entropy fails loudly (-1) rather than returning weak bytes.
 * Provisioning (identity + DRBG seed loaded into secure memory) is a later step. */
#include "port.h"

static struct mvk_identity identity = {
    .device_id = "UV00000000000000000000000000000000",
};

const struct mvk_identity *mvk_port_identity(void)
{
    return &identity;
}

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    (void)buf;
    (void)n;
    return -1;
}
