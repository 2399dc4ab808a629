/* Host port clock: CLOCK_MONOTONIC in microseconds (never jumps with the wall clock). */
#include <time.h>

#include "port.h"

uint64_t mvk_port_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
