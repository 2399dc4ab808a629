/* The kernel's update channel and state machine (update_chan.c, update.c) against the
 * fake conn and an in-memory update port: the channel is the kernel's own (type
 * MVP_CHAN_UPDATE, first id of the session), an offer is fetched from the staged offset,
 * chunks are staged and credit returned, a verified bundle notifies the app and a refused
 * one does not, a chunk out of order closes the channel, a download resumes after a
 * reconnect, mvRestart applies, and a trial app that faults too often is rolled back. */
#include <criterion/criterion.h>
#include <string.h>

#include "fake_update.h"
#include "clock.h"
#include "fakes.h"
#include "net.h"
#include "mvp/ctrl.h"
#include "mvp/msg.h"
#include "mvp/wire.h"

#define IMG_LEN 200000u /* beyond half of MVK_UPD_WINDOW: credit comes back */
static uint8_t bundle[FAKE_UPD_STAGE];
static uint32_t bundle_len;
static const char *APP = "AP0123";

static void setup(void)
{
    kt_boot();
    fake_upd_reset();
    mvk_update_set_trial_us(MVK_UPD_TRIAL_US);
    mvk_update_attach(fake_upd_port(fake_upd_pem[0]), NULL);
}

TestSuite(update_chan, .init = setup);

/* The typed message in DATA frame f: its type, body in *body. */
static uint8_t msg_of(const struct fake_frame *f, const uint8_t **body, uint32_t *len)
{
    struct mvp_hdr h;
    cr_assert_not_null(f);
    cr_assert_eq(f->type, MVP_DATA);
    cr_assert_eq(mvp_hdr_decode(f->payload, &h, MVP_MAX_MSG_PAYLOAD), 0);
    cr_assert_eq(h.len + 8, f->len);
    *body = f->payload + 8;
    *len = h.len;
    return h.type;
}

/* The last update message of type sent by the kernel (NULL body if none). */
static int last_msg(uint8_t type, const uint8_t **body, uint32_t *len)
{
    for (int i = fake_conn_count() - 1; i >= 0; i--) {
        const struct fake_frame *f = fake_conn_frame(i);
        if (f->type == MVP_DATA && f->chan == 1 && msg_of(f, body, len) == type)
            return 1;
    }
    return 0;
}

static void send_msg(uint8_t type, const uint8_t *body, int len)
{
    uint8_t buf[MVP_UPD_MAX_CHUNK + 64];
    cr_assert_geq(len, 0);
    int n = mvp_msg_encode(type, body, (uint32_t)len, buf, sizeof buf);
    cr_assert_gt(n, 0);
    kt_inject(MVP_DATA, 1, buf, (uint32_t)n);
}

static void offer(uint32_t size, const char *id)
{
    uint8_t b[128];
    struct mvp_upd_offer o = {size, (const uint8_t *)id, (uint16_t)strlen(id)};
    send_msg(MVP_MSG_UPD_OFFER, b, mvp_upd_offer_encode(&o, b, sizeof b));
}

static void chunk(uint32_t off, uint32_t n)
{
    uint8_t b[MVP_UPD_MAX_CHUNK + 16];
    struct mvp_upd_chunk c = {off, bundle + off, n};
    send_msg(MVP_MSG_UPD_CHUNK, b, mvp_upd_chunk_encode(&c, b, sizeof b));
}

/* Session up and the update channel open (OPEN_OK); returns nothing, checks the OPEN. */
static void open_update_channel(void)
{
    kt_session_up(0, 0);
    const struct fake_frame *o = fake_conn_last(MVP_OPEN);
    struct mvp_open m;
    cr_assert_not_null(o, "the kernel opened no update channel");
    cr_assert_eq(o->chan, 1);
    cr_assert_eq(mvp_open_decode(o->payload, o->len, &m), 0);
    cr_assert_eq(m.chan_type, MVP_CHAN_UPDATE);
    cr_assert_eq(m.window, MVK_UPD_WINDOW);
    kt_inject_u32(MVP_OPEN_OK, 1, 65536);
}

static struct mvp_upd_status last_status(void)
{
    const uint8_t *b;
    uint32_t n;
    struct mvp_upd_status s;
    cr_assert(last_msg(MVP_MSG_UPD_STATUS, &b, &n), "no UPD_STATUS sent");
    cr_assert_eq(mvp_upd_status_decode(b, n, &s), 0);
    return s;
}

