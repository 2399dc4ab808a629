/* The update channel, device side (PROTOCOL.md 7.4): opened by the kernel on every
 * session (type MVP_CHAN_UPDATE, never one of the app's channels), reports the update
 * state, answers an OFFER with a FETCH from the staged offset (so a download resumes
 * after any disconnect), writes each CHUNK to the port's staging area and returns the
 * credit only once it is written: no more than MVK_UPD_WINDOW bytes are ever in flight.
 * The last chunk is reported (offset = size) before the bundle is verified.
 * All state is explicit, so the pump can stop whenever conn is full. */
#include <string.h>

#include "chan.h"
#include "clock.h"
#include "conn.h"
#include "mvp/ctrl.h"
#include "mvp/msg.h"
#include "mvp/wire.h"
#include "update_priv.h"

enum ch_state { CH_NONE, CH_WANT_OPEN, CH_OPENING, CH_OPEN, CH_DEAD };

static struct {
    enum ch_state state;
    uint16_t id;
    uint32_t send_credit; /* bytes we may send */
    uint32_t ungranted;   /* bytes consumed and not yet returned with WINDOW */
    int status_pending, fetch_pending, close_pending;
    uint32_t last_status_offset;
    struct mvp_reader rd;
    uint8_t rdbuf[MVP_UPD_MAX_CHUNK + 64u];
} ch;

/* All bytes are staged and the bundle waits for verification. Set by the last chunk;
 * the kernel loop verifies once the "all staged" progress status has left (conn flushes
 * before mvk_update_poll), so the relay sees the end of the transfer apart from the
 * verification, which hashes the whole bundle (bench/README.md). Outside ch, because it
 * must survive a session that drops in between. */
static int verify_due;
/* The earliest time the progress may be persisted again (MVK_UPD_SAVE_MIN_US). */
static uint64_t next_save_us;

void mvk_upd_chan_poll(void)
{
    if (!verify_due || ch.status_pending)
        return;
    verify_due = 0;
    /* A new offer may have restarted the download meanwhile. */
    if (mvk_upd_st.state != MVP_UPD_DOWNLOADING || mvk_upd_st.offset != mvk_upd_st.size)
        return;
    mvk_upd_downloaded();
    mvk_update_pump(); /* its status goes out with this loop turn */
}

void mvk_upd_chan_reset(void)
{
    memset(&ch, 0, sizeof ch);
}

void mvk_upd_chan_status_changed(void)
{
    ch.status_pending = 1;
}

void mvk_update_session_up(void)
{
    mvk_upd_chan_reset();
    if (!mvk_upd_port)
        return;
    mvp_reader_init(&ch.rd, ch.rdbuf, sizeof ch.rdbuf, MVP_UPD_MAX_CHUNK + 16u);
    ch.state = CH_WANT_OPEN;
    mvk_update_pump();
}

void mvk_update_session_down(void)
{
    ch.state = CH_NONE; /* the staged offset stays: the next session resumes from it */
}

int mvk_update_owns(uint16_t chan)
{
    return chan != 0 && ch.id == chan &&
           (ch.state == CH_OPENING || ch.state == CH_OPEN || ch.state == CH_DEAD);
}

/* Sends one typed message within credit: 0, or -1 to retry later. */
static int send_msg(uint8_t type, const uint8_t *body, int len)
{
    uint8_t buf[8 + 8 + MVP_UPD_MAX_APP_ID + MVP_UPD_MAX_REASON + 8];
    if (len < 0 || (size_t)len > sizeof buf - 8)
        return 0; /* cannot happen with our own values: drop rather than loop */
    uint32_t total = 8u + (uint32_t)len;
    if (ch.send_credit < total || mvk_conn_send_space() < total)
        return -1;
    mvp_msg_hdr_encode(type, (uint32_t)len, buf);
    memcpy(buf + 8, body, (size_t)len);
    if (mvk_conn_send(MVP_DATA, ch.id, buf, total) != 0)
        return -1;
    ch.send_credit -= total;
    return 0;
}

