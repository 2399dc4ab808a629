/* proto_codec: throughput of the proto library (libmvp) on the paths every frame takes:
 * encoding frames into a stream, then reading the stream back with mvp_reader, fed whole
 * and in 7-byte pieces (the worst realistic TLS/WebSocket fragmentation). Each case runs
 * for a fixed time budget; decoded data is checksummed and compared with the encoder's
 * checksum so the work cannot be optimised away, and any decode failure aborts (exit 1). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvp/cfg.h"
#include "mvp/frame.h"
#include "mvp/log.h"
#include "mvp/msg.h"

#define STREAM_CAP (512u * 1024u) /* one iteration's worth of encoded frames */
#define SPLIT 7u
#define BUDGET_S 0.33 /* per phase (encode, read whole, read split): ~1 s per case */

enum kind { K_DATA, K_LOG, K_CFG };

struct bcase {
    const char *name;
    enum kind kind;
    uint32_t size; /* DATA payload bytes */
};

/* Everything one case needs between its phases. */
struct run {
    const struct bcase *c;
    uint8_t *stream;
    size_t len;      /* encoded bytes per iteration */
    size_t frames;   /* frames per iteration */
    uint64_t expect; /* checksum of the payload data encoded per iteration */
};

static uint8_t g_src[MVP_MAX_MSG_PAYLOAD];
static uint8_t g_rdbuf[MVP_MAX_MSG_PAYLOAD];
static int g_corrupt; /* MVBENCH_CORRUPT=1: damage the stream to check failures abort */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const struct bcase *c, const char *what, int rc)
{
    fprintf(stderr, "proto_codec: %s: %s failed: %s\n", c->name, what,
            rc ? mvp_strerror(rc) : "checksum mismatch");
    exit(1);
}

