/* CTR_DRBG wrapper. Entropy comes only from mvk_port_entropy(); if the port cannot
 * provide it, the kernel refuses to hand out handles rather than using weak values. */
#include "rand.h"

#include <mbedtls/ctr_drbg.h>

#include "port.h"

static mbedtls_ctr_drbg_context drbg;
static int seeded;

static int entropy_cb(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    return mvk_port_entropy(out, n) == 0 ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

int mvk_rand_init(void)
{
    static const unsigned char pers[] = "mvisor-kernel";

    if (seeded)
        mbedtls_ctr_drbg_free(&drbg);
    seeded = 0;
    mbedtls_ctr_drbg_init(&drbg);
    if (mbedtls_ctr_drbg_seed(&drbg, entropy_cb, 0, pers, sizeof pers - 1) != 0)
        return -1;
    mbedtls_ctr_drbg_set_prediction_resistance(&drbg, MBEDTLS_CTR_DRBG_PR_OFF);
    seeded = 1;
    return 0;
}

int mvk_rand_bytes(uint8_t *out, size_t n)
{
    /* One request is limited by MBEDTLS_CTR_DRBG_MAX_REQUEST; split bigger ones. */
    while (n > 0) {
        size_t k = n < MBEDTLS_CTR_DRBG_MAX_REQUEST ? n : MBEDTLS_CTR_DRBG_MAX_REQUEST;
        if (!seeded || mbedtls_ctr_drbg_random(&drbg, out, k) != 0)
            return -1;
        out += k;
        n -= k;
    }
    return 0;
}

int mvk_rand_u32(uint32_t *out)
{
    uint8_t b[4];

    if (mvk_rand_bytes(b, sizeof b) != 0)
        return -1;
    *out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    return 0;
}

int mvk_rand_u64(uint64_t *out)
{
    uint32_t hi, lo;

    if (mvk_rand_u32(&hi) != 0 || mvk_rand_u32(&lo) != 0)
        return -1;
    *out = (uint64_t)hi << 32 | lo;
    return 0;
}

int mvk_rand_mbedtls(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    return mvk_rand_bytes(out, n) == 0 ? 0 : MBEDTLS_ERR_CTR_DRBG_REQUEST_TOO_BIG;
}
