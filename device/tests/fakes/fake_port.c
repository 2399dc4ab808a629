/* Fake port services for unit tests: a clock the test sets, IRQs counted instead of
 * delivered, real entropy (getrandom) unless a test makes it fail, and a fixed
 * identity. App-memory checks come from the real host port (regions.c). */
#include <string.h>
#include <sys/random.h>

#include "fakes.h"
#include "port.h"

#define FAKE_IRQS 32u

static uint64_t now = 1000000;
static int irq_counts[FAKE_IRQS];
static int irq_fast[FAKE_IRQS], irq_live[FAKE_IRQS];
static int entropy_fails;
static struct mvk_identity ident = {
    .device_id = "UV0123456789abcdef0123456789abcdef",
    .relay_host = "localhost",
    .relay_port = 7443,
};

void fake_port_set_now(uint64_t us)
{
    now = us;
}

void fake_port_advance(uint64_t us)
{
    now += us;
}

int fake_port_irq_count(uint32_t irq)
{
    return irq < FAKE_IRQS ? irq_counts[irq] : 0;
}

void fake_port_entropy_fail(int fail)
{
    entropy_fails = fail;
}

uint64_t mvk_port_now_us(void)
{
    return now;
}

int mvk_port_irq_valid(uint32_t irq)
{
    return irq < FAKE_IRQS;
}

void mvk_port_raise_irq(uint32_t irq)
{
    if (irq < FAKE_IRQS)
        irq_counts[irq]++;
}

/* Weak: the host-port tests link the real one (device/port/host/fastirq.c). */
__attribute__((weak)) int mvk_port_fastirq(uint32_t irq, int fast, int live)
{
    if (irq >= FAKE_IRQS)
        return -1;
    irq_fast[irq] = fast;
    irq_live[irq] = live;
    return 0;
}

int fake_port_irq_fast(uint32_t irq)
{
    return irq < FAKE_IRQS ? irq_fast[irq] : 0;
}

int fake_port_irq_live(uint32_t irq)
{
    return irq < FAKE_IRQS ? irq_live[irq] : 0;
}

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    if (entropy_fails)
        return -1;
    while (n > 0) {
        ssize_t k = getrandom(buf, n, 0);
        if (k <= 0)
            return -1;
        buf += k;
        n -= (size_t)k;
    }
    return 0;
}

const struct mvk_identity *mvk_port_identity(void)
{
    return &ident;
}

void fake_port_reset(void)
{
    now = 1000000;
    memset(irq_counts, 0, sizeof irq_counts);
    memset(irq_fast, 0, sizeof irq_fast);
    memset(irq_live, 0, sizeof irq_live);
    entropy_fails = 0;
}