static void download(uint32_t from)
{
    for (uint32_t off = from; off < bundle_len; off += MVP_UPD_MAX_CHUNK)
        chunk(off, bundle_len - off < MVP_UPD_MAX_CHUNK ? bundle_len - off : MVP_UPD_MAX_CHUNK);
    mvk_update_poll(mvk_clock_now_us()); /* the kernel loop's turn: verification */
}

Test(update_chan, the_update_channel_is_the_kernels_own)
{
    MvNotificationHandle nh = kt_notify(3, NULL);
    MvNetworkHandle net = kt_network(nh);
    MvChannelHandle ch;
    /* kt_network brought the session up: the kernel's channel took id 1. */
    cr_assert_eq(fake_conn_last(MVP_OPEN)->chan, 1);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_HTTP, 1024, 256, &ch), MV_STATUS_OKAY);
    cr_assert_eq(fake_conn_last(MVP_OPEN)->chan, 2, "ids are shared and increasing");
    /* The app cannot ask for the update channel's type. */
    cr_assert_eq(kt_open(nh, net, (enum MvChannelType)MVP_CHAN_UPDATE, 1024, 256, &ch),
                 MV_STATUS_UNKNOWNCHANNELTYPE);
}

Test(update_chan, an_offer_is_downloaded_verified_and_the_app_told)
{
    struct MvNotification *ring;
    MvNotificationHandle nh = kt_notify(4, &ring);
    struct MvOpenSystemNotificationParams *p = kt_alloc(sizeof *p);
    MvSystemEventHandle *h = kt_alloc(sizeof *h);
    *p = (struct MvOpenSystemNotificationParams){nh, 9, MV_SYSTEMNOTIFICATIONSOURCE_UPDATE};
    cr_assert_eq(mvOpenSystemNotification(p, h), MV_STATUS_OKAY);
    bundle_len = fake_upd_bundle(bundle, sizeof bundle, MVP_PORT_HOST, 0, IMG_LEN);

    open_update_channel();
    cr_assert_eq(last_status().state, MVP_UPD_IDLE);
    offer(bundle_len, APP);
    cr_assert_eq(last_status().state, MVP_UPD_DOWNLOADING);
    const uint8_t *b;
    uint32_t n;
    struct mvp_upd_fetch f;
    cr_assert(last_msg(MVP_MSG_UPD_FETCH, &b, &n));
    cr_assert_eq(mvp_upd_fetch_decode(b, n, &f), 0);
    cr_assert_eq(f.offset, 0);
    uint32_t reasons = 0, count = 0;
    cr_assert_eq(mvk_impl_get_network_reasons(&reasons, &count), MV_STATUS_OKAY);
    cr_assert(reasons & MV_NETWORKREASON_FETCHINGUPDATE);
    cr_assert_eq(ring[0].event_type, MV_EVENTTYPE_NOEVENT, "told before the download");
    download(0);
    cr_assert_eq(memcmp(fake_upd.stage, bundle, bundle_len), 0);
    struct mvp_upd_status s = last_status();
    cr_assert_eq(s.state, MVP_UPD_DOWNLOADED, "state %u", s.state);
    cr_assert_eq(ring[0].event_type, MV_EVENTTYPE_UPDATEDOWNLOADED);
    cr_assert_eq(ring[0].tag, 9u);
    /* Credit came back as the chunks were staged. */
    cr_assert_geq(fake_conn_count_type(MVP_WINDOW), 1);
    /* mvRestart applies it (the fake port cannot restart, so the kernel reports it). */
    cr_assert_eq(mvRestart(MV_RESTARTMODE_AUTOAPPLYUPDATE), MV_STATUS_INTERNALERROR);
    cr_assert_eq(fake_upd.applies, 1);
    cr_assert_eq(fake_upd.apply_len, IMG_LEN);
    cr_assert_eq(fake_upd.apply_off + IMG_LEN + MVP_BUNDLE_SIG_LEN, bundle_len);
}

