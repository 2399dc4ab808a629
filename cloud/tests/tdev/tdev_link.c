/* Frame I/O of the test devices and benchmark drivers over wsclient.c (see tdev_link.h).
 * With TDEV_CAPTURE=FILE in the environment every frame sent ("> HEX") and every chunk
 * of the byte stream received ("< HEX") is appended to FILE, for the independent
 * decoder of the spec (proto/tests/spec_decode.py capture). */
#include "tdev_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void capture(char dir, const uint8_t *p, size_t n)
{
    static FILE *f;
    static int tried;

    if (!tried) {
        const char *path = getenv("TDEV_CAPTURE");
        tried = 1;
        f = path && *path ? fopen(path, "a") : NULL;
    }
    if (!f || n == 0)
        return;
    fprintf(f, "%c ", dir);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
    fputc('\n', f);
    fflush(f);
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void tdev_link_init(struct tdev_link *l, struct ws *ws)
{
    l->ws = ws;
    l->len = l->off = 0;
    mvp_reader_init(&l->rd, l->rdbuf, sizeof l->rdbuf, MVP_MAX_FRAME_PAYLOAD);
}

int tdev_send_frame(struct ws *ws, uint8_t type, uint16_t chan, const uint8_t *p,
                    uint32_t len)
{
    static uint8_t out[MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD];
    int n = mvp_frame_encode(type, 0, chan, p, len, out, sizeof out);
    int rc;

    if (n < 0)
        return -1;
    rc = ws_send(ws, out, (size_t)n);
    if (rc == 0)
        capture('>', out, (size_t)n);
    return rc;
}

int tdev_next_frame(struct tdev_link *l, struct mvp_frame *f, int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    for (;;) {
        while (l->off < l->len) {
            size_t used = 0;
            int rc = mvp_reader_feed(&l->rd, l->buf + l->off, l->len - l->off, &used, f);
            l->off += used;
            if (rc < 0)
                return -1;
            if (rc == 1 && f->hdr.type == MVP_PING) {
                /* A PONG that cannot go out now (a flood holds the socket) is no error
                 * here: a dead connection shows at the next read. */
                (void)tdev_send_frame(l->ws, MVP_PONG, 0, f->payload, f->hdr.len);
                continue;
            }
            if (rc == 1)
                return 1;
        }
        if (timeout_ms >= 0) {
            int64_t left = end - now_ms();
            if (left <= 0 || !ws_readable(l->ws, (int)left))
                return 0;
        }
        long n = ws_recv(l->ws, l->buf, sizeof l->buf);
        if (n <= 0)
            return n == 0 ? TDEV_CLOSED : -1;
        l->len = (size_t)n;
        l->off = 0;
        capture('<', l->buf, l->len);
    }
}

int tdev_link_buffered(const struct tdev_link *l)
{
    return l->off < l->len;
}
