/* Reconnect delays. Full jitter spreads a fleet that lost the relay at the same time
 * over the whole window instead of synchronising retries. */
#include "backoff.h"

#include "conn_limits.h"

uint32_t mvk_backoff_ceiling_ms(uint32_t attempt, uint32_t cap_ms)
{
    uint32_t c = MVK_BACKOFF_BASE_MS;
    for (uint32_t i = 0; i < attempt && c < cap_ms; i++)
        c *= 2u;
    return c < cap_ms ? c : cap_ms;
}

uint32_t mvk_backoff_delay_ms(uint32_t attempt, uint32_t cap_ms, uint32_t rnd)
{
    return MVK_BACKOFF_FLOOR_MS + rnd % (mvk_backoff_ceiling_ms(attempt, cap_ms) + 1u);
}

uint32_t mvk_backoff_goaway_ms(uint32_t retry_after_ms, uint32_t rnd)
{
    uint32_t j = rnd % (MVK_GOAWAY_JITTER_MS + 1u);
    return retry_after_ms > UINT32_MAX - j ? UINT32_MAX : retry_after_ms + j;
}