/* The statuses sent on the update channel, in order (at most cap). */
static int statuses(struct mvp_upd_status *out, int cap)
{
    int k = 0;
    for (int i = 0; i < fake_conn_count() && k < cap; i++) {
        const struct fake_frame *f = fake_conn_frame(i);
        const uint8_t *b;
        uint32_t n;
        if (f->type == MVP_DATA && f->chan == 1 && msg_of(f, &b, &n) == MVP_MSG_UPD_STATUS) {
            cr_assert_eq(mvp_upd_status_decode(b, n, &out[k]), 0);
            k++;
        }
    }
    return k;
}

Test(update_chan, the_end_of_the_transfer_is_reported_before_the_verification)
{
    struct mvp_upd_status s[16];
    bundle_len = fake_upd_bundle(bundle, sizeof bundle, MVP_PORT_HOST, 0, IMG_LEN);
    open_update_channel();
    offer(bundle_len, APP);
    download(0);
    int n = statuses(s, 16);
    cr_assert_geq(n, 3);
    cr_assert_eq(s[n - 1].state, MVP_UPD_DOWNLOADED);
    cr_assert_eq(s[n - 2].state, MVP_UPD_DOWNLOADING, "state %u", s[n - 2].state);
    cr_assert_eq(s[n - 2].offset, bundle_len, "all staged: offset %u", s[n - 2].offset);
}

Test(update_chan, a_refused_bundle_is_reported_and_the_app_not_told)
{
    struct MvNotification *ring;
    MvNotificationHandle nh = kt_notify(4, &ring);
    struct MvOpenSystemNotificationParams *p = kt_alloc(sizeof *p);
    MvSystemEventHandle *h = kt_alloc(sizeof *h);
    *p = (struct MvOpenSystemNotificationParams){nh, 9, MV_SYSTEMNOTIFICATIONSOURCE_UPDATE};
    cr_assert_eq(mvOpenSystemNotification(p, h), MV_STATUS_OKAY);
    bundle_len = fake_upd_bundle(bundle, sizeof bundle, MVP_PORT_HOST, 1, IMG_LEN);
    open_update_channel();
    offer(bundle_len, APP);
    download(0);
    struct mvp_upd_status s = last_status();
    cr_assert_eq(s.state, MVP_UPD_FAILED);
    char why[MVP_UPD_MAX_REASON + 1] = "";
    memcpy(why, s.reason, s.reason_len);
    cr_assert(strstr(why, "bad signature"), "reason '%s'", why);
    cr_assert_eq(ring[0].event_type, MV_EVENTTYPE_NOEVENT);
    cr_assert_eq(mvRestart(MV_RESTARTMODE_AUTOAPPLYUPDATE), MV_STATUS_UNAVAILABLE);
    cr_assert_eq(fake_upd.applies, 0);
    /* The same bundle offered again is not fetched again. */
    int fetches = 0;
    for (int i = 0; i < fake_conn_count(); i++) {
        const uint8_t *b;
        uint32_t n;
        const struct fake_frame *f = fake_conn_frame(i);
        fetches += f->type == MVP_DATA && msg_of(f, &b, &n) == MVP_MSG_UPD_FETCH;
    }
    offer(bundle_len, APP);
    int after = 0;
    for (int i = 0; i < fake_conn_count(); i++) {
        const uint8_t *b;
        uint32_t n;
        const struct fake_frame *f = fake_conn_frame(i);
        after += f->type == MVP_DATA && msg_of(f, &b, &n) == MVP_MSG_UPD_FETCH;
    }
    cr_assert_eq(after, fetches);
}

Test(update_chan, a_chunk_out_of_order_closes_the_channel)
{
    bundle_len = fake_upd_bundle(bundle, sizeof bundle, MVP_PORT_HOST, 0, IMG_LEN);
    open_update_channel();
    offer(bundle_len, APP);
    chunk(0, 1000);
    chunk(2000, 1000); /* skips 1000..2000 */
    const struct fake_frame *c = fake_conn_last(MVP_CLOSE);
    cr_assert_not_null(c);
    cr_assert_eq(c->chan, 1);
    cr_assert_eq(fake_upd.stage_end, 1000, "the out-of-order chunk was staged");
}

