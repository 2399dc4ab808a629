/* Channel open timeout: a relay that accepts the session but never answers an OPEN
 * would leave the app waiting forever, so the kernel loop gives up after
 * MVK_CHAN_OPEN_TIMEOUT_US, tells the relay (CLOSE) and the app (CHANNELNOTCONNECTED). */
#include "chan_priv.h"

#include <stdint.h>

static int opening(const struct mvk_chan *c)
{
    return c->state == MVK_CH_OPENING;
}

void mvk_chan_poll(uint64_t now_us)
{
    int changed = 0;

    for (uint32_t i = 0; i < MVK_MAX_CHANNELS; i++) {
        struct mvk_chan *c = &mvk_chans[i];
        if (!opening(c) || now_us < c->open_deadline_us)
            continue;
        /* Sent OPENs get a CLOSE so the relay drops its half; a late OPEN_OK for the
         * id is then answered with ERROR like any frame for a dead channel. */
        if (!c->open_pending)
            mvk_chan_queue_close(c->id, MV_CLOSUREREASON_CONNECTIONTERMINATED);
        mvk_chan_mark_closed(c, MV_CLOSUREREASON_CONNECTIONTERMINATED);
        changed = 1;
    }
    if (changed)
        mvk_chan_pump();
}

uint64_t mvk_chan_next_deadline_us(void)
{
    uint64_t next = UINT64_MAX;

    for (uint32_t i = 0; i < MVK_MAX_CHANNELS; i++)
        if (opening(&mvk_chans[i]) && mvk_chans[i].open_deadline_us < next)
            next = mvk_chans[i].open_deadline_us;
    return next;
}
