/* Unit tests for proto/src/ctrl.c and chan_ctrl.c: round trips, range checks,
 * reserved fields, truncation at every length and output capacity at every size. */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/wire.h"

static const struct mvp_hello hello_ok = {
    .ver_min = 1, .ver_max = 1, .boot_id = 0x1122334455667788ull, .log_next_seq = 42,
    .flags = 0, .fw_version = (const uint8_t *)"mvisor-0.1", .fw_version_len = 10,
};

static const struct mvp_welcome welcome_ok = {
    .version = 1, .server_time_us = 1700000000000000ull, .max_payload = 16384,
    .initial_window = 16384, .ping_interval_s = 30, .flags = MVP_WELCOME_LOG_ACKED_VALID,
    .log_acked_seq = 41,
};

/* Every prefix of a valid payload must fail as truncated; the full one must pass. */
typedef int (*decode_fn)(const uint8_t *in, size_t len, void *out);

static void check_truncations(const uint8_t *p, size_t n, decode_fn dec, void *out)
{
    size_t len;

    for (len = 0; len < n; len++)
        cr_assert_eq(dec(p, len, out), -MVP_E_TRUNCATED, "len %zu of %zu", len, n);
    cr_assert_eq(dec(p, n, out), 0);
}

static int hello_dec(const uint8_t *in, size_t len, void *out)
{
    return mvp_hello_decode(in, len, out);
}

static int welcome_dec(const uint8_t *in, size_t len, void *out)
{
    return mvp_welcome_decode(in, len, out);
}

static int open_dec(const uint8_t *in, size_t len, void *out)
{
    return mvp_open_decode(in, len, out);
}

static int open_err_dec(const uint8_t *in, size_t len, void *out)
{
    return mvp_open_err_decode(in, len, out);
}

static int goaway_dec(const uint8_t *in, size_t len, void *out)
{
    return mvp_goaway_decode(in, len, out);
}

static int error_dec(const uint8_t *in, size_t len, void *out)
{
    return mvp_error_decode(in, len, out);
}

Test(ctrl, hello_round_trip)
{
    uint8_t b[128];
    struct mvp_hello d;
    int n = mvp_hello_encode(&hello_ok, b, sizeof(b));

    cr_assert_eq(n, 2 + 2 + 8 + 4 + 4 + 2 + 10);
    cr_assert_eq(mvp_hello_decode(b, (size_t)n, &d), 0);
    cr_assert_eq(d.ver_min, 1);
    cr_assert_eq(d.ver_max, 1);
    cr_assert_eq(d.boot_id, hello_ok.boot_id);
    cr_assert_eq(d.log_next_seq, 42);
    cr_assert_eq(d.fw_version_len, 10);
    cr_assert_eq(memcmp(d.fw_version, "mvisor-0.1", 10), 0);
    check_truncations(b, (size_t)n, hello_dec, &d);
}

