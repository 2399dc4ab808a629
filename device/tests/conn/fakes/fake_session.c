/* Recording kernel session for the connection tests. */
#include <string.h>

#include "fakes.h"

struct fake_session fs;

void fake_session_reset(void)
{
    memset(&fs, 0, sizeof(fs));
    fs.log_next_seq = 5;
}

uint64_t mvk_session_boot_id(void)
{
    return 0x1122334455667788ull;
}

uint32_t mvk_session_log_next_seq(void)
{
    return fs.log_next_seq;
}

void mvk_session_up(const struct mvp_welcome *w)
{
    static const uint8_t x[4] = {1, 2, 3, 4};
    fs.ups++;
    fs.last_welcome = *w;
    if (fs.send_on_up)
        (void)mvk_conn_send(MVP_DATA, 1, x, sizeof(x));
}

void mvk_session_down(void)
{
    fs.downs++;
}

void mvk_session_frame(const struct mvp_hdr *h, const uint8_t *payload)
{
    if (fs.nframes < FAKE_MAX_FRAMES) {
        struct fake_frame *f = &fs.frames[fs.nframes++];
        f->type = h->type;
        f->flags = h->flags;
        f->chan = h->chan;
        f->len = h->len;
        memcpy(f->payload, payload, h->len < sizeof(f->payload) ? h->len : sizeof(f->payload));
    }
    if (fs.drop_on_frame)
        mvk_conn_set_wanted(0);
}

void mvk_session_writable(void)
{
    fs.writables++;
}
