/* Byte ring between the UART RX interrupt and the kernel. Head and tail are free-
 * running 32-bit counters: used = head - tail is right across wrap-around, and each
 * side writes only its own index, so no lock is needed on a single core. */
#include "ring.h"

void an505_ring_reset(struct an505_ring *r)
{
    r->head = 0;
    r->tail = 0;
    r->dropped = 0;
}

size_t an505_ring_used(const struct an505_ring *r)
{
    return (size_t)(r->head - r->tail);
}

int an505_ring_put(struct an505_ring *r, uint8_t b)
{
    uint32_t head = r->head;

    if (head - r->tail >= AN505_RING_SIZE) {
        r->dropped++;
        return -1;
    }
    r->buf[head & (AN505_RING_SIZE - 1u)] = b;
    r->head = head + 1u; /* publish after the byte is stored */
    return 0;
}

size_t an505_ring_get(struct an505_ring *r, uint8_t *out, size_t n)
{
    uint32_t tail = r->tail;
    size_t avail = (size_t)(r->head - tail);
    size_t i;

    if (n > avail)
        n = avail;
    for (i = 0; i < n; i++)
        out[i] = r->buf[(tail + (uint32_t)i) & (AN505_RING_SIZE - 1u)];
    r->tail = tail + (uint32_t)n;
    return n;
}
