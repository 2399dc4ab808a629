/* Log state shared by log_ring.c (record store) and log.c (session and system calls). */
#ifndef MVK_LOG_PRIV_H
#define MVK_LOG_PRIV_H

#include <stdint.h>

#include "log.h"
#include "mvk_limits.h"
#include "mvp/log.h"

/* Record in the buffer: {kind u8, 0, len u16 LE, seq u32, device_us u64} + payload
 * padded to 4 bytes (native byte order: only this kernel reads it). A GAP's payload is
 * its dropped count (u32). */
#define MVK_LOG_REC_HDR 16u

/* Records lost with a faulted application's buffer after being handed to conn, not yet
 * known to be stored or lost (pending): seqs [first, last] standing for `weight` messages. `exact`: one message per seq (a run of MSG records), so an ack
 * inside the range can be subtracted; otherwise (a GAP record, or merged ranges) only
 * an ack covering `last` removes it. */
struct mvk_log_lost {
    uint32_t first, last, weight;
    int exact;
};

struct mvk_log {
    uint8_t *buf; /* app memory; 0 until mvServerLoggingInit */
    uint32_t cap, used;
    uint64_t boot_id;
    uint32_t next_seq;
    uint32_t sent_seq; /* highest seq handed to conn in this session */
    /* Highest seq that may have reached the relay unacknowledged: sent_seq's maximum
     * since the last WELCOME with a valid log_acked_seq (records above it that WELCOME
     * did not cover were certainly not stored). */
    uint32_t sent_hi;
    /* Messages known lost and not yet in a GAP record: refused for a full buffer, lost
     * with a faulted application's buffer, or pending ones the relay never stored. */
    uint32_t dropped;
    int up, disabled;
    uint32_t max_payload;
    struct mvk_log_lost lost[MVK_LOG_LOST_RANGES]; /* oldest first */
    uint32_t nlost;
};
extern struct mvk_log mvk_log_st;

struct mvk_log_rec {
    uint8_t kind;
    uint16_t len;
    uint32_t seq;
    uint64_t us;
    const uint8_t *payload;
    uint32_t size; /* bytes the record occupies */
};

uint32_t mvk_log_rec_space(uint32_t payload_len);
/* 1 and *r for a valid record at off, 0 at the end (or after cutting off damage). */
int mvk_log_rec_at(uint32_t off, struct mvk_log_rec *r);
int mvk_log_append(uint8_t kind, const uint8_t *payload, uint16_t len);
int mvk_log_flush_gap(uint32_t reserve);
void mvk_log_drop_acked(uint32_t seq);
/* log_lost.c: a record of a faulted application's buffer is counted in `dropped` at
 * once if it was never sent, otherwise kept pending; LOG_ACKs remove stored pending
 * records; the next WELCOME settles the rest (the unstored ones go to `dropped`). */
void mvk_log_lost_add(const struct mvk_log_rec *r);
void mvk_log_lost_ack(uint32_t seq);
void mvk_log_lost_settle(int acked_valid, uint32_t acked_seq);

#endif
