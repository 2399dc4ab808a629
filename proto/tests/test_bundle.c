/* Unit tests for proto/src/bundle.c: header round trip, whole-bundle length rules and
 * the structural refusals (magic, format, port, name, version, sizes). */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/bundle.h"
#include "mvp/wire.h"

static struct mvp_bundle_hdr good(void)
{
    struct mvp_bundle_hdr h = { .format = MVP_BUNDLE_FORMAT, .port = MVP_PORT_HOST,
                                .image_len = 10 };
    memset(h.sha256, 0xab, sizeof h.sha256);
    h.name = (const uint8_t *)"demo";
    h.name_len = 4;
    h.version = (const uint8_t *)"1.2.0";
    h.version_len = 5;
    return h;
}

/* A whole bundle: header, image_len bytes of 'i', 64 bytes of 's'. */
static size_t make_bundle(const struct mvp_bundle_hdr *h, uint8_t *b, size_t cap)
{
    int n = mvp_bundle_hdr_encode(h, b, cap);
    cr_assert_gt(n, 0);
    memset(b + n, 'i', h->image_len);
    memset(b + n + h->image_len, 's', MVP_BUNDLE_SIG_LEN);
    return (size_t)n + h->image_len + MVP_BUNDLE_SIG_LEN;
}

Test(bundle, header_round_trip)
{
    uint8_t b[256];
    struct mvp_bundle_hdr h = good(), d;
    int n = mvp_bundle_hdr_encode(&h, b, sizeof b);

    cr_assert_eq(n, MVP_BUNDLE_FIXED_LEN + 2 + 4 + 2 + 5);
    cr_assert_eq(memcmp(b, "MVB1", 4), 0);
    cr_assert_eq(mvp_bundle_hdr_decode(b, (size_t)n, &d), n);
    cr_assert_eq(d.port, MVP_PORT_HOST);
    cr_assert_eq(d.image_len, 10);
    cr_assert_eq(memcmp(d.sha256, h.sha256, 32), 0);
    cr_assert_eq(d.name_len, 4);
    cr_assert_eq(memcmp(d.name, "demo", 4), 0);
    cr_assert_eq(memcmp(d.version, "1.2.0", 5), 0);
}

Test(bundle, whole_bundle_length_is_exact)
{
    uint8_t b[512];
    struct mvp_bundle_hdr h = good(), d;
    size_t hl = 0, total = make_bundle(&h, b, sizeof b);

    cr_assert_eq(mvp_bundle_decode(b, total, &d, &hl), 0);
    cr_assert_eq(mvp_bundle_total_len(hl, d.image_len), total);
    cr_assert_eq(mvp_bundle_decode(b, total - 1, &d, &hl), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_bundle_decode(b, total + 1, &d, &hl), -MVP_E_TRAILING);
    for (size_t cut = 0; cut < hl; cut++)
        cr_assert_eq(mvp_bundle_hdr_decode(b, cut, &d), -MVP_E_TRUNCATED, "cut %zu", cut);
}

Test(bundle, refuses_bad_magic_format_port_and_reserved)
{
    uint8_t b[256];
    struct mvp_bundle_hdr h = good(), d;
    int n = mvp_bundle_hdr_encode(&h, b, sizeof b);
    static const size_t offs[] = { 0, 4, 5, 6 }; /* magic, format, port, reserved */

    for (size_t i = 0; i < 4; i++) {
        uint8_t c[256];
        memcpy(c, b, (size_t)n);
        c[offs[i]] ^= 0x40;
        cr_assert_eq(mvp_bundle_hdr_decode(c, (size_t)n, &d), -MVP_E_INVALID, "byte %zu",
                     offs[i]);
    }
}

Test(bundle, refuses_bad_names_versions_and_sizes)
{
    uint8_t b[256];
    struct mvp_bundle_hdr h = good();

    h.name = (const uint8_t *)"a b";
    h.name_len = 3;
    cr_assert_eq(mvp_bundle_hdr_encode(&h, b, sizeof b), -MVP_E_INVALID);
    h = good();
    h.version_len = 0;
    cr_assert_eq(mvp_bundle_hdr_encode(&h, b, sizeof b), -MVP_E_INVALID);
    h = good();
    h.image_len = 0;
    cr_assert_eq(mvp_bundle_hdr_encode(&h, b, sizeof b), -MVP_E_INVALID);
    h.image_len = MVP_BUNDLE_MAX_IMAGE + 1;
    cr_assert_eq(mvp_bundle_hdr_encode(&h, b, sizeof b), -MVP_E_TOO_LONG);
    h = good();
    h.port = 9;
    cr_assert_eq(mvp_bundle_hdr_encode(&h, b, sizeof b), -MVP_E_INVALID);
}

Test(bundle, port_names)
{
    cr_assert_str_eq(mvp_bundle_port_name(MVP_PORT_AN505), "an505");
    cr_assert_eq(mvp_bundle_port_from_name("host"), MVP_PORT_HOST);
    cr_assert_eq(mvp_bundle_port_from_name("riscv-virt"), MVP_PORT_RISCV_VIRT);
    cr_assert_eq(mvp_bundle_port_from_name("hos"), 0);
    cr_assert_eq(mvp_bundle_port_from_name("hostx"), 0);
}
