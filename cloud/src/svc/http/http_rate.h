/* Per-device request rate limit for the HTTP proxy: a token bucket per device id that
 * survives reconnects. Buckets that have refilled completely are forgotten, so memory
 * follows the devices that are actually busy. */
#ifndef MVR_HTTP_RATE_H
#define MVR_HTTP_RATE_H

#include <stddef.h>
#include <stdint.h>

struct mvr_rate;

struct mvr_rate *mvr_rate_new(uint32_t per_min, uint32_t burst);
void mvr_rate_free(struct mvr_rate *r);
/* Takes one token for device at now_us: 1 allowed, 0 over the limit, -1 no memory. */
int mvr_rate_take(struct mvr_rate *r, const char *device, int64_t now_us);
/* Buckets currently remembered (tests). */
size_t mvr_rate_tracked(const struct mvr_rate *r);

#endif
