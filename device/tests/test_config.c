/* Config fetch (sys_config.c) over a CONFIGFETCH channel: request encoding, response
 * reading, and every validation path. */
#include <criterion/criterion.h>
#include <string.h>

#include "fakes.h"
#include "mvp/cfg.h"
#include "mvp/frame.h"
#include "mvp/msg.h"

static MvNotificationHandle nh;
static MvNetworkHandle net;
static MvChannelHandle ch;
static uint16_t chan_id;

static void boot_cfg_channel(void)
{
    kt_boot();
    nh = kt_notify(9, NULL);
    net = kt_network(nh);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_CONFIGFETCH, 2048, 1024, &ch), MV_STATUS_OKAY);
    chan_id = fake_conn_last(MVP_OPEN)->chan;
    kt_inject_u32(MVP_OPEN_OK, chan_id, 65536);
    fake_conn_clear();
}

TestSuite(config, .init = boot_cfg_channel);

static struct MvConfigKeyFetchParams *params(uint32_t n, const char *key)
{
    struct MvConfigKeyFetchParams *p = kt_alloc(sizeof *p);
    struct MvConfigKeyToFetch *k = kt_alloc(n * sizeof *k + 1);
    uint8_t *kb = kt_alloc(strlen(key) + 1);

    memcpy(kb, key, strlen(key));
    for (uint32_t i = 0; i < n; i++)
        k[i] = (struct MvConfigKeyToFetch){MV_CONFIGKEYFETCHSCOPE_ACCOUNT,
                                           MV_CONFIGKEYFETCHSTORE_CONFIG,
                                           {kb, (uint32_t)strlen(key)}};
    p->num_items = n;
    p->keys_to_fetch = k;
    return p;
}

/* Sends a CFG_RESPONSE with the given items as DATA on the channel. */
static void respond(uint8_t result, const struct mvp_cfg_item *items, size_t n)
{
    static uint8_t body[8192], msg[8200];
    int b = mvp_cfg_resp_encode(result, items, n, body, sizeof body);
    cr_assert_geq(b, 0);
    int m = mvp_msg_encode(MVP_MSG_CFG_RESPONSE, body, (uint32_t)b, msg, sizeof msg);
    cr_assert_geq(m, 0);
    kt_inject(MVP_DATA, chan_id, msg, (uint32_t)m);
}

Test(config, request_is_sent_as_typed_message)
{
    struct mvp_cfg_key keys[16];
    size_t n = 0;
    const struct fake_frame *f;

    cr_assert_eq(mvSendConfigFetchRequest(ch, params(2, "demo-greeting")), MV_STATUS_OKAY);
    f = fake_conn_last(MVP_DATA);
    cr_assert_not_null(f);
    cr_expect_eq(f->payload[0], MVP_MSG_CFG_REQUEST);
    cr_expect_eq(kt_be32(f->payload + 4), f->len - 8);
    cr_assert_eq(mvp_cfg_req_decode(f->payload + 8, f->len - 8, keys, 16, &n), 0);
    cr_expect_eq(n, 2u);
    cr_expect_eq(keys[1].key_len, 13);
    cr_expect_eq(memcmp(keys[1].key, "demo-greeting", 13), 0);
    cr_expect_eq(keys[0].store, MV_CONFIGKEYFETCHSTORE_CONFIG);
}

Test(config, one_outstanding_request)
{
    cr_assert_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_OKAY);
    cr_expect_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_REQUESTALREADYSENT);
    struct mvp_cfg_item it = {0, (const uint8_t *)"v", 1};
    respond(0, &it, 1);
    cr_expect_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_OKAY);
}

Test(config, response_not_present_until_it_arrives)
{
    struct MvConfigResponseData *rd = kt_alloc(sizeof *rd);

    cr_expect_eq(mvReadConfigFetchResponseData(ch, rd), MV_STATUS_RESPONSENOTPRESENT);
    cr_assert_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_OKAY);
    cr_expect_eq(mvReadConfigFetchResponseData(ch, rd), MV_STATUS_RESPONSENOTPRESENT);
}

Test(config, items_are_read_with_results_and_values)
{
    struct MvConfigResponseData *rd = kt_alloc(sizeof *rd);
    struct MvConfigResponseReadItemParams *ip = kt_alloc(sizeof *ip);
    enum MvConfigKeyFetchResult *res = kt_alloc(sizeof *res);
    uint32_t *len = kt_alloc(4);
    uint8_t *val = kt_alloc(64);
    struct mvp_cfg_item items[2] = {{0, (const uint8_t *)"hello", 5}, {1, NULL, 0}};

    cr_assert_eq(mvSendConfigFetchRequest(ch, params(2, "k")), MV_STATUS_OKAY);
    respond(0, items, 2);
    cr_assert_eq(mvReadConfigFetchResponseData(ch, rd), MV_STATUS_OKAY);
    cr_expect_eq(rd->result, MV_CONFIGFETCHRESULT_OK);
    cr_expect_eq(rd->num_items, 2u);
    *ip = (struct MvConfigResponseReadItemParams){0, res, {val, 64, len}};
    cr_assert_eq(mvReadConfigResponseItem(ch, ip), MV_STATUS_OKAY);
    cr_expect_eq(*res, MV_CONFIGKEYFETCHRESULT_OK);
    cr_expect_eq(*len, 5u);
    cr_expect_eq(memcmp(val, "hello", 5), 0);
    ip->item_index = 1;
    cr_assert_eq(mvReadConfigResponseItem(ch, ip), MV_STATUS_OKAY);
    cr_expect_eq(*res, MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND);
    cr_expect_eq(*len, 0u);
    ip->item_index = 2;
    cr_expect_eq(mvReadConfigResponseItem(ch, ip), MV_STATUS_INDEXINVALID);
}

