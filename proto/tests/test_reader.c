/* Unit tests for proto/src/reader.c: the same stream must yield the same frames
 * however it is split (every two-way split, byte by byte, pseudo-random chunks). */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"
#include "mvp/frame.h"
#include "mvp/wire.h"

#define NFRAMES 5
static const uint16_t lens[NFRAMES] = { 0, 1, 7, 300, 2 };
static uint8_t stream[4096];
static size_t stream_len;

/* Builds NFRAMES frames with payload byte i of frame k = k * 31 + i. */
static void build_stream(void)
{
    uint8_t payload[512];
    size_t k, i;
    int n;

    stream_len = 0;
    for (k = 0; k < NFRAMES; k++) {
        for (i = 0; i < lens[k]; i++)
            payload[i] = (uint8_t)(k * 31 + i);
        n = mvp_frame_encode((uint8_t)(MVP_DATA + k), (uint8_t)k, (uint16_t)(k + 1), payload,
                             lens[k], stream + stream_len, sizeof(stream) - stream_len);
        cr_assert_gt(n, 0);
        stream_len += (size_t)n;
    }
}

struct collect {
    struct mvp_reader r;
    uint8_t buf[512];
    size_t frames;
};

static void check_frame(const struct collect *c, const struct mvp_frame *f)
{
    size_t k = c->frames, i;

    cr_assert_lt(k, NFRAMES);
    cr_assert_eq(f->hdr.type, MVP_DATA + k);
    cr_assert_eq(f->hdr.flags, k);
    cr_assert_eq(f->hdr.chan, k + 1);
    cr_assert_eq(f->hdr.len, lens[k]);
    for (i = 0; i < lens[k]; i++)
        cr_assert_eq(f->payload[i], (uint8_t)(k * 31 + i), "frame %zu byte %zu", k, i);
}

/* Feeds one chunk through the documented loop. */
static void feed(struct collect *c, const uint8_t *p, size_t len)
{
    struct mvp_frame f;
    size_t used;
    int rc;

    while (len) {
        rc = mvp_reader_feed(&c->r, p, len, &used, &f);
        cr_assert_geq(rc, 0, "feed: %s", mvp_strerror(rc));
        cr_assert_leq(used, len);
        cr_assert(used > 0 || rc == 1, "no progress");
        p += used;
        len -= used;
        if (rc == 1) {
            check_frame(c, &f);
            c->frames++;
        }
    }
}

static void collect_init(struct collect *c)
{
    memset(c, 0, sizeof(*c));
    mvp_reader_init(&c->r, c->buf, sizeof(c->buf), sizeof(c->buf));
}

Test(reader, whole_stream_at_once)
{
    struct collect c;

    build_stream();
    collect_init(&c);
    feed(&c, stream, stream_len);
    cr_assert_eq(c.frames, NFRAMES);
    cr_assert(mvp_reader_idle(&c.r));
}

Test(reader, split_at_every_byte_boundary)
{
    struct collect c;
    size_t cut;

    build_stream();
    for (cut = 0; cut <= stream_len; cut++) {
        collect_init(&c);
        feed(&c, stream, cut);
        feed(&c, stream + cut, stream_len - cut);
        cr_assert_eq(c.frames, NFRAMES, "cut %zu", cut);
        cr_assert(mvp_reader_idle(&c.r));
    }
}

Test(reader, byte_by_byte)
{
    struct collect c;
    size_t i;

    build_stream();
    collect_init(&c);
    for (i = 0; i < stream_len; i++)
        feed(&c, stream + i, 1);
    cr_assert_eq(c.frames, NFRAMES);
}

Test(reader, pseudo_random_chunks)
{
    struct collect c;
    uint32_t seed = 12345;
    size_t off, n;
    int round;

    build_stream();
    for (round = 0; round < 200; round++) {
        collect_init(&c);
        for (off = 0; off < stream_len; off += n) {
            n = 1 + t_rand(&seed) % 40;
            if (n > stream_len - off)
                n = stream_len - off;
            feed(&c, stream + off, n);
        }
        cr_assert_eq(c.frames, NFRAMES, "round %d", round);
    }
}

Test(reader, empty_input_is_no_progress)
{
    struct collect c;
    struct mvp_frame f;
    size_t used = 99;

    collect_init(&c);
    cr_assert_eq(mvp_reader_feed(&c.r, NULL, 0, &used, &f), 0);
    cr_assert_eq(used, 0);
    cr_assert(mvp_reader_idle(&c.r));
}

Test(reader, partial_header_is_not_idle)
{
    struct collect c;

    build_stream();
    collect_init(&c);
    feed(&c, stream, 3);
    cr_assert(!mvp_reader_idle(&c.r));
}

