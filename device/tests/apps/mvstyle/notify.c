/* The notification center, KORE style: a static ring, TIM8_BRK_IRQn (51) as its
 * interrupt, connected by NVIC_EnableIRQ and the vector-table name TIM8_BRK_IRQHandler. */
#include "app.h"

#define NOTIFY_SLOTS 16
static volatile struct MvNotification notification_center[NOTIFY_SLOTS]
    __attribute__((aligned(8)));
static volatile uint32_t current_index;
static volatile uint32_t counts[8];

void TIM8_BRK_IRQHandler(void);
void TIM8_BRK_IRQHandler(void)
{
    volatile struct MvNotification *n = &notification_center[current_index];

    while (n->event_type != MV_EVENTTYPE_NOEVENT) {
        if (n->tag < 8u)
            counts[n->tag]++;
        n->event_type = MV_EVENTTYPE_NOEVENT;
        current_index = (current_index + 1u) % NOTIFY_SLOTS;
        n = &notification_center[current_index];
    }
}

MvNotificationHandle notify_init(void)
{
    struct MvNotificationSetup setup = {
        .irq = TIM8_BRK_IRQn,
        .buffer = (struct MvNotification *)notification_center,
        .buffer_size = sizeof(notification_center),
    };
    MvNotificationHandle handle = 0;
    enum MvStatus status = mvSetupNotifications(&setup, &handle);

    if (status != MV_STATUS_OKAY) {
        server_log("mvstyle: notification setup failed (%u)", (unsigned)status);
        return 0;
    }
    NVIC_ClearPendingIRQ(TIM8_BRK_IRQn);
    NVIC_SetPriority(TIM8_BRK_IRQn, NVIC_EncodePriority(NVIC_GetPriorityGrouping(), 5, 0));
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    server_log("mvstyle: notifications on IRQ %d", (int)TIM8_BRK_IRQn);
    return handle;
}

uint32_t notify_count(uint32_t tag)
{
    return tag < 8u ? counts[tag] : 0u;
}
