/* Channel control payloads: OPEN, OPEN_OK, OPEN_ERR, WINDOW and CLOSE
 * (PROTOCOL.md "Channels"). Range checks live here so the relay and the device
 * refuse the same things. */
#include "mvp/ctrl.h"
#include "mvp/update.h"
#include "mvp/wire.h"
#include "codec.h"

static int window_ok(uint32_t window)
{
    return window >= MVP_MIN_WINDOW && window <= MVP_MAX_WINDOW;
}

/* The channel type is judged by the relay, not the codec: a device newer than the relay
 * may open a type the relay does not know, which deserves OPEN_ERR
 * UNKNOWNCHANNELTYPE on that channel rather than a protocol error on the session. */
static int open_fields_check(const struct mvp_open *m)
{
    if (!window_ok(m->window))
        return -MVP_E_INVALID;
    if (m->endpoint_len > MVP_MAX_ENDPOINT)
        return -MVP_E_TOO_LONG;
    return 0;
}

int mvp_open_encode(const struct mvp_open *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = open_fields_check(m);

    if (rc)
        return rc;
    /* What we send ourselves must be a type this protocol version defines. */
    /* MvChannelType values, and the kernel's own update channel (PROTOCOL.md 7.4). */
    if (m->chan_type > MVP_MAX_CHANNEL_TYPE && m->chan_type != MVP_CHAN_UPDATE)
        return -MVP_E_INVALID;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->chan_type);
    mvp_w_u32(&w, m->window);
    mvp_w_bytes16(&w, m->endpoint, m->endpoint_len);
    return mvp_w_result(&w);
}

int mvp_open_decode(const uint8_t *in, size_t len, struct mvp_open *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->chan_type = mvp_r_u32(&r);
    m->window = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->endpoint, &m->endpoint_len, MVP_MAX_ENDPOINT);
    rc = mvp_r_end(&r);
    return rc ? rc : open_fields_check(m);
}

static int open_err_check(const struct mvp_open_err *m)
{
    /* OKAY is not a refusal. */
    if (m->status == 0 || m->status > MVP_MAX_MV_STATUS)
        return -MVP_E_INVALID;
    if (m->msg_len > MVP_MAX_ERRMSG)
        return -MVP_E_TOO_LONG;
    return 0;
}

int mvp_open_err_encode(const struct mvp_open_err *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = open_err_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->status);
    mvp_w_bytes16(&w, m->msg, m->msg_len);
    return mvp_w_result(&w);
}

int mvp_open_err_decode(const uint8_t *in, size_t len, struct mvp_open_err *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->status = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->msg, &m->msg_len, MVP_MAX_ERRMSG);
    rc = mvp_r_end(&r);
    return rc ? rc : open_err_check(m);
}

int mvp_u32_encode(uint32_t v, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, v);
    return mvp_w_result(&w);
}

int mvp_u32_decode(const uint8_t *in, size_t len, uint32_t *v)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, len);
    *v = mvp_r_u32(&r);
    return mvp_r_end(&r);
}

int mvp_open_ok_encode(uint32_t window, uint8_t *out, size_t cap)
{
    return window_ok(window) ? mvp_u32_encode(window, out, cap) : -MVP_E_INVALID;
}

int mvp_open_ok_decode(const uint8_t *in, size_t len, uint32_t *window)
{
    int rc = mvp_u32_decode(in, len, window);

    return rc ? rc : window_ok(*window) ? 0 : -MVP_E_INVALID;
}

int mvp_window_encode(uint32_t credit, uint8_t *out, size_t cap)
{
    return credit ? mvp_u32_encode(credit, out, cap) : -MVP_E_INVALID;
}

int mvp_window_decode(const uint8_t *in, size_t len, uint32_t *credit)
{
    int rc = mvp_u32_decode(in, len, credit);

    return rc ? rc : *credit ? 0 : -MVP_E_INVALID;
}

int mvp_close_encode(uint32_t reason, uint8_t *out, size_t cap)
{
    if (reason > MVP_MAX_CLOSURE_REASON)
        return -MVP_E_INVALID;
    return mvp_u32_encode(reason, out, cap);
}

int mvp_close_decode(const uint8_t *in, size_t len, uint32_t *reason)
{
    int rc = mvp_u32_decode(in, len, reason);

    return rc ? rc : *reason <= MVP_MAX_CLOSURE_REASON ? 0 : -MVP_E_INVALID;
}
