/* Unit tests for LOG handling through the store's writer thread: no LOG_ACK before the
 * commit that holds the records, PINGs answered while the writer waits for a lock held
 * by another connection, many devices' batches in one transaction (group commit), a
 * failed transaction ends the session without acking or storing later batches, and the
 * backpressure pause. A second SQLite connection plays the other process. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvp/ctrl.h"
#include "mvp/log.h"
#include "mvr/session.h"

#define NDEV 20

static char dir[] = "/tmp/mvr_slog_XXXXXX";
static char path[256];
static struct mvr_store *st;
static struct mvr_session_env env;
static struct mvr_session sess[NDEV];
static sqlite3 *locker;

static void dev_id(int i, char out[35])
{
    snprintf(out, 35, "UV%032d", i + 1);
}

static void setup(void)
{
    char err[256], id[35];
    const uint8_t key[32] = {7};
    strcpy(dir, "/tmp/mvr_slog_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    cr_assert_eq(mvr_store_open(path, key, &st, err, sizeof err), MVR_OK);
    /* Generous: the tests release the lock themselves; a slow machine must not fail them. */
    mvr_store_set_write_wait(st, 60000);
    env = (struct mvr_session_env){.store = st, .ping_interval_s = 30, .initial_window = 1024};
    for (int i = 0; i < NDEV; i++) {
        dev_id(i, id);
        cr_assert_eq(mvr_store_device_create(st, id, 1), MVR_OK);
        mvr_session_init(&sess[i], &env, id, "127.0.0.1", 1000000);
    }
    cr_assert_eq(sqlite3_open(path, &locker), SQLITE_OK);
}

