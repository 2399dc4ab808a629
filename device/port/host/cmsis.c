/* The CMSIS-Core functions a Microvisor application calls (cmsis/cmsis_host.h), on top of
 * the software NVIC: the IRQ number an app passes is the STM32U585's, SysTick is slot
 * MVK_HOST_IRQ_SYSTICK, PRIMASK is the interrupt signal's mask on the calling thread. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "host.h"
#include "nvic.h"

typedef int IRQn_Type;
#include "cmsis/cmsis_host.h"

#define SYSTICK_HZ 160000000u /* = the kernel's mvGetSysClk answer */

static uint8_t prio[MVK_HOST_IRQ_SLOTS];
static uint32_t prio_group;
static atomic_uint_fast64_t systick_ns;
static atomic_int systick_started;

/* Negative numbers are core exceptions: only SysTick (-1) is an interrupt here. */
static uint32_t slot(IRQn_Type irq)
{
    if (irq == -1)
        return MVK_HOST_IRQ_SYSTICK;
    return irq < 0 || (uint32_t)irq >= MVK_HOST_NUM_IRQS ? MVK_HOST_IRQ_SLOTS : (uint32_t)irq;
}

void NVIC_EnableIRQ(IRQn_Type irq) { mvk_host_nvic_enable(slot(irq)); }
void NVIC_DisableIRQ(IRQn_Type irq) { mvk_host_nvic_disable(slot(irq)); }
uint32_t NVIC_GetEnableIRQ(IRQn_Type irq) { return mvk_host_nvic_is_enabled(slot(irq)); }
void NVIC_SetPendingIRQ(IRQn_Type irq) { mvk_host_nvic_pend(slot(irq)); }
void NVIC_ClearPendingIRQ(IRQn_Type irq) { mvk_host_nvic_unpend(slot(irq)); }
uint32_t NVIC_GetPendingIRQ(IRQn_Type irq) { return mvk_host_nvic_is_pending(slot(irq)); }

/* Priorities are kept for the app to read back; all handlers run at one level. */
void NVIC_SetPriority(IRQn_Type irq, uint32_t priority)
{
    if (slot(irq) < MVK_HOST_IRQ_SLOTS)
        prio[slot(irq)] = (uint8_t)(priority & 0xfu);
}

uint32_t NVIC_GetPriority(IRQn_Type irq)
{
    return slot(irq) < MVK_HOST_IRQ_SLOTS ? prio[slot(irq)] : 0u;
}

void NVIC_SetPriorityGrouping(uint32_t group) { prio_group = group & 7u; }
uint32_t NVIC_GetPriorityGrouping(void) { return prio_group; }

/* CMSIS's encoding for 4 priority bits. */
uint32_t NVIC_EncodePriority(uint32_t group, uint32_t preempt, uint32_t sub)
{
    uint32_t g = group & 7u;
    uint32_t pre_bits = (7u - g) > 4u ? 4u : 7u - g;
    uint32_t sub_bits = (g + 4u) < 7u ? 0u : g + 4u - 7u;

    return ((preempt & ((1u << pre_bits) - 1u)) << sub_bits) | (sub & ((1u << sub_bits) - 1u));
}

void NVIC_SystemReset(void)
{
    mvk_host_app_restart(MVK_HOST_RESTART_REQUESTED);
}

void mvk_cmsis_disable_irq(void)
{
    mvk_host_nvic_block(0);
}

void mvk_cmsis_enable_irq(void)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, mvk_host_nvic_signal());
    pthread_sigmask(SIG_UNBLOCK, &s, 0);
}

uint32_t mvk_cmsis_get_primask(void)
{
    sigset_t cur;

    pthread_sigmask(SIG_BLOCK, 0, &cur);
    return sigismember(&cur, mvk_host_nvic_signal()) ? 1u : 0u;
}

void mvk_cmsis_wfi(void)
{
    (void)mvk_host_nvic_wait(-1);
}

/* SysTick's clock: a port thread that pends the SysTick slot every period. */
static void *systick_main(void *arg)
{
    struct timespec next;

    (void)arg;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (;;) {
        uint64_t ns = atomic_load(&systick_ns);
        uint64_t step = ns ? ns : 10000000u; /* off: look again in 10 ms */

        next.tv_nsec += (long)(step % 1000000000u);
        next.tv_sec += (time_t)(step / 1000000000u) + (next.tv_nsec >= 1000000000L);
        next.tv_nsec %= 1000000000L;
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, 0);
        if (ns && atomic_load(&systick_ns))
            mvk_host_nvic_pend(MVK_HOST_IRQ_SYSTICK);
    }
    return 0;
}

uint32_t SysTick_Config(uint32_t ticks)
{
    pthread_t t;

    if (ticks == 0 || ticks > 0x1000000u)
        return 1u; /* the 24-bit reload register cannot hold it */
    atomic_store(&systick_ns, (uint64_t)ticks * 1000000000u / SYSTICK_HZ);
    mvk_host_nvic_enable(MVK_HOST_IRQ_SYSTICK);
    if (!atomic_exchange(&systick_started, 1)) {
        if (pthread_create(&t, 0, systick_main, 0) != 0)
            return 1u;
        pthread_detach(t);
    }
    return 0u;
}

void mvk_host_systick_stop(void)
{
    atomic_store(&systick_ns, 0);
}
