/* Reconnect delay policy: exponential backoff with full jitter (AWS architecture blog,
 * "Exponential Backoff And Jitter"), pure so its bounds can be tested. */
#ifndef MVK_BACKOFF_H
#define MVK_BACKOFF_H

#include <stdint.h>

/* Upper bound of the random part for the given attempt (0 = first retry), at most cap_ms. */
uint32_t mvk_backoff_ceiling_ms(uint32_t attempt, uint32_t cap_ms);
/* Delay before attempt `attempt`, drawn from rnd: FLOOR + rnd % (ceiling + 1). */
uint32_t mvk_backoff_delay_ms(uint32_t attempt, uint32_t cap_ms, uint32_t rnd);
/* Delay after GOAWAY: retry_after_ms + rnd % (JITTER + 1), saturating. */
uint32_t mvk_backoff_goaway_ms(uint32_t retry_after_ms, uint32_t rnd);

#endif
