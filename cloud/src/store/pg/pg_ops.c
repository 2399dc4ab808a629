/* The PostgreSQL backend's table of store calls (struct mvr_store_ops), chosen by
 * mvr_store_open for a postgres:// URL. */
#include "store/pg/pg_priv.h"

const struct mvr_store_ops mvr_pg_ops = {
    .device_create = mvr_pg_device_create,
    .device_get = mvr_pg_device_get,
    .device_list = mvr_pg_device_list,
    .device_seen = mvr_pg_device_seen,
    .logs_insert = mvr_pg_logs_insert,
    .log_max_seq = mvr_pg_log_max_seq,
    .log_cursor_id = mvr_pg_log_cursor_id,
    .log_last_id = mvr_pg_log_last_id,
    .logs_query = mvr_pg_logs_query,
    .kv_put = mvr_pg_kv_put,
    .kv_get = mvr_pg_kv_get,
    .kv_delete = mvr_pg_kv_delete,
    .kv_list = mvr_pg_kv_list,
    .app_add = mvr_pg_app_add,
    .app_get = mvr_pg_app_get,
    .app_list = mvr_pg_app_list,
    .app_delete = mvr_pg_app_delete,
    .update_target = mvr_pg_update_target,
    .update_get = mvr_pg_update_get,
    .update_report = mvr_pg_update_report,
    .token_add = mvr_pg_token_add,
    .token_check = mvr_pg_token_check,
    .token_count = mvr_pg_token_count,
    .set_name = mvr_pg_set_name,
    .device_online_elsewhere = mvr_pg_device_online_elsewhere,
    .events_open = mvr_pg_events_open,
    .events_read = mvr_pg_events_read,
    .events_close = mvr_pg_events_close,
};
