/* Fakes for the API unit tests: the port (app memory arena, IRQs, fast-interrupt and
 * system LED state as the kernel last set them, entropy, clock, identity, no link, one
 * peripheral register) and the connection (records frames). */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <string.h>

#include "api_test.h"
#include "conn.h"
#include "port.h"

#define ARENA_SIZE (512u * 1024u)

static alignas(16) uint8_t arena[ARENA_SIZE];
static size_t arena_used;
const uint8_t mvt_app_ro[256];
uint8_t mvt_kernel_mem[64];
uint32_t mvt_periph_value;
static uint64_t fake_now = 1000;
static uint32_t irqs;
static int conn_up;
static uint32_t nframes;
static uint8_t last_frame[20000];
static uint8_t last_type;
static uint16_t last_chan;
static uint32_t last_len;

static int fast_state[64], live_state[64];
int mvt_led = -1;
void mvt_kernel_reset(void);

void *mvt_app_alloc(size_t n)
{
    void *p;

    n = (n + 15u) & ~(size_t)15u;
    cr_assert(n <= ARENA_SIZE - arena_used, "test arena exhausted");
    p = &arena[arena_used];
    arena_used += n;
    memset(p, 0, n);
    return p;
}

static int in_range(const void *p, size_t n, const uint8_t *base, size_t size)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;

    return p != NULL && a >= b && a - b < size && n <= size - (a - b);
}

int mvk_port_app_readable(const void *p, size_t n)
{
    return in_range(p, n, arena, sizeof arena) || in_range(p, n, mvt_app_ro, sizeof mvt_app_ro);
}

int mvk_port_app_writable(const void *p, size_t n)
{
    return in_range(p, n, arena, sizeof arena);
}

uint64_t mvk_port_now_us(void)
{
    return fake_now++;
}

int mvk_port_irq_valid(uint32_t irq)
{
    return irq >= 16u && irq < 64u;
}

void mvk_port_raise_irq(uint32_t irq)
{
    (void)irq;
    irqs++;
}

int mvk_port_fastirq(uint32_t irq, int fast, int live)
{
    if (irq >= 64u)
        return -1;
    fast_state[irq] = fast;
    live_state[irq] = live;
    return 0;
}

int mvt_irq_fast(uint32_t irq)
{
    return irq < 64u ? fast_state[irq] : 0;
}

int mvt_irq_live(uint32_t irq)
{
    return irq < 64u ? live_state[irq] : 0;
}

int mvk_port_system_led(int on)
{
    mvt_led = on;
    return 0;
}

uint32_t mvt_irqs_raised(void)
{
    return irqs;
}

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    static uint8_t next = 1;

    for (size_t i = 0; i < n; i++)
        buf[i] = next++;
    return 0;
}

const struct mvk_identity *mvk_port_identity(void)
{
    static const struct mvk_identity id = {
        .device_id = "UV0123456789abcdef0123456789abcdef",
        .relay_host = "localhost",
        .relay_port = 7443,
    };
    return &id;
}

volatile uint32_t *mvk_port_periph_reg(uint32_t reg, uint32_t *writable_mask)
{
    *writable_mask = 0;
    if (reg != MVT_PERIPH_REG)
        return NULL;
    *writable_mask = MVT_PERIPH_WRITABLE;
    return &mvt_periph_value;
}

/* ---- connection ---------------------------------------------------------------------- */
void mvk_conn_init(void)
{
}

void mvk_conn_set_wanted(int wanted)
{
    (void)wanted;
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
    return conn_up ? MVK_CONN_UP : MVK_CONN_IDLE;
}

int mvk_conn_send(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len)
{
    if (!conn_up)
        return -1;
    if (len > sizeof last_frame)
        return -2;
    nframes++;
    last_type = type;
    last_chan = chan;
    last_len = len;
    if (len)
        memcpy(last_frame, payload, len);
    return 0;
}

uint32_t mvk_conn_send_space(void)
{
    return conn_up ? 16384u : 0u;
}

void mvt_conn_set_up(int up)
{
    conn_up = up;
}

uint32_t mvt_conn_frames(void)
{
    return nframes;
}

const uint8_t *mvt_conn_last(uint8_t *type, uint16_t *chan, uint32_t *len)
{
    if (nframes == 0)
        return NULL;
    *type = last_type;
    *chan = last_chan;
    *len = last_len;
    return last_frame;
}

void mvt_reset(void)
{
    arena_used = 0;
    irqs = 0;
    conn_up = 0;
    nframes = 0;
    mvt_periph_value = 0;
    memset(fast_state, 0, sizeof fast_state);
    memset(live_state, 0, sizeof live_state);
    mvt_led = -1;
    mvt_kernel_reset();
}
