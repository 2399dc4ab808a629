/* The OTA test application (tests/e2e/host_ota.sh), built in three versions from this
 * one source: each logs "ota vN: started (wake W)", requests the network (and logs its
 * first network notification, proving its interrupt is delivered), subscribes to
 * the UPDATE system notification, logs a tick every second, and on UPDATEDOWNLOADED
 * logs it and calls mvRestart(AUTOAPPLYUPDATE). OTA_CRASH makes a version that faults
 * at every start before reaching the network (the rollback case); OTA_OFFLINE one that
 * runs but never requests the network (rolled back when its trial time runs out). Include it once with
 * OTA_VERSION defined. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "mv_app_port.h"
#include "mv_syscalls.h"

#define OTA_IRQ 6u
#define OTA_RING 16u
#define TAG_NET 1u
#define TAG_UPDATE 2u

static struct MvNotification ring[OTA_RING] APP_SHARED __attribute__((aligned(16)));
static uint8_t log_buf[8192] APP_SHARED __attribute__((aligned(8)));
static volatile uint32_t ring_next;
static volatile int update_ready, net_events;

static void ota_irq(void)
{
    while (ring[ring_next].event_type != MV_EVENTTYPE_NOEVENT) {
        if (ring[ring_next].tag == TAG_UPDATE &&
            ring[ring_next].event_type == MV_EVENTTYPE_UPDATEDOWNLOADED)
            update_ready = 1;
        if (ring[ring_next].tag == TAG_NET)
            net_events++;
        ring[ring_next].event_type = MV_EVENTTYPE_NOEVENT;
        ring_next = (ring_next + 1) % OTA_RING;
    }
}

static void ota_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ota_log(const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (len > 0)
        mvServerLog((const uint8_t *)msg, (uint16_t)(len < (int)sizeof msg ? len : 199));
}

static const char *wake_name(enum MvWakeReason w)
{
    switch (w) {
    case MV_WAKEREASON_COLDBOOT: return "COLDBOOT";
    case MV_WAKEREASON_APPLICATIONCRASH: return "APPLICATIONCRASH";
    case MV_WAKEREASON_APPLICATIONUPDATE: return "APPLICATIONUPDATE";
    default: return "OTHER";
    }
}

static void ota_main(void)
{
    struct MvNotificationSetup ns = {OTA_IRQ, ring, sizeof ring};
    struct MvRequestNetworkParams rp = {.version = 1};
    struct MvOpenSystemNotificationParams sp = {0, TAG_UPDATE, MV_SYSTEMNOTIFICATIONSOURCE_UPDATE};
    enum MvWakeReason wake = MV_WAKEREASON_COLDBOOT;
    MvNotificationHandle nh = 0;
    MvNetworkHandle net = 0;
    MvSystemEventHandle ev = 0;
    uint64_t now = 0, next = 0;
    unsigned long tick = 0;
    int told_net = 0;

    if (mvSetupNotifications(&ns, &nh) != MV_STATUS_OKAY ||
        app_port_set_irq_handler(OTA_IRQ, ota_irq) != 0 ||
        mvServerLoggingInit(log_buf, sizeof log_buf) != MV_STATUS_OKAY)
        return;
    (void)mvGetWakeReason(&wake);
    ota_log("ota v%d: started (wake %s)", OTA_VERSION, wake_name(wake));
#ifdef OTA_CRASH
    /* Faults before it ever asks for the network (address 16, not NULL: UBSan in the
     * sanitizer build would stop the process on a null store instead of faulting; on
     * an505 it is secure memory). Through a volatile so the compiler cannot see the
     * constant address (-Warray-bounds with the cross compiler). */
    volatile uintptr_t bad = 16u;
    *(volatile uint32_t *)bad = 0xdeadu;
#endif
    sp.notification_handle = nh;
    rp.v1.notification_handle = nh;
    rp.v1.notification_tag = TAG_NET;
    if (mvOpenSystemNotification(&sp, &ev) != MV_STATUS_OKAY)
        ota_log("ota v%d: setup failed", OTA_VERSION);
#ifndef OTA_OFFLINE
    if (mvRequestNetwork(&rp, &net) != MV_STATUS_OKAY)
        ota_log("ota v%d: setup failed", OTA_VERSION);
#else
    (void)rp;
    (void)net;
#endif
    for (;;) {
        mvGetMicroseconds(&now);
        if (now >= next) {
            ota_log("ota v%d: tick %lu", OTA_VERSION, tick++);
            next = now + 1000000u;
        }
        if (net_events && !told_net) {
            told_net = 1; /* interrupts reach this app (also after a restart for an update) */
            ota_log("ota v%d: network notification", OTA_VERSION);
        }
        if (update_ready) {
            update_ready = 0;
            ota_log("ota v%d: update downloaded, restarting to apply it", OTA_VERSION);
            app_port_wait_ms(1500); /* lets the line reach the relay */
            enum MvStatus st = mvRestart(MV_RESTARTMODE_AUTOAPPLYUPDATE);
            ota_log("ota v%d: mvRestart returned %u", OTA_VERSION, (unsigned)st);
        }
        app_port_wait_ms(100);
    }
}
