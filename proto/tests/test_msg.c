/* Unit tests for proto/src/msg.c: typed message header encoding and checks. */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/frame.h"
#include "mvp/msg.h"
#include "mvp/wire.h"

Test(msg, encode_layout)
{
    uint8_t b[16];
    static const uint8_t want[] = { 0x39, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0x0a };

    cr_assert_eq(mvp_msg_encode(MVP_MSG_MQTT_MESSAGE_ACK, (const uint8_t *)"\0\0\0\x0a", 4, b,
                                sizeof(b)),
                 12);
    cr_assert_arr_eq(b, want, sizeof(want));
}

Test(msg, encode_checks_type_length_and_space)
{
    uint8_t b[16];
    size_t cap;

    cr_assert_eq(mvp_msg_encode(0x12, NULL, 0, b, sizeof(b)), -MVP_E_UNKNOWN_TYPE);
    cr_assert_eq(mvp_msg_encode(MVP_MSG_CFG_REQUEST, b, MVP_MAX_MSG_PAYLOAD + 1, b, sizeof(b)),
                 -MVP_E_TOO_LONG);
    for (cap = 0; cap < 10; cap++)
        cr_assert_eq(mvp_msg_encode(MVP_MSG_CFG_REQUEST, (const uint8_t *)"ab", 2, b, cap),
                     -MVP_E_NOSPACE);
}

Test(msg, known_types)
{
    unsigned t, known = 0;

    for (t = 0; t < 256; t++)
        known += (unsigned)mvp_msg_type_known((uint8_t)t);
    cr_assert_eq(known, 4 + 13 + 4); /* cfg + http, mqtt, update */
    cr_assert(mvp_msg_type_known(MVP_MSG_MQTT_DISCONNECT_RESP));
    cr_assert(mvp_msg_type_known(0x43)); /* UPD_CHUNK */
    cr_assert_not(mvp_msg_type_known(MVP_HELLO));
}

Test(msg, header_check)
{
    struct mvp_hdr h = { .type = MVP_MSG_HTTP_REQUEST, .flags = 0, .chan = 0, .len = 10 };

    cr_assert_eq(mvp_msg_hdr_check(&h), 0);
    h.flags = MVP_FLAG_IGNORABLE;
    cr_assert_eq(mvp_msg_hdr_check(&h), 0);
    h.flags = 2;
    cr_assert_eq(mvp_msg_hdr_check(&h), -MVP_E_INVALID);
    h.flags = 0;
    h.chan = 1;
    cr_assert_eq(mvp_msg_hdr_check(&h), -MVP_E_INVALID);
    h.chan = 0;
    h.type = 0x2f;
    cr_assert_eq(mvp_msg_hdr_check(&h), -MVP_E_UNKNOWN_TYPE);
    h.type = MVP_MSG_HTTP_REQUEST;
    h.len = MVP_MAX_MSG_PAYLOAD + 1;
    cr_assert_eq(mvp_msg_hdr_check(&h), -MVP_E_TOO_LONG);
}
