/* WebSocket frame codec: encoder forms and masking, decoder on every length form,
 * fragmentation, control frames and each class of malformed server frame. */
#include <criterion/criterion.h>
#include <string.h>

#include "ws.h"

static const uint8_t mask[4] = {0x37, 0xfa, 0x21, 0x3d};

/* Feeds all of in, collecting DATA bytes into out; returns last rc. */
static int feed_all(struct mvk_ws_dec *d, const uint8_t *in, size_t len, uint8_t *out,
                    size_t *out_len, struct mvk_ws_event *last)
{
    int rc = 0;
    *out_len = 0;
    while (len) {
        size_t used = 0;
        struct mvk_ws_event ev;
        rc = mvk_ws_dec_feed(d, in, len, &used, &ev);
        if (rc < 0)
            return rc;
        in += used;
        len -= used;
        if (rc == 1) {
            *last = ev;
            if (ev.type == MVK_WS_EV_DATA) {
                memcpy(out + *out_len, ev.data, ev.len);
                *out_len += ev.len;
            }
        }
    }
    return rc;
}

Test(ws_encode, rfc6455_masked_hello_example)
{
    /* RFC 6455 5.7: a single-frame masked text "Hello". */
    static const uint8_t want[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
                                   0x7f, 0x9f, 0x4d, 0x51, 0x58};
    uint8_t out[32];
    size_t n =
        mvk_ws_frame_encode(MVK_WS_OP_TEXT, (const uint8_t *)"Hello", 5, mask, out, sizeof(out));
    cr_assert_eq(n, sizeof(want));
    cr_assert_arr_eq(out, want, sizeof(want));
}

Test(ws_encode, length_forms)
{
    uint8_t out[16];
    cr_assert_eq(mvk_ws_hdr_encode(MVK_WS_OP_BINARY, 1, 125, mask, out, sizeof(out)), 6);
    cr_assert_eq(out[1], 0x80 | 125);
    cr_assert_eq(mvk_ws_hdr_encode(MVK_WS_OP_BINARY, 1, 126, mask, out, sizeof(out)), 8);
    cr_assert_eq(out[1], 0x80 | 126);
    cr_assert_eq(out[2] << 8 | out[3], 126);
    cr_assert_eq(mvk_ws_hdr_encode(MVK_WS_OP_BINARY, 0, 65536, mask, out, sizeof(out)), 14);
    cr_assert_eq(out[0], 0x02, "fin clear");
    cr_assert_eq(out[1], 0x80 | 127);
    cr_assert_eq(out[7], 1);
    cr_assert_eq(out[8], 0);
}

Test(ws_encode, refuses_bad_control_and_small_buffer)
{
    uint8_t out[16];
    cr_assert_eq(mvk_ws_hdr_encode(MVK_WS_OP_PING, 1, 126, mask, out, sizeof(out)), 0);
    cr_assert_eq(mvk_ws_hdr_encode(MVK_WS_OP_PING, 0, 1, mask, out, sizeof(out)), 0);
    cr_assert_eq(mvk_ws_hdr_encode(MVK_WS_OP_BINARY, 1, 70000, mask, out, 10), 0);
    cr_assert_eq(mvk_ws_frame_encode(MVK_WS_OP_BINARY, out, 8, mask, out, 12), 0);
}

Test(ws_encode, mask_in_pieces_equals_whole)
{
    uint8_t a[10], b[10];
    for (int i = 0; i < 10; i++)
        a[i] = b[i] = (uint8_t)i;
    mvk_ws_mask(a, 10, mask, 0);
    mvk_ws_mask(b, 3, mask, 0);
    mvk_ws_mask(b + 3, 7, mask, 3);
    cr_assert_arr_eq(a, b, 10);
    mvk_ws_mask(a, 10, mask, 0);
    cr_assert_eq(a[9], 9, "masking twice restores");
}

static void check_len_form(size_t len, const uint8_t *hdr, size_t hlen)
{
    static uint8_t in[70000 + 14], out[70000];
    struct mvk_ws_dec d;
    struct mvk_ws_event ev;
    size_t got;
    memcpy(in, hdr, hlen);
    for (size_t i = 0; i < len; i++)
        in[hlen + i] = (uint8_t)(i * 7);
    mvk_ws_dec_init(&d, 1 << 20);
    cr_assert_eq(feed_all(&d, in, hlen + len, out, &got, &ev), 1);
    cr_assert_eq(got, len);
    cr_assert_eq(ev.type, MVK_WS_EV_DATA);
    cr_assert(ev.end);
    cr_assert_arr_eq(out, in + hlen, len);
}

