/* The log record store. The buffer is application memory, so the kernel treats what it
 * reads back as untrusted: every record header is copied out and checked before use,
 * and a damaged tail is cut off and counted as dropped (it becomes a GAP record).
 * Records are packed from the start; acknowledged ones are moved out (the buffer is a
 * few KiB and acks are rare compared with the cost of a wrap-around ring's bugs). */
#include "log_priv.h"

#include <string.h>

#include "clock.h"

struct mvk_log mvk_log_st;

static uint32_t pad4(uint32_t n)
{
    return (n + 3u) & ~3u;
}

uint32_t mvk_log_rec_space(uint32_t payload_len)
{
    return MVK_LOG_REC_HDR + pad4(payload_len);
}

int mvk_log_rec_at(uint32_t off, struct mvk_log_rec *r)
{
    struct mvk_log *L = &mvk_log_st;
    uint8_t h[MVK_LOG_REC_HDR];

    if (off >= L->used)
        return 0;
    if (L->used - off < MVK_LOG_REC_HDR)
        goto bad;
    memcpy(h, L->buf + off, sizeof h);
    r->kind = h[0];
    r->len = (uint16_t)(h[2] | h[3] << 8);
    memcpy(&r->seq, h + 4, sizeof r->seq);
    memcpy(&r->us, h + 8, sizeof r->us);
    if (r->kind == MVP_LOG_KIND_MSG ? r->len > MVK_LOG_MAX_MSG
                                    : (r->kind != MVP_LOG_KIND_GAP || r->len != 4))
        goto bad;
    if (mvk_log_rec_space(r->len) > L->used - off)
        goto bad;
    r->payload = L->buf + off + MVK_LOG_REC_HDR;
    r->size = mvk_log_rec_space(r->len);
    return 1;
bad:
    /* Someone overwrote the buffer: keep what is intact and account for the rest. */
    L->used = off;
    L->dropped++;
    return 0;
}

int mvk_log_append(uint8_t kind, const uint8_t *payload, uint16_t len)
{
    struct mvk_log *L = &mvk_log_st;
    uint8_t h[MVK_LOG_REC_HDR] = {kind, 0, (uint8_t)len, (uint8_t)(len >> 8)};
    uint64_t us = mvk_clock_now_us();
    uint32_t need = mvk_log_rec_space(len);

    if (need > L->cap - L->used)
        return -1;
    memcpy(h + 4, &L->next_seq, sizeof L->next_seq);
    memcpy(h + 8, &us, sizeof us);
    memcpy(L->buf + L->used, h, sizeof h);
    if (len > 0)
        memmove(L->buf + L->used + MVK_LOG_REC_HDR, payload, len);
    L->used += need;
    L->next_seq++;
    return 0;
}

/* Appends the pending GAP record if it fits with `reserve` more bytes after it. */
int mvk_log_flush_gap(uint32_t reserve)
{
    struct mvk_log *L = &mvk_log_st;
    uint8_t d[4];

    if (L->dropped == 0)
        return 0;
    if (mvk_log_rec_space(4) > L->cap - L->used ||
        reserve > L->cap - L->used - mvk_log_rec_space(4))
        return -1;
    memcpy(d, &L->dropped, sizeof d);
    if (mvk_log_append(MVP_LOG_KIND_GAP, d, sizeof d) != 0)
        return -1;
    L->dropped = 0;
    return 0;
}

void mvk_log_drop_acked(uint32_t seq)
{
    struct mvk_log *L = &mvk_log_st;
    struct mvk_log_rec r;
    uint32_t off = 0;

    while (mvk_log_rec_at(off, &r) && r.seq <= seq)
        off += r.size;
    if (off > L->used)
        off = L->used;
    memmove(L->buf, L->buf + off, L->used - off);
    L->used -= off;
}
