/* One device connection's protocol state, independent of the WebSocket library:
 * bytes in (mvr_session_feed), frames out (queued in outq for the transport to write).
 * Implements HELLO/WELCOME, channels with credit, config fetch, logs and keepalive. */
#ifndef MVR_SESSION_H
#define MVR_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/frame.h"
#include "mvr/store.h"

#define MVR_OUT_PRE 16            /* headroom before each queued frame (>= LWS_PRE) */
#define MVR_MAX_CHANNELS 16       /* open channels per connection */
#define MVR_INITIAL_WINDOW 65536u /* credit the device gets on each new channel */
#define MVR_HELLO_TIMEOUT_S 10
#define MVR_OUTQ_HIGH (256 * 1024) /* stop reading from the device above this backlog */
#define MVR_REPLACED_RETRY_MS 30000 /* GOAWAY REPLACED: the old session's device waits */
/* LOG batches received while the session's previous store job is in the writer wait in
 * one next job; at this many the transport stops reading from the device until the
 * writer has taken them (store backpressure: nothing is dropped or acknowledged early). */
#define MVR_LOG_WAIT_MAX 16

struct mvr_out {
    struct mvr_out *next;
    size_t len;
    uint8_t data[]; /* MVR_OUT_PRE headroom, then len bytes */
};

struct mvr_chan;
struct mvr_session;
struct mvr_svc;

#define MVR_SVC_TYPES 4 /* channel types 0..3 (MvChannelType) that may have a service */

/* What a session needs from its surroundings (the relay or a unit test). */
struct mvr_session_env {
    struct mvr_store *store;
    uint32_t ping_interval_s;
    uint32_t initial_window; /* credit granted on each channel (MVR_INITIAL_WINDOW) */
    /* A session for device_id completed HELLO; the env closes any older one. */
    void (*on_hello)(void *ctx, struct mvr_session *s);
    /* New log records were stored for device_id. */
    void (*on_logs)(void *ctx, const char *device_id);
    /* Output was queued outside mvr_session_feed/tick (a service finished work on the
     * loop): the transport should write it. May be NULL (tests poll mvr_session_pop). */
    void (*on_output)(void *ctx, struct mvr_session *s);
    /* Services by channel type; NULL answers OPEN_ERR UNAVAILABLE. Config fetch is built
     * in and used when svc[MV_CHANNELTYPE_CONFIGFETCH] is NULL. */
    const struct mvr_svc *svc[MVR_SVC_TYPES];
    /* The kernel's update channel (MVP_CHAN_UPDATE); NULL refuses it as unknown. */
    const struct mvr_svc *svc_update;
    void *ctx;
};

enum mvr_close { MVR_CLOSE_NONE, MVR_CLOSE_NORMAL, MVR_CLOSE_PROTOCOL, MVR_CLOSE_POLICY };

struct mvr_session {
    const struct mvr_session_env *env;
    char device_id[35];
    char remote[64];
    int hello_done;
    uint64_t boot_id;
    char boot_hex[17];
    struct mvp_reader rd;
    uint8_t *rdbuf; /* MVP_MAX_FRAME_PAYLOAD bytes while a frame is partly received */
    struct mvr_out *outq, **outq_tail;
    size_t outq_bytes;
    /* MVR_MAX_CHANNELS slots, allocated when the first channel opens: most idle devices
     * never open one, and the table is a quarter of the session. NULL until then. */
    struct mvr_chan **chans;
    uint32_t last_chan_id;
    int64_t started_us, last_rx_us, last_ping_us;
    uint64_t ping_seq;
    enum mvr_close close; /* set: flush outq, then close the connection */
    /* Logs: at most one store job per session is in the writer (so a failed batch is
     * never followed by a stored later one); batches arriving meanwhile join log_next. */
    struct mvr_store_job *log_job, *log_next;
    unsigned log_waiting; /* batches in log_next */
    /* HELLO: WELCOME's highest stored seq is looked up off the loop (mvr_store_call);
     * bytes received meanwhile wait in held and reading pauses until WELCOME is sent. */
    struct mvr_store_job *hello_job;
    uint8_t *held;
    size_t held_len;
    /* The transport's lookup of the certificate's device at connect (device/admit.c,
     * which owns the job): bytes wait in held the same way until it completes. */
    struct mvr_store_job *admit_job;
};

void mvr_session_init(struct mvr_session *s, const struct mvr_session_env *env,
                      const char *device_id, const char *remote, int64_t now);
/* Releases channels and queued output. */
void mvr_session_free(struct mvr_session *s);
/* Processes received bytes; returns 0, or -1 when the connection must close (after
 * the queued output, e.g. an ERROR frame, is written). */
int mvr_session_feed(struct mvr_session *s, const uint8_t *in, size_t len, int64_t now);
/* Periodic work: HELLO deadline, PING, idle timeout. -1 when the connection must close. */
int mvr_session_tick(struct mvr_session *s, int64_t now);
/* Until when mvr_session_tick has nothing to do for a session left alone: its next PING
 * or the end of its silence allowance; 0 while anything is in progress (no WELCOME yet,
 * channels, queued output, a frame or a store job under way, closing), which needs a
 * tick every second. Input or output on the session voids the answer. */
int64_t mvr_session_idle_until(const struct mvr_session *s);
/* Queues a GOAWAY (relay draining) and marks the session for closing. */
void mvr_session_goaway(struct mvr_session *s, uint32_t retry_after_ms, const char *why);
/* The same with a reason other than MVP_GOAWAY_SHUTDOWN (REPLACED, OVERLOADED). */
void mvr_session_goaway_reason(struct mvr_session *s, uint32_t reason, uint32_t retry_after_ms,
                               const char *why);
/* 1 while the transport should not read from the device: its LOG batches wait for the
 * store (MVR_LOG_WAIT_MAX). */
int mvr_session_store_wait(const struct mvr_session *s);
/* Queues device metadata (last_seen, and with meta the boot id and remote address) as a
 * store job; the writer coalesces such updates into its group transactions. */
void mvr_session_note_seen(struct mvr_session *s, int64_t now, int meta);
/* Processes the bytes held while a store lookup was pending (HELLO, admission); the
 * caller clears the job first. */
void mvr_session_release_held(struct mvr_session *s);
/* Refuses the connection: ERROR{why}, then close with 1008 (policy violation). */
void mvr_session_refuse(struct mvr_session *s, const char *why);
/* Pops the next queued frame (caller frees) or NULL. */
struct mvr_out *mvr_session_pop(struct mvr_session *s);
/* The transport wrote some output and the queue is below MVR_OUTQ_REFILL: services that
 * hold back bulk output until the queue drains (updates) may queue more. */
#define MVR_OUTQ_REFILL (32 * 1024)
void mvr_session_drained(struct mvr_session *s);

/* Asks the transport to write queued output (env->on_output). */
void mvr_session_kick(struct mvr_session *s);

/* Queues one frame; 0 or -1 (out of memory). */
int mvr_session_send(struct mvr_session *s, uint8_t type, uint16_t chan,
                     const uint8_t *payload, uint32_t len);

#endif