Test(config, value_larger_than_buffer_reports_needed_size)
{
    struct MvConfigResponseReadItemParams *ip = kt_alloc(sizeof *ip);
    enum MvConfigKeyFetchResult *res = kt_alloc(sizeof *res);
    uint32_t *len = kt_alloc(4);
    uint8_t *val = kt_alloc(64);
    struct mvp_cfg_item it = {0, (const uint8_t *)"hello", 5};

    cr_assert_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_OKAY);
    respond(0, &it, 1);
    *ip = (struct MvConfigResponseReadItemParams){0, res, {val, 3, len}};
    cr_expect_eq(mvReadConfigResponseItem(ch, ip), MV_STATUS_INVALIDBUFFERSIZE);
    cr_expect_eq(*len, 5u);
}

Test(config, item_pointer_checks)
{
    struct MvConfigResponseReadItemParams *ip = kt_alloc(sizeof *ip);
    enum MvConfigKeyFetchResult *res = kt_alloc(sizeof *res);
    uint32_t *len = kt_alloc(4);
    uint8_t *val = kt_alloc(64);
    struct mvp_cfg_item it = {0, (const uint8_t *)"hello", 5};

    cr_assert_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_OKAY);
    respond(0, &it, 1);
    cr_expect_eq(mvReadConfigResponseItem(ch, NULL), MV_STATUS_PARAMETERFAULT);
    *ip = (struct MvConfigResponseReadItemParams){0, (void *)kt_kernel, {val, 64, len}};
    cr_expect_eq(mvReadConfigResponseItem(ch, ip), MV_STATUS_PARAMETERFAULT);
    *ip = (struct MvConfigResponseReadItemParams){0, res, {kt_kernel, 64, len}};
    cr_expect_eq(mvReadConfigResponseItem(ch, ip), MV_STATUS_PARAMETERFAULT);
    *ip = (struct MvConfigResponseReadItemParams){0, res, {val, 64, (uint32_t *)kt_ro}};
    cr_expect_eq(mvReadConfigResponseItem(ch, ip), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvReadConfigFetchResponseData(ch, (void *)kt_kernel), MV_STATUS_PARAMETERFAULT);
}

Test(config, request_validation)
{
    struct MvConfigKeyFetchParams *p = params(1, "ok-key");
    struct MvConfigKeyToFetch *k = (struct MvConfigKeyToFetch *)p->keys_to_fetch;

    cr_expect_eq(mvSendConfigFetchRequest(ch, NULL), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvSendConfigFetchRequest(ch, params(17, "k")), MV_STATUS_TOOMANYCONFIGKEYS);
    k->scope = (enum MvConfigKeyFetchScope)2;
    cr_expect_eq(mvSendConfigFetchRequest(ch, p), MV_STATUS_UNKNOWNCONFIGSCOPE);
    k->scope = MV_CONFIGKEYFETCHSCOPE_DEVICE;
    k->store = (enum MvConfigKeyFetchStore)5;
    cr_expect_eq(mvSendConfigFetchRequest(ch, p), MV_STATUS_UNKNOWNCONFIGSTORE);
    k->store = MV_CONFIGKEYFETCHSTORE_SECRET;
    k->key.data = kt_kernel;
    cr_expect_eq(mvSendConfigFetchRequest(ch, p), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvSendConfigFetchRequest(ch, params(1, "bad key")), MV_STATUS_INVALIDCONFIGKEY);
    p->keys_to_fetch = (const struct MvConfigKeyToFetch *)kt_kernel;
    cr_expect_eq(mvSendConfigFetchRequest(ch, p), MV_STATUS_PARAMETERFAULT);
    p->keys_to_fetch = (const struct MvConfigKeyToFetch *)(UINTPTR_MAX - 8);
    cr_expect_eq(mvSendConfigFetchRequest(ch, p), MV_STATUS_PARAMETERFAULT);
}

Test(config, wrong_channel_type_or_closed_channel)
{
    MvChannelHandle other;

    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &other), MV_STATUS_OKAY);
    cr_expect_eq(mvSendConfigFetchRequest(other, params(1, "k")), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvSendConfigFetchRequest((MvChannelHandle)net, params(1, "k")),
                 MV_STATUS_INVALIDHANDLE);
    kt_inject_u32(MVP_CLOSE, chan_id, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    cr_expect_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_CHANNELCLOSED);
}

Test(config, malformed_response_fails_the_request)
{
    struct MvConfigResponseData *rd = kt_alloc(sizeof *rd);
    uint8_t msg[12] = {MVP_MSG_CFG_RESPONSE, 0, 0, 0, 0, 0, 0, 4, 9, 9, 9, 9};

    cr_assert_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_OKAY);
    kt_inject(MVP_DATA, chan_id, msg, sizeof msg);
    cr_expect_eq(mvReadConfigFetchResponseData(ch, rd), MV_STATUS_REQUESTUNSUCCESSFUL);
    cr_expect_eq(mvSendConfigFetchRequest(ch, params(1, "k")), MV_STATUS_OKAY);
}
