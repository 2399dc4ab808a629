/* libFuzzer target for everything the kernel core decodes from outside: frames from the
 * relay (channel control, DATA into typed channels, LOG_ACK, unknown types) and the log
 * records it reads back from app memory (which the app may have scribbled over). A
 * kernel with an open session, two channels and queued logs receives a random frame
 * sequence interleaved with app reads/writes; it must never crash or touch memory it
 * does not own. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conn.h"
#include "fakes.h"
#include "mvp/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
    const uint8_t *p;
    size_t n;
};

static uint32_t take(struct input *in, size_t bytes)
{
    uint32_t v = 0;

    for (size_t i = 0; i < bytes && in->n > 0; i++, in->p++, in->n--)
        v = v << 8 | *in->p;
    return v;
}

struct world {
    MvChannelHandle ch[2];
    uint8_t *logbuf;
    uint8_t **rp;
    uint32_t *len;
    struct MvConfigKeyToFetch *keys;
    struct MvConfigKeyFetchParams *req;
    struct MvConfigResponseReadItemParams *item;
    struct MvConfigResponseData *rd;
    enum MvConfigKeyFetchResult *res;
    uint8_t *val;
};

static void boot(struct world *w)
{
    MvNotificationHandle nh;
    MvNetworkHandle net;

    kt_boot();
    nh = kt_notify(1, NULL);
    net = kt_network(nh);
    kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 256, &w->ch[0]);
    kt_open(nh, net, MV_CHANNELTYPE_CONFIGFETCH, 2048, 256, &w->ch[1]);
    w->logbuf = kt_alloc(4096);
    mvServerLoggingInit(w->logbuf, 4096);
    w->rp = kt_alloc(sizeof *w->rp);
    w->len = kt_alloc(sizeof *w->len);
    memcpy(kt_app + 60000, "fuzz log line", 13);
    for (int i = 0; i < 3; i++)
        mvServerLog(kt_app + 60000, 13);
    w->keys = kt_alloc(sizeof *w->keys);
    *w->keys = (struct MvConfigKeyToFetch){MV_CONFIGKEYFETCHSCOPE_ACCOUNT,
                                           MV_CONFIGKEYFETCHSTORE_CONFIG, {kt_app + 60000, 4}};
    w->req = kt_alloc(sizeof *w->req);
    *w->req = (struct MvConfigKeyFetchParams){1, w->keys};
    w->item = kt_alloc(sizeof *w->item);
    w->rd = kt_alloc(sizeof *w->rd);
    w->res = kt_alloc(sizeof *w->res);
    w->val = kt_alloc(64);
}

static void frame(struct input *in)
{
    static uint8_t payload[2048];
    struct mvp_hdr h;
    uint32_t len;

    h.type = (uint8_t)take(in, 1);
    h.flags = (uint8_t)take(in, 1);
    h.chan = (uint16_t)(take(in, 1) % 4u); /* ids 0..3: control and live channels */
    len = take(in, 2) % sizeof payload;
    if (len > in->n)
        len = (uint32_t)in->n;
    memcpy(payload, in->p, len);
    in->p += len;
    in->n -= len;
    h.len = len;
    mvk_session_frame(&h, payload);
}

static void app_call(struct world *w, struct input *in)
{
    uint32_t op = take(in, 1), v = take(in, 2);
    MvChannelHandle ch = w->ch[op & 1u];

    switch ((op >> 1) % 8u) {
    case 6: mvSendConfigFetchRequest(w->ch[1], w->req); break;
    case 7:
        mvReadConfigFetchResponseData(w->ch[1], w->rd);
        *w->item = (struct MvConfigResponseReadItemParams){v % 4u, w->res, {w->val, 64, w->len}};
        mvReadConfigResponseItem(w->ch[1], w->item);
        break;
    case 0: mvReadChannel(ch, w->rp, w->len); break;
    case 1: mvReadChannelComplete(ch, v % 2048u); break;
    case 2: mvWriteChannel(ch, kt_app + 50000, v % 300u, w->len); break;
    case 3: mvServerLog(kt_app + 60000, (uint16_t)(v % 14u)); break;
    case 4: w->logbuf[v % 4096u] = (uint8_t)op; break; /* the app scribbles on its buffer */
    default: fake_conn_set_space(v % 3u == 0 ? 0 : UINT32_MAX); mvk_session_writable(); break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    struct world w;

    boot(&w);
    fake_conn_clear();
    while (in.n > 0) {
        if (take(&in, 1) & 1u)
            frame(&in);
        else
            app_call(&w, &in);
        if (fake_conn_count() > FAKE_MAX_FRAMES - 16)
            fake_conn_clear();
    }
    kt_session_down();
    kt_session_up(0, 0);
    return 0;
}
