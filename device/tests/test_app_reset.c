/* mvk_kernel_app_reset (app_reset.c): an application restart forgets the application's
 * handles, buffers, channels (closed towards the relay), requests and fast interrupts,
 * keeps boot id, session and log sequence, and reports the unacknowledged log records
 * lost with the old buffer as GAP records: those never sent at once in the next buffer,
 * those sent but unacknowledged once the relay's LOG_ACK or the next WELCOME settles
 * them, with the exact count of the ones it did not store. */
#include <criterion/criterion.h>
#include <string.h>

#include "fakes.h"
#include "kernel.h"
#include "mvk_limits.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/log.h"

static MvNotificationHandle nh;
static MvNetworkHandle net;

static void boot_with_network(void)
{
    kt_boot();
    nh = kt_notify(9, NULL);
    net = kt_network(nh);
    fake_conn_clear();
}

TestSuite(app_reset, .init = boot_with_network);

/* A copy of an API handle in app memory, as the close calls want it. */
static void *in_app(const void *h, size_t n)
{
    void *p = kt_alloc(n);

    memcpy(p, h, n);
    return p;
}

static void init_log(uint8_t *buf)
{
    cr_assert_eq(mvServerLoggingInit(buf, 4096), MV_STATUS_OKAY);
}

static void log_str(const char *s)
{
    uint8_t *m = kt_alloc(strlen(s) + 1);

    memcpy(m, s, strlen(s));
    cr_assert_eq(mvServerLog(m, (uint16_t)strlen(s)), MV_STATUS_OKAY);
}

static void ack(uint32_t seq)
{
    uint8_t b[16];
    int n = mvp_log_ack_encode(mvk_session_boot_id(), seq, b, sizeof b);

    kt_inject(MVP_LOG_ACK, 0, b, (uint32_t)n);
}

/* Records of the last LOG frame (at most 8); returns the count. */
static int last_log(struct mvp_log_rec *recs)
{
    const struct fake_frame *f = fake_conn_last(MVP_LOG);
    struct mvp_log_iter it;
    uint64_t boot;
    uint16_t count;
    int n = 0;

    cr_assert_not_null(f);
    cr_assert_eq(mvp_log_iter_init(&it, f->payload, f->len, &boot, &count), 0);
    cr_assert_eq(boot, mvk_session_boot_id());
    while (n < 8 && mvp_log_iter_next(&it, &recs[n]) == 1)
        n++;
    return n;
}

/* GAP records in every LOG frame since the last fake_conn_clear: how many, their total
 * dropped count, and the seq of the last one. */
static int gaps_sent(uint32_t *dropped, uint32_t *seq)
{
    int n = 0;

    *dropped = 0;
    *seq = 0;
    for (int i = 0; i < fake_conn_count(); i++) {
        const struct fake_frame *f = fake_conn_frame(i);
        struct mvp_log_iter it;
        struct mvp_log_rec r;
        uint64_t boot;
        uint16_t count;

        if (f->type != MVP_LOG)
            continue;
        cr_assert_eq(mvp_log_iter_init(&it, f->payload, f->len, &boot, &count), 0);
        while (mvp_log_iter_next(&it, &r) == 1) {
            if (r.kind != MVP_LOG_KIND_GAP)
                continue;
            n++;
            *dropped += r.dropped;
            *seq = r.seq;
        }
    }
    return n;
}

static void log_n(int n)
{
    for (int i = 0; i < n; i++)
        log_str("m");
}

/* Six 1000-byte messages (1016 bytes as records); returns how many were refused. */
static int log_big(void)
{
    static char big[1000];
    int refused = 0;

    memset(big, 'x', sizeof big);
    for (int i = 0; i < 6; i++) {
        uint8_t *m = kt_alloc(sizeof big);
        memcpy(m, big, sizeof big);
        refused += mvServerLog(m, sizeof big) == MV_STATUS_INVALIDBUFFERSIZE;
    }
    return refused;
}

/* Into a fresh 4 KiB buffer: 4 stored, 2 refused. */
static void log_six_big(void)
{
    cr_assert_eq(log_big(), 2);
}

