/* Unit tests for proto/src/cfg.c: key validity, request/response round trips,
 * counts, enums, truncation and output capacity. */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/cfg.h"
#include "mvp/wire.h"

static const struct mvp_cfg_key keys[] = {
    { .scope = 0, .store = 1, .key = (const uint8_t *)"greeting", .key_len = 8 },
    { .scope = 1, .store = 0, .key = (const uint8_t *)"api-key", .key_len = 7 },
};

static const struct mvp_cfg_item items[] = {
    { .result = 0, .value = (const uint8_t *)"hi", .value_len = 2 },
    { .result = 1, .value = NULL, .value_len = 0 },
};

Test(cfg, key_validity)
{
    static uint8_t long_key[MVP_MAX_CFG_KEY + 1];

    memset(long_key, 'a', sizeof(long_key));
    cr_assert(mvp_cfg_key_valid((const uint8_t *)"a-b_c.d~", 8));
    cr_assert(mvp_cfg_key_valid(long_key, MVP_MAX_CFG_KEY));
    cr_assert_not(mvp_cfg_key_valid(long_key, MVP_MAX_CFG_KEY + 1));
    cr_assert_not(mvp_cfg_key_valid((const uint8_t *)"", 0));
    cr_assert_not(mvp_cfg_key_valid((const uint8_t *)"a b", 3));
    cr_assert_not(mvp_cfg_key_valid((const uint8_t *)"a\x7f", 2));
    cr_assert_not(mvp_cfg_key_valid((const uint8_t *)"\x80", 1));
}

Test(cfg, request_round_trip)
{
    uint8_t b[256];
    struct mvp_cfg_key d[4];
    size_t n;
    int len = mvp_cfg_req_encode(keys, 2, b, sizeof(b));

    cr_assert_eq(len, 2 + (4 + 8) + (4 + 7));
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)len, d, 4, &n), 0);
    cr_assert_eq(n, 2);
    cr_assert_eq(d[0].scope, 0);
    cr_assert_eq(d[0].store, 1);
    cr_assert_eq(d[1].scope, 1);
    cr_assert_eq(d[1].key_len, 7);
    cr_assert_eq(memcmp(d[1].key, "api-key", 7), 0);
}

Test(cfg, request_truncated_and_capacity)
{
    uint8_t b[256];
    struct mvp_cfg_key d[4];
    size_t n, len;
    int full = mvp_cfg_req_encode(keys, 2, b, sizeof(b));

    for (len = 0; len < (size_t)full; len++)
        cr_assert_eq(mvp_cfg_req_decode(b, len, d, 4, &n), -MVP_E_TRUNCATED, "len %zu", len);
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)full + 1, d, 4, &n), -MVP_E_TRAILING);
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)full, d, 1, &n), -MVP_E_TOO_MANY);
    cr_assert_eq(n, 0);
    for (len = 0; len < (size_t)full; len++)
        cr_assert_eq(mvp_cfg_req_encode(keys, 2, b, len), -MVP_E_NOSPACE, "cap %zu", len);
}

Test(cfg, request_rejects_bad_values)
{
    uint8_t b[4096];
    struct mvp_cfg_key k[MVP_MAX_CFG_KEYS + 1], d[MVP_MAX_CFG_KEYS + 1];
    size_t i, n;
    int len;

    for (i = 0; i <= MVP_MAX_CFG_KEYS; i++)
        k[i] = keys[0];
    cr_assert_eq(mvp_cfg_req_encode(k, 0, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_cfg_req_encode(k, MVP_MAX_CFG_KEYS + 1, b, sizeof(b)), -MVP_E_TOO_MANY);
    len = mvp_cfg_req_encode(k, MVP_MAX_CFG_KEYS, b, sizeof(b));
    cr_assert_gt(len, 0);
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)len, d, MVP_MAX_CFG_KEYS, &n), 0);
    b[1] = MVP_MAX_CFG_KEYS + 1; /* count 17 on the wire */
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)len, d, MVP_MAX_CFG_KEYS + 1, &n),
                 -MVP_E_TOO_MANY);
    b[1] = 0;
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)len, d, MVP_MAX_CFG_KEYS, &n), -MVP_E_INVALID);
    k[0].scope = 2;
    cr_assert_eq(mvp_cfg_req_encode(k, 1, b, sizeof(b)), -MVP_E_INVALID);
    k[0] = keys[0];
    k[0].store = 2;
    cr_assert_eq(mvp_cfg_req_encode(k, 1, b, sizeof(b)), -MVP_E_INVALID);
    k[0] = keys[0];
    k[0].key = (const uint8_t *)"bad key";
    k[0].key_len = 7;
    cr_assert_eq(mvp_cfg_req_encode(k, 1, b, sizeof(b)), -MVP_E_INVALID);
    len = mvp_cfg_req_encode(keys, 1, b, sizeof(b));
    b[2] = 2; /* scope */
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)len, d, 4, &n), -MVP_E_INVALID);
    len = mvp_cfg_req_encode(keys, 1, b, sizeof(b));
    b[3] = 5; /* store */
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)len, d, 4, &n), -MVP_E_INVALID);
    len = mvp_cfg_req_encode(keys, 1, b, sizeof(b));
    b[6] = ' '; /* key character */
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)len, d, 4, &n), -MVP_E_INVALID);
    len = mvp_cfg_req_encode(keys, 1, b, sizeof(b));
    b[4] = 0;
    b[5] = 0; /* empty key, then trailing bytes */
    cr_assert_eq(mvp_cfg_req_decode(b, (size_t)len, d, 4, &n), -MVP_E_INVALID);
}

