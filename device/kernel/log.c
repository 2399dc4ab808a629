/* Log delivery: batching unsent records into LOG frames, acknowledgements, session
 * changes and the two logging system calls. Sequence numbers start at 1 per boot id and
 * are never reused, so the relay can store each record exactly once. */
#include "log_priv.h"

#include <string.h>

#include "appmem.h"
#include "conn.h"
#include "net.h"

static uint8_t scratch[MVK_TX_SCRATCH];

void mvk_log_init(uint64_t boot_id)
{
    memset(&mvk_log_st, 0, sizeof mvk_log_st);
    mvk_log_st.boot_id = boot_id;
    mvk_log_st.next_seq = 1;
}

uint64_t mvk_log_boot_id(void)
{
    return mvk_log_st.boot_id;
}

uint32_t mvk_log_next_seq(void)
{
    return mvk_log_st.next_seq;
}

int mvk_log_wants_network(void)
{
    const struct mvk_log *L = &mvk_log_st;

    return L->buf != 0 && !L->disabled && (L->used > 0 || L->dropped > 0);
}

/* Fills one batch with records after sent_seq; returns its length (0 if none). */
static int build_batch(uint32_t cap, uint32_t *last)
{
    struct mvk_log *L = &mvk_log_st;
    struct mvp_log_writer w;
    struct mvk_log_rec r;
    uint32_t off = 0;

    mvp_log_writer_init(&w, scratch, cap, L->boot_id);
    while (mvk_log_rec_at(off, &r)) {
        off += r.size;
        if (r.seq <= L->sent_seq)
            continue;
        struct mvp_log_rec m = {r.seq, r.us, r.kind, r.payload, r.len, 0};
        if (r.kind == MVP_LOG_KIND_GAP) {
            memcpy(&m.dropped, r.payload, sizeof m.dropped);
            m.msg = 0;
            m.msg_len = 0;
        }
        if (mvp_log_writer_add(&w, &m) < 0)
            break;
        *last = r.seq;
    }
    return w.count == 0 ? 0 : mvp_log_writer_end(&w);
}

/* Walks every record once, which cuts off a damaged tail, then records any pending
 * gap so that it is delivered in order with the rest. */
static void check_and_flush_gap(void)
{
    struct mvk_log_rec r;
    uint32_t off = 0;

    while (mvk_log_rec_at(off, &r))
        off += r.size;
    mvk_log_flush_gap(0);
}

void mvk_log_pump(void)
{
    struct mvk_log *L = &mvk_log_st;

    if (L->buf)
        check_and_flush_gap();
    while (L->up && !L->disabled && L->buf) {
        uint32_t cap = mvk_conn_send_space(), last = 0;
        int n;
        if (cap > L->max_payload)
            cap = L->max_payload;
        if (cap > sizeof scratch)
            cap = sizeof scratch;
        n = build_batch(cap, &last);
        if (n <= 0 || mvk_conn_send(MVP_LOG, MVP_CTRL_CHANNEL, scratch, (uint32_t)n) != 0)
            return;
        L->sent_seq = last;
        if (last > L->sent_hi)
            L->sent_hi = last;
    }
}

void mvk_log_session_up(const struct mvp_welcome *w)
{
    struct mvk_log *L = &mvk_log_st;
    int valid = (w->flags & MVP_WELCOME_LOG_ACKED_VALID) != 0;

    L->up = 1;
    L->disabled = (w->flags & MVP_WELCOME_LOGGING_DISABLED) != 0;
    L->max_payload = w->max_payload;
    L->sent_seq = 0; /* resend everything not yet acknowledged, oldest first */
    if (valid) {
        L->sent_hi = 0; /* the relay stored none above log_acked_seq */
        if (L->buf)
            mvk_log_drop_acked(w->log_acked_seq);
    }
    /* Records a faulted application had sent: the relay says which it stored, the rest
     * become a GAP (now, or at the next mvServerLoggingInit). */
    mvk_log_lost_settle(valid, w->log_acked_seq);
    if (L->buf)
        mvk_log_flush_gap(0);
    mvk_log_pump();
}

void mvk_log_session_down(void)
{
    mvk_log_st.up = 0;
}

void mvk_log_ack(const uint8_t *payload, uint32_t len)
{
    struct mvk_log *L = &mvk_log_st;
    uint64_t boot;
    uint32_t seq;

    if (mvp_log_ack_decode(payload, len, &boot, &seq) < 0 || boot != L->boot_id ||
        seq >= L->next_seq)
        return;
    mvk_log_lost_ack(seq); /* cumulative: pending records <= seq were stored */
    if (L->buf) {
        mvk_log_drop_acked(seq);
        mvk_log_flush_gap(0);
    }
    mvk_log_pump();
    mvk_net_update();
}

enum MvStatus mvk_impl_server_logging_init(uint8_t *buf, uint32_t len)
{
    struct mvk_log *L = &mvk_log_st;

    if (L->buf || mvk_appmem_in_use(buf, len))
        return MV_STATUS_BUFFERALREADYINUSE;
    if (mvk_appmem_claim(buf, len) != 0)
        return MV_STATUS_INTERNALERROR;
    L->buf = buf;
    L->cap = len;
    L->used = 0;
    /* Messages already known lost (never sent by a previous application's buffer, see
     * mvk_log_app_reset, or settled meanwhile) become the first record of this one; an
     * empty buffer of at least 4 KiB always has room. Records that buffer had sent are
     * settled later by the relay's acknowledgement (log_lost.c). */
    (void)mvk_log_flush_gap(0);
    mvk_log_pump();
    mvk_net_update();
    return MV_STATUS_OKAY;
}

void mvk_log_app_reset(void)
{
    struct mvk_log *L = &mvk_log_st;
    struct mvk_log_rec r;
    uint32_t off = 0;

    if (!L->buf)
        return;
    /* Everything still in the buffer is unacknowledged (acked records are removed):
     * counted as lost if never sent, pending until acked or settled otherwise. */
    while (mvk_log_rec_at(off, &r)) {
        mvk_log_lost_add(&r);
        off += r.size;
    }
    mvk_appmem_release(L->buf);
    L->buf = 0;
    L->cap = L->used = 0;
}

enum MvStatus mvk_impl_server_log(const uint8_t *msg, uint16_t len)
{
    struct mvk_log *L = &mvk_log_st;

    if (!L->buf)
        return MV_STATUS_UNAVAILABLE;
    if (L->disabled)
        return MV_STATUS_LOGGINGDISABLEDBYSERVER;
    if (mvk_log_flush_gap(mvk_log_rec_space(len)) != 0 ||
        mvk_log_append(MVP_LOG_KIND_MSG, msg, len) != 0) {
        L->dropped++;
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    mvk_log_pump();
    mvk_net_update();
    return MV_STATUS_OKAY;
}
