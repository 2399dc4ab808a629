/* libFuzzer target for the connection's whole receive path: a session is brought up
 * against the scripted fake relay, then the input is delivered as relay bytes (in
 * input-chosen chunks) through WebSocket decoding, frame reassembly and dispatch,
 * including the answers conn sends (PONG, ERROR, close) and reconnects. */
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "fakes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0 1000000000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fake_frame out[FAKE_MAX_FRAMES];
    size_t off = 1, step;
    uint64_t now = T0;
    if (size < 1 || size > 32768)
        return 0;
    step = (size_t)data[0] * 16u + 1u;
    fake_relay_reset();
    fake_session_reset();
    mvk_conn_init();
    mvk_conn_set_io(&fake_io);
    mvk_conn_set_wanted(1);
    mvk_conn_poll(now);
    if (fake_relay_accept(NULL) != 0)
        __builtin_trap();
    fake_relay_welcome(1, 16384);
    mvk_conn_poll(now);
    if (mvk_conn_state() != MVK_CONN_UP)
        __builtin_trap();
    while (off < size && mvk_conn_state() == MVK_CONN_UP) {
        size_t n = size - off < step ? size - off : step;
        fake_relay_push(data + off, n);
        off += n;
        mvk_conn_poll(++now);
        (void)fake_relay_read(out, FAKE_MAX_FRAMES);
        if (fs.downs > fs.ups)
            __builtin_trap(); /* the session is told "down" at most once per "up" */
    }
    mvk_conn_set_wanted(0);
    if (fs.downs != fs.ups)
        __builtin_trap();
    return 0;
}
