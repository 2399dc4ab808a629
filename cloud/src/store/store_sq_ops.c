/* The SQLite backend's table of store calls (struct mvr_store_ops): the calls live in
 * store_devices.c, store_logs.c, store_kv.c, store_apps.c and store_tokens.c; a single
 * SQLite relay has no fleet, so the fleet entries are the trivial answers here. */
#include "store/store_priv.h"

static void no_name(struct mvr_store *st, const char *name)
{
    (void)st, (void)name;
}

static int never_elsewhere(struct mvr_store *st, const char *id)
{
    (void)st, (void)id;
    return 0;
}

static int no_events(struct mvr_store *st)
{
    (void)st;
    return -1;
}

static int no_events_read(struct mvr_store *st, const struct mvr_store_events *ev)
{
    (void)st, (void)ev;
    return -1;
}

static void no_events_close(struct mvr_store *st)
{
    (void)st;
}

const struct mvr_store_ops mvr_sq_ops = {
    .device_create = mvr_sq_device_create,
    .device_get = mvr_sq_device_get,
    .device_list = mvr_sq_device_list,
    .device_seen = mvr_sq_device_seen,
    .logs_insert = mvr_sq_logs_insert,
    .log_max_seq = mvr_sq_log_max_seq,
    .log_cursor_id = mvr_sq_log_cursor_id,
    .log_last_id = mvr_sq_log_last_id,
    .logs_query = mvr_sq_logs_query,
    .kv_put = mvr_sq_kv_put,
    .kv_get = mvr_sq_kv_get,
    .kv_delete = mvr_sq_kv_delete,
    .kv_list = mvr_sq_kv_list,
    .app_add = mvr_sq_app_add,
    .app_get = mvr_sq_app_get,
    .app_list = mvr_sq_app_list,
    .app_delete = mvr_sq_app_delete,
    .update_target = mvr_sq_update_target,
    .update_get = mvr_sq_update_get,
    .update_report = mvr_sq_update_report,
    .token_add = mvr_sq_token_add,
    .token_check = mvr_sq_token_check,
    .token_count = mvr_sq_token_count,
    .set_name = no_name,
    .device_online_elsewhere = never_elsewhere,
    .events_open = no_events,
    .events_read = no_events_read,
    .events_close = no_events_close,
};
