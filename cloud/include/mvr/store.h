/* The relay's persistent store: devices, log records, configs and secrets at account and
 * device scope, API token hashes. Functions return MVR_OK, or one of the negative
 * MVR_ST_* codes. The interface names no database type: the SQLite backend lives in
 * cloud/src/store/ (WAL, prepared statements with bound parameters, secrets sealed with
 * the data dir's key), the PostgreSQL one (libpq) in cloud/src/store/pg/.
 *
 * Two kinds of calls, by thread:
 * - Synchronous reads and rare admin writes (mvr_store_device_get, _kv_*, _token_*,
 *   _logs_query ...) run on the caller's thread on the store's own connection (a
 *   reader thread's own connection inside mvr_store_call): the event loop wraps them in
 *   mvr_store_call jobs so that no database round trip runs on it.
 * - Device traffic writes (log batches, session metadata) are jobs: mvr_store_submit
 *   queues them for the store's writer thread, which commits all jobs queued together in
 *   one transaction (group commit); each job's done callback then runs on the thread that
 *   calls mvr_store_poll (the event loop), after that transaction committed or failed. */
#ifndef MVR_STORE_H
#define MVR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/log.h"

enum {
    MVR_OK = 0,
    MVR_ST_ERROR = -1,    /* database or crypto failure (logged) */
    MVR_ST_NOTFOUND = -2,
    MVR_ST_EXISTS = -3,
    MVR_ST_INVALID = -4,  /* a value no backend stores faithfully (a config with NUL) */
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

/* One LOG frame's records, owned by a job. recs[i].msg points into the block itself. */
struct mvr_log_batch {
    struct mvr_log_batch *next;
    uint64_t boot;      /* as on the wire, for the LOG_ACK */
    char boot_id[17];   /* lowercase hex of boot */
    size_t n;
    struct mvp_log_rec *recs;
};

enum mvr_job_kind {
    MVR_JOB_LOGS, /* store batches (INSERT OR IGNORE); durable when done runs with MVR_OK */
    MVR_JOB_SEEN, /* device metadata: last_seen, and boot id / remote address when set */
    MVR_JOB_HEARTBEAT, /* fleet: this relay is alive (PostgreSQL; nothing with SQLite) */
    MVR_JOB_CALL, /* mvr_store_call: any synchronous store calls, off the loop */
};

/* A write job. The submitter fills the request part; the store owns the job from
 * mvr_store_submit until it calls done (which then owns it and frees it with
 * mvr_store_job_free); a job without done is freed by the store. */
struct mvr_store_job {
    struct mvr_store_job *next; /* the store's queue link */
    enum mvr_job_kind kind;
    char device_id[35];
    int64_t now;
    struct mvr_log_batch *batches;     /* MVR_JOB_LOGS, in arrival order */
    char boot_id[17], remote_addr[64]; /* MVR_JOB_SEEN; "" keeps the stored value */
    /* MVR_JOB_SEEN: when the session started (wall clock, microseconds): orders a
     * device's sessions across the fleet, whichever relay's commit lands first. */
    int64_t session_us;
    void (*done)(struct mvr_store_job *j);
    void *owner; /* for done and run; the store never reads it */
    /* MVR_JOB_CALL: runs the caller's synchronous store calls on a reader thread. */
    void (*run)(struct mvr_store *st, struct mvr_store_job *j);
    /* Results, valid in done. */
    int status;        /* MVR_OK or MVR_ST_ERROR (the whole transaction failed) */
    unsigned inserted; /* new log rows (duplicates are ignored) */
    uint64_t txn;      /* number of the transaction that carried the job (1, 2, ...) */
};

/* Allocates a zeroed job (NULL when out of memory). */
struct mvr_store_job *mvr_store_job_new(enum mvr_job_kind kind, const char *device_id,
                                        int64_t now);
/* Copies one LOG frame payload's records (already validated) into a batch appended to
 * the job: the frame buffer may be reused afterwards. 0 or -1 (out of memory). */
int mvr_store_job_add_batch(struct mvr_store_job *j, uint64_t boot, const uint8_t *payload,
                            size_t len, const struct mvp_log_rec *recs, size_t n);
void mvr_store_job_free(struct mvr_store_job *j);
/* Queues a job for the writer; never blocks on the database. The queue holds whatever
 * is submitted: callers bound it (the relay keeps at most one log job per session in
 * flight and pauses reading from a device while its next batches wait). */
void mvr_store_submit(struct mvr_store *st, struct mvr_store_job *j);
/* Reads and admin writes without blocking the caller (the event loop): j->run(st, j)
 * calls the synchronous functions below on a reader thread with its own connection
 * (PostgreSQL: a pool of MVR_STORE_READERS threads, so a slow query or a lock held in the
 * database never stalls the loop), then done runs from mvr_store_poll like a write job's.
 * SQLite alike: each reader thread has its own connection to the file (WAL: its reads
 * never wait for the writer; a write waits for the lock there, not on the loop). */
#define MVR_STORE_READERS 2
void mvr_store_call(struct mvr_store *st, struct mvr_store_job *j);
/* From a run function: fn(arg) on the loop (the thread that calls mvr_store_poll), for
 * state only the loop may touch; waits for it. Called elsewhere, runs fn at once. 0, or
 * -1 when the store is closing and fn did not run. */
int mvr_store_on_loop(struct mvr_store *st, void (*fn)(void *arg), void *arg);
/* Runs done for every completed job, on the calling thread; returns how many. */
unsigned mvr_store_poll(struct mvr_store *st);
/* Polls (answering mvr_store_on_loop hops meanwhile) until no job or call is pending and
 * no completion waits, including the jobs the done callbacks start; returns how many done
 * ran. For tests and tools that stand in for the loop: calls complete on a reader thread,
 * so one poll right after mvr_store_call may find nothing yet. */
unsigned mvr_store_settle(struct mvr_store *st);
/* notify(arg) is called from the writer thread whenever jobs have completed (the relay
 * passes uv_async_send): the owner then calls mvr_store_poll on its own thread. */
void mvr_store_set_notify(struct mvr_store *st, void (*notify)(void *arg), void *arg);
/* How long the writer waits for a write lock held by another process before the group
 * fails (default 1000 ms). */
void mvr_store_set_write_wait(struct mvr_store *st, int ms);
/* Blocks until every job submitted so far (calls included) has completed (tests,
 * shutdown); then poll. Not on the loop while a call may be waiting in
 * mvr_store_on_loop: that call needs the loop to finish. */
void mvr_store_sync(struct mvr_store *st);
/* Jobs queued or being written now, and transactions committed or failed since start. */
void mvr_store_writer_stats(struct mvr_store *st, size_t *queued, uint64_t *txns);

/* Opens (creating and migrating as needed) the database at path: a SQLite file, or a
 * PostgreSQL database when path is a postgres:// or postgresql:// URL (libpq connection
 * URI; several relays may share it, see docs/fleet.md). seal_key is copied; a PostgreSQL
 * database refuses a key other than the one it was first opened with. On failure returns
 * MVR_ST_ERROR and writes a reason into err. */
int mvr_store_is_url(const char *path);
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

/* Configs and secrets. device NULL or "" = account scope. put creates or replaces.
 * A config value is text: one containing NUL is refused with MVR_ST_INVALID on every
 * backend (PostgreSQL text cannot hold it); a secret is sealed bytes and may hold any. */
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

/* Names this relay in the fleet's relays table (heartbeat jobs). */
void mvr_store_set_name(struct mvr_store *st, const char *name);
/* 1 if another live relay of the fleet (heartbeat within the last 15 s) holds a session
 * of the device, 0 if not or without a fleet (SQLite), or MVR_ST_ERROR. */
int mvr_store_device_online_elsewhere(struct mvr_store *st, const char *id);

/* Fleet events: what the other relays sharing the database did (PostgreSQL LISTEN/NOTIFY
 * on a third connection; the SQLite backend has no fleet). The writer announces, at the
 * commit of its group, each device with new log records and each new device session. */
struct mvr_store_events {
    void (*logs)(void *ctx, const char *device_id);    /* new records (any relay, this one too) */
    /* Another relay has this device now, in a session started at since_us: sessions
     * started before it are stale. */
    void (*session)(void *ctx, const char *device_id, int64_t since_us);
    void *ctx;
};
/* Connects the event connection and LISTENs; returns its socket for the loop to poll
 * (readable: call _events_read), or -1: no fleet (SQLite) or not connected (retry later).
 * Connecting waits at most 2 s (connect_timeout): call it from a mvr_store_call run
 * function (fleet.c does), never on the loop. */
int mvr_store_events_open(struct mvr_store *st);
/* Reads what arrived without blocking and dispatches it; -1 when the connection is lost
 * (the caller stops polling, calls _events_close and reopens later). */
int mvr_store_events_read(struct mvr_store *st, const struct mvr_store_events *ev);
void mvr_store_events_close(struct mvr_store *st);

#endif
