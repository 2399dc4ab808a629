/* Kernel start-up and the periodic work a port's kernel loop drives. */
#ifndef MVK_KERNEL_H
#define MVK_KERNEL_H

#include <stdint.h>

/* Seeds the DRBG, draws the boot id and resets every module; 0 or -1 (no entropy). */
int mvk_kernel_init(void);
/* The application is restarting (after a fault): forget everything it owned (handles,
 * buffers, channels, network requests, fast interrupts) but keep the kernel's state
 * (DRBG, boot id, session, log sequence). Unacknowledged log records in its buffer
 * become a GAP record in the buffer of its next mvServerLoggingInit (app_reset.c). */
void mvk_kernel_app_reset(void);
/* The port restarted the application after it faulted: until the next kernel start
 * mvGetWakeReason reports MV_WAKEREASON_APPLICATIONCRASH (sys_misc.c). */
void mvk_kernel_note_app_crash(void);
/* The port restarted the application in place for an update (or its rollback): the new
 * app starts as after a boot, so a crash of the old one no longer sets its wake reason
 * (an applied update then reports MV_WAKEREASON_APPLICATIONUPDATE). */
void mvk_kernel_note_app_update(void);
/* One turn of the kernel loop: drives conn and re-evaluates the network status. */
void mvk_kernel_poll(uint64_t now_us);
/* When mvk_kernel_poll must run next at the latest (monotonic µs). */
uint64_t mvk_kernel_next_deadline_us(void);

#endif
