/* libFuzzer target for the MQTT bridge's device side: after HELLO and an OPEN of an MQTT
 * channel, arbitrary bytes as that channel's DATA stream (typed messages: CONNECT with
 * certificates, PUBLISH, SUBSCRIBE, UNSUBSCRIBE, MESSAGE_ACK, DISCONNECT, anything else).
 * The only allowed broker is a name the fuzzer is unlikely to write, so connects stop at
 * the allow list (no resolution, no I/O; the uv loop is never run) and every other
 * request takes its not-connected path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "mv_syscalls.h"
#include "mvp/ctrl.h"
#include "mvr/log.h"
#include "mvr/session.h"
#include "svc/mqtt/mqtt_bridge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mvr_store *st;
static struct mvr_session_env env;
static uv_loop_t loop;
static struct mvr_mqtt_config cfg;
static const char *DEV = "UV00000000000000000000000000000001";

static void feed_frame(struct mvr_session *s, uint8_t type, uint16_t chan, const uint8_t *p,
                       size_t n)
{
    static uint8_t f[MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD];
    int fl = mvp_frame_encode(type, 0, chan, p, (uint32_t)n, f, sizeof f);
    if (fl > 0)
        mvr_session_feed(s, f, (size_t)fl, 2);
}

static void setup(void)
{
    static const uint8_t key[32] = {3};
    char err[128];
    if (mvr_store_open(":memory:", key, &st, err, sizeof err) != MVR_OK || uv_loop_init(&loop))
        abort();
    mvr_store_device_create(st, DEV, 1);
    mvr_log_set_level((enum mvr_level)(MVR_ERROR + 1));
    /* Only a broker no CONNECT the fuzzer writes is likely to name; the connect path up to
     * the allow-list decision is what runs. */
    strcpy(cfg.broker, "only-the-operator-knows.invalid:1");
    struct mvr_mqtt_bridge *b = mvr_mqtt_bridge_new(&loop, &cfg);
    env = (struct mvr_session_env){
        .store = st, .ping_interval_s = 30, .initial_window = MVR_INITIAL_WINDOW};
    env.svc[MV_CHANNELTYPE_MQTT] = mvr_mqtt_bridge_svc(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st)
        setup();
    static struct mvr_session s;
    uint8_t h[64], o[64];
    mvr_session_init(&s, &env, DEV, "fuzz", 1);
    struct mvp_hello hello = {.ver_min = 1, .ver_max = 1, .boot_id = 9, .log_next_seq = 1};
    int n = mvp_hello_encode(&hello, h, sizeof h);
    feed_frame(&s, MVP_HELLO, 0, h, n < 0 ? 0 : (size_t)n);
    /* First byte: the device's receive window in KiB (1..256), so LOST/credit paths vary. */
    uint32_t window = size ? 1024u * (1u + data[0]) : 65536u;
    struct mvp_open op = {.chan_type = MV_CHANNELTYPE_MQTT, .window = window};
    n = mvp_open_encode(&op, o, sizeof o);
    feed_frame(&s, MVP_OPEN, 1, o, n < 0 ? 0 : (size_t)n);
    if (size)
        data++, size--;
    /* The rest: DATA on channel 1 in pieces of up to 16 KiB (the frame limit). */
    while (size) {
        size_t k = size > MVP_MAX_FRAME_PAYLOAD ? MVP_MAX_FRAME_PAYLOAD : size;
        feed_frame(&s, MVP_DATA, 1, data, k);
        data += k, size -= k;
    }
    mvr_session_free(&s);
    return 0;
}
