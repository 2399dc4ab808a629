/* The length of a server-to-client WebSocket frame header (unmasked) for the bench's epoll
 * drivers, which parse frames from their own buffers instead of through wsclient. */
#ifndef BENCH_WS_HDR_H
#define BENCH_WS_HDR_H

#include <stddef.h>
#include <stdint.h>

/* 1: header complete (*hl its length, *len the payload's); 0: more bytes needed;
 * -1: a 64-bit length, which the relay never sends to these drivers. */
static inline int ws_hdr(const uint8_t *q, size_t avail, size_t *hl, size_t *len)
{
    if (avail < 2)
        return 0;
    *hl = 2;
    *len = q[1] & 0x7f;
    if (*len == 127)
        return -1;
    if (*len == 126) {
        if (avail < 4)
            return 0;
        *len = (size_t)q[2] << 8 | q[3];
        *hl = 4;
    }
    return 1;
}

#endif
