/* System notifications (mvOpenSystemNotification): the app subscribes a notification
 * handle to a kernel event source (network, update) and is told when that source has
 * news, independently of its own network requests. */
#ifndef MVK_SYSEVENT_H
#define MVK_SYSEVENT_H

#include "mv_syscalls.h"

void mvk_sysevent_init(void);
/* Drops every subscription and its handle: the application is restarting. */
void mvk_sysevent_app_reset(void);
/* Posts event to every subscriber of source. */
void mvk_sysevent_post(enum MvSystemNotificationSource source, enum MvEventType event);

#endif
