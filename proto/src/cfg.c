/* Config fetch messages (PROTOCOL.md "Config fetch"): CFG_REQUEST lists keys with
 * scope and store, CFG_RESPONSE answers them in order. Values point into the input;
 * a non-OK item never carries a value so secrets cannot leak through error paths. */
#include "mvp/cfg.h"
#include "mvp/wire.h"
#include "codec.h"

#define CFG_SCOPE_MAX 1u  /* MvConfigKeyFetchScope: ACCOUNT, DEVICE */
#define CFG_STORE_MAX 1u  /* MvConfigKeyFetchStore: SECRET, CONFIG */
#define CFG_RESULT_MAX 1u /* MvConfigFetchResult: OK, RESPONSETOOLARGE */
#define CFG_ITEM_RESULT_MAX 2u /* MvConfigKeyFetchResult: OK, KEYNOTFOUND, SERVERERROR */

int mvp_cfg_key_valid(const uint8_t *key, size_t n)
{
    size_t i;

    if (n == 0 || n > MVP_MAX_CFG_KEY || !key)
        return 0;
    for (i = 0; i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e)
            return 0;
    return 1;
}

static int key_check(const struct mvp_cfg_key *k)
{
    if (k->scope > CFG_SCOPE_MAX || k->store > CFG_STORE_MAX)
        return -MVP_E_INVALID;
    if (k->key_len > MVP_MAX_CFG_KEY)
        return -MVP_E_TOO_LONG;
    return mvp_cfg_key_valid(k->key, k->key_len) ? 0 : -MVP_E_INVALID;
}

int mvp_cfg_req_encode(const struct mvp_cfg_key *keys, size_t n, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    size_t i;
    int rc;

    if (n == 0)
        return -MVP_E_INVALID;
    if (n > MVP_MAX_CFG_KEYS)
        return -MVP_E_TOO_MANY;
    mvp_w_init(&w, out, cap);
    mvp_w_u16(&w, (uint16_t)n);
    for (i = 0; i < n; i++) {
        rc = key_check(&keys[i]);
        if (rc)
            return rc;
        mvp_w_u8(&w, keys[i].scope);
        mvp_w_u8(&w, keys[i].store);
        mvp_w_bytes16(&w, keys[i].key, keys[i].key_len);
    }
    return mvp_w_result(&w);
}

int mvp_cfg_req_decode(const uint8_t *in, size_t len, struct mvp_cfg_key *keys, size_t cap,
                       size_t *n)
{
    struct mvp_rbuf r;
    uint16_t count, i;
    int rc;

    *n = 0;
    mvp_r_init(&r, in, len);
    count = mvp_r_u16(&r);
    if (r.err)
        return -r.err;
    if (count == 0)
        return -MVP_E_INVALID;
    if (count > MVP_MAX_CFG_KEYS || count > cap)
        return -MVP_E_TOO_MANY;
    for (i = 0; i < count; i++) {
        keys[i].scope = mvp_r_u8(&r);
        keys[i].store = mvp_r_u8(&r);
        mvp_r_bytes16(&r, &keys[i].key, &keys[i].key_len, MVP_MAX_CFG_KEY);
        if (r.err)
            return -r.err;
        rc = key_check(&keys[i]);
        if (rc)
            return rc;
    }
    rc = mvp_r_end(&r);
    if (rc == 0)
        *n = count;
    return rc;
}

static int item_check(const struct mvp_cfg_item *it)
{
    if (it->result > CFG_ITEM_RESULT_MAX)
        return -MVP_E_INVALID;
    if (it->value_len > MVP_MAX_CFG_VALUE)
        return -MVP_E_TOO_LONG;
    if (it->result != 0 && it->value_len != 0)
        return -MVP_E_INVALID;
    return 0;
}

/* RESPONSETOOLARGE carries no items; OK carries 1..MVP_MAX_CFG_KEYS. */
static int resp_count_check(uint8_t result, size_t n)
{
    if (result > CFG_RESULT_MAX)
        return -MVP_E_INVALID;
    if (result != 0)
        return n == 0 ? 0 : -MVP_E_INVALID;
    if (n == 0)
        return -MVP_E_INVALID;
    return n > MVP_MAX_CFG_KEYS ? -MVP_E_TOO_MANY : 0;
}

int mvp_cfg_resp_encode(uint8_t result, const struct mvp_cfg_item *items, size_t n,
                        uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    size_t i;
    int rc = resp_count_check(result, n);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u8(&w, result);
    mvp_w_u16(&w, (uint16_t)n);
    for (i = 0; i < n; i++) {
        rc = item_check(&items[i]);
        if (rc)
            return rc;
        mvp_w_u8(&w, items[i].result);
        mvp_w_bytes32(&w, items[i].value, items[i].value_len);
    }
    return mvp_w_result(&w);
}

int mvp_cfg_resp_decode(const uint8_t *in, size_t len, uint8_t *result,
                        struct mvp_cfg_item *items, size_t cap, size_t *n)
{
    struct mvp_rbuf r;
    uint16_t count, i;
    int rc;

    *n = 0;
    mvp_r_init(&r, in, len);
    *result = mvp_r_u8(&r);
    count = mvp_r_u16(&r);
    if (r.err)
        return -r.err;
    rc = resp_count_check(*result, count);
    if (rc)
        return rc;
    if (count > cap)
        return -MVP_E_TOO_MANY;
    for (i = 0; i < count; i++) {
        items[i].result = mvp_r_u8(&r);
        mvp_r_bytes32(&r, &items[i].value, &items[i].value_len, MVP_MAX_CFG_VALUE);
        if (r.err)
            return -r.err;
        rc = item_check(&items[i]);
        if (rc)
            return rc;
    }
    rc = mvp_r_end(&r);
    if (rc == 0)
        *n = count;
    return rc;
}
