/* libFuzzer target for the WebSocket client's parsers of relay input: the streaming
 * frame decoder (fed in chunks whose sizes come from the input, so every split is
 * explored) and the upgrade-response checker. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_event(const struct mvk_ws_event *ev)
{
    /* Touch every byte the decoder hands out so ASan sees any out-of-bounds pointer. */
    volatile uint8_t sink = 0;
    for (size_t i = 0; i < ev->len; i++)
        sink ^= ev->data[i];
    (void)sink;
    if (ev->type != MVK_WS_EV_DATA && ev->len > MVK_WS_MAX_CTRL)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mvk_ws_dec d;
    size_t step, off = 1;
    if (size < 1)
        return 0;
    step = (size_t)(data[0] % 17) + 1;
    mvk_ws_dec_init(&d, 4096);
    while (off < size) {
        size_t n = size - off < step ? size - off : step;
        size_t used = 0;
        struct mvk_ws_event ev;
        int rc = mvk_ws_dec_feed(&d, data + off, n, &used, &ev);
        if (used > n)
            __builtin_trap();
        if (rc < 0)
            break;
        if (rc == 1)
            check_event(&ev);
        else if (used != n)
            __builtin_trap(); /* 0 means "consumed everything" */
        off += used;
    }
    (void)mvk_ws_response_check((const char *)data, size, "dGhlIHNhbXBsZSBub25jZQ==");
    (void)mvk_ws_head_len(data, size);
    return 0;
}