Test(app_reset, handles_are_invalid_and_buffers_free_afterwards)
{
    struct MvOpenSystemNotificationParams *sp = kt_alloc(sizeof *sp);
    MvSystemEventHandle *se = kt_alloc(sizeof *se);
    struct MvNotificationSetup *ns = kt_alloc(sizeof *ns);
    MvNotificationHandle *nh2 = kt_alloc(sizeof *nh2);
    uint8_t *logbuf = kt_alloc(4096);
    MvChannelHandle ch;

    *sp = (struct MvOpenSystemNotificationParams){nh, 1, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK};
    cr_assert_eq(mvOpenSystemNotification(sp, se), MV_STATUS_OKAY);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &ch), MV_STATUS_OKAY);
    cr_assert_eq(mvSetFastInterrupt(20), MV_STATUS_OKAY);
    cr_assert_eq(mvEnableFastInterrupt(20), MV_STATUS_OKAY);
    cr_assert(fake_port_irq_live(20));
    init_log(logbuf);

    mvk_kernel_app_reset();

    cr_expect_eq(mvCloseNotifications(in_app(&nh, sizeof nh)), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvReleaseNetwork(in_app(&net, sizeof net)), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvCloseChannel(in_app(&ch, sizeof ch)), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvCloseSystemNotification(in_app(se, sizeof *se)), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvClearFastInterrupt(20), MV_STATUS_INVALIDINTERRUPT);
    /* ...and the port made it an ordinary, disabled IRQ again. */
    cr_expect(!fake_port_irq_fast(20) && !fake_port_irq_live(20));
    /* The restarted app may hand the same memory over again. */
    cr_expect_eq(mvServerLoggingInit(logbuf, 4096), MV_STATUS_OKAY);
    *ns = (struct MvNotificationSetup){9, kt_alloc(256), 256};
    cr_expect_eq(mvSetupNotifications(ns, nh2), MV_STATUS_OKAY);
    /* The fast interrupt setting is gone: IRQ 20 may now be a notification IRQ. */
    ns->irq = 20;
    ns->buffer = kt_alloc(256);
    cr_expect_eq(mvSetupNotifications(ns, kt_alloc(sizeof *nh2)), MV_STATUS_OKAY);
}

Test(app_reset, network_requests_are_released)
{
    enum MvNetworkReason *reasons = kt_alloc(sizeof *reasons);
    uint32_t *refs = kt_alloc(sizeof *refs);

    mvk_kernel_app_reset();
    cr_assert_eq(mvGetNetworkReasons(reasons, refs), MV_STATUS_OKAY);
    cr_expect_eq(*refs, 0u);
    cr_expect_eq(*reasons & MV_NETWORKREASON_USINGNETWORK, 0u);
}

Test(app_reset, open_channels_are_closed_towards_the_relay)
{
    MvChannelHandle a, b, pending;
    const struct fake_frame *f;
    uint16_t ida, idb;

    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &a), MV_STATUS_OKAY);
    ida = fake_conn_last(MVP_OPEN)->chan;
    kt_inject_u32(MVP_OPEN_OK, ida, 1024);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &b), MV_STATUS_OKAY);
    idb = fake_conn_last(MVP_OPEN)->chan; /* still OPENING: the relay knows its id */
    fake_conn_set_space(0);               /* the third OPEN cannot go out */
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &pending),
                 MV_STATUS_OKAY);
    fake_conn_set_space(UINT32_MAX);
    fake_conn_clear();

    mvk_kernel_app_reset();

    cr_assert_eq(fake_conn_count_type(MVP_CLOSE), 2);
    cr_expect_eq(fake_conn_count_type(MVP_OPEN), 0); /* the unsent OPEN is dropped */
    for (int i = 0; i < fake_conn_count(); i++) {
        f = fake_conn_frame(i);
        if (f->type != MVP_CLOSE)
            continue;
        cr_expect(f->chan == ida || f->chan == idb);
        cr_assert_eq(f->len, 4u);
        cr_expect_eq(kt_be32(f->payload), (uint32_t)MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED);
    }
}

Test(app_reset, boot_id_and_session_are_kept)
{
    uint64_t boot = mvk_session_boot_id();

    cr_assert_eq(fake_conn_init_count(), 1);
    cr_assert(fake_conn_wanted());
    mvk_kernel_app_reset();
    cr_expect_eq(mvk_session_boot_id(), boot);
    cr_expect_eq(fake_conn_init_count(), 1);
    /* Held for the restarted app, then let go if it does not ask again. */
    cr_expect(fake_conn_wanted());
    cr_expect_lt(mvk_kernel_next_deadline_us(), UINT64_MAX);
    fake_port_advance(MVK_APP_RESET_NET_HOLD_US - 1);
    mvk_kernel_poll(0);
    cr_expect(fake_conn_wanted());
    fake_port_advance(1);
    mvk_kernel_poll(0);
    cr_expect_not(fake_conn_wanted());
    cr_expect_eq(mvk_kernel_next_deadline_us(), UINT64_MAX);
}

Test(app_reset, reset_without_network_does_not_want_it)
{
    kt_boot();
    mvk_kernel_app_reset();
    cr_expect_not(fake_conn_wanted());
    cr_expect_eq(mvk_kernel_next_deadline_us(), UINT64_MAX);
}