Test(update_chan, a_download_resumes_at_the_staged_offset_after_a_reconnect)
{
    bundle_len = fake_upd_bundle(bundle, sizeof bundle, MVP_PORT_HOST, 0, IMG_LEN);
    open_update_channel();
    offer(bundle_len, APP);
    chunk(0, MVP_UPD_MAX_CHUNK);
    kt_session_down();
    fake_conn_clear();
    open_update_channel();
    struct mvp_upd_status s = last_status();
    cr_assert_eq(s.state, MVP_UPD_DOWNLOADING);
    cr_assert_eq(s.offset, MVP_UPD_MAX_CHUNK);
    offer(bundle_len, APP);
    const uint8_t *b;
    uint32_t n;
    struct mvp_upd_fetch f;
    cr_assert(last_msg(MVP_MSG_UPD_FETCH, &b, &n));
    cr_assert_eq(mvp_upd_fetch_decode(b, n, &f), 0);
    cr_assert_eq(f.offset, MVP_UPD_MAX_CHUNK, "restarted instead of resumed");
    download(MVP_UPD_MAX_CHUNK);
    cr_assert_eq(last_status().state, MVP_UPD_DOWNLOADED);
}

Test(update_chan, a_trial_app_that_keeps_faulting_is_rolled_back)
{
    struct mvk_upd_state st = {.magic = MVK_UPD_STATE_MAGIC, .state = MVP_UPD_DOWNLOADED,
                               .trial = 1};
    strcpy(st.app_id, "AP-new");
    strcpy(st.running, "AP-new");
    strcpy(st.prev, "AP-old");
    mvk_update_attach(fake_upd_port(fake_upd_pem[0]), &st); /* first start */
    cr_assert(mvk_update_just_applied());
    cr_assert_eq(fake_upd.saved.tries, 1);
    for (uint32_t i = 1; i < MVK_UPD_TRIAL_TRIES; i++)
        mvk_update_note_app_fault();
    cr_assert_eq(fake_upd.rollbacks, 0, "rolled back before the last try");
    mvk_update_note_app_fault();
    cr_assert_eq(fake_upd.rollbacks, 1);
    cr_assert_eq(fake_upd.saved.state, MVP_UPD_ROLLEDBACK);
    cr_assert_str_eq(fake_upd.saved.app_id, "AP-new");
    cr_assert_str_eq(fake_upd.saved.running, "AP-old");
    cr_assert_eq(fake_upd.saved.trial, 0);
}

Test(update_chan, a_trial_app_that_reaches_the_network_is_applied)
{
    struct mvk_upd_state st = {.magic = MVK_UPD_STATE_MAGIC, .state = MVP_UPD_DOWNLOADED,
                               .trial = 1};
    strcpy(st.app_id, "AP-new");
    strcpy(st.running, "AP-new");
    mvk_update_attach(fake_upd_port(fake_upd_pem[0]), &st);
    enum MvWakeReason *w = kt_alloc(sizeof *w);
    cr_assert_eq(mvGetWakeReason(w), MV_STATUS_OKAY);
    cr_assert_eq(*w, MV_WAKEREASON_APPLICATIONUPDATE);
    mvk_update_poll(0);
    cr_assert_eq(fake_upd.saved.trial, 1, "applied before it reached the network");
    kt_network(kt_notify(3, NULL));
    mvk_update_poll(0);
    cr_assert_eq(fake_upd.saved.trial, 0);
    cr_assert_eq(fake_upd.saved.state, MVP_UPD_APPLIED);
    cr_assert_eq(fake_upd.rollbacks, 0);
}

Test(update_chan, a_trial_app_that_never_reaches_the_network_is_rolled_back)
{
    struct mvk_upd_state st = {.magic = MVK_UPD_STATE_MAGIC, .state = MVP_UPD_DOWNLOADED,
                               .trial = 1};
    strcpy(st.running, "AP-new");
    mvk_update_attach(fake_upd_port(fake_upd_pem[0]), &st);
    fake_port_advance(MVK_UPD_TRIAL_US - 1);
    mvk_update_poll(mvk_clock_now_us());
    cr_assert_eq(fake_upd.rollbacks, 0);
    fake_port_advance(2);
    mvk_update_poll(mvk_clock_now_us());
    cr_assert_eq(fake_upd.rollbacks, 1);
    cr_assert(strstr(fake_upd.saved.reason, "network"), "%s", fake_upd.saved.reason);
}

