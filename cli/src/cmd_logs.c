/* `mvcli logs get DEVICE [--since T] [--until T] [--limit N | --tail N]`: pages through
 * /v1/Devices/{id}/Logs with next_cursor until N records, the end, or the first record
 * received after --until (or asks once for the newest N), printing human lines as pages
 * arrive, or one combined JSON document with --json; says on stderr when more records
 * exist than were printed. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "cmd.h"
#include "mvc/exit.h"
#include "mvc/output.h"
#include "mvc/timefmt.h"
#include "mvc/url.h"

#define PAGE_MAX 1000L /* the API's per-request limit */
#define CURSOR_MAX 512

struct logs_get {
    struct mvc_ctx *c;
    json_t *all;             /* --json: every record */
    char cursor[CURSOR_MAX]; /* since for the next page ("" = from the start) */
    long remaining;
    bool more;               /* the last page said more records exist */
    bool until_reached;      /* a record after --until was seen: done, nothing "more" */
};

/* A record received after --until ends the listing (records come oldest first). */
static bool after_until(const struct mvc_args *a, const json_t *rec)
{
    struct mvc_time t;
    const char *at = json_string_value(json_object_get(rec, "received_at"));
    return a->has_until && at && mvc_time_parse(at, false, NULL, &t) == 0 &&
           mvc_time_cmp(&t, &a->until_t) > 0;
}

/* The cursor of the last record printed, in the form --since takes. */
static void note_cursor(struct logs_get *g, const json_t *rec)
{
    const char *cur = json_string_value(json_object_get(rec, "cursor"));
    if (cur && strlen(cur) + 4 < CURSOR_MAX)
        snprintf(g->cursor, CURSOR_MAX, "seq:%s", cur);
}

/* Fetches one page; returns the number of records in it or -exit status. */
static long fetch_page(struct logs_get *g, const char *dev)
{
    char path[2048], since[3 * CURSOR_MAX + 1] = "";
    long want = g->remaining < PAGE_MAX ? g->remaining : PAGE_MAX;
    json_t *page = NULL, *rec;
    size_t i;
    long n = 0;

    if (g->cursor[0] && mvc_url_escape(g->cursor, since, sizeof(since)) != 0)
        return -MVC_EXIT_USAGE;
    if (g->c->args->tail)
        snprintf(path, sizeof(path), "/v1/Devices/%s/Logs?tail=%ld", dev, want);
    else
        snprintf(path, sizeof(path), "/v1/Devices/%s/Logs?limit=%ld%s%s", dev, want,
                 since[0] ? "&since=" : "", since);
    int rc = mvc_api_call(g->c->http, "GET", path, NULL, &page);
    if (rc != MVC_EXIT_OK)
        return -rc;
    json_t *logs = json_object_get(page, "logs");
    if (!json_is_array(logs)) {
        fprintf(stderr, "mvcli: the relay's answer has no 'logs' list\n");
        json_decref(page);
        return -MVC_EXIT_API;
    }
    json_array_foreach (logs, i, rec) {
        if (n == want)
            break; /* never print more than asked, whatever the server sends */
        if (after_until(g->c->args, rec)) {
            g->until_reached = true;
            break;
        }
        if (g->c->args->json)
            json_array_append(g->all, rec);
        else
            mvc_out_log(g->c->out, rec);
        n++;
    }
    json_t *meta = json_object_get(page, "meta");
    const char *next = json_string_value(json_object_get(meta, "next_cursor"));
    g->more = json_is_true(json_object_get(meta, "more"));
    /* A full page the relay says has a successor, with a fresh cursor, goes on. */
    bool more = !g->until_reached && n == want && g->more && next &&
                strlen(next) < CURSOR_MAX && strcmp(next, g->cursor) != 0;
    if (g->until_reached) {
        g->more = false;
        if (n > 0)
            note_cursor(g, json_array_get(logs, (size_t)n - 1));
    } else if (next && strlen(next) < CURSOR_MAX) {
        strcpy(g->cursor, next);
    }
    g->remaining -= n;
    json_decref(page);
    return more ? n : 0;
}

int mvc_cmd_logs(struct mvc_ctx *c)
{
    char dev[128];
    const struct mvc_args *a = c->args;
    struct logs_get g = {.c = c, .remaining = a->tail    ? a->tail
                                              : a->limit ? a->limit
                                                         : MVC_LOGS_LIMIT_DEFAULT};
    int rc = MVC_EXIT_OK;

    if (a->cmd == MVC_CMD_LOGS_STREAM)
        return mvc_cmd_logs_stream(c);
    if (mvc_url_escape(a->device, dev, sizeof(dev)) != 0)
        return MVC_EXIT_USAGE;
    if (a->since && strlen(a->since) >= CURSOR_MAX) {
        fprintf(stderr, "mvcli: --since is too long\n");
        return MVC_EXIT_USAGE;
    }
    strcpy(g.cursor, a->since ? a->since : "");
    g.all = json_array();
    while (g.remaining > 0) {
        long n = fetch_page(&g, dev);
        if (n < 0) {
            rc = (int)-n;
            goto out;
        }
        if (n == 0 || a->tail)
            break;
    }
    if (g.more && !a->json && a->tail)
        fprintf(stderr, "mvcli: older records exist (a larger --tail, or --since)\n");
    else if (g.more && !a->json)
        fprintf(stderr, "mvcli: more records exist: continue with --since %s\n", g.cursor);
    if (a->json) {
        json_t *doc = json_pack("{s:O, s:{s:s?, s:b}}", "logs", g.all, "meta", "next_cursor",
                                g.cursor[0] ? g.cursor : NULL, "more", g.more);
        mvc_out_json(c->out, doc);
        json_decref(doc);
    }
out:
    json_decref(g.all);
    return rc;
}
