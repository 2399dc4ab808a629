/* Host IRQ delivery. The kernel "pends" an interrupt by setting a bit; a dedicated
 * thread (its stack is app memory, like an exception frame on the app's side) runs the
 * app's handlers outside the kernel lock, so handlers may make system calls. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "host.h"
#include "port.h"

static pthread_mutex_t irq_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t irq_cond = PTHREAD_COND_INITIALIZER;
static uint32_t pending[MVK_HOST_IRQ_WORDS];
static int stopping;

int mvk_port_irq_valid(uint32_t irq)
{
    return irq < MVK_HOST_NUM_IRQS;
}

void mvk_port_raise_irq(uint32_t irq)
{
    if (irq >= MVK_HOST_NUM_IRQS)
        return;
    pthread_mutex_lock(&irq_lock);
    pending[irq / 32u] |= 1u << (irq % 32u);
    pthread_cond_signal(&irq_cond);
    pthread_mutex_unlock(&irq_lock);
}

static int any_pending(void)
{
    for (uint32_t w = 0; w < MVK_HOST_IRQ_WORDS; w++)
        if (pending[w])
            return 1;
    return 0;
}

static void *irq_main(void *arg)
{
    (void)arg;
    for (;;) {
        uint32_t p[MVK_HOST_IRQ_WORDS];
        pthread_mutex_lock(&irq_lock);
        while (!any_pending() && !stopping)
            pthread_cond_wait(&irq_cond, &irq_lock);
        memcpy(p, pending, sizeof p);
        memset(pending, 0, sizeof pending);
        if (stopping) {
            pthread_mutex_unlock(&irq_lock);
            return 0;
        }
        pthread_mutex_unlock(&irq_lock);
        for (uint32_t i = 0; i < MVK_HOST_NUM_IRQS; i++)
            if (p[i / 32u] & (1u << (i % 32u)))
                mvk_host_app_irq(i);
    }
}

int mvk_host_irq_start(void)
{
    return mvk_host_start_app_thread(irq_main, 0);
}

void mvk_host_irq_stop(void)
{
    pthread_mutex_lock(&irq_lock);
    stopping = 1;
    pthread_cond_signal(&irq_cond);
    pthread_mutex_unlock(&irq_lock);
}
