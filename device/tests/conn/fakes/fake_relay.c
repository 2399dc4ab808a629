/* A scripted relay behind the mvk_conn_io interface (no TLS, no sockets): tests queue
 * what the relay says and read back, unmasked and deframed, what the device sent. */
#include <stdio.h>
#include <string.h>

#include "fakes.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "port.h"
#include "ws.h"

struct fake_relay fr;
uint8_t fake_relay_ops[FAKE_MAX_FRAMES];
size_t fake_relay_nops;
static size_t up_off; /* device bytes already parsed */
static struct mvp_reader rd;
static uint8_t rd_buf[MVP_MAX_FRAME_PAYLOAD];

void fake_relay_reset(void)
{
    memset(&fr, 0, sizeof(fr));
    fr.send_limit = (size_t)-1;
    up_off = 0;
    fake_relay_nops = 0;
    mvp_reader_init(&rd, rd_buf, sizeof(rd_buf), MVP_MAX_FRAME_PAYLOAD);
}

static int io_open(void)
{
    fr.opens++;
    fr.closed = 0;
    fr.up_len = fr.down_len = fr.down_off = 0;
    up_off = 0;
    mvp_reader_init(&rd, rd_buf, sizeof(rd_buf), MVP_MAX_FRAME_PAYLOAD);
    return fr.open_rc;
}

static int io_handshake(void)
{
    if (fr.handshake_steps > 0) {
        fr.handshake_steps--;
        return 1;
    }
    return fr.hs_result;
}

static long io_send(const uint8_t *p, size_t n)
{
    if (fr.closed)
        return MVK_LINK_CLOSED;
    if (n > fr.send_limit)
        n = fr.send_limit;
    if (n > FAKE_BUF - fr.up_len)
        n = FAKE_BUF - fr.up_len;
    if (n == 0)
        return MVK_LINK_AGAIN;
    memcpy(fr.up + fr.up_len, p, n);
    fr.up_len += n;
    if (fr.send_limit != (size_t)-1)
        fr.send_limit -= n;
    return (long)n;
}

static long io_recv(uint8_t *p, size_t n)
{
    if (fr.down_off == fr.down_len)
        return fr.closed ? MVK_LINK_CLOSED : MVK_LINK_AGAIN;
    if (n > fr.down_len - fr.down_off)
        n = fr.down_len - fr.down_off;
    memcpy(p, fr.down + fr.down_off, n);
    fr.down_off += n;
    return (long)n;
}

static void io_close(void)
{
    fr.closes++;
}

static int32_t io_last_error(void)
{
    return fr.last_error;
}

const struct mvk_conn_io fake_io = {
    io_open, io_handshake, io_send, io_recv, io_close, io_last_error,
};

void fake_relay_push(const uint8_t *p, size_t n)
{
    if (n > FAKE_BUF - fr.down_len)
        n = FAKE_BUF - fr.down_len; /* the fuzz target may offer more than fits */
    memcpy(fr.down + fr.down_len, p, n);
    fr.down_len += n;
}

int fake_relay_accept(const char *extra)
{
    char accept[MVK_WS_ACCEPT_LEN + 1], key[64], resp[512];
    size_t head = mvk_ws_head_len(fr.up + up_off, fr.up_len - up_off);
    const char *k;
    if (head == 0)
        return -1;
    fr.up[up_off + head - 1] = '\0'; /* the last \n: makes the head a string */
    k = strstr((const char *)fr.up + up_off, "Sec-WebSocket-Key: ");
    if (k == NULL || sscanf(k + 19, "%63[^\r]", key) != 1)
        return -1;
    up_off += head;
    if (mvk_ws_accept_compute(key, accept) != 0)
        return -1;
    int n = snprintf(resp, sizeof(resp),
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n"
                     "Sec-WebSocket-Protocol: mvisor.v1\r\n%s\r\n",
                     accept, extra ? extra : "");
    fake_relay_push((const uint8_t *)resp, (size_t)n);
    return 0;
}

void fake_relay_frame(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len)
{
    uint8_t f[16 + MVP_HDR_LEN + 512];
    size_t h = len + MVP_HDR_LEN < 126 ? 2 : 4;
    f[0] = 0x82;
    if (h == 2) {
        f[1] = (uint8_t)(len + MVP_HDR_LEN);
    } else {
        f[1] = 126;
        f[2] = (uint8_t)((len + MVP_HDR_LEN) >> 8);
        f[3] = (uint8_t)(len + MVP_HDR_LEN);
    }
    int n = mvp_frame_encode(type, 0, chan, payload, len, f + h, sizeof(f) - h);
    if (n > 0)
        fake_relay_push(f, h + (size_t)n);
}

void fake_relay_welcome(uint32_t ping_interval_s, uint32_t max_payload)
{
    uint8_t p[64];
    struct mvp_welcome w = {
        1, 1700000000000000ull, max_payload, 8192, ping_interval_s, MVP_WELCOME_LOG_ACKED_VALID, 4};
    int n = mvp_welcome_encode(&w, p, sizeof(p));
    if (n > 0)
        fake_relay_frame(MVP_WELCOME, 0, p, (uint32_t)n);
}

/* Unmasks one client frame at fr.up + up_off; returns its payload through p and n. */
static int take_ws_frame(uint8_t *op, uint8_t **p, uint64_t *n)
{
    size_t avail = fr.up_len - up_off, h = 2;
    uint8_t *f = fr.up + up_off;
    if (avail < 2)
        return 0;
    if (!(f[1] & 0x80u))
        return -1; /* client frames must be masked */
    uint64_t len = f[1] & 0x7fu;
    size_t ext = len == 126 ? 2 : len == 127 ? 8 : 0;
    if (avail < 2 + ext + 4)
        return 0;
    if (ext) {
        len = 0;
        for (size_t i = 0; i < ext; i++)
            len = (len << 8) | f[2 + i];
    }
    h += ext;
    if (avail - h - 4 < len)
        return 0;
    mvk_ws_mask(f + h + 4, (size_t)len, f + h, 0);
    *op = f[0] & 0x0fu;
    *p = f + h + 4;
    *n = len;
    up_off += h + 4 + (size_t)len;
    return 1;
}

int fake_relay_read(struct fake_frame *out, size_t cap)
{
    int count = 0, rc;
    uint8_t op;
    uint8_t *p;
    uint64_t n;
    fake_relay_nops = 0;
    while ((rc = take_ws_frame(&op, &p, &n)) == 1) {
        if (fake_relay_nops < FAKE_MAX_FRAMES)
            fake_relay_ops[fake_relay_nops++] = op;
        if (op != MVK_WS_OP_BINARY)
            continue;
        while (n) {
            struct mvp_frame f;
            size_t used = 0;
            int r = mvp_reader_feed(&rd, p, (size_t)n, &used, &f);
            p += used;
            n -= used;
            if (r < 0)
                return -1;
            if (r == 1 && (size_t)count < cap) {
                struct fake_frame *o = &out[count++];
                o->type = f.hdr.type;
                o->flags = f.hdr.flags;
                o->chan = f.hdr.chan;
                o->len = f.hdr.len;
                memcpy(o->payload, f.payload,
                       f.hdr.len < sizeof(o->payload) ? f.hdr.len : sizeof(o->payload));
            }
        }
    }
    return rc < 0 ? -1 : count;
}
