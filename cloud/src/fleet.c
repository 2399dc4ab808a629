/* The relay as one of a fleet sharing a PostgreSQL database: its loop polls the store's
 * event connection (mvr_store_events_*) and reacts to what the other relays did: new log
 * records wake this relay's live streams of that device; a session that another relay
 * started for a device closes this relay's session of it (one live session per device
 * across the fleet). A lost event connection is reopened by the 1 Hz tick, which then
 * wakes every stream so that nothing committed meanwhile is missed. Failed opens back
 * off (1, 2, 4 ... 30 s): an open against an unreachable database holds a store reader
 * for up to the connect timeout, which REST reads and device admissions need too. */
#include <stdlib.h>

#include "mvr/log.h"
#include "mvr/util.h"
#include "server_priv.h"

static void on_logs(void *ctx, const char *device_id)
{
    mvr_api_on_logs(ctx, device_id);
}

static void on_session(void *ctx, const char *device_id, int64_t since_us)
{
    mvr_dev_replace(ctx, device_id, NULL, since_us);
}

static void poll_cb(uv_poll_t *p, int status, int events)
{
    struct mvr_server *srv = p->data;
    const struct mvr_store_events ev = {.logs = on_logs, .session = on_session, .ctx = srv};
    (void)events;
    if (status == 0 && mvr_store_events_read(srv->dd.store, &ev) == 0)
        return;
    mvr_log(MVR_WARN, "fleet events lost", "action=\"reconnect at the next tick\"");
    mvr_fleet_stop(srv);
    mvr_store_events_close(srv->dd.store);
}

static void closed_cb(uv_handle_t *h)
{
    struct mvr_server *srv = h->data;
    srv->fleet_state = FLEET_NONE;
}

#define FLEET_BACKOFF_MAX_S 30
static void open_failed(struct mvr_server *srv)
{
    srv->fleet_backoff_s = srv->fleet_backoff_s ? srv->fleet_backoff_s : 1;
    srv->fleet_wait_s = srv->fleet_backoff_s;
    mvr_log(MVR_WARN, "fleet events unavailable", "retry_s=%u", srv->fleet_wait_s);
    srv->fleet_backoff_s = srv->fleet_backoff_s * 2 > FLEET_BACKOFF_MAX_S
                               ? FLEET_BACKOFF_MAX_S
                               : srv->fleet_backoff_s * 2;
}

/* Through the writer like any write (never a round trip on the loop); the heartbeat is
 * what makes this relay's sessions count as online on the other relays. */
#define HEARTBEAT_S 5
static void heartbeat(struct mvr_server *srv)
{
    if (srv->ticks % HEARTBEAT_S)
        return;
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_HEARTBEAT, "", mvr_now_us());
    if (j)
        mvr_store_submit(srv->dd.store, j);
}

/* Opening the event connection is a connect and a LISTEN (up to connect_timeout when the
 * database does not answer): it runs on a store reader thread, and the loop starts
 * polling the socket from the completion. */
struct events_open {
    struct mvr_server *srv;
    int fd;
};

static void open_run(struct mvr_store *st, struct mvr_store_job *j)
{
    ((struct events_open *)j->owner)->fd = mvr_store_events_open(st);
}

static void open_done(struct mvr_store_job *j)
{
    struct events_open *o = j->owner;
    struct mvr_server *srv = o->srv;
    int fd = j->status == MVR_OK ? o->fd : -1;
    mvr_store_job_free(j);
    free(o);
    if (srv->fleet_state != FLEET_OPENING) { /* stopped meanwhile (shutdown) */
        if (fd >= 0)
            mvr_store_events_close(srv->dd.store);
        return;
    }
    srv->fleet_state = FLEET_NONE;
    if (fd >= 0 && uv_poll_init_socket(&srv->loop, &srv->fleet_poll, fd) != 0) {
        mvr_store_events_close(srv->dd.store);
        fd = -1;
    }
    if (fd < 0) {
        open_failed(srv);
        return;
    }
    srv->fleet_backoff_s = 0;
    srv->fleet_poll.data = srv;
    srv->fleet_state = FLEET_POLLING;
    uv_poll_start(&srv->fleet_poll, UV_READABLE, poll_cb);
    mvr_api_kick_all(srv);
}

/* 1 Hz and at start: the heartbeat, and (re)opens the event connection when there is
 * none. */
void mvr_fleet_tick(struct mvr_server *srv)
{
    if (srv->draining || !srv->cfg->store[0])
        return;
    heartbeat(srv);
    if (srv->fleet_state != FLEET_NONE)
        return;
    if (srv->fleet_wait_s) {
        srv->fleet_wait_s--;
        return;
    }
    struct events_open *o = calloc(1, sizeof *o);
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, "", 0);
    if (!o || !j) {
        free(o);
        mvr_store_job_free(j);
        return;
    }
    o->srv = srv;
    o->fd = -1;
    j->owner = o;
    j->run = open_run;
    j->done = open_done;
    srv->fleet_state = FLEET_OPENING;
    mvr_store_call(srv->dd.store, j);
}

void mvr_fleet_stop(struct mvr_server *srv)
{
    if (srv->fleet_state == FLEET_OPENING)
        srv->fleet_state = FLEET_STOPPED; /* the open's completion closes what it opened */
    if (srv->fleet_state != FLEET_POLLING)
        return;
    srv->fleet_state = FLEET_CLOSING; /* reopened once the handle is closed */
    uv_poll_stop(&srv->fleet_poll);
    uv_close((uv_handle_t *)&srv->fleet_poll, closed_cb);
}
