/* IP-address subjectAltNames (tls_san.c): the IPv4 literal parser and the walk over a
 * certificate's extensions, on hand-built DER including truncated and hostile forms. */
#include <criterion/criterion.h>
#include <string.h>

#include "tls_san.h"

Test(tls_san, ipv4_literals)
{
    uint8_t a[4];
    cr_assert_eq(mvk_tls_parse_ipv4("127.0.0.1", a), 0);
    cr_assert_eq(memcmp(a, "\x7f\x00\x00\x01", 4), 0);
    cr_assert_eq(mvk_tls_parse_ipv4("255.255.255.255", a), 0);
    cr_assert_eq(mvk_tls_parse_ipv4("0.0.0.0", a), 0);
    static const char *const bad[] = {"localhost", "127.0.0", "127.0.0.1.", "127.0.0.01",
                                      "256.0.0.1", "1.2.3.4x", "", "1..2.3", "0x7f.0.0.1",
                                      "1.2.3.1000", "::1", "-1.2.3.4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(mvk_tls_parse_ipv4(bad[i], a), -1, "%s", bad[i]);
}

/* Extensions { Extension { subjectAltName, [critical,] OCTET STRING { GeneralNames {
 * dNSName "localhost", iPAddress 127.0.0.1 } } } } */
static const uint8_t EXT[] = {
    0x30, 0x1c, 0x30, 0x1a, 0x06, 0x03, 0x55, 0x1d, 0x11, 0x04, 0x13, 0x30, 0x11,
    0x82, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', 0x87, 0x04, 0x7f, 0x00, 0x00, 0x01,
};
static const uint8_t EXT_CRIT[] = {
    0x30, 0x1f, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d, 0x11, 0x01, 0x01, 0xff, 0x04, 0x13, 0x30,
    0x11, 0x82, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', 0x87, 0x04, 0x7f, 0x00,
    0x00, 0x01,
};

Test(tls_san, finds_the_ip_san)
{
    cr_assert_eq(mvk_tls_san_has_ip(EXT, sizeof EXT, (const uint8_t *)"\x7f\x00\x00\x01", 4), 1);
    cr_assert_eq(mvk_tls_san_has_ip(EXT_CRIT, sizeof EXT_CRIT,
                                    (const uint8_t *)"\x7f\x00\x00\x01", 4), 1);
    cr_assert_eq(mvk_tls_san_has_ip(EXT, sizeof EXT, (const uint8_t *)"\x7f\x00\x00\x02", 4), 0);
    /* A DNS name whose bytes happen to match is not an IP SAN. */
    cr_assert_eq(mvk_tls_san_has_ip(EXT, sizeof EXT, (const uint8_t *)"loca", 4), 0);
}

Test(tls_san, other_extensions_are_skipped)
{
    /* basicConstraints first (OID 2.5.29.19, empty SEQUENCE), then the SAN. */
    uint8_t b[64] = {0x30, 0x00, 0x30, 0x09, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x04, 0x02, 0x30, 0x00};
    memcpy(b + 13, EXT + 2, sizeof EXT - 2);
    size_t n = 13 + sizeof EXT - 2;
    b[1] = (uint8_t)(n - 2);
    cr_assert_eq(mvk_tls_san_has_ip(b, n, (const uint8_t *)"\x7f\x00\x00\x01", 4), 1);
}

Test(tls_san, truncated_or_lying_der_never_matches_or_overreads)
{
    uint8_t b[sizeof EXT];
    for (size_t n = 0; n < sizeof EXT; n++) {
        memcpy(b, EXT, n);
        cr_assert_eq(mvk_tls_san_has_ip(b, n, (const uint8_t *)"\x7f\x00\x00\x01", 4), 0,
                     "truncated at %zu", n);
    }
    memcpy(b, EXT, sizeof EXT);
    b[25] = 0x7f; /* iPAddress length far past the end */
    cr_assert_eq(mvk_tls_san_has_ip(b, sizeof b, (const uint8_t *)"\x7f\x00\x00\x01", 4), 0);
    cr_assert_eq(mvk_tls_san_has_ip(NULL, 0, (const uint8_t *)"\x7f\x00\x00\x01", 4), 0);
}
