/* Session glue between conn and the kernel modules: HELLO fields, session up/down and
 * the dispatch of every frame conn does not handle itself. */
#include "chan.h"
#include "clock.h"
#include "conn.h"
#include "log.h"
#include "mvp/wire.h"
#include "net.h"
#include "update.h"

uint64_t mvk_session_boot_id(void)
{
    return mvk_log_boot_id();
}

uint32_t mvk_session_log_next_seq(void)
{
    return mvk_log_next_seq();
}

void mvk_session_up(const struct mvp_welcome *w)
{
    mvk_clock_set_wall(w->server_time_us, mvk_clock_now_us());
    mvk_chan_session_up(w);
    mvk_log_session_up(w);
    mvk_update_session_up();
    mvk_net_update();
}

void mvk_session_down(void)
{
    mvk_chan_session_down();
    mvk_update_session_down();
    mvk_log_session_down();
    mvk_net_update();
}

void mvk_session_frame(const struct mvp_hdr *h, const uint8_t *payload)
{
    switch (h->type) {
    case MVP_OPEN_OK:
    case MVP_OPEN_ERR:
    case MVP_DATA:
    case MVP_WINDOW:
    case MVP_CLOSE:
        /* The kernel's own update channel never reaches the app's channels. */
        if (mvk_update_owns(h->chan))
            mvk_update_frame(h, payload);
        else
            mvk_chan_frame(h, payload);
        break;
    case MVP_LOG_ACK:
        mvk_log_ack(payload, h->len);
        break;
    case MVP_ERROR:
        /* The relay refused one of our frames; the state it refers to is already
         * handled by the relay (e.g. a channel it does not know). Nothing to undo. */
        break;
    default:
        if (!(h->flags & MVP_FLAG_IGNORABLE))
            mvk_chan_send_error(MVP_E_UNKNOWN_TYPE, h->type);
        break;
    }
}

void mvk_session_writable(void)
{
    mvk_chan_pump();
    mvk_update_pump();
    mvk_log_pump();
}
