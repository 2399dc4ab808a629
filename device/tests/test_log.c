/* Server logging (sys_log.c, log.c, log_ring.c): records kept until LOG_ACK, resent
 * after reconnect, WELCOME.log_acked_seq honoured, overflow turned into GAP records. */
#include <criterion/criterion.h>
#include <string.h>

#include "fakes.h"
#include "kernel.h"
#include "mvk_limits.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/log.h"

TestSuite(server_log, .init = kt_boot);

static uint8_t *logbuf;

static void init_log(uint32_t size)
{
    logbuf = kt_alloc(size);
    cr_assert_eq(mvServerLoggingInit(logbuf, size), MV_STATUS_OKAY);
}

static enum MvStatus log_str(const char *s)
{
    uint8_t *m = kt_alloc(strlen(s) + 1);

    memcpy(m, s, strlen(s));
    return mvServerLog(m, (uint16_t)strlen(s));
}

/* Decodes a LOG frame into up to 64 records; returns the count. */
static int decode(const struct fake_frame *f, uint64_t *boot, struct mvp_log_rec *recs)
{
    struct mvp_log_iter it;
    uint16_t count;
    int n = 0;

    cr_assert_eq(mvp_log_iter_init(&it, f->payload, f->len, boot, &count), 0);
    while (n < 64 && mvp_log_iter_next(&it, &recs[n]) == 1)
        n++;
    cr_assert_eq(n, count);
    return n;
}

static void ack(uint32_t seq)
{
    uint8_t b[16];
    int n = mvp_log_ack_encode(mvk_session_boot_id(), seq, b, sizeof b);

    kt_inject(MVP_LOG_ACK, 0, b, (uint32_t)n);
}

Test(server_log, unavailable_before_init)
{
    cr_expect_eq(log_str("x"), MV_STATUS_UNAVAILABLE);
}

Test(server_log, init_validation)
{
    uint8_t *b = kt_alloc(8192);

    cr_expect_eq(mvServerLoggingInit(b + 2, 4096), MV_STATUS_INVALIDBUFFERALIGNMENT);
    cr_expect_eq(mvServerLoggingInit(b, 1020), MV_STATUS_INVALIDBUFFERSIZE);
    cr_expect_eq(mvServerLoggingInit(kt_kernel, 4096), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvServerLoggingInit(NULL, 4096), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvServerLoggingInit(b, 4096), MV_STATUS_OKAY);
    cr_expect_eq(mvServerLoggingInit(b, 4096), MV_STATUS_BUFFERALREADYINUSE);
}

/* KORE's MQTT and Azure demos pass 1 KiB, Microvisor's minimum: it must log. */
Test(server_log, one_kib_buffer_logs)
{
    uint64_t boot;
    struct mvp_log_rec r[64];
    uint8_t *big = kt_alloc(1024 - 16 + 1);

    init_log(1024);
    cr_expect_eq(log_str("small buffer"), MV_STATUS_OKAY);
    /* A record that cannot fit even in an empty 1 KiB buffer is "buffer full". */
    cr_expect_eq(mvServerLog(big, 1024 - 16 + 1), MV_STATUS_INVALIDBUFFERSIZE);
    kt_session_up(0, 0);
    cr_assert_not_null(fake_conn_last(MVP_LOG));
    cr_assert_geq(decode(fake_conn_last(MVP_LOG), &boot, r), 1);
    cr_expect_eq(r[0].msg_len, strlen("small buffer"));
    cr_expect_eq(memcmp(r[0].msg, "small buffer", r[0].msg_len), 0);
}

Test(server_log, message_checks)
{
    init_log(4096);
    cr_expect_eq(mvServerLog(kt_kernel, 4), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvServerLog(kt_app, 1025), MV_STATUS_LOGMESSAGETOOLONG);
    cr_expect_eq(mvServerLog(kt_ro, 4), MV_STATUS_OKAY); /* read-only memory is fine */
}

Test(server_log, logging_wants_network_and_sends_when_up)
{
    uint64_t boot;
    struct mvp_log_rec r[64];

    init_log(4096);
    cr_assert_eq(log_str("hello"), MV_STATUS_OKAY);
    cr_expect(fake_conn_wanted());
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 0);
    kt_session_up(0, 0);
    cr_assert_eq(fake_conn_count_type(MVP_LOG), 1);
    cr_assert_eq(decode(fake_conn_last(MVP_LOG), &boot, r), 1);
    cr_expect_eq(boot, mvk_session_boot_id());
    cr_expect_eq(r[0].seq, 1u);
    cr_expect_eq(r[0].msg_len, 5);
    cr_expect_eq(memcmp(r[0].msg, "hello", 5), 0);
    cr_expect_eq(mvk_session_log_next_seq(), 2u);
}

