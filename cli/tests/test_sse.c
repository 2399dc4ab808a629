/* Tests of the SSE parser (src/sse.c): line endings, fields, comments,
 * multi-line data, id tracking across reconnects, bounds, and every possible
 * split of a stream into two feeds. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvc/sse.h"

struct seen {
    int n;
    char event[8][80];
    char id[8][300];
    char data[8][256];
};

static int record(void *ctx, const char *event, const char *id, const char *data, size_t len)
{
    struct seen *s = ctx;
    cr_assert_lt(s->n, 8, "more events than expected");
    cr_assert_eq(strlen(data), len);
    snprintf(s->event[s->n], sizeof(s->event[0]), "%s", event);
    snprintf(s->id[s->n], sizeof(s->id[0]), "%s", id);
    snprintf(s->data[s->n], sizeof(s->data[0]), "%s", data);
    s->n++;
    return 0;
}

static struct mvc_sse *new_parser(struct seen *s, const char *last_id)
{
    struct mvc_sse *p = malloc(sizeof(*p));
    cr_assert_not_null(p);
    memset(s, 0, sizeof(*s));
    mvc_sse_init(p, record, s, last_id);
    return p;
}

static void feed_str(struct mvc_sse *p, const char *str)
{
    cr_assert_eq(mvc_sse_feed(p, str, strlen(str)), 0);
}

Test(sse, dispatches_event_with_type_id_and_data)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "id: ab:1\nevent: log\ndata: {\"seq\":1}\n\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.event[0], "log");
    cr_assert_str_eq(s.id[0], "ab:1");
    cr_assert_str_eq(s.data[0], "{\"seq\":1}");
    free(p);
}

Test(sse, default_event_type_is_message)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "data:x\n\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.event[0], "message");
    cr_assert_str_eq(s.data[0], "x");
    free(p);
}

Test(sse, multi_line_data_is_joined_with_newlines)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "data: one\ndata:two\ndata\ndata:  four\n\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.data[0], "one\ntwo\n\n four");
    free(p);
}

Test(sse, comments_are_ignored_and_do_not_dispatch)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, ": keepalive\n\n: another\ndata: a\n: inside\n\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.data[0], "a");
    free(p);
}

Test(sse, cr_crlf_and_lf_line_endings_are_equivalent)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "data: a\r\rdata: b\r\n\r\ndata: c\n\n");
    cr_assert_eq(s.n, 3);
    cr_assert_str_eq(s.data[0], "a");
    cr_assert_str_eq(s.data[1], "b");
    cr_assert_str_eq(s.data[2], "c");
    free(p);
}

Test(sse, crlf_split_between_feeds_is_one_line_end)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "data: a\r");
    feed_str(p, "\ndata: b\r");
    feed_str(p, "\n\r");
    feed_str(p, "\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.data[0], "a\nb");
    free(p);
}

Test(sse, event_without_data_is_not_dispatched_but_sets_id)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "id: 7\nevent: log\n\n");
    cr_assert_eq(s.n, 0);
    cr_assert_str_eq(p->last_id, "7");
    feed_str(p, "data: x\n\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.event[0], "message", "the event type must not leak into the next event");
    cr_assert_str_eq(s.id[0], "7");
    free(p);
}

Test(sse, last_event_id_persists_across_events_and_reset)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, "seed:1");
    feed_str(p, "data: a\n\n");
    cr_assert_str_eq(s.id[0], "seed:1");
    feed_str(p, "id: b:2\ndata: b\n\n");
    mvc_sse_reset(p);
    feed_str(p, "data: c\n\n");
    cr_assert_eq(s.n, 3);
    cr_assert_str_eq(s.id[2], "b:2");
    cr_assert_str_eq(p->last_id, "b:2");
    free(p);
}

Test(sse, id_of_an_incomplete_event_is_forgotten_on_reset)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "id: a:1\ndata: one\n\nid: a:2\ndata: tw");
    mvc_sse_reset(p); /* the connection died inside event a:2 */
    cr_assert_str_eq(p->last_id, "a:1");
    feed_str(p, "data: x\n\n");
    cr_assert_eq(s.n, 2);
    cr_assert_str_eq(s.data[1], "x", "a partial event must not survive a reset");
    cr_assert_str_eq(s.id[1], "a:1");
    free(p);
}

Test(sse, empty_id_clears_last_event_id)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, "x");
    feed_str(p, "id\ndata: a\n\n");
    cr_assert_str_eq(s.id[0], "");
    free(p);
}

