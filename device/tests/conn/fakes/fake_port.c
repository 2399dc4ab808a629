/* Port and DRBG stubs for the connection tests: a fixed identity, deterministic
 * "random" bytes, and link functions that must not be reached (tests use fake_io). */
#include <string.h>

#include "fakes.h"
#include "port.h"
#include "rand.h"

uint32_t fake_rand_value = 0;

static struct mvk_identity ident = {
    .device_id = "UV0123456789abcdef0123456789abcdef",
    .relay_host = "localhost",
    .relay_port = 7443,
};

const struct mvk_identity *mvk_port_identity(void)
{
    return &ident;
}

const char *mvk_port_fw_version(void)
{
    return FAKE_FW_VERSION;
}

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    memset(buf, 0x5a, n);
    return 0;
}

int mvk_rand_init(void)
{
    return 0;
}

int mvk_rand_bytes(uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(0x37u + 13u * i);
    return 0;
}

int mvk_rand_u32(uint32_t *out)
{
    *out = fake_rand_value;
    return 0;
}

int mvk_rand_u64(uint64_t *out)
{
    *out = fake_rand_value;
    return 0;
}

int mvk_rand_mbedtls(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    return mvk_rand_bytes(out, n);
}
