/* libFuzzer target for the device session: arbitrary bytes from a (malicious) device,
 * split at a fuzzer-chosen point, against an in-memory store. Exercises the frame
 * reader, every control frame decoder, channels, config fetch and log storage. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mvp/ctrl.h"
#include "mvr/log.h"
#include "mvr/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mvr_store *st;
static struct mvr_session_env env;
static const char *DEV = "UV00000000000000000000000000000001";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st) {
        static const uint8_t key[32] = {2};
        char err[128];
        if (mvr_store_open(":memory:", key, &st, err, sizeof err) != MVR_OK)
            abort();
        mvr_store_device_create(st, DEV, 1);
        mvr_log_set_level((enum mvr_level)(MVR_ERROR + 1));
        mvr_store_kv_put(st, MVR_KV_CONFIG, NULL, "k", "v", 1, 1);
        env = (struct mvr_session_env){.store = st, .ping_interval_s = 30,
                                       .initial_window = MVR_INITIAL_WINDOW};
    }
    static struct mvr_session s;
    mvr_session_init(&s, &env, DEV, "fuzz", 1);
    /* Top bit of the first byte: start with a valid HELLO so the fuzzer reaches the
     * post-handshake frames without having to discover the handshake first. */
    if (size && (data[0] & 0x80)) {
        uint8_t h[64], f[80];
        struct mvp_hello hello = {.ver_min = 1, .ver_max = 1, .boot_id = 9, .log_next_seq = 1};
        int n = mvp_hello_encode(&hello, h, sizeof h);
        int fl = n < 0 ? -1 : mvp_frame_encode(MVP_HELLO, 0, 0, h, (uint32_t)n, f, sizeof f);
        if (fl > 0)
            mvr_session_feed(&s, f, (size_t)fl, 1);
    }
    size_t cut = size ? data[0] % (size + 1) : 0;
    if (mvr_session_feed(&s, data, cut, 2) == 0)
        mvr_session_feed(&s, data + cut, size - cut, 3);
    mvr_session_tick(&s, 4);
    mvr_store_sync(st); /* log batches: the writer's completions run the ack path */
    mvr_store_poll(st);
    mvr_session_free(&s);
    return 0;
}
