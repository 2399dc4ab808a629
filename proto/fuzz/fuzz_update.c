/* libFuzzer target: update channel messages (UPD_STATUS, UPD_OFFER, UPD_FETCH,
 * UPD_CHUNK; the first byte picks which) and bundle headers (selector 4). */
#include "fuzz_common.h"
#include "mvp/bundle.h"
#include "mvp/update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_bundle(const uint8_t *data, size_t size)
{
    struct mvp_bundle_hdr h;
    size_t hl = 0;
    int n = mvp_bundle_hdr_decode(data, size, &h);

    if (n < 0)
        return;
    if ((size_t)n > size || mvp_bundle_hdr_encode(&h, fuzz_out, sizeof fuzz_out) != n ||
        memcmp(fuzz_out, data, (size_t)n) != 0)
        abort();
    if (mvp_bundle_decode(data, size, &h, &hl) == 0 &&
        mvp_bundle_total_len(hl, h.image_len) != size)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 5) {
    case 0: fuzz_roundtrip(MVP_MSG_UPD_STATUS, data + 1, size - 1); break;
    case 1: fuzz_roundtrip(MVP_MSG_UPD_OFFER, data + 1, size - 1); break;
    case 2: fuzz_roundtrip(MVP_MSG_UPD_FETCH, data + 1, size - 1); break;
    case 3: fuzz_roundtrip(MVP_MSG_UPD_CHUNK, data + 1, size - 1); break;
    default: fuzz_bundle(data + 1, size - 1); break;
    }
    return 0;
}
