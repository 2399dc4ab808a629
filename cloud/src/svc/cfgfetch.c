/* The config fetch service: answers each CFG_REQUEST with one CFG_RESPONSE, looking up
 * device-scope keys only for the requesting device. If the response would not fit the
 * device's current receive window it answers RESPONSETOOLARGE with no items. The
 * lookups run off the loop (mvr_store_call); a channel has one request in the store at a
 * time and the others wait in order behind it, so responses keep the requests' order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvp/cfg.h"
#include "mvp/msg.h"
#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mv_syscalls.h"
#include "device/session_priv.h"
#include "svc/svc.h"

#define RESULT_OK 0
#define RESULT_TOOLARGE 1
#define ITEM_OK 0
#define ITEM_NOTFOUND 1
#define ITEM_SERVERERROR 2

/* Looks a key up; the value (malloc'ed) goes into *val. */
static uint8_t fetch_one(struct mvr_store *st, const char *device_id,
                         const struct mvp_cfg_key *k, char **val, size_t *len,
                         unsigned *store_errors)
{
    char key[MVP_MAX_CFG_KEY + 1];
    memcpy(key, k->key, k->key_len);
    key[k->key_len] = '\0';
    if (!mvp_cfg_key_valid(k->key, k->key_len) || k->scope > 1 || k->store > 1)
        return ITEM_NOTFOUND;
    /* The scope decides the row owner: never a device id taken from the request. */
    const char *owner = k->scope == 1 ? device_id : NULL;
    enum mvr_kv_kind kind = k->store == 0 ? MVR_KV_SECRET : MVR_KV_CONFIG;
    int rc = mvr_store_kv_get(st, kind, owner, key, val, len, NULL);
    if (rc == MVR_OK && *len > MVP_MAX_CFG_VALUE) {
        free(*val);
        *val = NULL;
        return ITEM_SERVERERROR;
    }
    if (rc == MVR_OK)
        return ITEM_OK;
    if (rc == MVR_ST_NOTFOUND)
        return ITEM_NOTFOUND;
    (*store_errors)++; /* counted in the metrics on the loop (fetch_done) */
    return ITEM_SERVERERROR;
}

static int send_response(struct mvr_session *s, struct mvr_chan *c, uint8_t result,
                         const struct mvp_cfg_item *items, size_t n)
{
    size_t cap = 8 + 3 + n * (1 + 4 + MVP_MAX_CFG_VALUE);
    uint8_t *buf = malloc(cap);
    int rc = -1;
    if (!buf)
        return -1;
    int blen = mvp_cfg_resp_encode(result, items, n, buf + 8, cap - 8);
    if (blen < 0)
        goto out;
    size_t total = 8 + (size_t)blen;
    /* Compare with the credit left after anything already queued on the channel. */
    if (result == RESULT_OK && total > mvr_chan_avail(c)) {
        rc = send_response(s, c, RESULT_TOOLARGE, NULL, 0);
        goto out;
    }
    mvp_msg_hdr_encode(MVP_MSG_CFG_RESPONSE, (uint32_t)blen, buf);
    rc = mvr_chan_send(s, c, buf, total);
out:
    free(buf);
    return rc;
}

/* One request: decoded on the loop, looked up on a reader thread, answered on the loop.
 * The request body is copied: the keys point into it. */
struct cfg_fetch {
    struct cfg_chan *cc; /* NULL once the channel closed */
    struct cfg_fetch *next;
    char device_id[35];
    uint8_t *body;
    struct mvp_cfg_key keys[MVP_MAX_CFG_KEYS];
    struct mvp_cfg_item items[MVP_MAX_CFG_KEYS];
    char *vals[MVP_MAX_CFG_KEYS];
    size_t n;
    unsigned store_errors;
};

/* The channel's state: the request in the store and the ones waiting behind it. */
struct cfg_chan {
    struct mvr_session *s;
    struct mvr_chan *c;
    struct cfg_fetch *busy, *waiting, **waiting_tail;
};

static void fetch_free(struct cfg_fetch *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->vals[i]);
    free(f->body);
    free(f);
}

/* On a reader thread (or inline with SQLite): only the fetch, no session state. */
static void fetch_run(struct mvr_store *st, struct mvr_store_job *j)
{
    struct cfg_fetch *f = j->owner;
    for (size_t i = 0; i < f->n; i++) {
        size_t vlen = 0;
        f->items[i].result = fetch_one(st, f->device_id, &f->keys[i], &f->vals[i], &vlen,
                                       &f->store_errors);
        f->items[i].value = (const uint8_t *)f->vals[i];
        f->items[i].value_len = f->items[i].result == ITEM_OK ? (uint32_t)vlen : 0;
    }
}

