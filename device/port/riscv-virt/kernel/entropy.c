/* Entropy for the kernel's DRBG on a board without a TRNG, as on mps2-an505:
 * SHA-256(seed || counter || mtime), the seed coming from the provisioning blob
 * (drawn from the host's CSPRNG for each run). As strong as the seed. */
#include <string.h>

#include "mbedtls/sha256.h"

#include "port.h"
#include "rv.h"

#define SEED_LEN 32u

static int entropy_block(const uint8_t *seed, uint32_t counter, uint64_t t, uint8_t out[32])
{
    mbedtls_sha256_context c;
    int rc = -1;

    mbedtls_sha256_init(&c);
    if (mbedtls_sha256_starts_ret(&c, 0) != 0 ||
        mbedtls_sha256_update_ret(&c, seed, SEED_LEN) != 0 ||
        mbedtls_sha256_update_ret(&c, (const uint8_t *)&counter, sizeof counter) != 0 ||
        mbedtls_sha256_update_ret(&c, (const uint8_t *)&t, sizeof t) != 0 ||
        mbedtls_sha256_finish_ret(&c, out) != 0)
        goto out;
    rc = 0;
out:
    mbedtls_sha256_free(&c);
    return rc;
}

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    static uint32_t counter;
    const uint8_t *seed = rv_prov_seed();
    uint8_t block[32];
    size_t take;

    if (seed == NULL)
        return -1;
    while (n > 0) {
        if (entropy_block(seed, ++counter, rv_mtime(), block) != 0)
            return -1;
        take = n < sizeof block ? n : sizeof block;
        memcpy(buf, block, take);
        buf += take;
        n -= take;
    }
    return 0;
}
