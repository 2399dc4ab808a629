/* Log records lost with a faulted application's buffer. The buffer is app memory that
 * the restarted application reuses, so its unacknowledged records cannot be kept; the
 * kernel remembers which seqs they had and how many messages they stood for, drops
 * the ones the relay acknowledges afterwards (they were stored after all), and the
 * next mvServerLoggingInit turns the rest into a GAP record: nothing is lost silently. */
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

void mvk_log_lost_add(const struct mvk_log_rec *r)
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

uint32_t mvk_log_lost_take(void)
{
    struct mvk_log *L = &mvk_log_st;
    uint32_t n = 0;

    for (uint32_t i = 0; i < L->nlost; i++)
        n = sat_add(n, L->lost[i].weight);
    L->nlost = 0;
    return n;
}