/* (a) Records never handed to conn are certainly lost: their GAP comes at once, and
 * counts only them (the sent ones wait for the relay's word). */
Test(app_reset, unsent_records_become_an_immediate_exact_gap)
{
    struct mvp_log_rec r[8];
    uint32_t dropped, seq;
    uint64_t boot = mvk_session_boot_id();

    init_log(kt_alloc(4096));
    log_n(2);          /* 1, 2: sent, unacknowledged */
    fake_conn_set_space(0);
    log_n(3);          /* 3..5: still only in the app's buffer */
    mvk_kernel_app_reset();
    fake_conn_set_space(UINT32_MAX);
    cr_expect_eq(mvk_session_log_next_seq(), 6u);
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_assert_eq(last_log(r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_GAP);
    cr_expect_eq(r[0].dropped, 3u);
    cr_expect_eq(r[0].seq, 6u);
    ack(2); /* the sent ones were stored: no second GAP */
    log_str("d");
    cr_assert_eq(last_log(r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_MSG);
    cr_expect_eq(r[0].seq, 7u);
    cr_expect_eq(gaps_sent(&dropped, &seq), 1);
    cr_expect_eq(mvk_session_boot_id(), boot);
}

/* (b) Sent records acknowledged after the restarted app set up logging again: the GAP
 * the old code wrote at mvServerLoggingInit would have over-counted them. */
Test(app_reset, sent_records_acked_after_reinit_give_no_gap)
{
    struct mvp_log_rec r[8];
    uint32_t dropped, seq;

    init_log(kt_alloc(4096));
    log_n(5);
    mvk_kernel_app_reset();
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 0);
    ack(3);
    ack(5);
    log_str("n");
    cr_assert_eq(last_log(r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_MSG);
    cr_expect_eq(r[0].seq, 6u);
    /* Settled: a later session drop adds nothing. */
    kt_session_down();
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 5);
    cr_expect_eq(gaps_sent(&dropped, &seq), 0);
}

/* (c) An ack below the highest pending seq is subtracted; the session then drops and
 * the WELCOME settles the rest: a second GAP with exactly the remainder. */
Test(app_reset, partially_acked_records_settle_to_the_exact_remainder)
{
    uint32_t dropped, seq;

    init_log(kt_alloc(4096));
    log_n(6);
    ack(1);
    mvk_kernel_app_reset(); /* pending: 2..6 */
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 0);
    ack(3);                 /* pending: 4..6 */
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 0);
    log_str("n");           /* seq 7, sent but not acknowledged */
    kt_session_down();
    fake_conn_clear();
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 4); /* 5 and 6 were never stored */
    cr_assert_eq(gaps_sent(&dropped, &seq), 1);
    cr_expect_eq(dropped, 2u);
    cr_expect_eq(seq, 8u);
}

/* A cumulative LOG_ACK covering the highest pending seq settles all of them. */
Test(app_reset, an_ack_covering_the_pending_records_settles_them)
{
    uint32_t dropped, seq;

    init_log(kt_alloc(4096));
    log_n(4);
    mvk_kernel_app_reset();
    fake_conn_clear();
    init_log(kt_alloc(4096));
    log_str("n"); /* seq 5 */
    ack(5);
    kt_session_down();
    kt_session_up(0, 0); /* nothing pending any more: nothing to count */
    cr_expect_eq(gaps_sent(&dropped, &seq), 0);
}

/* (d) The session drops before any acknowledgement: the next WELCOME's log_acked_seq
 * says which pending records the relay stored. */
Test(app_reset, session_drop_then_welcome_settles_exactly)
{
    uint32_t dropped, seq;

    init_log(kt_alloc(4096));
    log_n(4);
    mvk_kernel_app_reset();
    kt_session_down();
    fake_conn_clear();
    init_log(kt_alloc(4096));
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 2);
    cr_assert_eq(gaps_sent(&dropped, &seq), 1);
    cr_expect_eq(dropped, 2u);
    cr_expect_eq(seq, 5u);
}

/* Settled before the restarted app sets up logging: the GAP waits for its buffer. */
Test(app_reset, settled_before_reinit_gap_comes_with_the_new_buffer)
{
    struct mvp_log_rec r[8];

    init_log(kt_alloc(4096));
    log_n(4);
    mvk_kernel_app_reset();
    kt_session_down();
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 1);
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_assert_eq(last_log(r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_GAP);
    cr_expect_eq(r[0].dropped, 3u);
    cr_expect_eq(r[0].seq, 5u);
}