Test(ws_decode, seven_bit_length)
{
    const uint8_t h[] = {0x82, 5};
    check_len_form(5, h, sizeof(h));
}

Test(ws_decode, sixteen_bit_length)
{
    const uint8_t h[] = {0x82, 126, 0x01, 0x00};
    check_len_form(256, h, sizeof(h));
}

Test(ws_decode, sixty_four_bit_length)
{
    const uint8_t h[] = {0x82, 127, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70};
    check_len_form(70000, h, sizeof(h));
}

Test(ws_decode, byte_at_a_time)
{
    const uint8_t in[] = {0x82, 3, 'a', 'b', 'c', 0x89, 1, 'p'};
    struct mvk_ws_dec d;
    uint8_t data[8];
    size_t n = 0, pings = 0;
    mvk_ws_dec_init(&d, 100);
    for (size_t i = 0; i < sizeof(in); i++) {
        size_t used;
        struct mvk_ws_event ev;
        int rc = mvk_ws_dec_feed(&d, in + i, 1, &used, &ev);
        cr_assert_geq(rc, 0);
        cr_assert_eq(used, 1);
        if (rc == 1 && ev.type == MVK_WS_EV_DATA) {
            memcpy(data + n, ev.data, ev.len);
            n += ev.len;
        }
        if (rc == 1 && ev.type == MVK_WS_EV_PING) {
            pings++;
            cr_assert_eq(ev.len, 1);
            cr_assert_eq(ev.data[0], 'p');
        }
    }
    cr_assert_eq(n, 3);
    cr_assert_arr_eq(data, "abc", 3);
    cr_assert_eq(pings, 1);
}

Test(ws_decode, fragmented_with_interleaved_ping)
{
    const uint8_t in[] = {0x02, 2, 'a', 'b', 0x89, 0, 0x00, 1, 'c', 0x80, 1, 'd'};
    struct mvk_ws_dec d;
    struct mvk_ws_event ev;
    size_t used, off = 0;
    int ends = 0, pings = 0, datas = 0;
    mvk_ws_dec_init(&d, 100);
    while (off < sizeof(in)) {
        int rc = mvk_ws_dec_feed(&d, in + off, sizeof(in) - off, &used, &ev);
        cr_assert_eq(rc, 1);
        off += used;
        if (ev.type == MVK_WS_EV_PING)
            pings++;
        if (ev.type == MVK_WS_EV_DATA) {
            datas++;
            ends += ev.end;
        }
    }
    cr_assert_eq(pings, 1);
    cr_assert_eq(datas, 3);
    cr_assert_eq(ends, 1, "only the final fragment ends the message");
}

Test(ws_decode, empty_final_frame_ends_message)
{
    const uint8_t in[] = {0x82, 0};
    struct mvk_ws_dec d;
    struct mvk_ws_event ev;
    size_t used;
    mvk_ws_dec_init(&d, 100);
    cr_assert_eq(mvk_ws_dec_feed(&d, in, sizeof(in), &used, &ev), 1);
    cr_assert_eq(used, 2);
    cr_assert_eq(ev.type, MVK_WS_EV_DATA);
    cr_assert_eq(ev.len, 0);
    cr_assert(ev.end);
}

Test(ws_decode, close_with_code_and_reason)
{
    const uint8_t in[] = {0x88, 4, 0x03, 0xe9, 'b', 'y'};
    struct mvk_ws_dec d;
    struct mvk_ws_event ev;
    size_t used;
    mvk_ws_dec_init(&d, 100);
    cr_assert_eq(mvk_ws_dec_feed(&d, in, sizeof(in), &used, &ev), 1);
    cr_assert_eq(ev.type, MVK_WS_EV_CLOSE);
    cr_assert_eq(ev.close_code, 1001);
    cr_assert_eq(ev.len, 2);
    cr_assert_arr_eq(ev.data, "by", 2);
}

Test(ws_decode, close_without_code_is_1005)
{
    const uint8_t in[] = {0x88, 0};
    struct mvk_ws_dec d;
    struct mvk_ws_event ev;
    size_t used;
    mvk_ws_dec_init(&d, 100);
    cr_assert_eq(mvk_ws_dec_feed(&d, in, sizeof(in), &used, &ev), 1);
    cr_assert_eq(ev.close_code, 1005);
}

