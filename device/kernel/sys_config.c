/* Config and secret fetch over a CONFIGFETCH channel: one CFG_REQUEST outstanding per
 * channel; the CFG_RESPONSE stays in the channel's receive buffer, where the read calls
 * decode it again each time (it is app memory, so nothing decoded earlier is trusted
 * later) until the next request replaces it. */
#include <string.h>

#include "appmem.h"
#include "chan.h"
#include "mvk_limits.h"
#include "mvk_sys_decl.h"
#include "mvp/cfg.h"
#include "mvp/msg.h"

enum { CFG_IDLE = 0, CFG_SENT = 1 };

static uint8_t key_copy[MVK_CFG_MAX_KEYS][MVK_CFG_MAX_KEY];
static uint8_t req_buf[2 + MVK_CFG_MAX_KEYS * (4 + MVK_CFG_MAX_KEY)];

static enum MvStatus vrfy_key(const struct MvConfigKeyToFetch *k, uint32_t i,
                              struct mvp_cfg_key *out)
{
    if ((uint32_t)k->scope > MV_CONFIGKEYFETCHSCOPE_DEVICE)
        return MV_STATUS_UNKNOWNCONFIGSCOPE;
    if ((uint32_t)k->store > MV_CONFIGKEYFETCHSTORE_CONFIG)
        return MV_STATUS_UNKNOWNCONFIGSTORE;
    if (k->key.length == 0 || k->key.length > MVK_CFG_MAX_KEY)
        return MV_STATUS_INVALIDCONFIGKEY;
    if (!mvk_app_rd(k->key.data, k->key.length))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(key_copy[i], k->key.data, k->key.length);
    if (!mvp_cfg_key_valid(key_copy[i], k->key.length))
        return MV_STATUS_INVALIDCONFIGKEY;
    *out = (struct mvp_cfg_key){(uint8_t)k->scope, (uint8_t)k->store, key_copy[i],
                                (uint16_t)k->key.length};
    return MV_STATUS_OKAY;
}

static enum MvStatus mvk_vrfy_send_config_fetch_request(
    const struct MvConfigKeyFetchParams *request, struct mvp_cfg_key keys[MVK_CFG_MAX_KEYS],
    uint32_t *n)
{
    struct MvConfigKeyFetchParams p;
    struct MvConfigKeyToFetch k[MVK_CFG_MAX_KEYS];
    enum MvStatus st;

    if (!mvk_app_rd(request, sizeof *request))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(&p, request, sizeof p);
    if (p.num_items > MVK_CFG_MAX_KEYS)
        return MV_STATUS_TOOMANYCONFIGKEYS;
    if (p.num_items == 0)
        return MV_STATUS_REQUIREDELEMENTMISSING;
    if (!mvk_app_rd_array(p.keys_to_fetch, p.num_items, sizeof k[0]))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(k, p.keys_to_fetch, p.num_items * sizeof k[0]);
    for (uint32_t i = 0; i < p.num_items; i++) {
        st = vrfy_key(&k[i], i, &keys[i]);
        if (st != MV_STATUS_OKAY)
            return st;
    }
    *n = p.num_items;
    return MV_STATUS_OKAY;
}

/* Drops a response left from the previous request (or anything else queued). */
static void drop_old_response(struct mvk_chan *c)
{
    uint8_t t;
    const uint8_t *b;
    uint32_t len;

    while (mvk_chan_peek_msg(c, &t, &b, &len) == MV_STATUS_OKAY)
        mvk_chan_consume_msg(c);
}

static enum MvStatus mvk_impl_send_config_fetch_request(struct mvk_chan *c,
                                                        const struct mvp_cfg_key *keys,
                                                        uint32_t n)
{
    uint32_t *state = mvk_chan_typed_state(c);
    uint8_t t;
    const uint8_t *b;
    uint32_t len;
    int enc;
    enum MvStatus st;

    if (*state == CFG_SENT && mvk_chan_peek_msg(c, &t, &b, &len) != MV_STATUS_OKAY)
        return MV_STATUS_REQUESTALREADYSENT;
    drop_old_response(c);
    enc = mvp_cfg_req_encode(keys, n, req_buf, sizeof req_buf);
    if (enc < 0)
        return MV_STATUS_INTERNALERROR;
    st = mvk_chan_send_msg(c, MVP_MSG_CFG_REQUEST, req_buf, (uint32_t)enc);
    if (st == MV_STATUS_OKAY)
        *state = CFG_SENT;
    return st;
}

