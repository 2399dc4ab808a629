/* HTTP and MQTT channels, opened as KORE's HTTP and MQTT demos open them (static
 * 512-aligned buffers; the MQTT receive buffer comes from the heap). Whether the relay
 * serves them or refuses them (OPEN_ERR: a CHANNELNOTCONNECTED notification and a
 * server-side closure reason), the app reports the answer and closes the channel. */
#include <stdlib.h>

#include "app.h"

static uint8_t http_rx[1536] __attribute__((aligned(512)));
static uint8_t http_tx[512] __attribute__((aligned(512)));
static uint8_t mqtt_tx[1024] __attribute__((aligned(512)));

static void try_one(const char *name, MvNotificationHandle nh, MvNetworkHandle net,
                    enum MvChannelType type, uint32_t tag, uint8_t *rx, uint32_t rx_len,
                    uint8_t *tx, uint32_t tx_len)
{
    struct MvOpenChannelParams params = {
        .version = 1,
        .v1 = {.notification_handle = nh, .notification_tag = tag, .network_handle = net,
               .receive_buffer = rx, .receive_buffer_len = rx_len, .send_buffer = tx,
               .send_buffer_len = tx_len, .channel_type = type}};
    enum MvClosureReason reason = MV_CLOSUREREASON_NONE;
    MvChannelHandle ch = 0;
    enum MvStatus status = mvOpenChannel(&params, &ch);

    if (status != MV_STATUS_OKAY) {
        server_log("mvstyle: %s channel not opened (%u)", name, (unsigned)status);
        return;
    }
    /* A refusal arrives as a notification within a round trip; an accepted channel
     * posts nothing, so after 1 s of silence it counts as open. */
    for (int i = 0; i < 10 && notify_count(tag) == 0; i++)
        hal_delay(100);
    mvGetChannelClosureReason(ch, &reason);
    if (reason == MV_CLOSUREREASON_NONE)
        server_log("mvstyle: %s channel open", name);
    else
        server_log("mvstyle: %s channel refused by the server (closure reason %u)", name,
                   (unsigned)reason);
    mvCloseChannel(&ch);
}

/* Closing before the relay's answer arrived is a normal race, not an error on
 * either side (the e2e test checks that neither reports one). */
static void close_at_once(MvNotificationHandle nh, MvNetworkHandle net)
{
    struct MvOpenChannelParams params = {
        .version = 1,
        .v1 = {.notification_handle = nh, .notification_tag = TAG_HTTP, .network_handle = net,
               .receive_buffer = http_rx, .receive_buffer_len = sizeof http_rx,
               .send_buffer = http_tx, .send_buffer_len = sizeof http_tx,
               .channel_type = MV_CHANNELTYPE_HTTP}};
    MvChannelHandle ch = 0;

    if (mvOpenChannel(&params, &ch) == MV_STATUS_OKAY && mvCloseChannel(&ch) == MV_STATUS_OKAY)
        server_log("mvstyle: closed a channel before the server answered");
}

void channels_try(MvNotificationHandle nh, MvNetworkHandle net)
{
    uint8_t *mqtt_rx = aligned_alloc(512, 2048);

    close_at_once(nh, net);
    try_one("http", nh, net, MV_CHANNELTYPE_HTTP, TAG_HTTP, http_rx, sizeof http_rx, http_tx,
            sizeof http_tx);
    if (mqtt_rx)
        try_one("mqtt", nh, net, MV_CHANNELTYPE_MQTT, TAG_MQTT, mqtt_rx, 2048, mqtt_tx,
                sizeof mqtt_tx);
    free(mqtt_rx);
}
