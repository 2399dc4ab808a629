/* Log records lost with a faulted application's buffer. The buffer is app memory that
 * the restarted application reuses, so its unacknowledged records cannot be kept. Those
 * never handed to conn are certainly lost: counted at once (the next mvServerLoggingInit
 * writes their GAP). Those already sent are pending: the relay may still store them.
 * Cumulative acknowledgements shrink the pending ranges; the next WELCOME settles what
 * is left (its log_acked_seq says what the relay stored), and the rest is counted for a
 * second GAP. Nothing is lost silently, and the count is exact unless ranges merged. */
#include "log_priv.h"

#include <string.h>

static uint32_t sat_add(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/* A MSG record is one message; a GAP record stands for the messages it reports. */
static uint32_t weight_of(const struct mvk_log_rec *r)
{
    uint32_t n = 1;

    if (r->kind == MVP_LOG_KIND_GAP)
        memcpy(&n, r->payload, sizeof n);
    return n;
}

/* Remembers a sent record as pending (ranges ascending in seq). */
static void pending_add(const struct mvk_log_rec *r)
{
    struct mvk_log *L = &mvk_log_st;
    struct mvk_log_lost *t = L->nlost > 0 ? &L->lost[L->nlost - 1] : 0;
    int msg = r->kind == MVP_LOG_KIND_MSG;
    uint32_t w = weight_of(r);

    if (t && t->exact && msg && r->seq == t->last + 1u) {
        t->last = r->seq; /* the common case: one run of consecutive messages */
        t->weight = sat_add(t->weight, 1);
        return;
    }
    if (L->nlost < MVK_LOG_LOST_RANGES) {
        L->lost[L->nlost++] = (struct mvk_log_lost){r->seq, r->seq, w, msg};
        return;
    }
    /* Out of ranges (a buffer with many gaps): merge into the newest range. A partial
     * ack of a merged range then counts nothing as delivered, so the GAP may
     * over-count, never under-count. */
    t->last = r->seq;
    t->weight = sat_add(t->weight, w);
    t->exact = 0;
}

void mvk_log_lost_add(const struct mvk_log_rec *r)
{
    struct mvk_log *L = &mvk_log_st;

    if (r->seq > L->sent_hi)
        L->dropped = sat_add(L->dropped, weight_of(r)); /* never reached conn */
    else
        pending_add(r);
}

void mvk_log_lost_ack(uint32_t seq)
{
    struct mvk_log *L = &mvk_log_st;
    uint32_t done = 0;

    while (done < L->nlost && L->lost[done].last <= seq)
        done++;
    memmove(L->lost, L->lost + done, (L->nlost - done) * sizeof L->lost[0]);
    L->nlost -= done;
    if (L->nlost > 0 && L->lost[0].exact && L->lost[0].first <= seq) {
        L->lost[0].weight -= seq - L->lost[0].first + 1u;
        L->lost[0].first = seq + 1u;
    }
}

void mvk_log_lost_settle(int acked_valid, uint32_t acked_seq)
{
    struct mvk_log *L = &mvk_log_st;

    /* The connection that carried the pending records is gone: what the relay did not
     * store by now it never will. Without a valid acked seq it stored none of them. */
    if (acked_valid)
        mvk_log_lost_ack(acked_seq);
    for (uint32_t i = 0; i < L->nlost; i++)
        L->dropped = sat_add(L->dropped, L->lost[i].weight);
    L->nlost = 0;
}
