/* Single-producer single-consumer byte ring: the UART RX interrupt produces, the
 * kernel consumes. Pure C with no hardware access, so it is unit-tested on the host. */
#ifndef AN505_RING_H
#define AN505_RING_H

#include <stddef.h>
#include <stdint.h>

#define AN505_RING_SIZE 4096u /* power of two: indexes wrap by masking */

struct an505_ring {
    volatile uint32_t head; /* next write (producer only) */
    volatile uint32_t tail; /* next read (consumer only) */
    volatile uint32_t dropped; /* bytes lost because the ring was full */
    uint8_t buf[AN505_RING_SIZE];
};

void an505_ring_reset(struct an505_ring *r);
/* Producer: 0 if stored, -1 if full (counted in r->dropped). */
int an505_ring_put(struct an505_ring *r, uint8_t b);
/* Consumer: copies up to n bytes out; returns the count (0 if empty). */
size_t an505_ring_get(struct an505_ring *r, uint8_t *out, size_t n);
size_t an505_ring_used(const struct an505_ring *r);

#endif
