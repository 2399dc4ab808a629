/* libFuzzer target for tls_san.c: arbitrary bytes as certificate extensions (looked up
 * for 127.0.0.1 and an IPv6 address) and as an IPv4 literal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls_san.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t v4[4] = {127, 0, 0, 1};
    static const uint8_t v6[16] = {[15] = 1};
    uint8_t *copy = malloc(size + 1); /* exact size: ASan sees any overread */
    uint8_t out[4];
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    (void)mvk_tls_san_has_ip(copy, size, v4, sizeof v4);
    (void)mvk_tls_san_has_ip(copy, size, v6, sizeof v6);
    copy[size] = '\0';
    (void)mvk_tls_parse_ipv4((const char *)copy, out);
    free(copy);
    return 0;
}
