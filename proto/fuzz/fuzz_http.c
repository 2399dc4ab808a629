/* libFuzzer target: HTTP_REQUEST / HTTP_RESPONSE bodies (first byte picks which). */
#include "fuzz_common.h"
#include "mvp/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    fuzz_roundtrip(data[0] & 1 ? MVP_MSG_HTTP_RESPONSE : MVP_MSG_HTTP_REQUEST, data + 1,
                   size - 1);
    return 0;
}
