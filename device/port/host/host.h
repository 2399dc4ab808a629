/* Host port internals shared by main.c, the kernel loop, IRQ delivery and the app
 * registry. The kernel model: one kernel lock; the kernel loop thread and every system
 * call run kernel code only while holding it; IRQ handlers run on their own thread
 * without it. */
#ifndef MVK_HOST_H
#define MVK_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "mv_app_port.h"

/* STM32U585 NVIC numbers 0..124 (WWDG .. FMAC): real apps pick their notification IRQs
 * from this range (TIM1_BRK 41, TIM2 45, TIM8_BRK 51), as Microvisor allows. */
#define MVK_HOST_NUM_IRQS 125u
#define MVK_HOST_IRQ_WORDS ((MVK_HOST_NUM_IRQS + 31u) / 32u)
#define MVK_HOST_APP_STACK (1u << 20)
#define MVK_HOST_MAX_APPS 16

/* Kernel lock (kernel_lock.c). leave() also wakes the kernel loop, because a system
 * call may have queued frames or changed what the loop waits for. */
void mvk_host_kernel_enter(void);
void mvk_host_kernel_leave(void);
int mvk_host_kernel_wake_fd(void); /* readable when the loop should run */
void mvk_host_kernel_drain_wake(void);
int mvk_host_kernel_lock_init(void);
/* The loop takes the same lock without waking itself up. */
void mvk_host_loop_lock(void);
void mvk_host_loop_unlock(void);

/* Kernel loop (loop.c): runs until mvk_host_loop_stop(). */
void *mvk_host_loop_main(void *arg);
void mvk_host_loop_stop(void);

/* Connection-failure lines on stderr, rate-limited (diag.c). After mvk_kernel_init. */
void mvk_host_diag_install(void);

/* IRQ delivery (irq.c). */
int mvk_host_irq_start(void);
void mvk_host_irq_stop(void);

/* App registry and shim (apps.c): implements mv_app_port.h (included so the compiler
 * checks the definitions against the apps' view). */
void (*mvk_host_app_find(const char *name))(void);
void mvk_host_app_list(char *out, size_t cap);
/* Runs an IRQ's handler (called by irq.c) and wakes app_port_wait_ms. */
void mvk_host_app_irq(uint32_t irq);

/* Threads whose stacks are app memory (stack.c). */
int mvk_host_start_app_thread(void *(*fn)(void *), void *arg);
/* Registers the app's static data (section mvapp_data) as app memory. */
void mvk_host_register_app_statics(void);

#endif
