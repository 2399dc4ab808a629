/* Entropy for the bring-up image: none. The board has no TRNG and this image has no
 * DRBG user; failing loudly beats weak bytes. The kernel image uses kernel/entropy.c
 * (derived from the provisioned seed) instead. */
#include "port.h"

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    (void)buf;
    (void)n;
    return -1;
}
