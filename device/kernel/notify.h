/* Notification centers: rings of struct MvNotification in application memory plus
 * the IRQ raised when an entry is written. Other modules post through a handle the app
 * gave them (channel, network request); a closed or stale handle drops the post. */
#ifndef MVK_NOTIFY_H
#define MVK_NOTIFY_H

#include <stdint.h>

#include "mv_syscalls.h"

void mvk_notify_init(void);
/* Closes every center (handles freed, rings released): the application is restarting. */
void mvk_notify_app_reset(void);
/* 1 if h is a live notification handle. */
int mvk_notify_valid(uint32_t h);
/* 1 if a notification center raises irq (so it cannot be a fast interrupt). */
int mvk_notify_irq_in_use(uint32_t irq);
/* Writes {now, type, tag} into the next ring slot and raises the center's IRQ.
 * 0, or -1 if h is not a live notification handle. */
int mvk_notify_post(uint32_t h, enum MvEventType type, uint32_t tag);

/* Implementations behind the system calls (arguments already verified). */
enum MvStatus mvk_impl_setup_notifications(uint32_t irq, struct MvNotification *buf,
                                           uint32_t size, uint32_t *out);
enum MvStatus mvk_impl_close_notifications(uint32_t h);

#endif
