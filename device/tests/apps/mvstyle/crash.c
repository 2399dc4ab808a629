/* The deliberate fault: a write through a bad pointer ("null"), a failed assert
 * ("assert": abort()), or a recursion that runs off the end of the stack ("overflow").
 * Either way Microvisor restarts the application, and so must the host port. */
#include <assert.h>
#include <string.h>

#include "app.h"

static volatile uint32_t depth;

static uint32_t recurse(volatile uint8_t *prev)
{
    volatile uint8_t frame[512];

    frame[0] = prev ? prev[0] : 1u;
    if (++depth == 0)
        return 0;
    return recurse(frame) + frame[0];
}

void crash(const char *mode)
{
    if (strcmp(mode, "overflow") == 0)
        (void)recurse(0);
    assert(strcmp(mode, "assert") != 0);
    *(volatile uint32_t *)(uintptr_t)16u = 0xdeadu;
}
