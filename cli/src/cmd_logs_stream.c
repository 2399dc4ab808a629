/* `mvcli logs stream DEVICE [--since T]`: follows the relay's SSE log stream.
 * On loss it reconnects with backoff and Last-Event-ID (the cursor of the last
 * record printed), so records are neither lost nor printed twice; SIGINT or
 * SIGTERM end it with status 0. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "api.h"
#include "cmd.h"
#include "mvc/exit.h"
#include "mvc/output.h"
#include "mvc/sse.h"
#include "mvc/url.h"

#define BACKOFF_MIN_MS 250L
#define BACKOFF_MAX_MS 10000L
#define ERRBODY_MAX 65536

/* Set from the signal handler; the only state a handler may touch. */
static volatile sig_atomic_t stop_requested;

struct stream {
    struct mvc_ctx *c;
    struct mvc_sse *sse;
    char printed[MVC_SSE_ID_MAX + 1]; /* cursor of the last record printed */
    char errbody[ERRBODY_MAX + 1];    /* body of a non-200 answer */
    size_t errlen;
    bool got_data;  /* this connection delivered bytes */
    bool connected; /* some connection got a 200 */
    bool lost;      /* a connection was lost; say so when the next one answers */
    int cb_err;     /* exit status a callback failed with */
    char tail_cursor[64]; /* --tail: the stream continues after this record */
};

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static int on_event(void *ctx, const char *event, const char *id, const char *data, size_t len)
{
    struct stream *s = ctx;
    json_error_t jerr;
    if (strcmp(event, "log") != 0)
        return 0;
    /* A resumed stream must start after this id; a repeat is skipped anyway. */
    if (id[0] && strcmp(id, s->printed) == 0)
        return 0;
    json_t *rec = json_loadb(data, len, 0, &jerr);
    if (!json_is_object(rec)) {
        fprintf(stderr, "mvcli: skipping a malformed log event: %s\n", jerr.text);
        json_decref(rec);
        return 0;
    }
    if (s->c->args->json)
        mvc_out_json_line(s->c->out, rec);
    else
        mvc_out_log(s->c->out, rec);
    fflush(s->c->out);
    json_decref(rec);
    strcpy(s->printed, id);
    return 0;
}

static int on_chunk(void *ctx, long status, const char *buf, size_t len)
{
    struct stream *s = ctx;
    if (status != 200) {
        size_t n = len < ERRBODY_MAX - s->errlen ? len : ERRBODY_MAX - s->errlen;
        memcpy(s->errbody + s->errlen, buf, n);
        s->errlen += n;
        s->errbody[s->errlen] = '\0';
        return 0;
    }
    s->got_data = true;
    s->connected = true;
    if (s->lost) {
        s->lost = false;
        fprintf(stderr, "mvcli: log stream reconnected\n");
    }
    unsigned long dropped = s->sse->dropped;
    int rc = mvc_sse_feed(s->sse, buf, len);
    if (s->sse->dropped != dropped)
        fprintf(stderr, "mvcli: skipped an over-long event in the log stream\n");
    return rc;
}

static int should_abort(void *ctx)
{
    (void)ctx;
    return stop_requested != 0;
}

