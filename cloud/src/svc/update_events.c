/* Update events in the device's log: each change of a device's update state becomes a
 * log record under the relay's own pseudo boot id MVR_UPDATE_BOOT (a device's boot id is
 * never 0), so `mvcli logs get|stream` and the log API show downloads, refusals, applies
 * and rollbacks in line with the application's own lines. The record is written by the
 * update service's store call (a reader thread with PostgreSQL), never on the loop. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mvp/log.h"
#include "mvr/log.h"
#include "mvr/util.h"
#include "svc/update_events.h"

unsigned mvr_update_event(struct mvr_store *st, const char *device_id, const char *fmt, ...)
{
    char msg[MVP_MAX_LOG_MSG];
    va_list ap;
    uint32_t seq = 0;
    unsigned inserted = 0;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return 0;
    int rc = mvr_store_log_max_seq(st, device_id, MVR_UPDATE_BOOT, &seq);
    if (rc != MVR_OK && rc != MVR_ST_NOTFOUND)
        return 0;
    struct mvp_log_rec r = {.seq = seq + 1,
                            .device_us = 0,
                            .kind = MVP_LOG_KIND_MSG,
                            .msg = (const uint8_t *)msg,
                            .msg_len =
                                (uint16_t)((size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1)};
    /* Best effort: the state itself is in device_updates whatever happens here. */
    if (mvr_store_logs_insert(st, device_id, MVR_UPDATE_BOOT, &r, 1, mvr_now_us(), &inserted) !=
        MVR_OK) {
        mvr_log(MVR_WARN, "update event not stored", "device=%s", device_id);
        return 0;
    }
    return inserted;
}
