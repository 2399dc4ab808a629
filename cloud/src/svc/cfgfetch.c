/* The config fetch service: answers each CFG_REQUEST with one CFG_RESPONSE, looking up
 * device-scope keys only for the requesting device. If the response would not fit the
 * device's current receive window it answers RESPONSETOOLARGE with no items. */
#include <stdlib.h>
#include <string.h>

#include "mvp/cfg.h"
#include "mvp/msg.h"
#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mv_syscalls.h"
#include "device/session_priv.h"
#include "svc/svc.h"

#define RESULT_OK 0
#define RESULT_TOOLARGE 1
#define ITEM_OK 0
#define ITEM_NOTFOUND 1
#define ITEM_SERVERERROR 2

/* Looks a key up; the value (malloc'ed) goes into *val. */
static uint8_t fetch_one(struct mvr_session *s, const struct mvp_cfg_key *k, char **val,
                         size_t *len)
{
    char key[MVP_MAX_CFG_KEY + 1];
    memcpy(key, k->key, k->key_len);
    key[k->key_len] = '\0';
    if (!mvp_cfg_key_valid(k->key, k->key_len) || k->scope > 1 || k->store > 1)
        return ITEM_NOTFOUND;
    /* The scope decides the row owner: never a device id taken from the request. */
    const char *owner = k->scope == 1 ? s->device_id : NULL;
    enum mvr_kv_kind kind = k->store == 0 ? MVR_KV_SECRET : MVR_KV_CONFIG;
    int rc = mvr_store_kv_get(s->env->store, kind, owner, key, val, len, NULL);
    if (rc == MVR_OK && *len > MVP_MAX_CFG_VALUE) {
        free(*val);
        *val = NULL;
        return ITEM_SERVERERROR;
    }
    if (rc == MVR_OK)
        return ITEM_OK;
    if (rc == MVR_ST_NOTFOUND)
        return ITEM_NOTFOUND;
    mvr_metrics.errors[MVR_ERRK_STORE]++;
    return ITEM_SERVERERROR;
}

static int send_response(struct mvr_session *s, struct mvr_chan *c, uint8_t result,
                         const struct mvp_cfg_item *items, size_t n)
{
    size_t cap = 8 + 3 + n * (1 + 4 + MVP_MAX_CFG_VALUE);
    uint8_t *buf = malloc(cap);
    int rc = -1;
    if (!buf)
        return -1;
    int blen = mvp_cfg_resp_encode(result, items, n, buf + 8, cap - 8);
    if (blen < 0)
        goto out;
    size_t total = 8 + (size_t)blen;
    /* Compare with the credit left after anything already queued on the channel. */
    if (result == RESULT_OK && total > mvr_chan_avail(c)) {
        rc = send_response(s, c, RESULT_TOOLARGE, NULL, 0);
        goto out;
    }
    mvp_msg_hdr_encode(MVP_MSG_CFG_RESPONSE, (uint32_t)blen, buf);
    rc = mvr_chan_send(s, c, buf, total);
out:
    free(buf);
    return rc;
}

static int serve(struct mvr_session *s, struct mvr_chan *c, const uint8_t *body, size_t len)
{
    struct mvp_cfg_key keys[MVP_MAX_CFG_KEYS];
    struct mvp_cfg_item items[MVP_MAX_CFG_KEYS];
    char *vals[MVP_MAX_CFG_KEYS] = {0};
    size_t n = 0;
    int rc = mvp_cfg_req_decode(body, len, keys, MVP_MAX_CFG_KEYS, &n);
    /* A request that does not decode gets no CFG_RESPONSE; resetting the channel tells
     * the device not to wait for one. */
    if (rc < 0)
        return MVR_SVC_RESET;
    mvr_metrics.config_fetches++;
    for (size_t i = 0; i < n; i++) {
        size_t vlen = 0;
        items[i].result = fetch_one(s, &keys[i], &vals[i], &vlen);
        items[i].value = (const uint8_t *)vals[i];
        items[i].value_len = items[i].result == ITEM_OK ? (uint32_t)vlen : 0;
    }
    rc = send_response(s, c, RESULT_OK, items, n);
    for (size_t i = 0; i < n; i++)
        free(vals[i]);
    mvr_log(MVR_DEBUG, "config fetch", "device=%s keys=%zu", s->device_id, n);
    return rc;
}

static uint32_t cfg_open(void *ctx, struct mvr_session *s, struct mvr_chan *c,
                         const uint8_t *endpoint, size_t endpoint_len, const char **why)
{
    (void)ctx, (void)s, (void)c, (void)endpoint;
    *why = "config fetch takes no endpoint";
    return endpoint_len ? MV_STATUS_UNKNOWNCHANNELENDPOINT : 0;
}

static int cfg_msg(void *ctx, struct mvr_session *s, struct mvr_chan *c, const struct mvp_frame *m)
{
    (void)ctx;
    if (m->hdr.chan != 0 || m->hdr.type != MVP_MSG_CFG_REQUEST)
        return MVR_SVC_RESET;
    return serve(s, c, m->payload, m->hdr.len);
}

const struct mvr_svc mvr_svc_cfgfetch = {
    .name = "config",
    .open = cfg_open,
    .msg = cfg_msg,
};
