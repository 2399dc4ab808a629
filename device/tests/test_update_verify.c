/* Unit tests for device/kernel/update_verify.c: a bundle signed with the provisioned
 * key verifies; a flipped image byte, a flipped signature byte, another signer, another
 * port, a truncated bundle and a missing key are each refused with their own reason.
 * Bundles are built here with mbedTLS (the CLI's OpenSSL signer is covered end to end). */
#include <criterion/criterion.h>
#include <string.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"
#include "mvp/bundle.h"
#include "update.h"

#define IMG_LEN 3000u
static uint8_t stage[MVP_BUNDLE_MAX_HDR + IMG_LEN + MVP_BUNDLE_SIG_LEN];
static uint32_t stage_len;
static uint8_t pub_pem[512], other_pem[512];
static mbedtls_pk_context key, other;
static mbedtls_ctr_drbg_context drbg;

static int stage_read(uint32_t off, uint8_t *p, uint32_t n)
{
    if (off > stage_len || n > stage_len - off)
        return -1;
    memcpy(p, stage + off, n);
    return 0;
}

/* Deterministic "entropy": the tests need keys, not secrecy. */
static int fixed_entropy(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(i * 31u + 7u);
    return 0;
}

static void make_key(mbedtls_pk_context *k, uint8_t *pem, size_t cap)
{
    mbedtls_pk_init(k);
    cr_assert_eq(mbedtls_pk_setup(k, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
    cr_assert_eq(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*k),
                                     mbedtls_ctr_drbg_random, &drbg), 0);
    cr_assert_eq(mbedtls_pk_write_pubkey_pem(k, pem, cap), 0);
}

static void setup(void)
{
    mbedtls_ctr_drbg_init(&drbg);
    cr_assert_eq(mbedtls_ctr_drbg_seed(&drbg, fixed_entropy, NULL, NULL, 0), 0);
    make_key(&key, pub_pem, sizeof pub_pem);
    make_key(&other, other_pem, sizeof other_pem);
}

static void teardown(void)
{
    mbedtls_pk_free(&key);
    mbedtls_pk_free(&other);
    mbedtls_ctr_drbg_free(&drbg);
}

TestSuite(update_verify, .init = setup, .fini = teardown);

/* Builds a bundle for port, signed with k, into stage. */
static void build(uint8_t port, mbedtls_pk_context *k)
{
    struct mvp_bundle_hdr h = {.format = MVP_BUNDLE_FORMAT, .port = port, .image_len = IMG_LEN,
                               .name = (const uint8_t *)"app", .name_len = 3,
                               .version = (const uint8_t *)"2", .version_len = 1};
    uint8_t img[IMG_LEN], digest[32];
    mbedtls_mpi r, s;
    for (uint32_t i = 0; i < IMG_LEN; i++)
        img[i] = (uint8_t)(i ^ (i >> 3));
    cr_assert_eq(mbedtls_sha256_ret(img, IMG_LEN, h.sha256, 0), 0);
    int hl = mvp_bundle_hdr_encode(&h, stage, sizeof stage);
    cr_assert_gt(hl, 0);
    memcpy(stage + hl, img, IMG_LEN);
    cr_assert_eq(mbedtls_sha256_ret(stage, (size_t)hl + IMG_LEN, digest, 0), 0);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*k);
    cr_assert_eq(mbedtls_ecdsa_sign(&ec->grp, &r, &s, &ec->d, digest, 32, mbedtls_ctr_drbg_random,
                                    &drbg), 0);
    uint8_t *sig = stage + hl + IMG_LEN;
    cr_assert_eq(mbedtls_mpi_write_binary(&r, sig, 32), 0);
    cr_assert_eq(mbedtls_mpi_write_binary(&s, sig + 32, 32), 0);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    stage_len = (uint32_t)hl + IMG_LEN + MVP_BUNDLE_SIG_LEN;
}

