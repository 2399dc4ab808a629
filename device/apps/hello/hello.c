/* hello: the smallest useful application: logs "hello N" every 5 seconds through the
 * relay. The example of docs/write-an-app.md; only mv_syscalls.h and mv_app_port.h. */
#include <stdio.h>

#include "mv_app_port.h"
#include "mv_syscalls.h"

#define HELLO_IRQ 7u /* any IRQ the port allows (STM32U585 numbers on the host) */

static struct MvNotification ring[8] __attribute__((aligned(8)));
static uint8_t log_buf[4096] __attribute__((aligned(4)));
static volatile uint32_t next_entry;

/* Like an ISR: short, no malloc; clear each entry so the ring can be reused. */
static void on_irq(void)
{
    while (ring[next_entry].event_type != MV_EVENTTYPE_NOEVENT) {
        ring[next_entry].event_type = MV_EVENTTYPE_NOEVENT;
        next_entry = (next_entry + 1) % 8;
    }
}

static void hello_main(void)
{
    struct MvNotificationSetup ns = {HELLO_IRQ, ring, sizeof ring};
    struct MvRequestNetworkParams rp = {.version = 1};
    MvNotificationHandle nh;
    MvNetworkHandle net;
    uint64_t now = 0, next = 0;
    unsigned n = 0;
    char msg[64];

    if (mvSetupNotifications(&ns, &nh) != MV_STATUS_OKAY ||
        app_port_set_irq_handler(HELLO_IRQ, on_irq) != 0 ||
        mvServerLoggingInit(log_buf, sizeof log_buf) != MV_STATUS_OKAY)
        return;
    rp.v1.notification_handle = nh;
    rp.v1.notification_tag = 1;
    if (mvRequestNetwork(&rp, &net) != MV_STATUS_OKAY)
        return;
    for (;;) {
        mvGetMicroseconds(&now);
        if (now >= next) {
            int len = snprintf(msg, sizeof msg, "hello %u", n++); /* the stack: app memory */
            mvServerLog((const uint8_t *)msg, (uint16_t)len);
            next = now + 5000000u;
        }
        /* Returns early whenever an interrupt handler ran (the network's notifications). */
        app_port_wait_ms((uint32_t)((next - now) / 1000u) + 1u);
    }
}

APP_PORT_MAIN(hello, hello_main)
