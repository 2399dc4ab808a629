/* Config and secret fetch as KORE's config demo does it: the keys are string literals
 * handed to the kernel as they are, the channel buffers static and 512-byte aligned. */
#include <string.h>

#include "app.h"

static uint8_t cfg_rx[1536] __attribute__((aligned(512)));
static uint8_t cfg_tx[512] __attribute__((aligned(512)));
static uint8_t value[256];

static const struct MvConfigKeyToFetch keys[] = {
    {MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_CONFIG,
     {(const uint8_t *)"mvstyle-greeting", 16}},
    {MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_SECRET,
     {(const uint8_t *)"mvstyle-secret", 14}},
    {MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_CONFIG,
     {(const uint8_t *)"mvstyle-fault", 13}},
};

/* Item i as a NUL-terminated string in value[], or NULL. */
static const char *item(MvChannelHandle ch, uint32_t i)
{
    enum MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_SERVERERROR;
    uint32_t len = 0;
    struct MvConfigResponseReadItemParams p = {i, &result, {value, sizeof value - 1, &len}};

    if (mvReadConfigResponseItem(ch, &p) != MV_STATUS_OKAY ||
        result != MV_CONFIGKEYFETCHRESULT_OK)
        return NULL;
    value[len] = 0;
    return (const char *)value;
}

static void report(MvChannelHandle ch, char *fault_mode, uint32_t cap)
{
    const char *v = item(ch, 0);

    server_log("mvstyle: greeting=%s", v ? v : "(none)");
    v = item(ch, 1);
    server_log("mvstyle: secret=%.2s***", v ? v : "");
    v = item(ch, 2);
    if (v && strlen(v) < cap)
        strcpy(fault_mode, v);
}

void config_fetch(MvNotificationHandle nh, MvNetworkHandle net, char *fault_mode, uint32_t cap)
{
    struct MvOpenChannelParams params = {
        .version = 1,
        .v1 = {.notification_handle = nh, .notification_tag = TAG_CONFIG,
               .network_handle = net, .receive_buffer = cfg_rx,
               .receive_buffer_len = sizeof cfg_rx, .send_buffer = cfg_tx,
               .send_buffer_len = sizeof cfg_tx, .channel_type = MV_CHANNELTYPE_CONFIGFETCH}};
    struct MvConfigKeyFetchParams request = {3, keys};
    struct MvConfigResponseData response;
    MvChannelHandle ch = 0;
    enum MvStatus status = mvOpenChannel(&params, &ch);

    if (status == MV_STATUS_OKAY)
        status = mvSendConfigFetchRequest(ch, &request);
    for (int i = 0; i < 100 && status == MV_STATUS_OKAY; i++) {
        status = mvReadConfigFetchResponseData(ch, &response);
        if (status == MV_STATUS_RESPONSENOTPRESENT) {
            status = MV_STATUS_OKAY;
            hal_delay(100);
            continue;
        }
        if (status == MV_STATUS_OKAY && response.result == MV_CONFIGFETCHRESULT_OK)
            report(ch, fault_mode, cap);
        break;
    }
    if (status != MV_STATUS_OKAY)
        server_log("mvstyle: config fetch failed (%u)", (unsigned)status);
    if (ch)
        mvCloseChannel(&ch);
}