static int send_status(void)
{
    uint8_t body[8 + 4 + MVP_UPD_MAX_APP_ID + MVP_UPD_MAX_REASON];
    struct mvp_upd_status m = {.state = mvk_upd_st.state,
                               .offset = mvk_upd_st.offset,
                               .app_id = (const uint8_t *)mvk_upd_st.app_id,
                               .app_id_len = (uint16_t)strlen(mvk_upd_st.app_id),
                               .reason = (const uint8_t *)mvk_upd_st.reason,
                               .reason_len = (uint16_t)strlen(mvk_upd_st.reason)};
    if (send_msg(MVP_MSG_UPD_STATUS, body, mvp_upd_status_encode(&m, body, sizeof body)) != 0)
        return -1;
    ch.status_pending = 0;
    ch.last_status_offset = mvk_upd_st.offset;
    return 0;
}

static int send_fetch(void)
{
    uint8_t body[8 + MVP_UPD_MAX_APP_ID];
    struct mvp_upd_fetch f = {mvk_upd_st.offset, (const uint8_t *)mvk_upd_st.app_id,
                              (uint16_t)strlen(mvk_upd_st.app_id)};
    if (send_msg(MVP_MSG_UPD_FETCH, body, mvp_upd_fetch_encode(&f, body, sizeof body)) != 0)
        return -1;
    ch.fetch_pending = 0;
    return 0;
}

static int send_open(void)
{
    uint8_t buf[16];
    struct mvp_open o = {MVP_CHAN_UPDATE, MVK_UPD_WINDOW, 0, 0};
    int n = mvp_open_encode(&o, buf, sizeof buf);
    uint16_t id = mvk_chan_alloc_id();
    if (n < 0 || id == 0)
        return -1;
    if (mvk_conn_send(MVP_OPEN, id, buf, (uint32_t)n) != 0) {
        mvk_chan_unalloc_id(id);
        return -1;
    }
    ch.id = id;
    ch.state = CH_OPENING;
    return 0;
}

static int send_window(void)
{
    uint8_t buf[4];
    if (ch.ungranted < MVK_UPD_WINDOW / 2u)
        return 0;
    int n = mvp_window_encode(ch.ungranted, buf, sizeof buf);
    if (n < 0 || mvk_conn_send(MVP_WINDOW, ch.id, buf, (uint32_t)n) != 0)
        return -1;
    ch.ungranted = 0;
    return 0;
}

/* A relay that breaks the channel's rules loses the channel until the next session. */
static int send_close(void)
{
    uint8_t buf[4];
    int n = mvp_close_encode(MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED, buf, sizeof buf);
    if (n < 0 || mvk_conn_send(MVP_CLOSE, ch.id, buf, (uint32_t)n) != 0)
        return -1;
    ch.close_pending = 0;
    ch.state = CH_DEAD;
    return 0;
}

void mvk_update_pump(void)
{
    if (ch.state == CH_WANT_OPEN && send_open() != 0)
        return;
    if (ch.state != CH_OPEN)
        return;
    if (ch.close_pending) {
        (void)send_close();
        return;
    }
    if (send_window() != 0)
        return;
    /* FETCH before the STATUS of a new download: the relay handles a channel's messages
     * in order and a status waits for its store write (an fsync), which the transfer
     * would otherwise wait for too (~3 ms of a 50 ms download, bench/README.md). */
    if (ch.fetch_pending && send_fetch() != 0)
        return;
    if (ch.status_pending)
        (void)send_status();
}

static void on_offer(const uint8_t *p, uint32_t len)
{
    struct mvp_upd_offer o;
    char id[MVP_UPD_MAX_APP_ID + 1];
    if (mvp_upd_offer_decode(p, len, &o) < 0) {
        ch.close_pending = 1;
        return;
    }
    memcpy(id, o.app_id, o.app_id_len);
    id[o.app_id_len] = '\0';
    int same = !strcmp(id, mvk_upd_st.app_id) && o.size == mvk_upd_st.size;
    if (same && mvk_upd_st.state == MVP_UPD_DOWNLOADING) {
        ch.fetch_pending = 1; /* resume at the staged offset */
        return;
    }
    if (same || mvk_upd_st.trial) {
        ch.status_pending = 1; /* already settled (or busy with a trial): say so again */
        return;
    }
    mvk_upd_st.size = o.size;
    mvk_upd_st.offset = 0;
    if (o.size > mvk_upd_port->max_bundle) {
        mvk_upd_set(MVP_UPD_FAILED, id, "bundle larger than the device's staging area");
        return;
    }
    /* Pending before mvk_upd_set, whose pump then sends the FETCH ahead of the STATUS
     * (mvk_update_pump says why). */
    ch.fetch_pending = 1;
    mvk_upd_set(MVP_UPD_DOWNLOADING, id, "");
    /* That saved the state (offset 0): the first progress needs no save of its own. */
    next_save_us = mvk_clock_now_us() + MVK_UPD_SAVE_MIN_US;
}