static void sleep_ms(long ms)
{
    for (long t = 0; t < ms && !stop_requested; t += 100) {
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static void now_rfc3339(char *buf, size_t len)
{
    struct timeval tv;
    struct tm tm;
    char base[32];
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%06ldZ", base, (long)tv.tv_usec);
}

/* The request path: --since (or the start time) only until an id is known. */
static int stream_path(char *buf, size_t len, const char *dev, const char *since,
                       const char *last_id)
{
    char esc[3 * 512 + 1] = "";
    if (!last_id[0] && since && mvc_url_escape(since, esc, sizeof(esc)) != 0)
        return -1;
    int n = snprintf(buf, len, "/v1/Devices/%s/Logs/Stream%s%s", dev, esc[0] ? "?since=" : "",
                     esc);
    return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* Reports why the connection ended; returns an exit status to stop with, or
 * -1 to reconnect. */
static int after_transfer(struct stream *s, CURLcode rc, long status)
{
    char msg[2048];
    if (stop_requested)
        return MVC_EXIT_OK;
    if (status == 200) /* the relay answered, even if nothing was logged before the loss */
        s->connected = true;
    if (status >= 400 && status < 500) {
        mvc_api_print_error(status, s->errbody);
        return MVC_EXIT_API;
    }
    if (rc != CURLE_OK && !s->connected) {
        mvc_http_conn_message(rc, s->c->http->cfg->url, s->c->http->errbuf[0] ?
                              s->c->http->errbuf : curl_easy_strerror(rc), msg, sizeof(msg));
        fprintf(stderr, "mvcli: %s\n", msg);
        return MVC_EXIT_CONN;
    }
    if (rc != CURLE_OK)
        fprintf(stderr, "mvcli: log stream lost (%s); reconnecting\n",
                s->c->http->errbuf[0] ? s->c->http->errbuf : curl_easy_strerror(rc));
    else if (status != 200)
        fprintf(stderr, "mvcli: log stream refused (HTTP %ld); retrying\n", status);
    else
        fprintf(stderr, "mvcli: log stream closed by the relay; reconnecting\n");
    s->lost = true;
    return -1;
}

/* Tells the user up front when the device is offline, so a silent stream is not taken
 * for a broken one. Returns the exit status of the lookup (an unknown device, an
 * unreachable relay: already reported). */
static int say_if_offline(struct stream *s, const char *dev)
{
    char path[256];
    json_t *resp = NULL;
    snprintf(path, sizeof(path), "/v1/Devices/%s", dev);
    int rc = mvc_api_call(s->c->http, "GET", path, NULL, &resp);
    if (rc == MVC_EXIT_OK && json_is_false(json_object_get(resp, "online")))
        fprintf(stderr, "mvcli: device %s is offline; its logs appear when it connects\n",
                s->c->args->device);
    json_decref(resp);
    return rc;
}

/* --tail N: prints the newest N stored records, oldest first, and keeps the cursor of
 * the last one so the stream continues right after it (nothing missed in between). */
static int print_tail(struct stream *s, const char *dev)
{
    char path[256];
    json_t *page = NULL, *rec;
    size_t i;
    snprintf(path, sizeof(path), "/v1/Devices/%s/Logs?tail=%ld", dev, s->c->args->tail);
    int rc = mvc_api_call(s->c->http, "GET", path, NULL, &page);
    if (rc != MVC_EXIT_OK)
        return rc;
    json_array_foreach (json_object_get(page, "logs"), i, rec) {
        if (s->c->args->json)
            mvc_out_json_line(s->c->out, rec);
        else
            mvc_out_log(s->c->out, rec);
    }
    fflush(s->c->out);
    const char *next = json_string_value(json_object_get(json_object_get(page, "meta"),
                                                         "next_cursor"));
    if (next && strlen(next) < sizeof(s->tail_cursor))
        strcpy(s->tail_cursor, next);
    json_decref(page);
    return MVC_EXIT_OK;
}

static int run(struct stream *s, const char *dev)
{
    char path[4096], start[64];
    const char *since = s->tail_cursor[0] ? s->tail_cursor : s->c->args->since;
    long backoff = BACKOFF_MIN_MS;
    int attempt = 0;

    /* Without --since the stream starts now; a reconnect before the first
     * record must resume from that moment, not from the reconnect. */
    now_rfc3339(start, sizeof(start));
    if (!since)
        since = start;
    for (;;) {
        long status = 0;
        bool live = attempt++ == 0 && !s->c->args->since && !s->tail_cursor[0];
        if (stream_path(path, sizeof(path), dev, live ? NULL : since,
                        s->sse->last_id) != 0) {
            fprintf(stderr, "mvcli: --since is too long\n");
            return MVC_EXIT_USAGE;
        }
        mvc_sse_reset(s->sse);
        s->errlen = 0;
        s->got_data = false;
        CURLcode rc = mvc_http_stream(s->c->http, path, s->sse->last_id, on_chunk, should_abort, s,
                                      &status);
        int ex = after_transfer(s, rc, status);
        if (ex >= 0)
            return ex;
        backoff = s->got_data ? BACKOFF_MIN_MS : backoff;
        sleep_ms(backoff);
        backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
        if (stop_requested)
            return MVC_EXIT_OK;
    }
}

int mvc_cmd_logs_stream(struct mvc_ctx *c)
{
    char dev[128];
    struct stream *s = calloc(1, sizeof(*s));
    int rc = MVC_EXIT_USAGE;
    if (!s || !(s->sse = malloc(sizeof(*s->sse)))) {
        fprintf(stderr, "mvcli: out of memory\n");
        goto out;
    }
    if (mvc_url_escape(c->args->device, dev, sizeof(dev)) != 0)
        goto out;
    s->c = c;
    mvc_sse_init(s->sse, on_event, s, NULL);
    install_handlers();
    rc = say_if_offline(s, dev);
    if (rc == MVC_EXIT_OK && c->args->tail)
        rc = print_tail(s, dev);
    if (rc == MVC_EXIT_OK)
        rc = run(s, dev);
out:
    if (s)
        free(s->sse);
    free(s);
    return rc;
}
