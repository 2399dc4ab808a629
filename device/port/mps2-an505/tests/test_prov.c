/* Unit tests of the provisioning blob parser (secure/prov.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "prov.h"

static const char KEY[] = "-----BEGIN EC PRIVATE KEY-----\nk\n-----END EC PRIVATE KEY-----\n";
static const char CERT[] = "-----BEGIN CERTIFICATE-----\nc\n-----END CERTIFICATE-----\n";
static const char CA[] = "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n";
static const char DEVID[] = "UV0123456789abcdef0123456789abcdef";

static uint8_t blob[1024];
static size_t blob_len;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A valid blob, as mkprov.py writes it. */
static void build(void)
{
    uint32_t k = sizeof KEY, c = sizeof CERT, a = sizeof CA;
    uint8_t *p = blob + AN505_PROV_HDR_LEN;

    memset(blob, 0, sizeof blob);
    memcpy(blob, AN505_PROV_MAGIC, 8);
    blob_len = AN505_PROV_HDR_LEN + k + c + a;
    put32(blob + 8, (uint32_t)blob_len);
    blob[12] = 0x39; /* port 12345 */
    blob[13] = 0x30;
    memcpy(blob + 16, DEVID, 34);
    memcpy(blob + 52, "127.0.0.1", 9);
    memset(blob + 180, 0x5A, AN505_PROV_SEED_LEN);
    put32(blob + 212, k);
    put32(blob + 216, c);
    put32(blob + 220, a);
    memcpy(p, KEY, k);
    memcpy(p + k, CERT, c);
    memcpy(p + k + c, CA, a);
}

TestSuite(an505_prov, .init = build);

Test(an505_prov, valid_blob_fills_identity_and_seed)
{
    struct mvk_identity id;
    const uint8_t *seed = NULL;

    cr_assert_eq(an505_prov_parse(blob, sizeof blob, &id, &seed), 0);
    cr_assert_str_eq(id.device_id, DEVID);
    cr_assert_str_eq(id.relay_host, "127.0.0.1");
    cr_assert_eq(id.relay_port, 12345);
    cr_assert_str_eq((const char *)id.key_pem, KEY);
    cr_assert_eq(id.key_pem_len, sizeof KEY);
    cr_assert_str_eq((const char *)id.cert_pem, CERT);
    cr_assert_str_eq((const char *)id.ca_pem, CA);
    cr_assert_eq(id.ca_pem_len, sizeof CA);
    cr_assert_eq(seed, blob + 180);
}

static int parses(size_t cap)
{
    struct mvk_identity id;
    const uint8_t *seed = NULL;

    return an505_prov_parse(blob, cap, &id, &seed) == 0;
}

Test(an505_prov, blob_longer_than_its_buffer_is_refused)
{
    cr_assert(parses(blob_len));
    cr_assert(!parses(blob_len - 1));
    cr_assert(!parses(AN505_PROV_HDR_LEN - 1));
}

Test(an505_prov, bad_magic_or_total_is_refused)
{
    blob[7] = '2';
    cr_assert(!parses(sizeof blob));
    build();
    put32(blob + 8, (uint32_t)blob_len + 1);
    cr_assert(!parses(sizeof blob));
}

Test(an505_prov, lengths_that_overflow_are_refused)
{
    put32(blob + 212, 0xFFFFFFF0u); /* key_len: the 32-bit sum would wrap */
    put32(blob + 8, (uint32_t)(AN505_PROV_HDR_LEN + 0xFFFFFFF0u + sizeof CERT + sizeof CA));
    cr_assert(!parses(sizeof blob));
}

Test(an505_prov, malformed_device_id_is_refused)
{
    blob[16 + 5] = 'A'; /* uppercase hex */
    cr_assert(!parses(sizeof blob));
    build();
    blob[16 + 34] = 'x'; /* not terminated */
    cr_assert(!parses(sizeof blob));
}

Test(an505_prov, empty_or_unterminated_host_is_refused)
{
    blob[52] = '\0';
    cr_assert(!parses(sizeof blob));
    build();
    memset(blob + 52, 'h', 128);
    cr_assert(!parses(sizeof blob));
}

Test(an505_prov, zero_port_is_refused)
{
    blob[12] = 0;
    blob[13] = 0;
    cr_assert(!parses(sizeof blob));
}

Test(an505_prov, pem_without_terminator_or_with_inner_nul_is_refused)
{
    blob[AN505_PROV_HDR_LEN + sizeof KEY - 1] = '\n';
    cr_assert(!parses(sizeof blob));
    build();
    blob[AN505_PROV_HDR_LEN + sizeof KEY + 3] = '\0';
    cr_assert(!parses(sizeof blob));
}

static const char UPD[] = "-----BEGIN PUBLIC KEY-----\nu\n-----END PUBLIC KEY-----\n";

/* Appends the update key after the CA, as mkprov.py does with update.pub.pem. */
static void add_update_key(const char *pem, size_t len)
{
    memcpy(blob + blob_len, pem, len);
    blob_len += len;
    put32(blob + 8, (uint32_t)blob_len);
    blob[14] = (uint8_t)len;
    blob[15] = (uint8_t)(len >> 8);
}

Test(an505_prov, blob_without_update_key_has_none)
{
    size_t len = 1;

    cr_assert(parses(sizeof blob));
    cr_assert_null(an505_prov_update_key(blob, &len));
    cr_assert_eq(len, 0);
}

Test(an505_prov, update_key_after_the_ca_is_found)
{
    size_t len = 0;

    add_update_key(UPD, sizeof UPD);
    cr_assert(parses(sizeof blob));
    cr_assert_str_eq((const char *)an505_prov_update_key(blob, &len), UPD);
    cr_assert_eq(len, sizeof UPD);
}

Test(an505_prov, update_key_length_beyond_total_or_unterminated_is_refused)
{
    add_update_key(UPD, sizeof UPD);
    blob[14] = (uint8_t)(sizeof UPD + 1u); /* total no longer adds up */
    cr_assert_not(parses(sizeof blob));
    build();
    add_update_key(UPD, sizeof UPD - 1u); /* no terminating NUL */
    cr_assert_not(parses(sizeof blob));
}
