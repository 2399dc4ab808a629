/* libFuzzer target: LOG batch and LOG_ACK payloads (odd first byte: LOG_ACK). */
#include "fuzz_common.h"
#include "mvp/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    fuzz_roundtrip(data[0] & 1 ? MVP_LOG_ACK : MVP_LOG, data + 1, size - 1);
    return 0;
}
