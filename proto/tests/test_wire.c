/* Unit tests for proto/src/wire.c: big-endian layout, bounds and sticky errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/wire.h"

Test(wire, writes_big_endian)
{
    uint8_t b[32];
    struct mvp_wbuf w;
    static const uint8_t want[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                    0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x00, 0x02, 'h',
                                    'i', 0x00, 0x00, 0x00, 0x01, 'x' };

    mvp_w_init(&w, b, sizeof(b));
    mvp_w_u8(&w, 0x01);
    mvp_w_u16(&w, 0x0203);
    mvp_w_u32(&w, 0x04050607);
    mvp_w_u64(&w, 0x08090a0b0c0d0e0full);
    mvp_w_bytes16(&w, "hi", 2);
    mvp_w_bytes32(&w, "x", 1);
    cr_assert_eq(mvp_w_done(&w), 0);
    cr_assert_eq(w.len, sizeof(want));
    cr_assert_arr_eq(b, want, sizeof(want));
}

Test(wire, reads_what_was_written)
{
    uint8_t b[64];
    struct mvp_wbuf w;
    struct mvp_rbuf r;
    const uint8_t *p;
    uint16_t n16;
    uint32_t n32;

    mvp_w_init(&w, b, sizeof(b));
    mvp_w_u8(&w, 0xfe);
    mvp_w_u16(&w, 0xbeef);
    mvp_w_u32(&w, 0xdeadbeef);
    mvp_w_u64(&w, 0x0123456789abcdefull);
    mvp_w_bytes16(&w, "abc", 3);
    mvp_w_bytes32(&w, "", 0);
    cr_assert_eq(mvp_w_done(&w), 0);
    mvp_r_init(&r, b, w.len);
    cr_assert_eq(mvp_r_u8(&r), 0xfe);
    cr_assert_eq(mvp_r_u16(&r), 0xbeef);
    cr_assert_eq(mvp_r_u32(&r), 0xdeadbeefu);
    cr_assert_eq(mvp_r_u64(&r), 0x0123456789abcdefull);
    mvp_r_bytes16(&r, &p, &n16, 10);
    cr_assert_eq(n16, 3);
    cr_assert_eq(memcmp(p, "abc", 3), 0);
    mvp_r_bytes32(&r, &p, &n32, 10);
    cr_assert_eq(n32, 0);
    cr_assert_not_null(p);
    cr_assert_eq(mvp_r_end(&r), 0);
}

Test(wire, writer_overflow_is_sticky_at_every_capacity)
{
    uint8_t b[16];
    struct mvp_wbuf w;
    size_t cap;

    for (cap = 0; cap < 15; cap++) {
        memset(b, 0xaa, sizeof(b));
        mvp_w_init(&w, b, cap);
        mvp_w_u64(&w, 1);
        mvp_w_u32(&w, 2);
        mvp_w_u16(&w, 3);
        mvp_w_u8(&w, 4); /* total 15 */
        cr_assert_eq(mvp_w_done(&w), -MVP_E_NOSPACE, "cap %zu", cap);
        cr_assert_leq(w.len, cap);
        cr_assert_eq(b[cap], 0xaa, "wrote past cap %zu", cap);
    }
    mvp_w_init(&w, b, 15);
    mvp_w_u64(&w, 1);
    mvp_w_u32(&w, 2);
    mvp_w_u16(&w, 3);
    mvp_w_u8(&w, 4);
    cr_assert_eq(mvp_w_done(&w), 0);
}

Test(wire, bytes16_refuses_over_65535)
{
    static uint8_t big[0x10000];
    uint8_t b[8];
    struct mvp_wbuf w;

    mvp_w_init(&w, b, sizeof(b));
    mvp_w_bytes16(&w, big, sizeof(big));
    cr_assert_eq(mvp_w_done(&w), -MVP_E_TOO_LONG);
    cr_assert_eq(w.len, 0);
}

Test(wire, reader_truncation_is_sticky_and_returns_zero)
{
    static const uint8_t in[] = { 0x12, 0x34, 0x56 };
    struct mvp_rbuf r;

    mvp_r_init(&r, in, sizeof(in));
    cr_assert_eq(mvp_r_u32(&r), 0);
    cr_assert_eq(mvp_r_end(&r), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_r_u8(&r), 0, "reads after an error return 0");
    cr_assert_eq(r.off, 0);
}

Test(wire, reader_reports_trailing_bytes)
{
    static const uint8_t in[] = { 0x12, 0x34, 0x56 };
    struct mvp_rbuf r;

    mvp_r_init(&r, in, sizeof(in));
    cr_assert_eq(mvp_r_u16(&r), 0x1234);
    cr_assert_eq(mvp_r_end(&r), -MVP_E_TRAILING);
}

Test(wire, bytes_length_over_max_is_too_long_even_if_truncated)
{
    static const uint8_t in[] = { 0x00, 0x05, 'a', 'b' };
    struct mvp_rbuf r;
    const uint8_t *p;
    uint16_t n;

    mvp_r_init(&r, in, sizeof(in));
    mvp_r_bytes16(&r, &p, &n, 4);
    cr_assert_eq(mvp_r_end(&r), -MVP_E_TOO_LONG);
    cr_assert_null(p);
    cr_assert_eq(n, 0);
    mvp_r_init(&r, in, sizeof(in));
    mvp_r_bytes16(&r, &p, &n, 5);
    cr_assert_eq(mvp_r_end(&r), -MVP_E_TRUNCATED);
}

Test(wire, bytes32_truncated_at_every_length)
{
    static const uint8_t in[] = { 0, 0, 0, 3, 'a', 'b', 'c' };
    struct mvp_rbuf r;
    const uint8_t *p;
    uint32_t n;
    size_t len;

    for (len = 0; len < sizeof(in); len++) {
        mvp_r_init(&r, in, len);
        mvp_r_bytes32(&r, &p, &n, 100);
        cr_assert_eq(mvp_r_end(&r), -MVP_E_TRUNCATED, "len %zu", len);
    }
}

Test(wire, first_error_wins)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, NULL, 0);
    mvp_r_fail(&r, MVP_E_INVALID);
    mvp_r_fail(&r, -MVP_E_TOO_MANY);
    (void)mvp_r_u8(&r);
    cr_assert_eq(mvp_r_end(&r), -MVP_E_INVALID);
}

Test(wire, strerror_names_every_code)
{
    int e;

    for (e = MVP_OK; e <= MVP_E_TOO_MANY; e++) {
        cr_assert_str_neq(mvp_strerror(e), "unknown error", "code %d", e);
        cr_assert_str_eq(mvp_strerror(e), mvp_strerror(-e));
    }
    cr_assert_str_eq(mvp_strerror(99), "unknown error");
}