Test(sse, id_with_nul_is_ignored)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, "keep");
    cr_assert_eq(mvc_sse_feed(p, "id: a\0b\ndata: x\n\n", 18), 0);
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.id[0], "keep");
    free(p);
}

Test(sse, retry_field_accepts_digits_only)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "retry: 1500\n");
    cr_assert_eq(p->retry_ms, 1500);
    feed_str(p, "retry: 12x\n");
    cr_assert_eq(p->retry_ms, 1500);
    free(p);
}

Test(sse, unknown_fields_are_ignored)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "foo: bar\ndata: a\nbaz\n\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.data[0], "a");
    free(p);
}

Test(sse, leading_bom_is_skipped_even_when_split)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    feed_str(p, "\xef\xbb");
    feed_str(p, "\xbf" "data: a\n\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.data[0], "a");
    free(p);
}

Test(sse, over_long_line_drops_the_event_and_parsing_resumes)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    size_t n = MVC_SSE_LINE_MAX + 100;
    char *big = malloc(n + 1);
    cr_assert_not_null(big);
    memcpy(big, "data: ", 6);
    memset(big + 6, 'x', n - 6);
    big[n] = '\0';
    feed_str(p, big);
    feed_str(p, "\ndata: tail\n\ndata: next\n\n");
    cr_assert_eq(s.n, 1, "the truncated event must not be delivered");
    cr_assert_str_eq(s.data[0], "next");
    cr_assert_eq(p->dropped, 1);
    free(big);
    free(p);
}

Test(sse, over_large_event_is_dropped)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    char line[1024 + 8];
    memcpy(line, "data: ", 6);
    memset(line + 6, 'y', 1024);
    line[1030] = '\n';
    line[1031] = '\0';
    for (int i = 0; i < MVC_SSE_DATA_MAX / 1024 + 2; i++)
        feed_str(p, line);
    feed_str(p, "\ndata: ok\n\n");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.data[0], "ok");
    cr_assert_eq(p->dropped, 1);
    free(p);
}

static int stop_cb(void *ctx, const char *e, const char *id, const char *d, size_t len)
{
    (void)e, (void)id, (void)d, (void)len;
    ++*(int *)ctx;
    return 42;
}

Test(sse, non_zero_callback_result_is_returned)
{
    struct mvc_sse *p = malloc(sizeof(*p));
    int calls = 0;
    cr_assert_not_null(p);
    mvc_sse_init(p, stop_cb, &calls, NULL);
    const char *in = "data: a\n\ndata: b\n\n";
    cr_assert_eq(mvc_sse_feed(p, in, strlen(in)), 42);
    cr_assert_eq(calls, 1, "feeding must stop at the first non-zero callback");
    free(p);
}

static const char stream[] = ": keepalive\r\n"
                             "id: 0011223344556677:1\nevent: log\ndata: {\"a\":1}\n\n"
                             "id: 0011223344556677:2\r\nevent: log\r\ndata: l1\r\ndata: l2\r\n\r\n"
                             "data: plain\r\r"
                             "event: log\nid: 0011223344556677:3\ndata:{}\n\n";

static void check_stream(const struct seen *s)
{
    cr_assert_eq(s->n, 4);
    cr_assert_str_eq(s->data[0], "{\"a\":1}");
    cr_assert_str_eq(s->id[0], "0011223344556677:1");
    cr_assert_str_eq(s->data[1], "l1\nl2");
    cr_assert_str_eq(s->id[1], "0011223344556677:2");
    cr_assert_str_eq(s->event[2], "message");
    cr_assert_str_eq(s->id[2], "0011223344556677:2");
    cr_assert_str_eq(s->data[3], "{}");
    cr_assert_str_eq(s->event[3], "log");
    cr_assert_str_eq(s->id[3], "0011223344556677:3");
}

Test(sse, same_events_for_every_split_point)
{
    size_t len = strlen(stream);
    for (size_t cut = 0; cut <= len; cut++) {
        struct seen s;
        struct mvc_sse *p = new_parser(&s, NULL);
        cr_assert_eq(mvc_sse_feed(p, stream, cut), 0);
        cr_assert_eq(mvc_sse_feed(p, stream + cut, len - cut), 0);
        check_stream(&s);
        free(p);
    }
}

Test(sse, same_events_when_fed_byte_by_byte)
{
    struct seen s;
    struct mvc_sse *p = new_parser(&s, NULL);
    for (size_t i = 0; stream[i]; i++)
        cr_assert_eq(mvc_sse_feed(p, stream + i, 1), 0);
    check_stream(&s);
    free(p);
}