static int decode_err(const uint8_t *in, size_t len, uint64_t max)
{
    struct mvk_ws_dec d;
    struct mvk_ws_event ev;
    static uint8_t out[1 << 17];
    size_t got;
    mvk_ws_dec_init(&d, max);
    return feed_all(&d, in, len, out, &got, &ev);
}

Test(ws_decode, malformed_frames_are_refused)
{
    const uint8_t rsv[] = {0xc2, 0};
    const uint8_t opcode[] = {0x83, 0};
    const uint8_t ctrl_op[] = {0x8b, 0};
    const uint8_t text[] = {0x81, 1, 'x'};
    const uint8_t masked[] = {0x82, 0x81, 1, 2, 3, 4, 5};
    const uint8_t long_ping[] = {0x89, 126, 0, 126};
    const uint8_t frag_ping[] = {0x09, 0};
    const uint8_t lone_cont[] = {0x80, 1, 'x'};
    const uint8_t nested[] = {0x02, 1, 'x', 0x82, 1, 'y'};
    const uint8_t short16[] = {0x82, 126, 0, 125};
    const uint8_t short64[] = {0x82, 127, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    const uint8_t top64[] = {0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t close1[] = {0x88, 1, 3};
    const uint8_t close_bad[] = {0x88, 2, 0x03, 0xed}; /* 1005 must not be sent */
    cr_assert_eq(decode_err(rsv, sizeof(rsv), 100), -MVK_WS_E_RSV);
    cr_assert_eq(decode_err(opcode, sizeof(opcode), 100), -MVK_WS_E_OPCODE);
    cr_assert_eq(decode_err(ctrl_op, sizeof(ctrl_op), 100), -MVK_WS_E_OPCODE);
    cr_assert_eq(decode_err(text, sizeof(text), 100), -MVK_WS_E_TEXT);
    cr_assert_eq(decode_err(masked, sizeof(masked), 100), -MVK_WS_E_MASKED);
    cr_assert_eq(decode_err(long_ping, sizeof(long_ping), 100), -MVK_WS_E_CTRL);
    cr_assert_eq(decode_err(frag_ping, sizeof(frag_ping), 100), -MVK_WS_E_CTRL);
    cr_assert_eq(decode_err(lone_cont, sizeof(lone_cont), 100), -MVK_WS_E_CONT);
    cr_assert_eq(decode_err(nested, sizeof(nested), 100), -MVK_WS_E_CONT);
    cr_assert_eq(decode_err(short16, sizeof(short16), 100), -MVK_WS_E_LENGTH);
    cr_assert_eq(decode_err(short64, sizeof(short64), 1 << 20), -MVK_WS_E_LENGTH);
    cr_assert_eq(decode_err(top64, sizeof(top64), 1 << 20), -MVK_WS_E_LENGTH);
    cr_assert_eq(decode_err(close1, sizeof(close1), 100), -MVK_WS_E_CLOSE_PAYLOAD);
    cr_assert_eq(decode_err(close_bad, sizeof(close_bad), 100), -MVK_WS_E_CLOSE_PAYLOAD);
}

Test(ws_decode, message_limit_counts_all_fragments)
{
    const uint8_t ok[] = {0x02, 2, 'a', 'b', 0x80, 2, 'c', 'd'};
    const uint8_t big[] = {0x02, 2, 'a', 'b', 0x80, 3, 'c', 'd', 'e'};
    cr_assert_eq(decode_err(ok, sizeof(ok), 4), 1);
    cr_assert_eq(decode_err(big, sizeof(big), 4), -MVK_WS_E_TOO_BIG);
    cr_assert_eq(mvk_ws_err_close_code(-MVK_WS_E_TOO_BIG), 1009);
    cr_assert_eq(mvk_ws_err_close_code(-MVK_WS_E_TEXT), 1003);
    cr_assert_eq(mvk_ws_err_close_code(-MVK_WS_E_RSV), 1002);
}

Test(ws_decode, errors_are_sticky)
{
    const uint8_t bad[] = {0xf2, 0};
    const uint8_t good[] = {0x82, 0};
    struct mvk_ws_dec d;
    struct mvk_ws_event ev;
    size_t used;
    mvk_ws_dec_init(&d, 100);
    cr_assert_lt(mvk_ws_dec_feed(&d, bad, sizeof(bad), &used, &ev), 0);
    cr_assert_eq(mvk_ws_dec_feed(&d, good, sizeof(good), &used, &ev), -MVK_WS_E_RSV);
    cr_assert_eq(used, 0);
    cr_assert_str_eq(mvk_ws_strerror(-MVK_WS_E_RSV), "reserved bits set");
}
