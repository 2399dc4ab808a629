/* The host side of mv_app_port.h: a registry of linked applications (each registers
 * itself from a constructor), IRQ handler table, and the wait primitive that stands in
 * for WFI. An IRQ raised before its handler exists stays pending, as in an NVIC. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "host.h"
#include "port.h"

struct app {
    const char *name;
    void (*entry)(void);
};

static struct app apps[MVK_HOST_MAX_APPS];
static int napps;
static void (*handlers[MVK_HOST_NUM_IRQS])(void);
static uint32_t undelivered[MVK_HOST_IRQ_WORDS];
static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cond = PTHREAD_COND_INITIALIZER;
static uint64_t irq_events;

void app_port_register(const char *name, void (*entry)(void))
{
    if (napps < MVK_HOST_MAX_APPS)
        apps[napps++] = (struct app){name, entry};
}

void (*mvk_host_app_find(const char *name))(void)
{
    for (int i = 0; i < napps; i++)
        if (strcmp(apps[i].name, name) == 0)
            return apps[i].entry;
    return 0;
}

void mvk_host_app_list(char *out, size_t cap)
{
    size_t used = 0;

    if (cap == 0)
        return;
    out[0] = 0;
    for (int i = 0; i < napps; i++) {
        size_t n = strlen(apps[i].name);
        if (used + n + 2 > cap)
            break;
        if (used > 0)
            out[used++] = ' ';
        memcpy(out + used, apps[i].name, n + 1);
        used += n;
    }
}

int app_port_set_irq_handler(uint32_t irq, void (*handler)(void))
{
    int pend;

    if (irq >= MVK_HOST_NUM_IRQS)
        return -1;
    pthread_mutex_lock(&wait_lock);
    handlers[irq] = handler;
    pend = handler && (undelivered[irq / 32u] & (1u << (irq % 32u)));
    undelivered[irq / 32u] &= ~(1u << (irq % 32u));
    pthread_mutex_unlock(&wait_lock);
    if (pend)
        mvk_port_raise_irq(irq);
    return 0;
}

void mvk_host_app_irq(uint32_t irq)
{
    void (*h)(void);

    pthread_mutex_lock(&wait_lock);
    h = handlers[irq];
    if (!h)
        undelivered[irq / 32u] |= 1u << (irq % 32u);
    pthread_mutex_unlock(&wait_lock);
    if (!h)
        return;
    h();
    pthread_mutex_lock(&wait_lock);
    irq_events++;
    pthread_cond_broadcast(&wait_cond);
    pthread_mutex_unlock(&wait_lock);
}

void app_port_wait_ms(uint32_t ms)
{
    struct timespec ts;
    uint64_t seen;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)(ms / 1000u);
    ts.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&wait_lock);
    seen = irq_events;
    while (irq_events == seen)
        if (pthread_cond_timedwait(&wait_cond, &wait_lock, &ts) != 0)
            break;
    pthread_mutex_unlock(&wait_lock);
}
