/* Golden vectors: each entry builds one frame or typed message with the public
 * encoders; test_golden.c compares the result with the hex published in
 * PROTOCOL.md (section "Golden vectors"), which must list exactly these names. */
#ifndef MVP_TEST_GOLDEN_H
#define MVP_TEST_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

struct golden_vec {
    const char *name;
    int (*build)(uint8_t *out, size_t cap); /* frame or message length, or -err */
};

extern const struct golden_vec golden_vecs[];
extern const size_t golden_count;

#endif