static struct mvk_update_port port_with(const uint8_t *pem)
{
    struct mvk_update_port p = {.port_id = MVP_PORT_HOST, .max_bundle = sizeof stage,
                                .pubkey_pem = pem, .pubkey_len = pem ? strlen((const char *)pem) + 1 : 0,
                                .stage_read = stage_read};
    return p;
}

/* Verifies stage (stage_len bytes); returns the result, the reason in why. */
static int verify(const uint8_t *pem, char *why, size_t cap)
{
    struct mvk_update_port p = port_with(pem);
    uint32_t off = 0, len = 0;
    why[0] = '\0';
    return mvk_update_verify(&p, stage_len, &off, &len, why, cap);
}

Test(update_verify, a_bundle_signed_with_the_provisioned_key_verifies)
{
    struct mvk_update_port p = port_with(pub_pem);
    uint32_t off = 0, len = 0;
    char why[128] = "";
    build(MVP_PORT_HOST, &key);
    cr_assert_eq(mvk_update_verify(&p, stage_len, &off, &len, why, sizeof why), 0, "%s", why);
    cr_assert_eq(len, IMG_LEN);
    cr_assert_eq(off + IMG_LEN + MVP_BUNDLE_SIG_LEN, stage_len);
}

Test(update_verify, a_flipped_image_byte_is_a_hash_mismatch)
{
    char why[128];
    build(MVP_PORT_HOST, &key);
    stage[stage_len - MVP_BUNDLE_SIG_LEN - 100] ^= 0x01;
    cr_assert_eq(verify(pub_pem, why, sizeof why), -1);
    cr_assert(strstr(why, "SHA-256"), "%s", why);
}

Test(update_verify, a_flipped_signature_byte_or_another_signer_is_refused)
{
    char why[128];
    build(MVP_PORT_HOST, &key);
    stage[stage_len - 5] ^= 0x80;
    cr_assert_eq(verify(pub_pem, why, sizeof why), -1);
    cr_assert(strstr(why, "bad signature"), "%s", why);
    build(MVP_PORT_HOST, &other);
    cr_assert_eq(verify(pub_pem, why, sizeof why), -1);
    cr_assert(strstr(why, "bad signature"), "%s", why);
    cr_assert_eq(verify(other_pem, why, sizeof why), 0, "%s", why);
}

Test(update_verify, a_changed_header_breaks_the_signature)
{
    char why[128];
    build(MVP_PORT_HOST, &key);
    stage[4 + 1 + 1 + 2 + 4 + 32 + 2] = 'b'; /* the name "app" becomes "bpp" */
    cr_assert_eq(verify(pub_pem, why, sizeof why), -1);
    cr_assert(strstr(why, "bad signature"), "%s", why);
}

Test(update_verify, a_bundle_for_another_port_is_refused)
{
    char why[128];
    build(MVP_PORT_AN505, &key);
    cr_assert_eq(verify(pub_pem, why, sizeof why), -1);
    cr_assert(strstr(why, "another port"), "%s", why);
}

Test(update_verify, truncated_or_padded_bundles_are_refused)
{
    char why[128];
    build(MVP_PORT_HOST, &key);
    stage_len -= 1;
    cr_assert_eq(verify(pub_pem, why, sizeof why), -1);
    cr_assert(strstr(why, "truncated"), "%s", why);
    stage_len = 30; /* inside the header */
    cr_assert_eq(verify(pub_pem, why, sizeof why), -1);
    cr_assert(strstr(why, "truncated"), "%s", why);
    build(MVP_PORT_HOST, &key);
    stage_len += 1;
    cr_assert_eq(verify(pub_pem, why, sizeof why), -1);
    cr_assert(strstr(why, "does not match its header"), "%s", why);
}

Test(update_verify, no_provisioned_key_means_no_update)
{
    char why[128];
    build(MVP_PORT_HOST, &key);
    cr_assert_eq(verify(NULL, why, sizeof why), -1);
    cr_assert(strstr(why, "no usable update key"), "%s", why);
    cr_assert_eq(verify((const uint8_t *)"not a key", why, sizeof why), -1);
    cr_assert(strstr(why, "no usable update key"), "%s", why);
}
