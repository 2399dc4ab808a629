/* Unit tests for proto/src/log.c: batch writer (ordering, space, count patch),
 * iterator validation and LOG_ACK. */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/log.h"
#include "mvp/wire.h"

static const struct mvp_log_rec recs[] = {
    { .seq = 1, .device_us = 1000, .kind = MVP_LOG_KIND_MSG,
      .msg = (const uint8_t *)"hello", .msg_len = 5 },
    { .seq = 2, .device_us = 2000, .kind = MVP_LOG_KIND_GAP, .dropped = 3 },
    { .seq = 5, .device_us = 3000, .kind = MVP_LOG_KIND_MSG,
      .msg = (const uint8_t *)"", .msg_len = 0 },
};
#define NRECS (sizeof(recs) / sizeof(recs[0]))

static int build(uint8_t *b, size_t cap)
{
    struct mvp_log_writer lw;
    size_t i;

    mvp_log_writer_init(&lw, b, cap, 0xabcdefull);
    for (i = 0; i < NRECS; i++)
        cr_assert_eq(mvp_log_writer_add(&lw, &recs[i]), 0);
    return mvp_log_writer_end(&lw);
}

Test(log, batch_round_trip)
{
    uint8_t b[256];
    struct mvp_log_iter it;
    struct mvp_log_rec r;
    uint64_t boot;
    uint16_t count;
    int n = build(b, sizeof(b));
    size_t i;

    cr_assert_eq(n, 10 + (13 + 2 + 5) + (13 + 4) + (13 + 2));
    cr_assert_eq(mvp_log_iter_init(&it, b, (size_t)n, &boot, &count), 0);
    cr_assert_eq(boot, 0xabcdefull);
    cr_assert_eq(count, NRECS);
    for (i = 0; i < NRECS; i++) {
        cr_assert_eq(mvp_log_iter_next(&it, &r), 1);
        cr_assert_eq(r.seq, recs[i].seq);
        cr_assert_eq(r.device_us, recs[i].device_us);
        cr_assert_eq(r.kind, recs[i].kind);
        cr_assert_eq(r.msg_len, recs[i].msg_len);
        cr_assert_eq(r.dropped, recs[i].dropped);
        if (r.msg_len)
            cr_assert_eq(memcmp(r.msg, recs[i].msg, r.msg_len), 0);
    }
    cr_assert_eq(mvp_log_iter_next(&it, &r), 0);
}

Test(log, rec_size_matches_encoding)
{
    size_t i, total = 10;
    uint8_t b[256];

    for (i = 0; i < NRECS; i++)
        total += mvp_log_rec_size(&recs[i]);
    cr_assert_eq((size_t)build(b, sizeof(b)), total);
}

Test(log, writer_refuses_what_does_not_fit_and_keeps_the_batch)
{
    uint8_t b[256];
    struct mvp_log_writer lw;
    struct mvp_log_iter it;
    struct mvp_log_rec r;
    uint64_t boot;
    uint16_t count;
    int n;
    size_t cap = 10 + mvp_log_rec_size(&recs[0]) + mvp_log_rec_size(&recs[1]) - 1;

    mvp_log_writer_init(&lw, b, cap, 7);
    cr_assert_eq(mvp_log_writer_add(&lw, &recs[0]), 0);
    cr_assert_eq(mvp_log_writer_add(&lw, &recs[1]), -MVP_E_NOSPACE);
    n = mvp_log_writer_end(&lw);
    cr_assert_eq((size_t)n, 10 + mvp_log_rec_size(&recs[0]));
    cr_assert_eq(mvp_log_iter_init(&it, b, (size_t)n, &boot, &count), 0);
    cr_assert_eq(count, 1);
    cr_assert_eq(mvp_log_iter_next(&it, &r), 1);
    cr_assert_eq(mvp_log_iter_next(&it, &r), 0);
}

Test(log, writer_output_capacity_at_every_size)
{
    uint8_t b[256], ref[256];
    struct mvp_log_writer lw;
    size_t cap, i;
    int full = build(ref, sizeof(ref)), n;

    for (cap = 0; cap < (size_t)full; cap++) {
        mvp_log_writer_init(&lw, b, cap, 0xabcdefull);
        for (i = 0; i < NRECS; i++)
            (void)mvp_log_writer_add(&lw, &recs[i]);
        n = mvp_log_writer_end(&lw);
        cr_assert(n < full, "cap %zu", cap);
        if (n > 0)
            cr_assert_eq(b[9], (uint8_t)(n > 40 ? 2 : 1), "count patched at cap %zu", cap);
    }
}