static void teardown(void)
{
    char cmd[300];
    for (int i = 0; i < NDEV; i++)
        mvr_session_free(&sess[i]);
    sqlite3_close(locker);
    mvr_store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(session_log, .init = setup, .fini = teardown);

static void lock_db(void)
{
    cr_assert_eq(sqlite3_exec(locker, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
}

static void unlock_db(void)
{
    cr_assert_eq(sqlite3_exec(locker, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
}

static void settle(void)
{
    mvr_store_sync(st);
    mvr_store_poll(st);
}

static int feed(struct mvr_session *s, uint8_t type, const uint8_t *p, uint32_t n)
{
    static uint8_t buf[MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD];
    int len = mvp_frame_encode(type, 0, 0, p, n, buf, sizeof buf);
    cr_assert_geq(len, 0);
    return mvr_session_feed(s, buf, (size_t)len, 2000000);
}

/* Pops the next output frame's type (and LOG_ACK seq); -1 when the queue is empty. */
static int pop_type(struct mvr_session *s, uint32_t *ack_seq)
{
    struct mvr_out *o = mvr_session_pop(s);
    struct mvp_hdr h;
    if (!o)
        return -1;
    cr_assert_eq(mvp_hdr_decode(o->data + MVR_OUT_PRE, &h, MVP_MAX_FRAME_PAYLOAD), 0);
    uint64_t boot;
    if (h.type == MVP_LOG_ACK && ack_seq)
        cr_assert_eq(mvp_log_ack_decode(o->data + MVR_OUT_PRE + MVP_HDR_LEN, h.len, &boot,
                                        ack_seq), 0);
    free(o);
    return h.type;
}

static void hello(struct mvr_session *s)
{
    uint8_t b[64];
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = 0xb007, .log_next_seq = 1};
    int n = mvp_hello_encode(&h, b, sizeof b);
    cr_assert_eq(feed(s, MVP_HELLO, b, (uint32_t)n), 0);
    mvr_store_settle(st); /* WELCOME follows the store lookup's completion */
    cr_assert_eq(pop_type(s, NULL), MVP_WELCOME);
}

static int send_logs(struct mvr_session *s, uint32_t first, uint32_t n)
{
    uint8_t b[1024];
    struct mvp_log_writer lw;
    mvp_log_writer_init(&lw, b, sizeof b, 0xb007);
    for (uint32_t i = 0; i < n; i++) {
        struct mvp_log_rec r = {.seq = first + i, .kind = MVP_LOG_KIND_MSG,
                                .msg = (const uint8_t *)"m", .msg_len = 1};
        cr_assert_eq(mvp_log_writer_add(&lw, &r), 0);
    }
    int len = mvp_log_writer_end(&lw);
    return feed(s, MVP_LOG, b, (uint32_t)len);
}

/* Rows of device i, read on a connection of its own (what another process sees). */
static int stored(int i)
{
    char id[35], sql[160];
    sqlite3 *db;
    sqlite3_stmt *q;
    dev_id(i, id);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM logs WHERE device_id = '%s'", id);
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    int n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

Test(session_log, ack_only_after_commit_and_pings_answered_meanwhile)
{
    hello(&sess[0]);
    settle();
    lock_db();
    cr_assert_eq(send_logs(&sess[0], 1, 3), 0);
    uint8_t ping[8] = {0, 0, 0, 0, 0, 0, 0, 42};
    cr_assert_eq(feed(&sess[0], MVP_PING, ping, 8), 0);
    cr_assert_eq(pop_type(&sess[0], NULL), MVP_PONG, "a PING waits for nothing");
    pause_ms(100); /* time for a wrong implementation to ack early */
    mvr_store_poll(st);
    cr_assert_eq(pop_type(&sess[0], NULL), -1, "no LOG_ACK while the write lock is held");
    cr_assert_eq(stored(0), 0);
    unlock_db();
    mvr_store_sync(st);
    cr_assert_eq(stored(0), 3, "committed before the completion runs");
    cr_assert_eq(pop_type(&sess[0], NULL), -1, "the ack is sent by the loop's poll");
    mvr_store_poll(st);
    uint32_t seq = 0;
    cr_assert_eq(pop_type(&sess[0], &seq), MVP_LOG_ACK);
    cr_assert_eq(seq, 3);
}

Test(session_log, many_devices_batches_share_one_transaction)
{
    for (int i = 0; i < NDEV; i++)
        hello(&sess[i]);
    settle();
    size_t q;
    uint64_t before, after;
    mvr_store_writer_stats(st, &q, &before);
    lock_db();
    for (int i = 0; i < NDEV; i++)
        cr_assert_eq(send_logs(&sess[i], 1, 2), 0);
    unlock_db();
    settle();
    mvr_store_writer_stats(st, &q, &after);
    /* The writer may have taken the first batch alone before it waited for the lock;
     * every batch queued behind it goes into one transaction. */
    cr_assert_leq(after - before, 2, "%d batches took %llu transactions", NDEV,
                  (unsigned long long)(after - before));
    for (int i = 0; i < NDEV; i++) {
        uint32_t seq = 0;
        cr_assert_eq(pop_type(&sess[i], &seq), MVP_LOG_ACK);
        cr_assert_eq(seq, 2);
        cr_assert_eq(stored(i), 2);
    }
}

Test(session_log, failed_transaction_ends_session_without_ack_or_later_batches)
{
    hello(&sess[0]);
    settle();
    mvr_store_set_write_wait(st, 0);
    lock_db();
    cr_assert_eq(send_logs(&sess[0], 1, 3), 0);
    /* Waits behind the failing batch; must not be stored after the gap. */
    cr_assert_eq(send_logs(&sess[0], 4, 3), 0);
    mvr_store_sync(st);
    unlock_db();
    mvr_store_poll(st);
    cr_assert_eq(pop_type(&sess[0], NULL), MVP_GOAWAY);
    cr_assert_eq(pop_type(&sess[0], NULL), -1, "no LOG_ACK after a failed batch");
    cr_assert_eq(send_logs(&sess[0], 7, 1), -1, "the session reads no further frame");
    settle();
    cr_assert_eq(stored(0), 0);
    uint64_t errors;
    int failing;
    mvr_store_health(st, &errors, &failing);
    cr_assert(errors >= 1 && failing, "healthz must report the failing store");
}

Test(session_log, batches_waiting_for_the_store_pause_reading_and_are_acked_in_order)
{
    hello(&sess[0]);
    settle();
    lock_db();
    uint32_t n = MVR_LOG_WAIT_MAX + 1; /* one in the writer, the rest waiting */
    for (uint32_t i = 0; i < n; i++) {
        cr_assert_eq(mvr_session_store_wait(&sess[0]), 0, "paused too early at %u", i);
        cr_assert_eq(send_logs(&sess[0], 1 + 2 * i, 2), 0);
    }
    cr_assert_eq(mvr_session_store_wait(&sess[0]), 1, "the transport must stop reading");
    unlock_db();
    uint32_t last = 0, seq;
    int t;
    while (last < 2 * n) {
        settle();
        while ((t = pop_type(&sess[0], &seq)) != -1) {
            cr_assert_eq(t, MVP_LOG_ACK);
            cr_assert_gt(seq, last, "acks in order");
            last = seq;
        }
    }
    cr_assert_eq(mvr_session_store_wait(&sess[0]), 0);
    cr_assert_eq(stored(0), (int)(2 * n));
}

Test(session_log, session_freed_with_a_batch_in_the_writer)
{
    hello(&sess[0]);
    settle();
    lock_db();
    cr_assert_eq(send_logs(&sess[0], 1, 3), 0);
    mvr_session_free(&sess[0]);
    unlock_db();
    settle(); /* the orphaned job completes without touching the freed session */
    cr_assert_eq(stored(0), 3, "stored, and resent by the device since never acked");
    char id[35];
    dev_id(0, id);
    mvr_session_init(&sess[0], &env, id, "127.0.0.1", 1000000);
}

Test(session_log, connect_metadata_written_by_the_writer)
{
    hello(&sess[3]);
    settle();
    char id[35];
    struct mvr_device d;
    dev_id(3, id);
    cr_assert_eq(mvr_store_device_get(st, id, &d), MVR_OK);
    cr_assert_str_eq(d.boot_id, "000000000000b007");
    cr_assert_str_eq(d.remote_addr, "127.0.0.1");
    cr_assert_eq(d.last_seen, 2000000);
    mvr_session_note_seen(&sess[3], 3000000, 0);
    settle();
    cr_assert_eq(mvr_store_device_get(st, id, &d), MVR_OK);
    cr_assert_eq(d.last_seen, 3000000);
    cr_assert_str_eq(d.boot_id, "000000000000b007", "a disconnect keeps the boot id");
}