/* A WELCOME without a valid log_acked_seq: the relay stored nothing of this boot. */
Test(app_reset, welcome_without_acked_seq_counts_every_pending_record)
{
    uint32_t dropped, seq;

    init_log(kt_alloc(4096));
    log_n(3);
    mvk_kernel_app_reset();
    kt_session_down();
    fake_conn_clear();
    init_log(kt_alloc(4096));
    kt_session_up(0, 0);
    cr_assert_eq(gaps_sent(&dropped, &seq), 1);
    cr_expect_eq(dropped, 3u);
    cr_expect_eq(seq, 4u);
}

Test(app_reset, welcome_acked_seq_counts_as_acknowledgement)
{
    struct mvp_log_rec r[8];

    init_log(kt_alloc(4096));
    log_n(4);
    kt_session_down();
    mvk_kernel_app_reset();
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 4);
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 0);
    log_str("n");
    cr_assert_eq(last_log(r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_MSG);
    cr_expect_eq(r[0].seq, 5u);
}

Test(app_reset, nothing_counted_when_all_were_acked)
{
    struct mvp_log_rec r[8];

    init_log(kt_alloc(4096));
    log_str("a");
    log_str("b");
    ack(2);
    mvk_kernel_app_reset();
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 0);
    log_str("c");
    cr_assert_eq(last_log(r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_MSG);
    cr_expect_eq(r[0].seq, 3u);
}

/* Nothing was sent (session down throughout): all four records and the two refused
 * messages are certainly lost. */
Test(app_reset, lost_records_and_pending_drops_are_counted_at_once)
{
    struct mvp_log_rec r[8];

    kt_session_down();
    init_log(kt_alloc(4096));
    log_six_big();
    mvk_kernel_app_reset();
    mvk_kernel_app_reset(); /* a second fault before the app re-inits: nothing doubles */
    init_log(kt_alloc(4096));
    kt_session_up(0, 0);
    cr_assert_eq(last_log(r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_GAP);
    cr_expect_eq(r[0].dropped, 6u);
    cr_expect_eq(r[0].seq, 5u);
}

/* (e) A GAP record lost unsent counts its messages in the immediate GAP. */
Test(app_reset, an_unsent_lost_gap_record_counts_its_messages_at_once)
{
    struct mvp_log_rec r[8];
    uint32_t dropped, seq;

    init_log(kt_alloc(4096));
    log_str("a");
    log_str("b");                /* 1, 2: sent */
    fake_conn_set_space(0);
    cr_assert_eq(log_big(), 3);  /* 3..5 stored (unsent), 3 refused: no room for a GAP */
    ack(1);                      /* room: GAP{3} becomes seq 6, not sent */
    mvk_kernel_app_reset();      /* pending: 2; certainly lost: 3..5 and GAP 6 */
    fake_conn_set_space(UINT32_MAX);
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_assert_eq(last_log(r), 1);
    cr_expect_eq(r[0].kind, MVP_LOG_KIND_GAP);
    cr_expect_eq(r[0].dropped, 6u);
    cr_expect_eq(r[0].seq, 7u);
    ack(2);
    kt_session_down();
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 7);
    cr_expect_eq(gaps_sent(&dropped, &seq), 1);
}

/* (e) A GAP record lost after being sent counts its messages when settled. */
Test(app_reset, a_sent_lost_gap_record_counts_its_messages_when_settled)
{
    uint32_t dropped, seq;

    kt_session_down();
    init_log(kt_alloc(4096));
    log_six_big();
    kt_session_up(0, 0); /* records 1..4 sent, then GAP{2} as seq 5 */
    ack(3);
    mvk_kernel_app_reset(); /* pending: MSG 4 and GAP 5 standing for 2 messages */
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 0);
    kt_session_down();
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 3);
    cr_assert_eq(gaps_sent(&dropped, &seq), 1);
    cr_expect_eq(dropped, 3u);
    cr_expect_eq(seq, 6u);
}

Test(app_reset, a_lost_gap_record_acked_later_is_not_counted)
{
    uint32_t dropped, seq;

    kt_session_down();
    init_log(kt_alloc(4096));
    log_six_big();
    kt_session_up(0, 0); /* records 1..4 and GAP{2} as seq 5, all in flight */
    mvk_kernel_app_reset();
    ack(5);
    fake_conn_clear();
    init_log(kt_alloc(4096));
    cr_expect_eq(fake_conn_count_type(MVP_LOG), 0);
    cr_expect_eq(mvk_session_log_next_seq(), 6u);
    kt_session_down();
    kt_session_up(MVP_WELCOME_LOG_ACKED_VALID, 5);
    cr_expect_eq(gaps_sent(&dropped, &seq), 0);
}
