/* LOG batches and LOG_ACK (PROTOCOL.md "Logs"). The writer refuses a record that
 * does not fit without damaging the batch built so far, so the device can fill a
 * frame greedily; the iterator validates record by record without copying. */
#include "mvp/frame.h"
#include "mvp/log.h"
#include "mvp/wire.h"
#include "codec.h"

#define LOG_BATCH_HDR 10u  /* boot_id u64 + count u16 */
#define LOG_COUNT_OFF 8u
#define LOG_REC_FIXED 13u  /* seq u32 + device_us u64 + kind u8 */

void mvp_log_writer_init(struct mvp_log_writer *lw, uint8_t *out, size_t cap, uint64_t boot_id)
{
    /* A batch is one frame payload: never build a larger one. */
    if (cap > MVP_MAX_FRAME_PAYLOAD)
        cap = MVP_MAX_FRAME_PAYLOAD;
    mvp_w_init(&lw->w, out, cap);
    lw->count = 0;
    lw->last_seq = 0;
    mvp_w_u64(&lw->w, boot_id);
    mvp_w_u16(&lw->w, 0); /* patched by mvp_log_writer_end */
    if (boot_id == 0 && !lw->w.err)
        lw->w.err = MVP_E_INVALID;
}

size_t mvp_log_rec_size(const struct mvp_log_rec *rec)
{
    if (rec->kind == MVP_LOG_KIND_GAP)
        return LOG_REC_FIXED + 4u;
    return LOG_REC_FIXED + 2u + rec->msg_len;
}

static int rec_check(const struct mvp_log_rec *rec, uint32_t last_seq)
{
    if (rec->seq <= last_seq)
        return -MVP_E_INVALID; /* also rejects seq 0: sequences start at 1 */
    if (rec->kind == MVP_LOG_KIND_GAP)
        return rec->dropped ? 0 : -MVP_E_INVALID;
    if (rec->kind != MVP_LOG_KIND_MSG)
        return -MVP_E_INVALID;
    return rec->msg_len <= MVP_MAX_LOG_MSG ? 0 : -MVP_E_TOO_LONG;
}

int mvp_log_writer_add(struct mvp_log_writer *lw, const struct mvp_log_rec *rec)
{
    struct mvp_wbuf *w = &lw->w;
    int rc;

    if (w->err)
        return -w->err;
    rc = rec_check(rec, lw->last_seq);
    if (rc)
        return rc;
    if (lw->count == 0xffffu)
        return -MVP_E_TOO_MANY;
    if (mvp_log_rec_size(rec) > w->cap - w->len)
        return -MVP_E_NOSPACE; /* checked first: the batch so far stays valid */
    mvp_w_u32(w, rec->seq);
    mvp_w_u64(w, rec->device_us);
    mvp_w_u8(w, rec->kind);
    if (rec->kind == MVP_LOG_KIND_GAP)
        mvp_w_u32(w, rec->dropped);
    else
        mvp_w_bytes16(w, rec->msg, rec->msg_len);
    lw->count++;
    lw->last_seq = rec->seq;
    return mvp_w_done(w);
}

int mvp_log_writer_end(struct mvp_log_writer *lw)
{
    struct mvp_wbuf *w = &lw->w;

    if (w->err)
        return -w->err;
    if (lw->count == 0)
        return -MVP_E_INVALID; /* an empty batch is not a valid LOG payload */
    w->buf[LOG_COUNT_OFF] = (uint8_t)(lw->count >> 8);
    w->buf[LOG_COUNT_OFF + 1] = (uint8_t)lw->count;
    return (int)w->len;
}

int mvp_log_iter_init(struct mvp_log_iter *it, const uint8_t *in, size_t len,
                      uint64_t *boot_id, uint16_t *count)
{
    mvp_r_init(&it->r, in, len);
    *boot_id = mvp_r_u64(&it->r);
    *count = mvp_r_u16(&it->r);
    it->left = *count;
    it->last_seq = 0;
    it->started = 0;
    if (!it->r.err && (*boot_id == 0 || *count == 0))
        mvp_r_fail(&it->r, MVP_E_INVALID);
    return it->r.err ? -it->r.err : 0;
}

int mvp_log_iter_next(struct mvp_log_iter *it, struct mvp_log_rec *rec)
{
    struct mvp_rbuf *r = &it->r;
    int rc;

    if (r->err)
        return -r->err;
    if (it->left == 0)
        return mvp_r_end(r);
    rec->seq = mvp_r_u32(r);
    rec->device_us = mvp_r_u64(r);
    rec->kind = mvp_r_u8(r);
    rec->msg = NULL;
    rec->msg_len = 0;
    rec->dropped = 0;
    if (rec->kind == MVP_LOG_KIND_GAP)
        rec->dropped = mvp_r_u32(r);
    else if (rec->kind == MVP_LOG_KIND_MSG)
        mvp_r_bytes16(r, &rec->msg, &rec->msg_len, MVP_MAX_LOG_MSG);
    if (r->err)
        return -r->err;
    rc = rec_check(rec, it->last_seq);
    if (rc) {
        mvp_r_fail(r, rc); /* sticky: the rest of the batch is not trusted */
        return rc;
    }
    it->left--;
    it->last_seq = rec->seq;
    it->started = 1;
    return 1;
}

int mvp_log_ack_encode(uint64_t boot_id, uint32_t seq, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    if (boot_id == 0 || seq == 0)
        return -MVP_E_INVALID;
    mvp_w_init(&w, out, cap);
    mvp_w_u64(&w, boot_id);
    mvp_w_u32(&w, seq);
    return mvp_w_result(&w);
}

int mvp_log_ack_decode(const uint8_t *in, size_t len, uint64_t *boot_id, uint32_t *seq)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    *boot_id = mvp_r_u64(&r);
    *seq = mvp_r_u32(&r);
    rc = mvp_r_end(&r);
    if (rc == 0 && (*boot_id == 0 || *seq == 0))
        rc = -MVP_E_INVALID;
    return rc;
}
