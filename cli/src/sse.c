/* Server-Sent Events parser for the relay's log stream. Follows the WHATWG
 * rules (CR, LF or CRLF line ends, comments, "data" concatenation, "id"
 * persistence, leading BOM) with fixed buffers, so hostile input cannot grow
 * memory; anything that does not fit is dropped and counted, never truncated. */
#include "mvc/sse.h"

#include <stdlib.h>
#include <string.h>

static const char bom[3] = {'\xef', '\xbb', '\xbf'};

void mvc_sse_init(struct mvc_sse *p, mvc_sse_cb cb, void *ctx, const char *last_id)
{
    memset(p, 0, sizeof(*p));
    p->cb = cb;
    p->ctx = ctx;
    p->retry_ms = -1;
    if (last_id && strlen(last_id) <= MVC_SSE_ID_MAX) {
        strcpy(p->last_id, last_id);
        strcpy(p->id_buf, last_id);
    }
}

static void clear_event(struct mvc_sse *p)
{
    p->data_len = 0;
    p->data[0] = '\0';
    p->data_overflow = false;
    p->has_data = false;
    p->event[0] = '\0';
}

void mvc_sse_reset(struct mvc_sse *p)
{
    clear_event(p);
    p->line_len = 0;
    p->line_overflow = false;
    p->after_cr = false;
    p->started = false;
    p->bom_len = 0;
    strcpy(p->id_buf, p->last_id);
}

static int dispatch(struct mvc_sse *p)
{
    int rc = 0;
    /* The id counts once its event is complete, even an event without data. */
    strcpy(p->last_id, p->id_buf);
    if (!p->has_data)
        goto out;
    if (p->data_overflow) {
        p->dropped++;
        goto out;
    }
    /* Each data line appended a LF; the last one is not part of the data. */
    if (p->data_len > 0 && p->data[p->data_len - 1] == '\n')
        p->data[--p->data_len] = '\0';
    rc = p->cb(p->ctx, p->event[0] ? p->event : "message", p->last_id, p->data, p->data_len);
out:
    clear_event(p);
    return rc;
}

static void append_data(struct mvc_sse *p, const char *v, size_t n)
{
    p->has_data = true;
    if (p->data_overflow || n + 1 > MVC_SSE_DATA_MAX - p->data_len) {
        p->data_overflow = true;
        return;
    }
    memcpy(p->data + p->data_len, v, n);
    p->data_len += n;
    p->data[p->data_len++] = '\n';
    p->data[p->data_len] = '\0';
}

static void set_retry(struct mvc_sse *p, const char *v, size_t n)
{
    long ms = 0;
    if (n == 0 || n > 9)
        return;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return;
        ms = ms * 10 + (v[i] - '0');
    }
    p->retry_ms = ms;
}

static void field(struct mvc_sse *p, const char *name, size_t nlen, const char *v, size_t vlen)
{
    if (nlen == 4 && memcmp(name, "data", 4) == 0) {
        append_data(p, v, vlen);
    } else if (nlen == 5 && memcmp(name, "event", 5) == 0) {
        if (vlen <= MVC_SSE_EVENT_MAX) {
            memcpy(p->event, v, vlen);
            p->event[vlen] = '\0';
        } else {
            p->dropped++;
        }
    } else if (nlen == 2 && memcmp(name, "id", 2) == 0) {
        /* The spec ignores ids containing NUL; we also refuse ones we cannot hold. */
        if (memchr(v, '\0', vlen) == NULL && vlen <= MVC_SSE_ID_MAX) {
            memcpy(p->id_buf, v, vlen);
            p->id_buf[vlen] = '\0';
        } else {
            p->dropped++;
        }
    } else if (nlen == 5 && memcmp(name, "retry", 5) == 0) {
        set_retry(p, v, vlen);
    }
}

static int end_line(struct mvc_sse *p)
{
    const char *l = p->line;
    size_t n = p->line_len;
    bool overflow = p->line_overflow;
    p->line_len = 0;
    p->line_overflow = false;
    if (overflow) {
        /* A lost data line would corrupt the event: make the whole event go. */
        p->has_data = true;
        p->data_overflow = true;
        return 0;
    }
    if (n == 0)
        return dispatch(p);
    if (l[0] == ':')
        return 0;
    const char *colon = memchr(l, ':', n);
    if (!colon) {
        field(p, l, n, "", 0);
        return 0;
    }
    size_t nlen = (size_t)(colon - l);
    const char *v = colon + 1;
    size_t vlen = n - nlen - 1;
    if (vlen > 0 && *v == ' ') {
        v++;
        vlen--;
    }
    field(p, l, nlen, v, vlen);
    return 0;
}

/* Swallows a leading UTF-8 BOM, possibly split across feeds. Returns bytes used. */
static size_t skip_bom(struct mvc_sse *p, const char *buf, size_t len)
{
    size_t i = 0;
    while (!p->started && i < len) {
        if (buf[i] != bom[p->bom_len]) {
            /* Not a BOM after all: replay the bytes we held back. */
            size_t held = p->bom_len;
            p->started = true;
            for (size_t k = 0; k < held; k++)
                p->line[p->line_len++] = bom[k];
            return i;
        }
        i++;
        if (++p->bom_len == sizeof(bom))
            p->started = true;
    }
    return i;
}

int mvc_sse_feed(struct mvc_sse *p, const char *buf, size_t len)
{
    size_t i = skip_bom(p, buf, len);
    for (; i < len; i++) {
        char c = buf[i];
        if (c == '\n' && p->after_cr) {
            p->after_cr = false;
            continue;
        }
        p->after_cr = (c == '\r');
        if (c == '\r' || c == '\n') {
            int rc = end_line(p);
            if (rc != 0)
                return rc;
        } else if (p->line_len < MVC_SSE_LINE_MAX) {
            p->line[p->line_len++] = c;
        } else {
            p->line_overflow = true;
        }
    }
    return 0;
}
