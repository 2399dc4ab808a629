/* Shared property for the decoder fuzz targets: whatever a decoder accepts must
 * re-encode to exactly the same bytes (the encoding is canonical), otherwise abort. */
#ifndef MVP_FUZZ_COMMON_H
#define MVP_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reencode.h"

static uint8_t fuzz_out[128 * 1024];

static inline void fuzz_roundtrip(uint8_t type, const uint8_t *data, size_t size)
{
    int n = t_reencode_payload(type, data, size, fuzz_out, sizeof(fuzz_out));

    if (n < 0)
        return;
    if ((size_t)n != size || (size && memcmp(fuzz_out, data, size) != 0))
        abort();
}

#endif
