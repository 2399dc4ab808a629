/* libFuzzer target: a whole frame or typed message (header + payload) through the
 * header checks and the matching decoder, with the canonical re-encoding property. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int n = t_reencode(data, size, fuzz_out, sizeof(fuzz_out));

    if (n >= 0 && ((size_t)n != size || memcmp(fuzz_out, data, size) != 0))
        abort();
    return 0;
}
