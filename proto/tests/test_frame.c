/* Unit tests for proto/src/frame.c: header layout, limits and type names. */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/frame.h"
#include "mvp/wire.h"

Test(frame, header_layout_is_big_endian)
{
    struct mvp_hdr h = { .type = MVP_DATA, .flags = 0x01, .chan = 0x1234, .len = 0x00010203 };
    static const uint8_t want[] = { 0x06, 0x01, 0x12, 0x34, 0x00, 0x01, 0x02, 0x03 };
    uint8_t b[MVP_HDR_LEN];
    struct mvp_hdr d;

    mvp_hdr_encode(&h, b);
    cr_assert_arr_eq(b, want, sizeof(want));
    cr_assert_eq(mvp_hdr_decode(b, &d, 0x00010203), 0);
    cr_assert_eq(d.type, h.type);
    cr_assert_eq(d.flags, h.flags);
    cr_assert_eq(d.chan, h.chan);
    cr_assert_eq(d.len, h.len);
}

Test(frame, header_over_max_payload_is_too_long)
{
    static const uint8_t in[] = { 0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0x40, 0x01 };
    struct mvp_hdr d;

    cr_assert_eq(mvp_hdr_decode(in, &d, MVP_MAX_FRAME_PAYLOAD), -MVP_E_TOO_LONG);
    cr_assert_eq(mvp_hdr_decode(in, &d, MVP_MAX_FRAME_PAYLOAD + 1), 0);
}

Test(frame, encode_writes_header_and_payload)
{
    uint8_t b[16];
    static const uint8_t want[] = { 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xab, 0xcd };

    cr_assert_eq(mvp_frame_encode(MVP_PING, 0, 0, (const uint8_t *)"\xab\xcd", 2, b, sizeof(b)),
                 10);
    cr_assert_arr_eq(b, want, sizeof(want));
}

Test(frame, encode_fails_at_every_too_small_capacity)
{
    uint8_t b[16];
    size_t cap;

    for (cap = 0; cap < 10; cap++) {
        memset(b, 0x5a, sizeof(b));
        cr_assert_eq(mvp_frame_encode(MVP_DATA, 0, 1, (const uint8_t *)"ab", 2, b, cap),
                     -MVP_E_NOSPACE, "cap %zu", cap);
        cr_assert_eq(b[0], 0x5a, "nothing written at cap %zu", cap);
    }
}

Test(frame, encode_refuses_oversized_payload)
{
    static uint8_t big[MVP_MAX_FRAME_PAYLOAD + 1 + MVP_HDR_LEN];

    cr_assert_eq(mvp_frame_encode(MVP_DATA, 0, 1, big, MVP_MAX_FRAME_PAYLOAD + 1, big,
                                  sizeof(big)),
                 -MVP_E_TOO_LONG);
}

Test(frame, encode_allows_payload_already_in_place)
{
    uint8_t b[MVP_HDR_LEN + 3] = { 0 };

    memcpy(b + MVP_HDR_LEN, "xyz", 3);
    cr_assert_eq(mvp_frame_encode(MVP_DATA, 0, 7, b + MVP_HDR_LEN, 3, b, sizeof(b)), 11);
    cr_assert_eq(memcmp(b + MVP_HDR_LEN, "xyz", 3), 0);
    cr_assert_eq(b[3], 7);
}

Test(frame, every_type_has_a_name_and_unknown_ones_do_not)
{
    unsigned t;

    for (t = 0; t < 256; t++) {
        int known = t >= MVP_HELLO && t <= MVP_ERROR;

        cr_assert_eq(mvp_frame_type_known((uint8_t)t), known, "type %u", t);
        if (known)
            cr_assert_str_neq(mvp_frame_type_name((uint8_t)t), "UNKNOWN");
        else
            cr_assert_str_eq(mvp_frame_type_name((uint8_t)t), "UNKNOWN");
    }
    cr_assert_str_eq(mvp_frame_type_name(MVP_LOG_ACK), "LOG_ACK");
}