/* Progress: persisted for a resume after a reboot (at most once per
 * MVK_UPD_SAVE_MIN_US), reported for `devices show`. */
static void progress(void)
{
    uint64_t now = mvk_clock_now_us();
    if (now >= next_save_us) {
        mvk_upd_save();
        next_save_us = now + MVK_UPD_SAVE_MIN_US;
    }
    ch.status_pending = 1;
}

static void on_chunk(const uint8_t *p, uint32_t len)
{
    struct mvp_upd_chunk c;
    if (mvp_upd_chunk_decode(p, len, &c) < 0 || mvk_upd_st.state != MVP_UPD_DOWNLOADING ||
        c.offset != mvk_upd_st.offset || c.len > mvk_upd_st.size - mvk_upd_st.offset) {
        ch.close_pending = 1;
        return;
    }
    if (mvk_upd_port->stage_write(c.offset, c.data, c.len) != 0) {
        mvk_upd_set(MVP_UPD_FAILED, mvk_upd_st.app_id, "staging area write failed");
        return;
    }
    mvk_upd_st.offset += c.len;
    if (mvk_upd_st.offset == mvk_upd_st.size) {
        ch.status_pending = 1; /* "all staged" (offset = size), then the verification */
        verify_due = 1;
    } else if (mvk_upd_st.offset - ch.last_status_offset >= MVK_UPD_SAVE_EVERY) {
        progress();
    }
}

static void on_data(const uint8_t *p, uint32_t len)
{
    struct mvp_frame m;
    size_t used = 0;
    while (len > 0 && ch.state == CH_OPEN && !ch.close_pending) {
        int rc = mvp_reader_take_whole(&ch.rd, p, len, &used, &m); /* no copy */
        if (rc == 0)
            rc = mvp_reader_feed(&ch.rd, p, len, &used, &m);
        p += used;
        len -= (uint32_t)used;
        ch.ungranted += (uint32_t)used;
        if (rc < 0 || (rc == 1 && mvp_msg_hdr_check(&m.hdr) < 0)) {
            ch.close_pending = 1;
            return;
        }
        if (rc == 1 && m.hdr.type == MVP_MSG_UPD_OFFER)
            on_offer(m.payload, m.hdr.len);
        else if (rc == 1 && m.hdr.type == MVP_MSG_UPD_CHUNK)
            on_chunk(m.payload, m.hdr.len);
        else if (rc == 1)
            ch.close_pending = 1; /* a device-to-relay message from the relay */
    }
}

void mvk_update_frame(const struct mvp_hdr *h, const uint8_t *payload)
{
    uint32_t v = 0;
    if (ch.state == CH_DEAD)
        return;
    if (h->type == MVP_OPEN_OK && ch.state == CH_OPENING &&
        mvp_open_ok_decode(payload, h->len, &v) == 0) {
        ch.state = CH_OPEN;
        ch.send_credit = v;
        ch.status_pending = 1;
    } else if (h->type == MVP_DATA && ch.state == CH_OPEN) {
        on_data(payload, h->len);
    } else if (h->type == MVP_WINDOW && mvp_window_decode(payload, h->len, &v) == 0) {
        ch.send_credit += v;
    } else {
        /* OPEN_ERR (a relay without updates), CLOSE, or anything malformed: no update
         * channel for the rest of this session. */
        ch.state = CH_DEAD;
    }
    mvk_update_pump();
}