Test(server_log, records_are_resent_after_reconnect_until_acked)
{
    uint64_t boot;
    struct mvp_log_rec r[64];

    init_log(4096);
    kt_session_up(0, 0);
    log_str("a");
    log_str("b");
    log_str("c");
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 3);
    ack(1);
    kt_session_down();
    fake_conn_clear();
    kt_session_up(0, 0);
    cr_assert_eq(fake_conn_count_type(MVP_LOG), 1);
    cr_assert_eq(decode(fake_conn_last(MVP_LOG), &boot, r), 2);
    cr_expect_eq(r[0].seq, 2u);
    cr_expect_eq(r[1].seq, 3u);
    ack(3);
    cr_expect(fake_conn_wanted(), "the session lingers after the buffer drained");
}

Test(server_log, session_lingers_after_the_buffer_drains)
{
    init_log(4096);
    fake_port_set_now(1000);
    kt_session_up(0, 0);
    log_str("a");
    ack(1);
    fake_port_set_now(1000 + MVK_LOG_NET_LINGER_US - 1);
    mvk_kernel_poll(0);
    cr_expect(fake_conn_wanted(), "still within the linger time");
    log_str("b"); /* a new record restarts the linger time */
    ack(2);
    fake_port_set_now(1000 + 2 * MVK_LOG_NET_LINGER_US - 2);
    mvk_kernel_poll(0);
    cr_expect(fake_conn_wanted());
    fake_port_set_now(1000 + 2 * MVK_LOG_NET_LINGER_US);
    mvk_kernel_poll(0);
    cr_expect_not(fake_conn_wanted(), "dropped once the linger time passed");
}

Test(server_log, welcome_acked_seq_drops_stored_records)
{
    uint64_t boot;
    struct mvp_log_rec r[64];

    init_log(4096);
    log_str("a");
    log_str("b");
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 1);
    cr_assert_eq(decode(fake_conn_last(MVP_LOG), &boot, r), 1);
    cr_expect_eq(r[0].seq, 2u);
}

Test(server_log, overflow_is_refused_then_reported_as_gap)
{
    uint64_t boot;
    struct mvp_log_rec r[64];
    static char msg[1001];
    int ok = 0, refused = 0;

    memset(msg, 'm', 1000);
    init_log(4096);
    for (int i = 0; i < 6; i++) {
        enum MvStatus st = log_str(msg);
        ok += st == MV_STATUS_OKAY;
        refused += st == MV_STATUS_INVALIDBUFFERSIZE;
    }
    cr_assert_eq(ok, 4);
    cr_assert_eq(refused, 2);
    kt_session_up(0, 0); /* the gap is recorded as soon as it fits, after the 4 */
    cr_assert_eq(decode(fake_conn_last(MVP_LOG), &boot, r), 5);
    cr_expect_eq(r[4].kind, MVP_LOG_KIND_GAP);
    cr_expect_eq(r[4].dropped, 2u);
    cr_expect_eq(r[4].seq, 5u);
    ack(5);
    cr_assert_eq(log_str("after"), MV_STATUS_OKAY);
    cr_assert_eq(decode(fake_conn_last(MVP_LOG), &boot, r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_MSG);
    cr_expect_eq(r[0].seq, 6u);
}

Test(server_log, ack_for_other_boot_is_ignored)
{
    uint8_t b[16];
    int n = mvp_log_ack_encode(mvk_session_boot_id() + 1, 1, b, sizeof b);

    init_log(4096);
    kt_session_up(0, 0);
    log_str("a");
    kt_inject(MVP_LOG_ACK, 0, b, (uint32_t)n);
    cr_expect(fake_conn_wanted());
}

Test(server_log, logging_disabled_by_server)
{
    init_log(4096);
    kt_session_up(MVP_WELCOME_LOGGING_DISABLED, 0);
    cr_expect_eq(log_str("a"), MV_STATUS_LOGGINGDISABLEDBYSERVER);
}

Test(server_log, damaged_buffer_is_cut_and_counted)
{
    uint64_t boot;
    struct mvp_log_rec r[64];

    init_log(4096);
    log_str("a");
    log_str("b");
    logbuf[16 + 4] = 9; /* second record's kind byte: garbage */
    kt_session_up(0, 0);
    cr_assert_eq(decode(fake_conn_last(MVP_LOG), &boot, r), 2);
    cr_expect_eq(r[0].seq, 1u);
    cr_expect_eq(r[1].kind, MVP_LOG_KIND_GAP);
}