Test(ctrl, hello_rejects_bad_fields)
{
    uint8_t b[128];
    struct mvp_hello m = hello_ok, d;
    int n = mvp_hello_encode(&m, b, sizeof(b));

    b[3] = 1; /* reserved */
    cr_assert_eq(mvp_hello_decode(b, (size_t)n, &d), -MVP_E_INVALID);
    m.boot_id = 0;
    cr_assert_eq(mvp_hello_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = hello_ok;
    m.ver_min = 2;
    cr_assert_eq(mvp_hello_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = hello_ok;
    m.log_next_seq = 0;
    cr_assert_eq(mvp_hello_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = hello_ok;
    m.flags = 1;
    cr_assert_eq(mvp_hello_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = hello_ok;
    m.fw_version_len = MVP_MAX_FW_VERSION + 1;
    cr_assert_eq(mvp_hello_encode(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
}

Test(ctrl, hello_decoder_rejects_each_bad_field_on_the_wire)
{
    uint8_t b[128];
    struct mvp_hello d;
    int n = mvp_hello_encode(&hello_ok, b, sizeof(b));

    b[0] = 0; /* ver_min 0 */
    cr_assert_eq(mvp_hello_decode(b, (size_t)n, &d), -MVP_E_INVALID);
    mvp_hello_encode(&hello_ok, b, sizeof(b));
    memset(b + 4, 0, 8); /* boot id 0 */
    cr_assert_eq(mvp_hello_decode(b, (size_t)n, &d), -MVP_E_INVALID);
    mvp_hello_encode(&hello_ok, b, sizeof(b));
    b[19] = 4; /* flags */
    cr_assert_eq(mvp_hello_decode(b, (size_t)n, &d), -MVP_E_INVALID);
    mvp_hello_encode(&hello_ok, b, sizeof(b));
    b[20] = 0;
    b[21] = MVP_MAX_FW_VERSION + 1; /* fw_version length */
    cr_assert_eq(mvp_hello_decode(b, (size_t)n, &d), -MVP_E_TOO_LONG);
    mvp_hello_encode(&hello_ok, b, sizeof(b));
    b[n] = 0;
    cr_assert_eq(mvp_hello_decode(b, (size_t)n + 1, &d), -MVP_E_TRAILING);
}

Test(ctrl, hello_encode_fails_at_every_small_capacity)
{
    uint8_t b[64];
    size_t cap;

    for (cap = 0; cap < 32; cap++)
        cr_assert_eq(mvp_hello_encode(&hello_ok, b, cap), -MVP_E_NOSPACE, "cap %zu", cap);
    cr_assert_eq(mvp_hello_encode(&hello_ok, b, 32), 32);
}

Test(ctrl, version_negotiation_picks_highest_common)
{
    cr_assert_eq(mvp_version_negotiate(1, 1, 1, 1), 1);
    cr_assert_eq(mvp_version_negotiate(1, 3, 2, 5), 3);
    cr_assert_eq(mvp_version_negotiate(2, 4, 1, 2), 2);
    cr_assert_eq(mvp_version_negotiate(1, 1, 2, 3), -MVP_E_BAD_VERSION);
    cr_assert_eq(mvp_version_negotiate(3, 4, 1, 2), -MVP_E_BAD_VERSION);
    cr_assert_eq(mvp_version_negotiate(0, 1, 0, 1), -MVP_E_BAD_VERSION);
}

Test(ctrl, welcome_round_trip_and_truncation)
{
    uint8_t b[64];
    struct mvp_welcome d;
    int n = mvp_welcome_encode(&welcome_ok, b, sizeof(b));

    cr_assert_eq(n, 32);
    cr_assert_eq(mvp_welcome_decode(b, (size_t)n, &d), 0);
    cr_assert_eq(d.version, 1);
    cr_assert_eq(d.server_time_us, welcome_ok.server_time_us);
    cr_assert_eq(d.max_payload, 16384);
    cr_assert_eq(d.initial_window, 16384);
    cr_assert_eq(d.ping_interval_s, 30);
    cr_assert_eq(d.flags, MVP_WELCOME_LOG_ACKED_VALID);
    cr_assert_eq(d.log_acked_seq, 41);
    check_truncations(b, (size_t)n, welcome_dec, &d);
    b[n] = 0;
    cr_assert_eq(mvp_welcome_decode(b, (size_t)n + 1, &d), -MVP_E_TRAILING);
}

Test(ctrl, welcome_rejects_out_of_range_fields)
{
    uint8_t b[64];
    struct mvp_welcome m, d;
    int n;

    m = welcome_ok;
    m.max_payload = MVP_MAX_FRAME_PAYLOAD + 1;
    cr_assert_eq(mvp_welcome_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = welcome_ok;
    m.max_payload = MVP_MIN_FRAME_PAYLOAD - 1;
    cr_assert_eq(mvp_welcome_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = welcome_ok;
    m.initial_window = MVP_MAX_WINDOW + 1;
    cr_assert_eq(mvp_welcome_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = welcome_ok;
    m.ping_interval_s = 0;
    cr_assert_eq(mvp_welcome_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = welcome_ok;
    m.flags = 4;
    cr_assert_eq(mvp_welcome_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = welcome_ok;
    m.flags = 0; /* seq without the valid flag */
    cr_assert_eq(mvp_welcome_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m.log_acked_seq = 0;
    cr_assert_eq(mvp_welcome_encode(&m, b, sizeof(b)), 32);
    n = mvp_welcome_encode(&welcome_ok, b, sizeof(b));
    b[2] = 1; /* reserved */
    cr_assert_eq(mvp_welcome_decode(b, (size_t)n, &d), -MVP_E_INVALID);
    n = mvp_welcome_encode(&welcome_ok, b, sizeof(b));
    b[0] = 0; /* version 0 */
    cr_assert_eq(mvp_welcome_decode(b, (size_t)n, &d), -MVP_E_INVALID);
}

Test(ctrl, open_round_trip_and_limits)
{
    struct mvp_open m = { .chan_type = 3, .window = 4096,
                          .endpoint = (const uint8_t *)"ep", .endpoint_len = 2 };
    struct mvp_open d;
    uint8_t b[300];
    int n = mvp_open_encode(&m, b, sizeof(b));
    size_t cap;

    cr_assert_eq(n, 12);
    cr_assert_eq(mvp_open_decode(b, (size_t)n, &d), 0);
    cr_assert_eq(d.chan_type, 3);
    cr_assert_eq(d.window, 4096);
    cr_assert_eq(d.endpoint_len, 2);
    check_truncations(b, (size_t)n, open_dec, &d);
    for (cap = 0; cap < 12; cap++)
        cr_assert_eq(mvp_open_encode(&m, b, cap), -MVP_E_NOSPACE);
    m.chan_type = 4;
    cr_assert_eq(mvp_open_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m.chan_type = 0;
    m.window = MVP_MIN_WINDOW - 1;
    cr_assert_eq(mvp_open_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m.window = MVP_MAX_WINDOW;
    m.endpoint_len = MVP_MAX_ENDPOINT + 1;
    cr_assert_eq(mvp_open_encode(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
    m.endpoint_len = 0;
    n = mvp_open_encode(&m, b, sizeof(b));
    b[3] = 9; /* chan_type 9 on the wire: decodes, the receiver refuses the channel */
    cr_assert_eq(mvp_open_decode(b, (size_t)n, &d), 0);
    cr_assert_eq(d.chan_type, 9);
    b[5] = 0; /* window below the minimum is still a protocol error */
    b[6] = 0;
    cr_assert_eq(mvp_open_decode(b, (size_t)n, &d), -MVP_E_INVALID);
}

Test(ctrl, open_err_round_trip_and_status_range)
{
    struct mvp_open_err m = { .status = 0xd, .msg = (const uint8_t *)"no such", .msg_len = 7 };
    struct mvp_open_err d;
    uint8_t b[300];
    int n = mvp_open_err_encode(&m, b, sizeof(b));

    cr_assert_eq(n, 13);
    cr_assert_eq(mvp_open_err_decode(b, (size_t)n, &d), 0);
    cr_assert_eq(d.status, 0xd);
    cr_assert_eq(memcmp(d.msg, "no such", 7), 0);
    check_truncations(b, (size_t)n, open_err_dec, &d);
    m.status = 0;
    cr_assert_eq(mvp_open_err_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m.status = MVP_MAX_MV_STATUS + 1;
    cr_assert_eq(mvp_open_err_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
}

Test(ctrl, goaway_round_trip)
{
    struct mvp_goaway m = { .reason = MVP_GOAWAY_SHUTDOWN, .retry_after_ms = 1500,
                            .msg = (const uint8_t *)"bye", .msg_len = 3 };
    struct mvp_goaway d;
    uint8_t b[300];
    int n = mvp_goaway_encode(&m, b, sizeof(b));

    cr_assert_eq(n, 13);
    cr_assert_eq(mvp_goaway_decode(b, (size_t)n, &d), 0);
    cr_assert_eq(d.retry_after_ms, 1500);
    check_truncations(b, (size_t)n, goaway_dec, &d);
    m.msg_len = MVP_MAX_ERRMSG + 1;
    cr_assert_eq(mvp_goaway_encode(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
}

Test(ctrl, error_round_trip_and_reserved)
{
    struct mvp_error m = { .code = MVP_E_UNKNOWN_TYPE, .frame_type = 0x7f,
                           .msg = (const uint8_t *)"?", .msg_len = 1 };
    struct mvp_error d;
    uint8_t b[300];
    int n = mvp_error_encode(&m, b, sizeof(b));

    cr_assert_eq(n, 11);
    cr_assert_eq(mvp_error_decode(b, (size_t)n, &d), 0);
    cr_assert_eq(d.code, MVP_E_UNKNOWN_TYPE);
    cr_assert_eq(d.frame_type, 0x7f);
    check_truncations(b, (size_t)n, error_dec, &d);
    b[6] = 1;
    cr_assert_eq(mvp_error_decode(b, (size_t)n, &d), -MVP_E_INVALID);
    m.code = 0;
    cr_assert_eq(mvp_error_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
}

Test(ctrl, single_value_payloads_check_ranges)
{
    uint8_t b[8];
    uint32_t v;
    uint64_t v64;

    cr_assert_eq(mvp_window_encode(0, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_window_encode(5, b, sizeof(b)), 4);
    cr_assert_eq(mvp_window_decode(b, 4, &v), 0);
    cr_assert_eq(v, 5);
    cr_assert_eq(mvp_window_decode(b, 3, &v), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_window_decode(b, 5, &v), -MVP_E_TRAILING);
    memset(b, 0, 4);
    cr_assert_eq(mvp_window_decode(b, 4, &v), -MVP_E_INVALID);
    cr_assert_eq(mvp_close_encode(8, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_close_encode(7, b, sizeof(b)), 4);
    cr_assert_eq(mvp_close_decode(b, 4, &v), 0);
    cr_assert_eq(v, 7);
    b[3] = 8;
    cr_assert_eq(mvp_close_decode(b, 4, &v), -MVP_E_INVALID);
    cr_assert_eq(mvp_open_ok_encode(MVP_MIN_WINDOW - 1, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_open_ok_encode(MVP_MIN_WINDOW, b, sizeof(b)), 4);
    cr_assert_eq(mvp_open_ok_decode(b, 4, &v), 0);
    cr_assert_eq(v, MVP_MIN_WINDOW);
    cr_assert_eq(mvp_u32_encode(1, b, 3), -MVP_E_NOSPACE);
    cr_assert_eq(mvp_u64_encode(0x0102030405060708ull, b, sizeof(b)), 8);
    cr_assert_eq(mvp_u64_decode(b, 8, &v64), 0);
    cr_assert_eq(v64, 0x0102030405060708ull);
    cr_assert_eq(mvp_u64_decode(b, 7, &v64), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_u64_encode(1, b, 7), -MVP_E_NOSPACE);
}