Test(cfg, response_round_trip)
{
    uint8_t b[256], result;
    struct mvp_cfg_item d[4];
    size_t n;
    int len = mvp_cfg_resp_encode(0, items, 2, b, sizeof(b));

    cr_assert_eq(len, 3 + (5 + 2) + 5);
    cr_assert_eq(mvp_cfg_resp_decode(b, (size_t)len, &result, d, 4, &n), 0);
    cr_assert_eq(result, 0);
    cr_assert_eq(n, 2);
    cr_assert_eq(d[0].result, 0);
    cr_assert_eq(d[0].value_len, 2);
    cr_assert_eq(memcmp(d[0].value, "hi", 2), 0);
    cr_assert_eq(d[1].result, 1);
    cr_assert_eq(d[1].value_len, 0);
}

Test(cfg, response_too_large_has_no_items)
{
    uint8_t b[16], result;
    struct mvp_cfg_item d[4];
    size_t n;
    int len = mvp_cfg_resp_encode(1, NULL, 0, b, sizeof(b));

    cr_assert_eq(len, 3);
    cr_assert_eq(mvp_cfg_resp_decode(b, 3, &result, d, 4, &n), 0);
    cr_assert_eq(result, 1);
    cr_assert_eq(n, 0);
    cr_assert_eq(mvp_cfg_resp_encode(1, items, 1, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_cfg_resp_encode(0, items, 0, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_cfg_resp_encode(2, NULL, 0, b, sizeof(b)), -MVP_E_INVALID);
}

Test(cfg, response_rejects_bad_values)
{
    uint8_t b[256], result;
    struct mvp_cfg_item it[2] = { items[0], items[1] }, d[4];
    size_t n, len;
    int full = mvp_cfg_resp_encode(0, items, 2, b, sizeof(b));

    for (len = 0; len < (size_t)full; len++)
        cr_assert_eq(mvp_cfg_resp_decode(b, len, &result, d, 4, &n), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_cfg_resp_decode(b, (size_t)full + 1, &result, d, 4, &n), -MVP_E_TRAILING);
    cr_assert_eq(mvp_cfg_resp_decode(b, (size_t)full, &result, d, 1, &n), -MVP_E_TOO_MANY);
    for (len = 0; len < (size_t)full; len++)
        cr_assert_eq(mvp_cfg_resp_encode(0, items, 2, b, len), -MVP_E_NOSPACE);
    it[1].value = (const uint8_t *)"x";
    it[1].value_len = 1; /* a value on a KEYNOTFOUND item */
    cr_assert_eq(mvp_cfg_resp_encode(0, it, 2, b, sizeof(b)), -MVP_E_INVALID);
    it[1] = items[1];
    it[1].result = 3;
    cr_assert_eq(mvp_cfg_resp_encode(0, it, 2, b, sizeof(b)), -MVP_E_INVALID);
    it[0].value_len = MVP_MAX_CFG_VALUE + 1;
    it[1] = items[1];
    cr_assert_eq(mvp_cfg_resp_encode(0, it, 2, b, sizeof(b)), -MVP_E_TOO_LONG);
    mvp_cfg_resp_encode(0, items, 2, b, sizeof(b));
    b[0] = 2;
    cr_assert_eq(mvp_cfg_resp_decode(b, (size_t)full, &result, d, 4, &n), -MVP_E_INVALID);
    mvp_cfg_resp_encode(0, items, 2, b, sizeof(b));
    b[10] = 9; /* item 1 result */
    cr_assert_eq(mvp_cfg_resp_decode(b, (size_t)full, &result, d, 4, &n), -MVP_E_INVALID);
    mvp_cfg_resp_encode(0, items, 2, b, sizeof(b));
    b[2] = MVP_MAX_CFG_KEYS + 1;
    cr_assert_eq(mvp_cfg_resp_decode(b, (size_t)full, &result, d, 32, &n), -MVP_E_TOO_MANY);
}
