/* The relay's persistent store on SQLite (WAL): devices, log records, configs and
 * secrets at account and device scope, API token hashes. Every query is a prepared
 * statement with bound parameters. Secrets are sealed with the data dir's key.
 * Functions return MVR_OK, or one of the negative MVR_ST_* codes. */
#ifndef MVR_STORE_H
#define MVR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/log.h"

enum {
    MVR_OK = 0,
    MVR_ST_ERROR = -1,    /* SQLite or crypto failure (logged) */
    MVR_ST_NOTFOUND = -2,
    MVR_ST_EXISTS = -3,
};

enum mvr_kv_kind { MVR_KV_CONFIG, MVR_KV_SECRET };

struct mvr_store;

struct mvr_device {
    char id[35];
    int64_t created_at;
    int64_t last_seen; /* 0: never */
    char boot_id[17];  /* "" when unknown */
    char remote_addr[64];
};

struct mvr_log_row {
    int64_t id; /* insertion order */
    const char *boot_id;
    uint32_t seq;
    int kind; /* MVP_LOG_KIND_* */
    const uint8_t *msg;
    size_t msg_len;
    uint32_t dropped;
    int64_t device_us;
    int64_t received_at;
};

struct mvr_kv_row {
    const char *device_id; /* "" for account scope */
    const char *key;
    const char *value; /* NULL for secrets in listings */
    size_t value_len;
    int64_t updated_at;
};

/* Filter for log queries. */
struct mvr_log_query {
    int64_t after_id;       /* rows with id > after_id */
    int64_t since_us;       /* received_at >= since_us (0: any) */
    const char *boot_id;    /* NULL: any boot */
    unsigned limit;
    int newest_first;       /* the newest `limit` rows, newest first (a tail) */
};

typedef int (*mvr_device_cb)(void *ctx, const struct mvr_device *d);
typedef int (*mvr_log_cb)(void *ctx, const struct mvr_log_row *r);
typedef int (*mvr_kv_cb)(void *ctx, const struct mvr_kv_row *r);

/* Opens (creating and migrating as needed) the database at path. seal_key is copied.
 * On failure returns MVR_ST_ERROR and writes a reason into err. */
int mvr_store_open(const char *path, const uint8_t seal_key[32], struct mvr_store **out,
                   char *err, size_t errlen);
void mvr_store_close(struct mvr_store *st);
/* Store errors since start, and whether the latest write failed with no commit since
 * (the store is failing now: /healthz reports "degraded"). */
void mvr_store_health(const struct mvr_store *st, uint64_t *errors, int *failing);

int mvr_store_device_create(struct mvr_store *st, const char *id, int64_t now);
int mvr_store_device_get(struct mvr_store *st, const char *id, struct mvr_device *d);
/* Devices with id > after (NULL/"": from the start), by id, at most limit. */
int mvr_store_device_list(struct mvr_store *st, const char *after, unsigned limit,
                          mvr_device_cb cb, void *ctx);
int mvr_store_device_seen(struct mvr_store *st, const char *id, int64_t now,
                          const char *boot_id, const char *remote_addr);

/* Stores a batch in one transaction; records already stored are ignored. After
 * MVR_OK the batch is durable; *inserted counts new rows. */
int mvr_store_logs_insert(struct mvr_store *st, const char *device, const char *boot_id,
                          const struct mvp_log_rec *recs, size_t n, int64_t now,
                          unsigned *inserted);
/* Highest seq stored for (device, boot); MVR_ST_NOTFOUND when none. */
int mvr_store_log_max_seq(struct mvr_store *st, const char *device, const char *boot_id,
                          uint32_t *seq);
/* Row id of the stored record (device, boot, seq): a cursor names a record that exists.
 * MVR_ST_NOTFOUND for an unknown boot or a seq not stored (e.g. a future one). */
int mvr_store_log_cursor_id(struct mvr_store *st, const char *device, const char *boot_id,
                            uint32_t seq, int64_t *id);
/* Newest row id of a device's logs (0 if none). */
int mvr_store_log_last_id(struct mvr_store *st, const char *device, int64_t *id);
int mvr_store_logs_query(struct mvr_store *st, const char *device,
                         const struct mvr_log_query *q, mvr_log_cb cb, void *ctx);

/* Configs and secrets. device NULL or "" = account scope. put creates or replaces. */
int mvr_store_kv_put(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key, const char *value, size_t len, int64_t now);
/* *value is malloc'ed (NUL-terminated), the caller frees it; secrets are unsealed. */
int mvr_store_kv_get(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key, char **value, size_t *len, int64_t *updated_at);
int mvr_store_kv_delete(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                        const char *key);
/* Keys > after in key order; values are given for configs only. */
int mvr_store_kv_list(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                      const char *after, unsigned limit, mvr_kv_cb cb, void *ctx);

/* API tokens, by SHA-256 hash. check returns 1 if known, 0 if not, or MVR_ST_ERROR. */
int mvr_store_token_add(struct mvr_store *st, const uint8_t hash[32], const char *name,
                        int64_t now);
int mvr_store_token_check(struct mvr_store *st, const uint8_t hash[32]);
int mvr_store_token_count(struct mvr_store *st, int *n);

#endif
