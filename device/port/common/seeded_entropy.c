/* Entropy for the kernel's DRBG on a board without a TRNG: SHA-256 over the seed
 * provisioned for this run (mkprov.py draws it from the host's CSPRNG), a block counter
 * and the board's timer. Its strength is the seed's: fine for the emulated devices, and
 * the one place to change for hardware with a TRNG. */
#include <string.h>

#include "mbedtls/sha256.h"

#include "prov.h"
#include "seeded_entropy.h"

/* out = SHA-256(seed || counter || ticks); 0 or -1. */
static int entropy_block(const uint8_t *seed, uint32_t counter, uint64_t ticks, uint8_t out[32])
{
    mbedtls_sha256_context c;
    int rc = -1;

    mbedtls_sha256_init(&c);
    if (mbedtls_sha256_starts_ret(&c, 0) != 0 ||
        mbedtls_sha256_update_ret(&c, seed, AN505_PROV_SEED_LEN) != 0 ||
        mbedtls_sha256_update_ret(&c, (const uint8_t *)&counter, sizeof counter) != 0 ||
        mbedtls_sha256_update_ret(&c, (const uint8_t *)&ticks, sizeof ticks) != 0 ||
        mbedtls_sha256_finish_ret(&c, out) != 0)
        goto out;
    rc = 0;
out:
    mbedtls_sha256_free(&c);
    return rc;
}

int mvk_seeded_entropy(const uint8_t *seed, uint64_t (*ticks)(void), uint8_t *buf, size_t n)
{
    /* Never repeats within a run, so two requests in the same tick still differ. */
    static uint32_t counter;
    uint8_t block[32];
    size_t take;

    if (seed == NULL)
        return -1;
    while (n > 0) {
        if (entropy_block(seed, ++counter, ticks(), block) != 0)
            return -1;
        take = n < sizeof block ? n : sizeof block;
        memcpy(buf, block, take);
        buf += take;
        n -= take;
    }
    return 0;
}