Test(reader, oversized_length_fails_before_buffering_and_is_sticky)
{
    static const uint8_t bad[] = { 0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0x02, 0x01, 0xff };
    struct mvp_reader r;
    uint8_t buf[1024];
    struct mvp_frame f;
    size_t used;

    mvp_reader_init(&r, buf, sizeof(buf), 512);
    cr_assert_eq(mvp_reader_feed(&r, bad, sizeof(bad), &used, &f), -MVP_E_TOO_LONG);
    cr_assert_eq(used, MVP_HDR_LEN);
    cr_assert_eq(mvp_reader_feed(&r, bad, sizeof(bad), &used, &f), -MVP_E_TOO_LONG);
    cr_assert_eq(used, 0);
}

Test(reader, length_over_buffer_is_nospace)
{
    static const uint8_t bad[] = { 0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x01 };
    struct mvp_reader r;
    uint8_t buf[256];
    struct mvp_frame f;
    size_t used;

    mvp_reader_init(&r, buf, sizeof(buf), MVP_MAX_FRAME_PAYLOAD);
    cr_assert_eq(mvp_reader_feed(&r, bad, sizeof(bad), &used, &f), -MVP_E_NOSPACE);
}

Test(reader, stops_at_the_end_of_one_frame)
{
    struct collect c;
    struct mvp_frame f;
    size_t used;

    build_stream();
    collect_init(&c);
    /* Frame 0 has an empty payload: exactly its header is consumed. */
    cr_assert_eq(mvp_reader_feed(&c.r, stream, stream_len, &used, &f), 1);
    cr_assert_eq(used, MVP_HDR_LEN);
    cr_assert_eq(f.hdr.len, 0);
    cr_assert_eq(mvp_reader_feed(&c.r, stream + used, stream_len - used, &used, &f), 1);
    cr_assert_eq(used, MVP_HDR_LEN + 1);
    cr_assert_eq(f.payload[0], 31);
}

/* The loop the device uses: whole frames in place, the rest through the reader. */
static void feed_fast(struct collect *c, const uint8_t *p, size_t len, size_t *in_place)
{
    struct mvp_frame f;
    size_t used;
    int rc;

    while (len) {
        rc = mvp_reader_take_whole(&c->r, p, len, &used, &f);
        if (rc == 1) {
            cr_assert(f.payload == p + MVP_HDR_LEN, "payload not in place");
            (*in_place)++;
        } else {
            cr_assert_eq(used, 0);
            rc = mvp_reader_feed(&c->r, p, len, &used, &f);
        }
        cr_assert_geq(rc, 0, "feed: %s", mvp_strerror(rc));
        p += used;
        len -= used;
        if (rc == 1) {
            check_frame(c, &f);
            c->frames++;
        }
    }
}

Test(reader, take_whole_gives_the_same_frames_at_every_split)
{
    struct collect c;
    size_t cut, in_place;

    build_stream();
    for (cut = 0; cut <= stream_len; cut++) {
        collect_init(&c);
        in_place = 0;
        feed_fast(&c, stream, cut, &in_place);
        feed_fast(&c, stream + cut, stream_len - cut, &in_place);
        cr_assert_eq(c.frames, NFRAMES, "cut %zu", cut);
        cr_assert(mvp_reader_idle(&c.r));
        /* At most the frame that the cut splits goes through the buffer. */
        cr_assert_geq(in_place, NFRAMES - 1, "cut %zu: %zu in place", cut, in_place);
    }
}

Test(reader, take_whole_leaves_partial_and_malformed_frames_to_feed)
{
    static const uint8_t too_long[] = { 0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0x02, 0x01, 0xff };
    struct collect c;
    struct mvp_frame f;
    size_t used = 99;

    build_stream();
    collect_init(&c);
    /* Frame 3 (300 bytes) cut short by one byte. */
    size_t off3 = 3 * MVP_HDR_LEN + lens[0] + lens[1] + lens[2];
    cr_assert_eq(mvp_reader_take_whole(&c.r, stream + off3, MVP_HDR_LEN + 299, &used, &f), 0);
    cr_assert_eq(used, 0);
    cr_assert_eq(mvp_reader_take_whole(&c.r, stream + off3, MVP_HDR_LEN + 300, &used, &f), 1);
    cr_assert_eq(used, MVP_HDR_LEN + 300);
    cr_assert_eq(mvp_reader_take_whole(&c.r, stream, MVP_HDR_LEN - 1, &used, &f), 0);
    mvp_reader_init(&c.r, c.buf, sizeof(c.buf), 512);
    cr_assert_eq(mvp_reader_take_whole(&c.r, too_long, sizeof(too_long), &used, &f), 0);
    cr_assert_eq(mvp_reader_feed(&c.r, too_long, sizeof(too_long), &used, &f), -MVP_E_TOO_LONG);
    /* A reader holding part of a frame never takes one in place. */
    collect_init(&c);
    feed(&c, stream, 3);
    cr_assert_eq(mvp_reader_take_whole(&c.r, stream + 3, stream_len - 3, &used, &f), 0);
}
