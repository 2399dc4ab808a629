/* LOG and LOG_ACK payloads (PROTOCOL.md "Logs").
 * LOG: {boot_id u64, count u16 >= 1, records...}; record: {seq u32, device_us u64,
 *      kind u8, then kind MSG: bytes16 message <= MVP_MAX_LOG_MSG; kind GAP: dropped u32 > 0}
 * Records in a batch have strictly increasing seq. A GAP record stands for `dropped`
 * messages the device had to discard; it has its own seq.
 * LOG_ACK: {boot_id u64, seq u32}: every record of that boot with seq <= this one is
 * stored durably. */
#ifndef MVP_LOG_H
#define MVP_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/wire.h"

#define MVP_MAX_LOG_MSG 1024u
#define MVP_LOG_KIND_MSG 0u
#define MVP_LOG_KIND_GAP 1u

struct mvp_log_rec {
    uint32_t seq;
    uint64_t device_us;
    uint8_t kind;
    const uint8_t *msg; /* MSG only */
    uint16_t msg_len;
    uint32_t dropped;   /* GAP only */
};

/* Encoding a batch: begin, add records (each checks seq order and space), end patches
 * the count and returns the payload length or -err. */
struct mvp_log_writer {
    struct mvp_wbuf w;
    uint16_t count;
    uint32_t last_seq;
};
void mvp_log_writer_init(struct mvp_log_writer *lw, uint8_t *out, size_t cap, uint64_t boot_id);
/* -MVP_E_NOSPACE when the record does not fit (the batch so far stays valid). */
int mvp_log_writer_add(struct mvp_log_writer *lw, const struct mvp_log_rec *rec);
/* Bytes rec would occupy in a batch. */
size_t mvp_log_rec_size(const struct mvp_log_rec *rec);
int mvp_log_writer_end(struct mvp_log_writer *lw);

/* Decoding: an iterator that validates as it goes. */
struct mvp_log_iter {
    struct mvp_rbuf r;
    uint16_t left;
    uint32_t last_seq;
    int started;
};
/* Reads the batch header: -MVP_E_INVALID for count 0. */
int mvp_log_iter_init(struct mvp_log_iter *it, const uint8_t *in, size_t len,
                      uint64_t *boot_id, uint16_t *count);
/* 1 with *rec filled, 0 at the end (after checking no trailing bytes), or -err. */
int mvp_log_iter_next(struct mvp_log_iter *it, struct mvp_log_rec *rec);

int mvp_log_ack_encode(uint64_t boot_id, uint32_t seq, uint8_t *out, size_t cap);
int mvp_log_ack_decode(const uint8_t *in, size_t len, uint64_t *boot_id, uint32_t *seq);

#endif