/* Cheap, order-sensitive checksum over the bytes (FNV-1a over 8-byte words). */
static uint64_t sum_bytes(uint64_t h, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ull;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* One LOG batch: 32 records of 80 message bytes, seqs continuing from *seq. */
static int encode_log(uint8_t *out, size_t cap, uint32_t *seq, uint64_t *sum)
{
    static uint8_t payload[MVP_MAX_FRAME_PAYLOAD];
    struct mvp_log_writer lw;
    mvp_log_writer_init(&lw, payload, sizeof payload, 0xb1);
    for (unsigned i = 0; i < 32; i++) {
        struct mvp_log_rec r = {.seq = ++*seq, .device_us = *seq * 1000ull,
                                .kind = MVP_LOG_KIND_MSG, .msg = g_src + (i % 64), .msg_len = 80};
        int rc = mvp_log_writer_add(&lw, &r);
        if (rc < 0)
            return rc;
        *sum = sum_bytes(*sum, r.msg, r.msg_len);
    }
    int n = mvp_log_writer_end(&lw);
    return n < 0 ? n : mvp_frame_encode(MVP_LOG, 0, 0, payload, (uint32_t)n, out, cap);
}

/* One CFG_RESPONSE message: 8 items of 100-byte values (a typical config fetch). */
static int encode_cfg(uint8_t *out, size_t cap, uint64_t *sum)
{
    struct mvp_cfg_item items[8];
    for (unsigned i = 0; i < 8; i++) {
        items[i] = (struct mvp_cfg_item){.result = 0, .value = g_src + 7 * i, .value_len = 100};
        *sum = sum_bytes(*sum, items[i].value, items[i].value_len);
    }
    if (cap < MVP_HDR_LEN)
        return -MVP_E_NOSPACE;
    int n = mvp_cfg_resp_encode(0, items, 8, out + MVP_HDR_LEN, cap - MVP_HDR_LEN);
    if (n < 0)
        return n;
    mvp_msg_hdr_encode(MVP_MSG_CFG_RESPONSE, (uint32_t)n, out);
    return MVP_HDR_LEN + n;
}

static int encode_one(const struct bcase *c, uint8_t *out, size_t cap, uint32_t *seq,
                      uint64_t *sum)
{
    if (c->kind == K_LOG)
        return encode_log(out, cap, seq, sum);
    if (c->kind == K_CFG)
        return encode_cfg(out, cap, sum);
    *sum = sum_bytes(*sum, g_src, c->size);
    return mvp_frame_encode(MVP_DATA, 0, 1, g_src, c->size, out, cap);
}

/* Fills the stream with as many frames as fit; returns the checksum of their data. */
static void encode_stream(struct run *r)
{
    uint32_t seq = 0;
    uint64_t sum = 0xcbf29ce484222325ull;
    r->len = 0;
    r->frames = 0;
    for (;;) {
        uint64_t s = sum; /* kept only if the frame fits */
        int n = encode_one(r->c, r->stream + r->len, STREAM_CAP - r->len, &seq, &s);
        if (n == -MVP_E_NOSPACE)
            break;
        if (n < 0)
            die(r->c, "encode", -n);
        sum = s;
        r->len += (size_t)n;
        r->frames++;
    }
    r->expect = sum;
}

/* Checksums the data of one decoded frame the way encode_one summed it. */
static uint64_t sum_frame(const struct bcase *c, const struct mvp_frame *f, uint64_t sum)
{
    int rc;
    if (c->kind == K_DATA) {
        if (f->hdr.type != MVP_DATA || f->hdr.len != c->size)
            die(c, "frame type/length", MVP_E_INVALID);
        return sum_bytes(sum, f->payload, f->hdr.len);
    }
    if (c->kind == K_CFG) {
        struct mvp_cfg_item items[MVP_MAX_CFG_KEYS];
        uint8_t result;
        size_t n = 0;
        if ((rc = mvp_msg_hdr_check(&f->hdr)) < 0 ||
            (rc = mvp_cfg_resp_decode(f->payload, f->hdr.len, &result, items, MVP_MAX_CFG_KEYS,
                                      &n)) < 0)
            die(c, "cfg decode", -rc);
        for (size_t i = 0; i < n; i++)
            sum = sum_bytes(sum, items[i].value, items[i].value_len);
        return sum;
    }
    struct mvp_log_iter it;
    struct mvp_log_rec rec;
    uint64_t boot;
    uint16_t count;
    if (f->hdr.type != MVP_LOG)
        die(c, "frame type", MVP_E_INVALID);
    if ((rc = mvp_log_iter_init(&it, f->payload, f->hdr.len, &boot, &count)) < 0)
        die(c, "log decode", -rc);
    while ((rc = mvp_log_iter_next(&it, &rec)) == 1)
        sum = sum_bytes(sum, rec.msg, rec.msg_len);
    if (rc < 0)
        die(c, "log decode", -rc);
    return sum;
}

/* Reads the whole stream in pieces of `piece` bytes (0: all at once); checks the
 * frame count and checksum. */
static void read_stream(const struct run *r, size_t piece)
{
    struct mvp_reader rd;
    uint32_t max = r->c->kind == K_CFG ? MVP_MAX_MSG_PAYLOAD : MVP_MAX_FRAME_PAYLOAD;
    uint64_t sum = 0xcbf29ce484222325ull;
    size_t frames = 0;
    mvp_reader_init(&rd, g_rdbuf, sizeof g_rdbuf, max);
    for (size_t off = 0; off < r->len;) {
        size_t len = piece && r->len - off > piece ? piece : r->len - off;
        const uint8_t *p = r->stream + off;
        off += len;
        while (len) {
            struct mvp_frame f;
            size_t used = 0;
            int rc = mvp_reader_feed(&rd, p, len, &used, &f);
            p += used;
            len -= used;
            if (rc < 0)
                die(r->c, "mvp_reader_feed", -rc);
            if (rc == 1) {
                sum = sum_frame(r->c, &f, sum);
                frames++;
            }
        }
    }
    if (frames != r->frames || sum != r->expect || !mvp_reader_idle(&rd))
        die(r->c, "read back", 0);
}

/* Seconds per iteration of one phase (0 encode, else read with that piece size + 1). */
static double time_phase(struct run *r, int phase)
{
    long iters = 0;
    double t0 = now_s(), t;
    do {
        if (phase == 0)
            encode_stream(r);
        else
            read_stream(r, (size_t)(phase - 1));
        iters++;
        t = now_s();
    } while (t - t0 < BUDGET_S);
    return (t - t0) / (double)iters;
}

static void run_case(const struct bcase *c, uint8_t *stream)
{
    struct run r = {.c = c, .stream = stream};
    encode_stream(&r);
    if (g_corrupt)
        stream[r.len / 2] ^= 0x5a; /* lands in a header or payload: either must fail */
    read_stream(&r, 0); /* verify once before timing */
    double te = time_phase(&r, 0), tw = time_phase(&r, 1), ts = time_phase(&r, 1 + SPLIT);
    double mb = (double)r.len / 1e6, fr = (double)r.frames;
    printf("%-14s %6zu %8.0f %10.0f %8.0f %10.0f %8.0f %10.0f %7.2f\n", c->name,
           r.len / r.frames, mb / te, fr / te, mb / tw, fr / tw, mb / ts, fr / ts, tw / ts);
}

int main(void)
{
    static const struct bcase cases[] = {
        {"DATA 64 B", K_DATA, 64},
        {"DATA 1 KiB", K_DATA, 1024},
        {"DATA 16 KiB", K_DATA, 16384},
        {"LOG 32x80 B", K_LOG, 0},
        {"CFG 8x100 B", K_CFG, 0},
    };
    uint8_t *stream = malloc(STREAM_CAP);
    if (!stream)
        return 1;
    for (size_t i = 0; i < sizeof g_src; i++)
        g_src[i] = (uint8_t)(i * 131u + (i >> 8));
    const char *env = getenv("MVBENCH_CORRUPT");
    g_corrupt = env && *env == '1';
    printf("proto_codec: frames encoded into a %u KiB stream, then read back with mvp_reader\n"
           "(whole = the stream fed at once, split = fed in %u-byte pieces); MB = 1e6 bytes of\n"
           "encoded stream; ratio = split/whole throughput\n",
           STREAM_CAP / 1024, SPLIT);
    printf("%-14s %6s %8s %10s %8s %10s %8s %10s %7s\n", "case", "bytes", "enc MB/s", "enc fr/s",
           "whl MB/s", "whl fr/s", "spl MB/s", "spl fr/s", "spl/whl");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i], stream);
    free(stream);
    return 0;
}
