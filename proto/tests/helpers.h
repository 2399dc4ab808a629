/* Shared helpers for the proto unit tests: hex conversion for golden vectors and
 * a deterministic PRNG for split patterns (no time-based seeds). */
#ifndef MVP_TEST_HELPERS_H
#define MVP_TEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>

/* Parses hex digits (spaces and newlines ignored) into out; returns the byte count,
 * or (size_t)-1 on a bad digit, odd count or overflow. */
size_t t_hex2bin(const char *hex, uint8_t *out, size_t cap);
/* Writes "aa bb cc" (lowercase, single spaces) into out; returns out. */
char *t_bin2hex(const uint8_t *in, size_t n, char *out, size_t cap);
uint32_t t_rand(uint32_t *state);

#endif
