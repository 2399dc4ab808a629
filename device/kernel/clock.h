/* Kernel clocks: the port's monotonic microseconds and the wall clock, which is unset
 * until the relay's WELCOME gives the server time. */
#ifndef MVK_CLOCK_H
#define MVK_CLOCK_H

#include <stdint.h>

#include "port.h"

void mvk_clock_init(void);

/* Inline: mvGetMicroseconds is the benchmark's pointer-validating call, and a
 * forwarding function is one more jump on it. */
static inline uint64_t mvk_clock_now_us(void)
{
    return mvk_port_now_us();
}
/* Server Unix time (µs) observed at monotonic time now_us. */
void mvk_clock_set_wall(uint64_t server_us, uint64_t now_us);
/* 0 and *out = Unix µs, or -1 while the time is not set. */
int mvk_clock_wall(uint64_t *out);

#endif
