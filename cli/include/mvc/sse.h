/* Incremental Server-Sent Events parser (WHATWG "event stream interpretation").
 * Pure and bounds-checked: bytes go in in any split, whole events come out
 * through a callback; over-long lines or events are dropped and counted. */
#ifndef MVC_SSE_H
#define MVC_SSE_H

#include <stdbool.h>
#include <stddef.h>

#define MVC_SSE_LINE_MAX 65536  /* longest field line kept */
#define MVC_SSE_DATA_MAX 131072 /* largest event data kept */
#define MVC_SSE_ID_MAX 256      /* longest event id kept */
#define MVC_SSE_EVENT_MAX 64    /* longest event type kept */

/* Called once per dispatched event. data is NUL-terminated (len excludes
 * the NUL), id is the stream's last event id after this event ("" if none).
 * A non-zero return stops mvc_sse_feed, which returns that value. */
typedef int (*mvc_sse_cb)(void *ctx, const char *event, const char *id, const char *data,
                          size_t len);

struct mvc_sse {
    mvc_sse_cb cb;
    void *ctx;
    char line[MVC_SSE_LINE_MAX];
    size_t line_len;
    bool line_overflow;
    bool after_cr; /* a CR ended the last line: a following LF is part of it */
    bool started;  /* past the optional byte order mark */
    size_t bom_len;
    char data[MVC_SSE_DATA_MAX + 1];
    size_t data_len;
    bool data_overflow;
    bool has_data;
    char event[MVC_SSE_EVENT_MAX + 1];
    char id_buf[MVC_SSE_ID_MAX + 1];  /* set by "id:", committed at the blank line */
    char last_id[MVC_SSE_ID_MAX + 1]; /* id of the last complete event: Last-Event-ID */
    long retry_ms; /* last valid "retry:" value, -1 if none */
    unsigned long dropped; /* events or lines discarded for size */
};

/* Prepares *p (which may be large: allocate it, do not put it on a small
 * stack). last_id seeds the last event id (NULL for none). */
void mvc_sse_init(struct mvc_sse *p, mvc_sse_cb cb, void *ctx, const char *last_id);

/* Starts a new connection: drops any partial line/event and an id that
 * arrived without its event's end, keeps last_id. */
void mvc_sse_reset(struct mvc_sse *p);

/* Feeds len bytes. Returns 0, or the callback's non-zero value. */
int mvc_sse_feed(struct mvc_sse *p, const char *buf, size_t len);

#endif
