/* libFuzzer target for the SSE parser: the input is fed in chunks whose sizes
 * come from the input itself, and every dispatched event is checked against
 * the parser's documented bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mvc/sse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_event(void *ctx, const char *event, const char *id, const char *d, size_t len)
{
    (void)ctx;
    if (len > MVC_SSE_DATA_MAX || d[len] != '\0' || strlen(id) > MVC_SSE_ID_MAX ||
        strlen(event) > MVC_SSE_EVENT_MAX)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct mvc_sse p;
    size_t off = 0;
    if (size < 1)
        return 0;
    size_t chunk = (size_t)data[0] + 1; /* the first byte picks the split size */
    mvc_sse_init(&p, check_event, NULL, NULL);
    for (off = 1; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        mvc_sse_feed(&p, (const char *)data + off, n);
    }
    mvc_sse_reset(&p);
    mvc_sse_feed(&p, (const char *)data + 1, size - 1);
    return 0;
}
