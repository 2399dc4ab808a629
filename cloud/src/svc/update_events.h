/* Update events as device log records (update_events.c). */
#ifndef MVR_UPDATE_EVENTS_H
#define MVR_UPDATE_EVENTS_H

#include "mvr/store.h"

/* The relay's pseudo boot id for its own records in a device's log. */
#define MVR_UPDATE_BOOT "0000000000000000"

/* Appends one record (printf format) to the device's log: a synchronous store call, for
 * a mvr_store_call run function. Returns the records inserted (0 or 1); the caller wakes
 * the device's streams (env->on_logs) from the completion, on the loop. */
unsigned mvr_update_event(struct mvr_store *st, const char *device_id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
