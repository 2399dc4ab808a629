/* The host port's system LED: a board would light an LED; here each change of state is
 * a line on stderr ("mvdevice: system LED off"), which people and tests can watch. The
 * LED starts on (the kernel turns it on at boot) and repeats of the same state print
 * nothing. */
#include <stdatomic.h>
#include <stdio.h>

#include "port.h"

static atomic_int led_state = -1; /* unknown until the kernel sets it */

int mvk_port_system_led(int on)
{
    int v = on ? 1 : 0;

    if (atomic_exchange(&led_state, v) != v)
        fprintf(stderr, "mvdevice: system LED %s\n", v ? "on" : "off");
    return 0;
}
