/* Host port interrupt controller: a software NVIC for the STM32U585's 125 IRQs plus
 * SysTick. Interrupts run on the application's own thread, delivered by a real-time
 * signal, so a handler preempts the application exactly where it is (as an exception
 * does on the core) and PRIMASK is that signal's mask. Kernel code never runs an
 * ordinary handler: the kernel lock holds them back (kernel_lock.c); fast IRQs are
 * not held back. */
#ifndef MVK_HOST_NVIC_H
#define MVK_HOST_NVIC_H

#include <signal.h>
#include <stdint.h>

#define MVK_HOST_NUM_IRQS 125u
/* Handler slots: the IRQs, then SysTick. */
#define MVK_HOST_IRQ_SYSTICK MVK_HOST_NUM_IRQS
#define MVK_HOST_IRQ_SLOTS (MVK_HOST_NUM_IRQS + 1u)

typedef void (*mvk_host_isr)(void);

/* "WWDG_IRQHandler" .. "FMAC_IRQHandler", by IRQ number (vectors.c). */
extern const char *const mvk_host_vector_names[MVK_HOST_NUM_IRQS];

/* Installs the interrupt signal's handler; 0 or -1. */
int mvk_host_nvic_init(void);
/* The calling thread becomes the one that takes the application's interrupts. */
void mvk_host_nvic_set_app_thread(void);
/* The signal that delivers interrupts. */
int mvk_host_nvic_signal(void);
void mvk_host_nvic_block(sigset_t *old);
/* Around kernel code on the calling thread (kernel_lock.c): an interrupt arriving
 * meanwhile runs right after release(), never on top of the kernel. */
void mvk_host_nvic_hold(void);
void mvk_host_nvic_release(void);
void mvk_host_nvic_restore(const sigset_t *old);

/* Pends slot n (any thread; the kernel calls it through mvk_port_raise_irq). */
void mvk_host_nvic_pend(uint32_t n);
void mvk_host_nvic_enable(uint32_t n);
void mvk_host_nvic_disable(uint32_t n);
void mvk_host_nvic_unpend(uint32_t n);
/* Fast IRQ (on = 1): its handler also runs while the app thread is inside the kernel
 * or waiting for the kernel lock (irq.c sets it for mvSetFastInterrupt). */
void mvk_host_nvic_set_fast(uint32_t n, int on);
uint32_t mvk_host_nvic_is_fast(uint32_t n);
uint32_t mvk_host_nvic_is_enabled(uint32_t n);
uint32_t mvk_host_nvic_is_pending(uint32_t n);
/* The handler named in the app's vector table (resolved at load), and the one set at
 * run time with app_port_set_irq_handler, which wins. */
void mvk_host_nvic_set_vector(uint32_t n, mvk_host_isr h);
void mvk_host_nvic_set_handler(uint32_t n, mvk_host_isr h);
/* Application restart: nothing enabled or pending, run-time handlers and SysTick off
 * (the vector table stays: it is the same code). */
void mvk_host_nvic_reset(void);
/* Sleeps until a handler ran or timeout_ms passed (< 0: forever); 1 if one ran. */
int mvk_host_nvic_wait(int timeout_ms);

#endif
