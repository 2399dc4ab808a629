/* Fake conn: records every frame the kernel queues and reports a settable state and
 * transmit space, so tests can see exactly what the kernel would put on the wire. */
#include <string.h>

#include "fakes.h"

static struct fake_frame frames[FAKE_MAX_FRAMES];
static int nframes;
static enum mvk_conn_state state;
static uint32_t space = UINT32_MAX;
static int wanted;
static int inits;

void fake_conn_reset(void)
{
    nframes = 0;
    state = MVK_CONN_IDLE;
    space = UINT32_MAX;
    wanted = 0;
    inits = 0;
}

void fake_conn_set_state(enum mvk_conn_state st)
{
    state = st;
}

void fake_conn_set_space(uint32_t bytes)
{
    space = bytes;
}

int fake_conn_wanted(void)
{
    return wanted;
}

int fake_conn_count(void)
{
    return nframes;
}

const struct fake_frame *fake_conn_frame(int i)
{
    return i >= 0 && i < nframes ? &frames[i] : NULL;
}

const struct fake_frame *fake_conn_last(uint8_t type)
{
    for (int i = nframes - 1; i >= 0; i--)
        if (frames[i].type == type)
            return &frames[i];
    return NULL;
}

int fake_conn_count_type(uint8_t type)
{
    int n = 0;

    for (int i = 0; i < nframes; i++)
        n += frames[i].type == type;
    return n;
}

void fake_conn_clear(void)
{
    nframes = 0;
}

int fake_conn_init_count(void)
{
    return inits;
}

void mvk_conn_init(void)
{
    inits++;
}

void mvk_conn_set_wanted(int w)
{
    wanted = w;
}

void mvk_conn_poll(uint64_t now_us)
{
    (void)now_us;
}

uint64_t mvk_conn_next_deadline_us(void)
{
    return UINT64_MAX;
}

enum mvk_conn_state mvk_conn_state(void)
{
    return state;
}

int mvk_conn_send(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len)
{
    if (state != MVK_CONN_UP)
        return -1;
    if (len > space || nframes == FAKE_MAX_FRAMES || len > FAKE_MAX_PAYLOAD)
        return -2;
    if (space != UINT32_MAX)
        space -= len;
    frames[nframes].type = type;
    frames[nframes].chan = chan;
    frames[nframes].len = len;
    if (len > 0)
        memcpy(frames[nframes].payload, payload, len);
    nframes++;
    return 0;
}

uint32_t mvk_conn_send_space(void)
{
    if (state != MVK_CONN_UP)
        return 0;
    return space < FAKE_MAX_PAYLOAD ? space : FAKE_MAX_PAYLOAD;
}
