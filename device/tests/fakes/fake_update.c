/* Update test doubles (fake_update.h). Keys come from a DRBG with fixed "entropy": the
 * tests need valid signatures, not secret keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_update.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"
#include "mvp/bundle.h"

/* Not Criterion's asserts: the fakes are also linked into the fuzz targets and the
 * host_syscall benchmark, which have no Criterion runtime. A failed setup step is a
 * broken test environment, so it stops the process loudly. */
static void need(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fake_update: %s failed\n", what);
        abort();
    }
}
#define NEED0(call) need((call) == 0, #call)

struct fake_upd fake_upd;
uint8_t fake_upd_pem[2][512];
static mbedtls_pk_context keys[2];
static mbedtls_ctr_drbg_context drbg;
static int have_keys;
static struct mvk_update_port port;

static int fixed_entropy(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(i * 31u + 7u);
    return 0;
}

static void make_keys(void)
{
    mbedtls_ctr_drbg_init(&drbg);
    NEED0(mbedtls_ctr_drbg_seed(&drbg, fixed_entropy, NULL, NULL, 0));
    for (int i = 0; i < 2; i++) {
        mbedtls_pk_init(&keys[i]);
        NEED0(mbedtls_pk_setup(&keys[i], mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)));
        NEED0(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(keys[i]),
                                  mbedtls_ctr_drbg_random, &drbg));
        NEED0(mbedtls_pk_write_pubkey_pem(&keys[i], fake_upd_pem[i], sizeof fake_upd_pem[i]));
    }
    have_keys = 1;
}

void fake_upd_reset(void)
{
    memset(&fake_upd, 0, sizeof fake_upd);
    if (!have_keys)
        make_keys();
}

static int stage_write(uint32_t off, const uint8_t *p, uint32_t n)
{
    if (off > FAKE_UPD_STAGE || n > FAKE_UPD_STAGE - off)
        return -1;
    memcpy(fake_upd.stage + off, p, n);
    if (off + n > fake_upd.stage_end)
        fake_upd.stage_end = off + n;
    return 0;
}

static int stage_read(uint32_t off, uint8_t *p, uint32_t n)
{
    if (off > FAKE_UPD_STAGE || n > FAKE_UPD_STAGE - off)
        return -1;
    memcpy(p, fake_upd.stage + off, n);
    return 0;
}

static int state_save(const struct mvk_upd_state *s)
{
    fake_upd.saved = *s;
    fake_upd.saves++;
    return 0;
}

static int apply(uint32_t off, uint32_t len)
{
    fake_upd.applies++;
    fake_upd.apply_off = off;
    fake_upd.apply_len = len;
    return -1; /* a test cannot restart: the kernel must cope */
}

static int rollback(void)
{
    fake_upd.rollbacks++;
    return -1;
}

const struct mvk_update_port *fake_upd_port(const uint8_t *pem)
{
    port = (struct mvk_update_port){.port_id = MVP_PORT_HOST,
                                    .max_bundle = FAKE_UPD_STAGE,
                                    .pubkey_pem = pem,
                                    .pubkey_len = pem ? strlen((const char *)pem) + 1 : 0,
                                    .stage_write = stage_write,
                                    .stage_read = stage_read,
                                    .state_save = state_save,
                                    .apply = apply,
                                    .rollback = rollback};
    return &port;
}

uint32_t fake_upd_bundle(uint8_t *out, size_t cap, uint8_t port_id, int signer, uint32_t img_len)
{
    return fake_upd_bundle_lying(out, cap, port_id, signer, img_len, 0);
}

uint32_t fake_upd_bundle_lying(uint8_t *out, size_t cap, uint8_t port_id, int signer,
                               uint32_t img_len, int wrong_hash)
{
    struct mvp_bundle_hdr h = {.format = MVP_BUNDLE_FORMAT,
                               .port = port_id,
                               .image_len = img_len,
                               .name = (const uint8_t *)"app",
                               .name_len = 3,
                               .version = (const uint8_t *)"2",
                               .version_len = 1};
    uint8_t digest[32];
    mbedtls_mpi r, s;
    int hl = mvp_bundle_hdr_encode(&h, out, cap);
    need(hl > 0, "bundle header encode");
    need((size_t)hl + img_len + MVP_BUNDLE_SIG_LEN <= cap, "bundle fits");
    for (uint32_t i = 0; i < img_len; i++)
        out[hl + (int)i] = (uint8_t)(i ^ (i >> 3));
    NEED0(mbedtls_sha256_ret(out + hl, img_len, digest, 0));
    digest[0] ^= (uint8_t)(wrong_hash ? 1 : 0);
    memcpy(out + 12, digest, 32); /* the header's image hash, at its fixed offset */
    NEED0(mbedtls_sha256_ret(out, (size_t)hl + img_len, digest, 0));
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(keys[signer]);
    NEED0(mbedtls_ecdsa_sign(&ec->grp, &r, &s, &ec->d, digest, 32, mbedtls_ctr_drbg_random, &drbg));
    uint8_t *sig = out + hl + img_len;
    NEED0(mbedtls_mpi_write_binary(&r, sig, 32));
    NEED0(mbedtls_mpi_write_binary(&s, sig + 32, 32));
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return (uint32_t)hl + img_len + MVP_BUNDLE_SIG_LEN;
}
