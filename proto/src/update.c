/* Update channel messages (PROTOCOL.md "Update channel"). App ids and reasons are
 * printable ASCII so that the relay can store and show them without escaping. */
#include "mvp/update.h"
#include "codec.h"
#include "mvp/wire.h"

static int printable(const uint8_t *p, size_t n, int allow_space)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < (allow_space ? 0x20 : 0x21) || p[i] > 0x7e)
            return 0;
    return 1;
}

static int app_id_check(const uint8_t *p, uint16_t n, int may_be_empty)
{
    if (n > MVP_UPD_MAX_APP_ID)
        return -MVP_E_TOO_LONG;
    if ((n == 0 && !may_be_empty) || (n && (!p || !printable(p, n, 0))))
        return -MVP_E_INVALID;
    return 0;
}

const char *mvp_upd_state_name(uint8_t state)
{
    static const char *const names[] = {"idle",    "downloading", "downloaded",
                                        "applied", "failed",      "rolled back"};
    return state <= MVP_UPD_STATE_MAX ? names[state] : "unknown";
}

static int status_check(const struct mvp_upd_status *m)
{
    if (m->state > MVP_UPD_STATE_MAX)
        return -MVP_E_INVALID;
    if (m->reason_len > MVP_UPD_MAX_REASON)
        return -MVP_E_TOO_LONG;
    if (m->reason_len && (!m->reason || !printable(m->reason, m->reason_len, 1)))
        return -MVP_E_INVALID;
    return app_id_check(m->app_id, m->app_id_len, 1);
}

int mvp_upd_status_encode(const struct mvp_upd_status *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = status_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u8(&w, m->state);
    mvp_w_u8(&w, 0);
    mvp_w_u16(&w, 0);
    mvp_w_u32(&w, m->offset);
    mvp_w_bytes16(&w, m->app_id, m->app_id_len);
    mvp_w_bytes16(&w, m->reason, m->reason_len);
    return mvp_w_result(&w);
}

int mvp_upd_status_decode(const uint8_t *in, size_t len, struct mvp_upd_status *m)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, len);
    m->state = mvp_r_u8(&r);
    uint8_t r1 = mvp_r_u8(&r);
    uint16_t r2 = mvp_r_u16(&r);
    m->offset = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->app_id, &m->app_id_len, MVP_UPD_MAX_APP_ID);
    mvp_r_bytes16(&r, &m->reason, &m->reason_len, MVP_UPD_MAX_REASON);
    int rc = mvp_r_end(&r);
    if (rc)
        return rc;
    if (r1 || r2)
        return -MVP_E_INVALID;
    return status_check(m);
}

static int offer_check(const struct mvp_upd_offer *m)
{
    if (m->size > MVP_UPD_MAX_BUNDLE)
        return -MVP_E_TOO_LONG;
    if (m->size == 0)
        return -MVP_E_INVALID;
    return app_id_check(m->app_id, m->app_id_len, 0);
}

int mvp_upd_offer_encode(const struct mvp_upd_offer *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = offer_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->size);
    mvp_w_bytes16(&w, m->app_id, m->app_id_len);
    return mvp_w_result(&w);
}

int mvp_upd_offer_decode(const uint8_t *in, size_t len, struct mvp_upd_offer *m)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, len);
    m->size = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->app_id, &m->app_id_len, MVP_UPD_MAX_APP_ID);
    int rc = mvp_r_end(&r);
    return rc ? rc : offer_check(m);
}

int mvp_upd_fetch_encode(const struct mvp_upd_fetch *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = app_id_check(m->app_id, m->app_id_len, 0);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->offset);
    mvp_w_bytes16(&w, m->app_id, m->app_id_len);
    return mvp_w_result(&w);
}

int mvp_upd_fetch_decode(const uint8_t *in, size_t len, struct mvp_upd_fetch *m)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, len);
    m->offset = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->app_id, &m->app_id_len, MVP_UPD_MAX_APP_ID);
    int rc = mvp_r_end(&r);
    return rc ? rc : app_id_check(m->app_id, m->app_id_len, 0);
}

int mvp_upd_chunk_encode(const struct mvp_upd_chunk *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    if (m->len > MVP_UPD_MAX_CHUNK)
        return -MVP_E_TOO_LONG;
    if (m->len == 0 || !m->data)
        return -MVP_E_INVALID;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->offset);
    mvp_w_bytes32(&w, m->data, m->len);
    return mvp_w_result(&w);
}

int mvp_upd_chunk_decode(const uint8_t *in, size_t len, struct mvp_upd_chunk *m)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, len);
    m->offset = mvp_r_u32(&r);
    mvp_r_bytes32(&r, &m->data, &m->len, MVP_UPD_MAX_CHUNK);
    int rc = mvp_r_end(&r);
    if (rc)
        return rc;
    return m->len == 0 ? -MVP_E_INVALID : 0;
}
