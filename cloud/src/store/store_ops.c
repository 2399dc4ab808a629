/* The store's public synchronous calls: each goes to the backend chosen at open
 * (st->ops, struct mvr_store_ops). What both backends must refuse alike is checked here,
 * once. */
#include <string.h>

#include "store/store_priv.h"

int mvr_store_device_create(struct mvr_store *st, const char *id, int64_t now)
{
    return st->ops->device_create(st, id, now);
}

int mvr_store_device_get(struct mvr_store *st, const char *id, struct mvr_device *d)
{
    return st->ops->device_get(st, id, d);
}

int mvr_store_device_list(struct mvr_store *st, const char *after, unsigned limit, mvr_device_cb cb,
                          void *ctx)
{
    return st->ops->device_list(st, after, limit, cb, ctx);
}

int mvr_store_device_seen(struct mvr_store *st, const char *id, int64_t now, const char *boot_id,
                          const char *remote_addr)
{
    return st->ops->device_seen(st, id, now, boot_id, remote_addr);
}

int mvr_store_logs_insert(struct mvr_store *st, const char *device, const char *boot_id,
                          const struct mvp_log_rec *recs, size_t n, int64_t now, unsigned *inserted)
{
    return st->ops->logs_insert(st, device, boot_id, recs, n, now, inserted);
}

int mvr_store_log_max_seq(struct mvr_store *st, const char *device, const char *boot_id,
                          uint32_t *seq)
{
    return st->ops->log_max_seq(st, device, boot_id, seq);
}

int mvr_store_log_cursor_id(struct mvr_store *st, const char *device, const char *boot_id,
                            uint32_t seq, int64_t *id)
{
    return st->ops->log_cursor_id(st, device, boot_id, seq, id);
}

int mvr_store_log_last_id(struct mvr_store *st, const char *device, int64_t *id)
{
    return st->ops->log_last_id(st, device, id);
}

int mvr_store_logs_query(struct mvr_store *st, const char *device, const struct mvr_log_query *q,
                         mvr_log_cb cb, void *ctx)
{
    return st->ops->logs_query(st, device, q, cb, ctx);
}

int mvr_store_kv_put(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key, const char *value, size_t len, int64_t now)
{
    if (kind == MVR_KV_CONFIG && len && memchr(value, 0, len))
        return MVR_ST_INVALID;
    return st->ops->kv_put(st, kind, device, key, value, len, now);
}

int mvr_store_kv_get(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key, char **value, size_t *len, int64_t *updated_at)
{
    return st->ops->kv_get(st, kind, device, key, value, len, updated_at);
}

int mvr_store_kv_delete(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                        const char *key)
{
    return st->ops->kv_delete(st, kind, device, key);
}

int mvr_store_kv_list(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                      const char *after, unsigned limit, mvr_kv_cb cb, void *ctx)
{
    return st->ops->kv_list(st, kind, device, after, limit, cb, ctx);
}

int mvr_store_app_add(struct mvr_store *st, const struct mvr_app *a)
{
    return st->ops->app_add(st, a);
}

int mvr_store_app_get(struct mvr_store *st, const char *id, struct mvr_app *a)
{
    return st->ops->app_get(st, id, a);
}

int mvr_store_app_list(struct mvr_store *st, const char *after, unsigned limit, mvr_app_cb cb,
                       void *ctx)
{
    return st->ops->app_list(st, after, limit, cb, ctx);
}

int mvr_store_app_delete(struct mvr_store *st, const char *id)
{
    return st->ops->app_delete(st, id);
}

int mvr_store_update_target(struct mvr_store *st, const char *device, const char *app_id,
                            int64_t now)
{
    return st->ops->update_target(st, device, app_id, now);
}

int mvr_store_update_get(struct mvr_store *st, const char *device, struct mvr_update *u)
{
    return st->ops->update_get(st, device, u);
}

int mvr_store_update_report(struct mvr_store *st, const char *device, const char *state,
                            const char *app_id, int64_t offset, const char *reason, int64_t now)
{
    return st->ops->update_report(st, device, state, app_id, offset, reason, now);
}

int mvr_store_token_add(struct mvr_store *st, const uint8_t hash[32], const char *name, int64_t now)
{
    return st->ops->token_add(st, hash, name, now);
}

int mvr_store_token_check(struct mvr_store *st, const uint8_t hash[32])
{
    return st->ops->token_check(st, hash);
}

int mvr_store_token_count(struct mvr_store *st, int *n)
{
    return st->ops->token_count(st, n);
}

void mvr_store_set_name(struct mvr_store *st, const char *name)
{
    st->ops->set_name(st, name);
}

int mvr_store_device_online_elsewhere(struct mvr_store *st, const char *id)
{
    return st->ops->device_online_elsewhere(st, id);
}

int mvr_store_events_open(struct mvr_store *st)
{
    return st->ops->events_open(st);
}

int mvr_store_events_read(struct mvr_store *st, const struct mvr_store_events *ev)
{
    return st->ops->events_read(st, ev);
}

void mvr_store_events_close(struct mvr_store *st)
{
    st->ops->events_close(st);
}