Test(update_chan, the_trial_time_can_be_set_at_run_time)
{
    struct mvk_upd_state st = {.magic = MVK_UPD_STATE_MAGIC, .state = MVP_UPD_DOWNLOADED,
                               .trial = 1};
    strcpy(st.running, "AP-new");
    mvk_update_set_trial_us(5000000u);
    mvk_update_attach(fake_upd_port(fake_upd_pem[0]), &st);
    fake_port_advance(5000000u - 1);
    mvk_update_poll(mvk_clock_now_us());
    cr_assert_eq(fake_upd.rollbacks, 0);
    fake_port_advance(2);
    mvk_update_poll(mvk_clock_now_us());
    cr_assert_eq(fake_upd.rollbacks, 1, "still waiting for the default trial time");
    mvk_update_set_trial_us(10); /* below a second: clamped */
    fake_upd_reset();
    strcpy(st.running, "AP-new2");
    mvk_update_attach(fake_upd_port(fake_upd_pem[0]), &st);
    fake_port_advance(999999u);
    mvk_update_poll(mvk_clock_now_us());
    cr_assert_eq(fake_upd.rollbacks, 0, "a trial shorter than a second");
}

/* Chunks from 0 up to just past the first progress report (MVK_UPD_SAVE_EVERY). */
static void download_past_first_report(void)
{
    for (uint32_t off = 0; off < MVK_UPD_SAVE_EVERY + MVP_UPD_MAX_CHUNK; off += MVP_UPD_MAX_CHUNK)
        chunk(off, MVP_UPD_MAX_CHUNK);
    cr_assert_geq(last_status().offset, MVK_UPD_SAVE_EVERY, "no progress reported");
}

/* The FETCH of a new download goes out before the STATUS that reports it: the relay
 * handles the channel's messages in order, and the status waits for the relay's store. */
Test(update_chan, a_new_download_is_fetched_before_its_status_is_reported)
{
    int first, fetch = -1, status = -1;
    bundle_len = 3 * MVP_UPD_MAX_CHUNK;
    open_update_channel();
    first = fake_conn_count();
    offer(bundle_len, APP);
    for (int i = fake_conn_count() - 1; i >= first; i--) {
        const struct fake_frame *f = fake_conn_frame(i);
        const uint8_t *body;
        uint32_t len;
        if (f->type != MVP_DATA || f->chan != 1)
            continue;
        uint8_t t = msg_of(f, &body, &len);
        if (t == MVP_MSG_UPD_FETCH)
            fetch = i;
        else if (t == MVP_MSG_UPD_STATUS)
            status = i;
    }
    cr_assert_geq(fetch, 0, "no FETCH");
    cr_assert_geq(status, 0, "no STATUS");
    cr_assert_lt(fetch, status, "the STATUS went out first");
}

Test(update_chan, progress_is_reported_each_time_but_persisted_at_most_once_per_interval)
{
    bundle_len = FAKE_UPD_STAGE;
    open_update_channel();
    offer(bundle_len, "AP-first");
    cr_assert_str_eq(fake_upd.saved.app_id, "AP-first", "the offer persists the download");
    cr_assert_eq(fake_upd.saved.offset, 0);
    /* That save is a moment old: the progress right after it is reported only. */
    download_past_first_report();
    cr_assert_eq(fake_upd.saved.offset, 0, "persisted again within MVK_UPD_SAVE_MIN_US");
    /* Once the interval has passed, the next report is persisted. */
    fake_port_advance(MVK_UPD_SAVE_MIN_US);
    for (uint32_t off = MVK_UPD_SAVE_EVERY + MVP_UPD_MAX_CHUNK;
         off < 2 * MVK_UPD_SAVE_EVERY + MVP_UPD_MAX_CHUNK; off += MVP_UPD_MAX_CHUNK)
        chunk(off, MVP_UPD_MAX_CHUNK);
    cr_assert_geq(last_status().offset, 2 * MVK_UPD_SAVE_EVERY, "no second report");
    cr_assert_geq(fake_upd.saved.offset, 2 * MVK_UPD_SAVE_EVERY,
                  "not persisted after the interval");
    /* A new offer restarts at 0 (persisted), and again its first progress is not saved. */
    fake_port_advance(MVK_UPD_SAVE_MIN_US);
    offer(bundle_len, "AP-second");
    cr_assert_eq(fake_upd.saved.offset, 0);
    cr_assert_str_eq(fake_upd.saved.app_id, "AP-second");
    download_past_first_report();
    cr_assert_eq(fake_upd.saved.offset, 0, "persisted within MVK_UPD_SAVE_MIN_US of the offer");
}
