/* The tiny port shim an application needs besides mv_syscalls.h: registering its entry
 * point, connecting its notification IRQ to a handler and waiting for an interrupt
 * (APP_SHARED, which once marked buffers for the kernel, is no longer needed). Each port
 * implements it (host: device/port/host/apps.c); the same app code runs on every
 * port. Shared by every app in device/apps/, hence here beside mv_syscalls.h. */
#ifndef MV_APP_PORT_H
#define MV_APP_PORT_H

#include <stdint.h>

/* Registers the application's entry point under a name (host: `mvdevice --app NAME`). */
void app_port_register(const char *name, void (*entry)(void));
#define APP_PORT_MAIN(name, fn)                                                            \
    __attribute__((constructor)) static void app_port_reg_##name(void)                    \
    {                                                                                      \
        app_port_register(#name, fn);                                                      \
    }

/* Runs handler (like an ISR: briefly, outside the kernel) whenever irq is raised. 0 or
 * -1 (irq out of range). */
int app_port_set_irq_handler(uint32_t irq, void (*handler)(void));
/* Sleeps until an interrupt handler has run or ms milliseconds passed (WFI). */
void app_port_wait_ms(uint32_t ms);

/* Once marked static data the kernel may read or write. Not needed any more: on every
 * port all of the application's own memory is app memory (the host port loads each app
 * as its own linked object). Kept so existing code builds. */
#define APP_SHARED __attribute__((section("mvapp_data")))

#endif
