/* Config fetch channel messages (PROTOCOL.md "Config fetch").
 * CFG_REQUEST: {count u16 in 1..MVP_MAX_CFG_KEYS, count x {scope u8 (MvConfigKeyFetchScope),
 *               store u8 (MvConfigKeyFetchStore), key bytes16 (1..MVP_MAX_CFG_KEY,
 *               printable ASCII 0x21..0x7e)}}
 * CFG_RESPONSE: {result u8 (MvConfigFetchResult), count u16, count x {result u8
 *               (MvConfigKeyFetchResult), value bytes32 <= MVP_MAX_CFG_VALUE}}
 * Items of the response are in request order. */
#ifndef MVP_CFG_H
#define MVP_CFG_H

#include <stddef.h>
#include <stdint.h>

#define MVP_MAX_CFG_KEYS 16u
#define MVP_MAX_CFG_KEY 128u
#define MVP_MAX_CFG_VALUE 4096u

struct mvp_cfg_key {
    uint8_t scope; /* 0 account, 1 device */
    uint8_t store; /* 0 secret, 1 config */
    const uint8_t *key;
    uint16_t key_len;
};

struct mvp_cfg_item {
    uint8_t result; /* 0 OK, 1 KEYNOTFOUND, 2 SERVERERROR */
    const uint8_t *value;
    uint32_t value_len;
};

/* 1 if key[0..n) is a valid config key (length and characters). */
int mvp_cfg_key_valid(const uint8_t *key, size_t n);
int mvp_cfg_req_encode(const struct mvp_cfg_key *keys, size_t n, uint8_t *out, size_t cap);
/* Fills keys[0..*n); cap is the array size. */
int mvp_cfg_req_decode(const uint8_t *in, size_t len, struct mvp_cfg_key *keys, size_t cap,
                       size_t *n);
int mvp_cfg_resp_encode(uint8_t result, const struct mvp_cfg_item *items, size_t n,
                        uint8_t *out, size_t cap);
int mvp_cfg_resp_decode(const uint8_t *in, size_t len, uint8_t *result,
                        struct mvp_cfg_item *items, size_t cap, size_t *n);

#endif