enum MvStatus mvk_sys_send_config_fetch_request(MvChannelHandle handle,
                                                const struct MvConfigKeyFetchParams *request)
{
    struct mvk_chan *c = 0;
    struct mvp_cfg_key keys[MVK_CFG_MAX_KEYS];
    uint32_t n = 0;
    enum MvStatus st = (enum MvStatus)mvk_chan_lookup(handle, MV_CHANNELTYPE_CONFIGFETCH, &c);

    if (st != MV_STATUS_OKAY)
        return st;
    st = mvk_vrfy_send_config_fetch_request(request, keys, &n);
    if (st != MV_STATUS_OKAY)
        return st;
    return mvk_impl_send_config_fetch_request(c, keys, n);
}

/* Decodes the response at the head of the channel into items[]. */
static enum MvStatus decode_response(struct mvk_chan *c, uint8_t *result,
                                     struct mvp_cfg_item *items, size_t *n)
{
    uint8_t t;
    const uint8_t *b;
    uint32_t len;

    if (*mvk_chan_typed_state(c) != CFG_SENT ||
        mvk_chan_peek_msg(c, &t, &b, &len) != MV_STATUS_OKAY)
        return MV_STATUS_RESPONSENOTPRESENT;
    if (t != MVP_MSG_CFG_RESPONSE ||
        mvp_cfg_resp_decode(b, len, result, items, MVK_CFG_MAX_KEYS, n) < 0) {
        /* Not a response we can use: drop it, the request has failed. */
        mvk_chan_consume_msg(c);
        *mvk_chan_typed_state(c) = CFG_IDLE;
        return MV_STATUS_REQUESTUNSUCCESSFUL;
    }
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_read_config_fetch_response_data(MvChannelHandle handle,
                                                      struct MvConfigResponseData *response_data)
{
    struct mvk_chan *c = 0;
    struct mvp_cfg_item items[MVK_CFG_MAX_KEYS];
    struct MvConfigResponseData out;
    uint8_t result = 0;
    size_t n = 0;
    enum MvStatus st = (enum MvStatus)mvk_chan_lookup(handle, MV_CHANNELTYPE_CONFIGFETCH, &c);

    if (st != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(response_data, sizeof *response_data))
        return MV_STATUS_PARAMETERFAULT;
    st = decode_response(c, &result, items, &n);
    if (st != MV_STATUS_OKAY)
        return st;
    out.result = (enum MvConfigFetchResult)result;
    out.num_items = (uint32_t)n;
    memcpy(response_data, &out, sizeof out);
    return MV_STATUS_OKAY;
}

static enum MvStatus vrfy_item_params(const struct MvConfigResponseReadItemParams *params,
                                      struct MvConfigResponseReadItemParams *p)
{
    if (!mvk_app_rd(params, sizeof *params))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(p, params, sizeof *p);
    if (!mvk_app_wr(p->result, sizeof *p->result) ||
        !mvk_app_wr(p->buf.length, sizeof *p->buf.length) ||
        (p->buf.size > 0 && !mvk_app_wr(p->buf.data, p->buf.size)))
        return MV_STATUS_PARAMETERFAULT;
    return MV_STATUS_OKAY;
}

/* Writes the item's result and value length; copies the value only when it fits
 * (INVALIDBUFFERSIZE otherwise, with *length telling the size needed). */
enum MvStatus mvk_sys_read_config_response_item(
    MvChannelHandle handle, const struct MvConfigResponseReadItemParams *params)
{
    struct mvk_chan *c = 0;
    struct MvConfigResponseReadItemParams p;
    struct mvp_cfg_item items[MVK_CFG_MAX_KEYS];
    uint8_t result = 0;
    size_t n = 0;
    enum MvConfigKeyFetchResult r;
    uint32_t vlen;
    enum MvStatus st = (enum MvStatus)mvk_chan_lookup(handle, MV_CHANNELTYPE_CONFIGFETCH, &c);

    if (st != MV_STATUS_OKAY)
        return st;
    st = vrfy_item_params(params, &p);
    if (st != MV_STATUS_OKAY)
        return st;
    st = decode_response(c, &result, items, &n);
    if (st != MV_STATUS_OKAY)
        return st;
    if (p.item_index >= n)
        return MV_STATUS_INDEXINVALID;
    r = (enum MvConfigKeyFetchResult)items[p.item_index].result;
    vlen = r == MV_CONFIGKEYFETCHRESULT_OK ? items[p.item_index].value_len : 0;
    memcpy(p.result, &r, sizeof r);
    memcpy(p.buf.length, &vlen, sizeof vlen);
    if (vlen > p.buf.size)
        return MV_STATUS_INVALIDBUFFERSIZE;
    if (vlen > 0)
        memmove(p.buf.data, items[p.item_index].value, vlen);
    return MV_STATUS_OKAY;
}
