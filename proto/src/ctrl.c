/* Session control payloads on channel 0: HELLO, WELCOME, GOAWAY, ERROR, PING/PONG,
 * and version negotiation. Encoders apply the same checks as decoders, so anything
 * this library emits is accepted by its own decoder (the fuzzers rely on it). */
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/wire.h"
#include "codec.h"

static int hello_check(const struct mvp_hello *m)
{
    if (m->ver_min == 0 || m->ver_min > m->ver_max)
        return -MVP_E_INVALID;
    if (m->boot_id == 0 || m->log_next_seq == 0 || m->flags != 0)
        return -MVP_E_INVALID;
    if (m->fw_version_len > MVP_MAX_FW_VERSION)
        return -MVP_E_TOO_LONG;
    return 0;
}

int mvp_hello_encode(const struct mvp_hello *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = hello_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u8(&w, m->ver_min);
    mvp_w_u8(&w, m->ver_max);
    mvp_w_u16(&w, 0);
    mvp_w_u64(&w, m->boot_id);
    mvp_w_u32(&w, m->log_next_seq);
    mvp_w_u32(&w, m->flags);
    mvp_w_bytes16(&w, m->fw_version, m->fw_version_len);
    return mvp_w_result(&w);
}

int mvp_hello_decode(const uint8_t *in, size_t len, struct mvp_hello *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->ver_min = mvp_r_u8(&r);
    m->ver_max = mvp_r_u8(&r);
    if (mvp_r_u16(&r) != 0)
        mvp_r_fail(&r, MVP_E_INVALID);
    m->boot_id = mvp_r_u64(&r);
    m->log_next_seq = mvp_r_u32(&r);
    m->flags = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->fw_version, &m->fw_version_len, MVP_MAX_FW_VERSION);
    rc = mvp_r_end(&r);
    return rc ? rc : hello_check(m);
}

int mvp_version_negotiate(uint8_t my_min, uint8_t my_max, uint8_t peer_min, uint8_t peer_max)
{
    uint8_t lo = my_min > peer_min ? my_min : peer_min;
    uint8_t hi = my_max < peer_max ? my_max : peer_max;

    if (my_min == 0 || peer_min == 0 || lo > hi)
        return -MVP_E_BAD_VERSION;
    return hi;
}

static int welcome_check(const struct mvp_welcome *m)
{
    if (m->version == 0)
        return -MVP_E_INVALID;
    if (m->max_payload < MVP_MIN_FRAME_PAYLOAD || m->max_payload > MVP_MAX_FRAME_PAYLOAD)
        return -MVP_E_INVALID;
    if (m->initial_window < MVP_MIN_WINDOW || m->initial_window > MVP_MAX_WINDOW)
        return -MVP_E_INVALID;
    if (m->ping_interval_s == 0 || m->ping_interval_s > MVP_MAX_PING_INTERVAL_S)
        return -MVP_E_INVALID;
    if (m->flags & ~(MVP_WELCOME_LOGGING_DISABLED | MVP_WELCOME_LOG_ACKED_VALID))
        return -MVP_E_INVALID;
    /* A seq without the flag would be ambiguous: require it to be zero. */
    if (!(m->flags & MVP_WELCOME_LOG_ACKED_VALID) && m->log_acked_seq != 0)
        return -MVP_E_INVALID;
    return 0;
}

int mvp_welcome_encode(const struct mvp_welcome *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = welcome_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u8(&w, m->version);
    mvp_w_u8(&w, 0);
    mvp_w_u16(&w, 0);
    mvp_w_u64(&w, m->server_time_us);
    mvp_w_u32(&w, m->max_payload);
    mvp_w_u32(&w, m->initial_window);
    mvp_w_u32(&w, m->ping_interval_s);
    mvp_w_u32(&w, m->flags);
    mvp_w_u32(&w, m->log_acked_seq);
    return mvp_w_result(&w);
}

int mvp_welcome_decode(const uint8_t *in, size_t len, struct mvp_welcome *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->version = mvp_r_u8(&r);
    if (mvp_r_u8(&r) != 0 || mvp_r_u16(&r) != 0)
        mvp_r_fail(&r, MVP_E_INVALID);
    m->server_time_us = mvp_r_u64(&r);
    m->max_payload = mvp_r_u32(&r);
    m->initial_window = mvp_r_u32(&r);
    m->ping_interval_s = mvp_r_u32(&r);
    m->flags = mvp_r_u32(&r);
    m->log_acked_seq = mvp_r_u32(&r);
    rc = mvp_r_end(&r);
    return rc ? rc : welcome_check(m);
}

int mvp_goaway_encode(const struct mvp_goaway *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    if (m->msg_len > MVP_MAX_ERRMSG)
        return -MVP_E_TOO_LONG;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->reason);
    mvp_w_u32(&w, m->retry_after_ms);
    mvp_w_bytes16(&w, m->msg, m->msg_len);
    return mvp_w_result(&w);
}

int mvp_goaway_decode(const uint8_t *in, size_t len, struct mvp_goaway *m)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, len);
    m->reason = mvp_r_u32(&r);
    m->retry_after_ms = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->msg, &m->msg_len, MVP_MAX_ERRMSG);
    return mvp_r_end(&r);
}

int mvp_error_encode(const struct mvp_error *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    if (m->code == 0)
        return -MVP_E_INVALID;
    if (m->msg_len > MVP_MAX_ERRMSG)
        return -MVP_E_TOO_LONG;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->code);
    mvp_w_u8(&w, m->frame_type);
    mvp_w_u8(&w, 0);
    mvp_w_u16(&w, 0);
    mvp_w_bytes16(&w, m->msg, m->msg_len);
    return mvp_w_result(&w);
}

int mvp_error_decode(const uint8_t *in, size_t len, struct mvp_error *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->code = mvp_r_u32(&r);
    m->frame_type = mvp_r_u8(&r);
    if (mvp_r_u8(&r) != 0 || mvp_r_u16(&r) != 0)
        mvp_r_fail(&r, MVP_E_INVALID);
    mvp_r_bytes16(&r, &m->msg, &m->msg_len, MVP_MAX_ERRMSG);
    rc = mvp_r_end(&r);
    if (rc == 0 && m->code == 0)
        rc = -MVP_E_INVALID;
    return rc;
}

int mvp_u64_encode(uint64_t v, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    mvp_w_init(&w, out, cap);
    mvp_w_u64(&w, v);
    return mvp_w_result(&w);
}

int mvp_u64_decode(const uint8_t *in, size_t len, uint64_t *v)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, len);
    *v = mvp_r_u64(&r);
    return mvp_r_end(&r);
}
