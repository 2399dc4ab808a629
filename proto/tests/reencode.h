/* Test and fuzz support: decode one frame or typed message with the matching proto
 * decoder and encode the result again. Because every decoder is strict and every
 * encoding canonical, a successful round trip must reproduce the input exactly. */
#ifndef MVP_TEST_REENCODE_H
#define MVP_TEST_REENCODE_H

#include <stddef.h>
#include <stdint.h>

/* in = 8-byte header + payload (a session frame 0x01..0x0e or a typed message
 * 0x10..). Returns the re-encoded length or -err from the decoder. */
int t_reencode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);
/* The payload part only, for a given type. */
int t_reencode_payload(uint8_t type, const uint8_t *in, size_t len, uint8_t *out, size_t cap);

#endif
