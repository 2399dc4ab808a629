/* Helpers shared by the proto unit tests (see helpers.h). */
#include "helpers.h"

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t t_hex2bin(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1, v;

    for (; *hex; hex++) {
        if (*hex == ' ' || *hex == '\n' || *hex == '\t')
            continue;
        v = nibble(*hex);
        if (v < 0)
            return (size_t)-1;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n >= cap)
            return (size_t)-1;
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi < 0 ? n : (size_t)-1;
}

char *t_bin2hex(const uint8_t *in, size_t n, char *out, size_t cap)
{
    static const char digits[] = "0123456789abcdef";
    size_t i, o = 0;

    for (i = 0; i < n && o + 4 <= cap; i++) {
        if (i)
            out[o++] = ' ';
        out[o++] = digits[in[i] >> 4];
        out[o++] = digits[in[i] & 15];
    }
    if (cap)
        out[o < cap ? o : cap - 1] = '\0';
    return out;
}

uint32_t t_rand(uint32_t *state)
{
    /* xorshift32: reproducible split patterns across runs. */
    uint32_t x = *state ? *state : 1;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}
