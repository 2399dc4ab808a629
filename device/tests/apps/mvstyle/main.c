/* mvstyle's entry: a plain `int main(void)` as in KORE's demos. Logs, checks the RCC
 * emulation and the heap, fetches config and a secret; on a cold boot it also turns the
 * system LED off, opens
 * HTTP and MQTT channels and then faults on purpose; after the restart (wake reason
 * APPLICATIONCRASH) it says so, fetches again and keeps logging a counter. */
#include <stdlib.h>
#include <string.h>

#include "app.h"

static void report_wake(enum MvWakeReason *reason)
{
    *reason = MV_WAKEREASON_COLDBOOT;
    if (mvGetWakeReason(reason) != MV_STATUS_OKAY)
        server_log("mvstyle: wake reason unavailable");
    else if (*reason == MV_WAKEREASON_APPLICATIONCRASH)
        server_log("mvstyle: restarted after an application crash");
    else
        server_log("mvstyle: cold boot");
}

/* The heap is app memory too: a malloc'd buffer is a valid log message. */
static void heap_check(void)
{
    static const char text[] = "mvstyle: heap buffer accepted";
    char *copy = malloc(sizeof text);

    if (!copy)
        return;
    memcpy(copy, text, sizeof text);
    if (mvServerLog((const uint8_t *)copy, (uint16_t)(sizeof text - 1)) != MV_STATUS_OKAY)
        server_log("mvstyle: heap buffer refused");
    free(copy);
}

int main(void)
{
    enum MvWakeReason reason;
    char fault_mode[16] = "";
    MvNotificationHandle nh;
    MvNetworkHandle net;
    uint32_t count = 0;

    log_init();
    hal_init();
    /* A string literal, passed straight to the kernel. */
    mvServerLog((const uint8_t *)"mvstyle: starting", 17);
    report_wake(&reason);
    /* The system LED goes off for the first run; the kernel turns it on again when it
     * restarts the application (mvdevice shows both on stderr). */
    if (reason != MV_WAKEREASON_APPLICATIONCRASH)
        server_log("mvstyle: system LED %s",
                   mvSystemLedEnable(0) == MV_STATUS_OKAY ? "off" : "refused");
    server_log("mvstyle: GPIOA clock %s", hal_enable_gpioa_clock() ? "enabled" : "refused");
    heap_check();
    nh = notify_init();
    net = net_connect(nh);
    if (nh && net) {
        config_fetch(nh, net, fault_mode, sizeof fault_mode);
        if (reason != MV_WAKEREASON_APPLICATIONCRASH)
            channels_try(nh, net);
    }
    if (reason != MV_WAKEREASON_APPLICATIONCRASH && strcmp(fault_mode, "none") != 0) {
        server_log("mvstyle: faulting on purpose (%s)", fault_mode[0] ? fault_mode : "null");
        hal_delay(500); /* lets the line reach the relay before the crash */
        crash(fault_mode);
    }
    for (;;) {
        server_log("mvstyle: counter %lu (tick %lu)", (unsigned long)count++,
                   (unsigned long)hal_get_tick());
        hal_delay(1000);
    }
}
