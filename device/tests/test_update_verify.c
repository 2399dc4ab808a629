/* Unit tests for device/kernel/update_verify.c: a bundle signed with the provisioned
 * key verifies; a flipped image byte, a signed header naming the wrong image hash, a flipped signature byte, another signer, a changed
 * header, another port, a truncated or padded bundle and a missing key are each refused
 * with their own reason. Bundles come from fake_update.c (mbedTLS); the CLI's OpenSSL
 * signer is covered end to end (tests/e2e/host_ota.sh). */
#include <criterion/criterion.h>
#include <string.h>

#include "fake_update.h"
#include "mvp/bundle.h"

#define IMG_LEN 3000u
static uint32_t len;

static void setup(void)
{
    fake_upd_reset();
}

TestSuite(update_verify, .init = setup);

static void build(uint8_t port, int signer)
{
    len = fake_upd_bundle(fake_upd.stage, sizeof fake_upd.stage, port, signer, IMG_LEN);
}

/* Verifies the staged len bytes with key pem; the reason goes to why. */
static int verify(const uint8_t *pem, char *why, size_t cap)
{
    uint32_t off = 0, n = 0;
    why[0] = '\0';
    return mvk_update_verify(fake_upd_port(pem), len, &off, &n, why, cap);
}

Test(update_verify, a_bundle_signed_with_the_provisioned_key_verifies)
{
    uint32_t off = 0, n = 0;
    char why[128] = "";
    build(MVP_PORT_HOST, 0);
    cr_assert_eq(mvk_update_verify(fake_upd_port(fake_upd_pem[0]), len, &off, &n, why, sizeof why),
                 0, "%s", why);
    cr_assert_eq(n, IMG_LEN);
    cr_assert_eq(off + IMG_LEN + MVP_BUNDLE_SIG_LEN, len);
}

Test(update_verify, a_flipped_image_byte_is_a_hash_mismatch)
{
    char why[128];
    build(MVP_PORT_HOST, 0);
    fake_upd.stage[len - MVP_BUNDLE_SIG_LEN - 100] ^= 0x01;
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1);
    cr_assert(strstr(why, "SHA-256"), "%s", why);
}

Test(update_verify, a_signed_header_naming_the_wrong_image_hash_is_refused)
{
    char why[128];
    len = fake_upd_bundle_lying(fake_upd.stage, sizeof fake_upd.stage, MVP_PORT_HOST, 0, IMG_LEN,
                                1);
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1, "a good signature is not enough");
    cr_assert(strstr(why, "SHA-256"), "%s", why);
}

Test(update_verify, a_flipped_signature_byte_or_another_signer_is_refused)
{
    char why[128];
    build(MVP_PORT_HOST, 0);
    fake_upd.stage[len - 5] ^= 0x80;
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1);
    cr_assert(strstr(why, "bad signature"), "%s", why);
    build(MVP_PORT_HOST, 1);
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1);
    cr_assert(strstr(why, "bad signature"), "%s", why);
    cr_assert_eq(verify(fake_upd_pem[1], why, sizeof why), 0, "%s", why);
}

Test(update_verify, a_changed_header_breaks_the_signature)
{
    char why[128];
    build(MVP_PORT_HOST, 0);
    fake_upd.stage[4 + 1 + 1 + 2 + 4 + 32 + 2] = 'b'; /* the name "app" becomes "bpp" */
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1);
    cr_assert(strstr(why, "bad signature"), "%s", why);
}

Test(update_verify, a_bundle_for_another_port_is_refused)
{
    char why[128];
    build(MVP_PORT_AN505, 0);
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1);
    cr_assert(strstr(why, "another port"), "%s", why);
}

Test(update_verify, truncated_or_padded_bundles_are_refused)
{
    char why[128];
    build(MVP_PORT_HOST, 0);
    len -= 1;
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1);
    cr_assert(strstr(why, "truncated"), "%s", why);
    len = 30; /* inside the header */
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1);
    cr_assert(strstr(why, "truncated"), "%s", why);
    build(MVP_PORT_HOST, 0);
    len += 1;
    cr_assert_eq(verify(fake_upd_pem[0], why, sizeof why), -1);
    cr_assert(strstr(why, "does not match its header"), "%s", why);
}

Test(update_verify, no_provisioned_key_means_no_update)
{
    char why[128];
    build(MVP_PORT_HOST, 0);
    cr_assert_eq(verify(NULL, why, sizeof why), -1);
    cr_assert(strstr(why, "no usable update key"), "%s", why);
    cr_assert_eq(verify((const uint8_t *)"not a key", why, sizeof why), -1);
    cr_assert(strstr(why, "no usable update key"), "%s", why);
}
