/* The wall clock is kept as an offset from the monotonic clock, so it advances with it
 * and only jumps when the relay sends a new time at the next WELCOME. */
#include "clock.h"

#include "port.h"

static int wall_set;
static uint64_t wall_at_set, mono_at_set;

void mvk_clock_init(void)
{
    wall_set = 0;
    wall_at_set = mono_at_set = 0;
}

void mvk_clock_set_wall(uint64_t server_us, uint64_t now_us)
{
    wall_at_set = server_us;
    mono_at_set = now_us;
    wall_set = 1;
}

int mvk_clock_wall(uint64_t *out)
{
    if (!wall_set)
        return -1;
    *out = wall_at_set + (mvk_port_now_us() - mono_at_set);
    return 0;
}
