/* libFuzzer target: the streaming frame reader. The input is read once in one
 * piece, once in pseudo-random splits (seeded from the input), and once in those splits
 * with mvp_reader_take_whole (the zero-copy path) tried before each feed; the frames and
 * the final error must be identical, and every frame must decode canonically if at all. */
#include "fuzz_common.h"
#include "mvp/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXP 2048u
static uint8_t rbuf[MAXP];
static uint8_t log1[256 * 1024], log2[256 * 1024], log3[256 * 1024];

/* Appends each completed frame (header + payload) to log; returns the final rc. */
static int run(const uint8_t *data, size_t size, uint32_t seed, int take, uint8_t *log,
               size_t *loglen)
{
    struct mvp_reader r;
    struct mvp_frame f;
    size_t off = 0, chunk, used;
    int rc = 0;

    *loglen = 0;
    mvp_reader_init(&r, rbuf, sizeof(rbuf), MAXP);
    while (off < size) {
        chunk = size - off;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            chunk = 1 + (seed >> 16) % 37;
            if (chunk > size - off)
                chunk = size - off;
        }
        while (chunk) {
            rc = take ? mvp_reader_take_whole(&r, data + off, chunk, &used, &f) : 0;
            if (rc == 0)
                rc = mvp_reader_feed(&r, data + off, chunk, &used, &f);
            else if (f.payload != data + off + MVP_HDR_LEN)
                abort(); /* take_whole hands out the frame in place or not at all */
            if (used > chunk)
                abort();
            off += used;
            chunk -= used;
            if (rc < 0)
                return rc;
            if (rc == 1) {
                if (*loglen + MVP_HDR_LEN + f.hdr.len > sizeof(log1))
                    return 2;
                mvp_hdr_encode(&f.hdr, log + *loglen);
                if (f.hdr.len)
                    memcpy(log + *loglen + MVP_HDR_LEN, f.payload, f.hdr.len);
                fuzz_roundtrip(f.hdr.type, f.payload, f.hdr.len);
                *loglen += MVP_HDR_LEN + f.hdr.len;
            }
        }
    }
    return mvp_reader_idle(&r) ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n1, n2, n3;
    uint32_t seed = 0x9e3779b9u;
    size_t i;
    int rc1, rc2, rc3;

    for (i = 0; i < size && i < 4; i++)
        seed = seed * 31u + data[i];
    rc1 = run(data, size, 0, 0, log1, &n1);
    rc2 = run(data, size, seed | 1u, 0, log2, &n2);
    rc3 = run(data, size, seed | 1u, 1, log3, &n3);
    if (rc1 != rc2 || n1 != n2 || memcmp(log1, log2, n1) != 0)
        abort();
    if (rc1 != rc3 || n1 != n3 || memcmp(log1, log3, n1) != 0)
        abort();
    return 0;
}