Test(log, writer_rejects_bad_records)
{
    uint8_t b[2048];
    struct mvp_log_writer lw;
    struct mvp_log_rec r = recs[0];

    mvp_log_writer_init(&lw, b, sizeof(b), 1);
    cr_assert_eq(mvp_log_writer_end(&lw), -MVP_E_INVALID, "empty batch");
    r.seq = 0;
    cr_assert_eq(mvp_log_writer_add(&lw, &r), -MVP_E_INVALID);
    r.seq = 10;
    cr_assert_eq(mvp_log_writer_add(&lw, &r), 0);
    cr_assert_eq(mvp_log_writer_add(&lw, &r), -MVP_E_INVALID, "repeated seq");
    r.seq = 11;
    r.kind = 2;
    cr_assert_eq(mvp_log_writer_add(&lw, &r), -MVP_E_INVALID);
    r.kind = MVP_LOG_KIND_GAP;
    r.dropped = 0;
    cr_assert_eq(mvp_log_writer_add(&lw, &r), -MVP_E_INVALID);
    r.kind = MVP_LOG_KIND_MSG;
    r.msg_len = MVP_MAX_LOG_MSG + 1;
    cr_assert_eq(mvp_log_writer_add(&lw, &r), -MVP_E_TOO_LONG);
    cr_assert_eq(mvp_log_writer_end(&lw), 10 + 13 + 2 + 5);
    mvp_log_writer_init(&lw, b, sizeof(b), 0);
    cr_assert_eq(mvp_log_writer_add(&lw, &recs[0]), -MVP_E_INVALID, "boot id 0");
}

static int iterate_all(const uint8_t *b, size_t n)
{
    struct mvp_log_iter it;
    struct mvp_log_rec r;
    uint64_t boot;
    uint16_t count;
    int rc = mvp_log_iter_init(&it, b, n, &boot, &count);

    while (rc == 0 && (rc = mvp_log_iter_next(&it, &r)) == 1)
        rc = 0;
    return rc;
}

Test(log, truncated_at_every_length)
{
    uint8_t b[256];
    int n = build(b, sizeof(b));
    size_t len;

    for (len = 0; len < (size_t)n; len++)
        cr_assert_eq(iterate_all(b, len), -MVP_E_TRUNCATED, "len %zu", len);
    cr_assert_eq(iterate_all(b, (size_t)n), 0);
}

Test(log, iterator_rejects_malformed_batches)
{
    uint8_t b[256];
    int n = build(b, sizeof(b));

    b[n] = 0;
    cr_assert_eq(iterate_all(b, (size_t)n + 1), -MVP_E_TRAILING);
    b[9] = 0; /* count 0 */
    cr_assert_eq(iterate_all(b, (size_t)n), -MVP_E_INVALID);
    n = build(b, sizeof(b));
    memset(b, 0, 8); /* boot id 0 */
    cr_assert_eq(iterate_all(b, (size_t)n), -MVP_E_INVALID);
    n = build(b, sizeof(b));
    b[10 + 12] = 7; /* kind of record 1 */
    cr_assert_eq(iterate_all(b, (size_t)n), -MVP_E_INVALID);
    n = build(b, sizeof(b));
    b[10 + 20 + 3] = 1; /* record 1 gets seq 1: not increasing */
    cr_assert_eq(iterate_all(b, (size_t)n), -MVP_E_INVALID);
    n = build(b, sizeof(b));
    memset(b + 10 + 20 + 13, 0, 4); /* GAP dropped 0 */
    cr_assert_eq(iterate_all(b, (size_t)n), -MVP_E_INVALID);
}

Test(log, message_length_over_limit_is_too_long)
{
    static uint8_t b[2048];
    struct mvp_log_writer lw;
    static uint8_t msg[MVP_MAX_LOG_MSG];
    struct mvp_log_rec r = { .seq = 1, .kind = MVP_LOG_KIND_MSG, .msg = msg,
                             .msg_len = MVP_MAX_LOG_MSG };
    int n;

    mvp_log_writer_init(&lw, b, sizeof(b), 1);
    cr_assert_eq(mvp_log_writer_add(&lw, &r), 0);
    n = mvp_log_writer_end(&lw);
    cr_assert_eq(iterate_all(b, (size_t)n), 0);
    b[10 + 13] = 0x04;
    b[10 + 14] = 0x01; /* 1025 */
    b[n] = 0;
    cr_assert_eq(iterate_all(b, (size_t)n + 1), -MVP_E_TOO_LONG);
}

Test(log, ack_round_trip_and_checks)
{
    uint8_t b[16];
    uint64_t boot;
    uint32_t seq;
    size_t len;

    cr_assert_eq(mvp_log_ack_encode(9, 77, b, sizeof(b)), 12);
    cr_assert_eq(mvp_log_ack_decode(b, 12, &boot, &seq), 0);
    cr_assert_eq(boot, 9);
    cr_assert_eq(seq, 77);
    for (len = 0; len < 12; len++)
        cr_assert_eq(mvp_log_ack_decode(b, len, &boot, &seq), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_log_ack_decode(b, 13, &boot, &seq), -MVP_E_TRAILING);
    cr_assert_eq(mvp_log_ack_encode(0, 1, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_log_ack_encode(1, 0, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_log_ack_encode(1, 1, b, 11), -MVP_E_NOSPACE);
    memset(b + 8, 0, 4);
    cr_assert_eq(mvp_log_ack_decode(b, 12, &boot, &seq), -MVP_E_INVALID);
}
