/* Application-owned settings kept by sys_misc.c (fast interrupts, system LED, external
 * flash handles) that an application restart must forget. The flash contents stay:
 * they model storage that survives the application. */
#ifndef MVK_MISC_H
#define MVK_MISC_H

void mvk_misc_app_reset(void);
/* Kernel start: a cold boot again. */
void mvk_misc_init(void);

#endif