static void fetch_done(struct mvr_store_job *j);

static int fetch_submit(struct cfg_chan *cc)
{
    struct cfg_fetch *f = cc->waiting;
    if (cc->busy || !f)
        return 0;
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, "", 0);
    if (!j)
        return -1;
    cc->waiting = f->next;
    if (!cc->waiting)
        cc->waiting_tail = &cc->waiting;
    f->next = NULL;
    cc->busy = f;
    j->owner = f;
    j->run = fetch_run;
    j->done = fetch_done;
    mvr_store_call(cc->s->env->store, j);
    return 0;
}

/* On the loop: send the response on the channel, if it is still open. */
static void fetch_done(struct mvr_store_job *j)
{
    struct cfg_fetch *f = j->owner;
    struct cfg_chan *cc = f->cc;
    int ran = j->status == MVR_OK;
    mvr_store_job_free(j);
    if (!cc) {
        fetch_free(f);
        return;
    }
    cc->busy = NULL;
    struct mvr_session *s = cc->s;
    mvr_metrics.errors[MVR_ERRK_STORE] += f->store_errors;
    for (size_t i = 0; !ran && i < f->n; i++)
        f->items[i] = (struct mvp_cfg_item){.result = ITEM_SERVERERROR};
    int rc = send_response(s, cc->c, RESULT_OK, f->items, f->n);
    mvr_log(MVR_DEBUG, "config fetch", "device=%s keys=%zu", s->device_id, f->n);
    fetch_free(f);
    if (rc < 0 || fetch_submit(cc) < 0)
        s->close = MVR_CLOSE_PROTOCOL; /* out of memory: end the session */
    mvr_session_kick(s);
}

static int serve(struct mvr_session *s, struct mvr_chan *c, const uint8_t *body, size_t len)
{
    struct cfg_chan *cc = c->svc_state;
    struct cfg_fetch *f = calloc(1, sizeof *f);
    if (!f || !(f->body = malloc(len ? len : 1))) {
        free(f);
        return -1;
    }
    memcpy(f->body, body, len);
    int rc = mvp_cfg_req_decode(f->body, len, f->keys, MVP_MAX_CFG_KEYS, &f->n);
    /* A request that does not decode gets no CFG_RESPONSE; resetting the channel tells
     * the device not to wait for one. */
    if (rc < 0) {
        f->n = 0;
        fetch_free(f);
        return MVR_SVC_RESET;
    }
    mvr_metrics.config_fetches++;
    snprintf(f->device_id, sizeof f->device_id, "%s", s->device_id);
    f->cc = cc;
    *cc->waiting_tail = f;
    cc->waiting_tail = &f->next;
    return fetch_submit(cc);
}

static uint32_t cfg_open(void *ctx, struct mvr_session *s, struct mvr_chan *c,
                         const uint8_t *endpoint, size_t endpoint_len, const char **why)
{
    (void)ctx, (void)endpoint;
    *why = "config fetch takes no endpoint";
    if (endpoint_len)
        return MV_STATUS_UNKNOWNCHANNELENDPOINT;
    struct cfg_chan *cc = calloc(1, sizeof *cc);
    if (!cc) {
        *why = "out of memory";
        return MV_STATUS_UNAVAILABLE;
    }
    cc->s = s;
    cc->c = c;
    cc->waiting_tail = &cc->waiting;
    c->svc_state = cc;
    return 0;
}

/* The channel goes away: a request in the store completes without it. */
static void cfg_close(void *ctx, struct mvr_session *s, struct mvr_chan *c)
{
    (void)ctx, (void)s;
    struct cfg_chan *cc = c->svc_state;
    if (!cc)
        return;
    if (cc->busy)
        cc->busy->cc = NULL;
    for (struct cfg_fetch *f = cc->waiting, *next; f; f = next) {
        next = f->next;
        fetch_free(f);
    }
    free(cc);
    c->svc_state = NULL;
}

static int cfg_msg(void *ctx, struct mvr_session *s, struct mvr_chan *c, const struct mvp_frame *m)
{
    (void)ctx;
    if (m->hdr.chan != 0 || m->hdr.type != MVP_MSG_CFG_REQUEST)
        return MVR_SVC_RESET;
    return serve(s, c, m->payload, m->hdr.len);
}

const struct mvr_svc mvr_svc_cfgfetch = {
    .name = "config",
    .open = cfg_open,
    .msg = cfg_msg,
    .close = cfg_close,
};
