/* Update events as device log records (update_events.c). */
#ifndef MVR_UPDATE_EVENTS_H
#define MVR_UPDATE_EVENTS_H

#include "mvr/session.h"

/* The relay's pseudo boot id for its own records in a device's log. */
#define MVR_UPDATE_BOOT "0000000000000000"

/* Appends one record (printf format) to the device's log and wakes its streams. */
void mvr_update_event(struct mvr_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
