/* libFuzzer target: session and channel control payloads (HELLO ... ERROR). The
 * first input byte picks the frame type, the rest is the payload. */
#include "fuzz_common.h"
#include "mvp/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t type;

    if (size < 1)
        return 0;
    type = (uint8_t)(MVP_HELLO + data[0] % (MVP_ERROR - MVP_HELLO + 1));
    if (type == MVP_LOG || type == MVP_DATA)
        type = MVP_HELLO; /* LOG has its own target; DATA is opaque */
    fuzz_roundtrip(type, data + 1, size - 1);
    return 0;
}
