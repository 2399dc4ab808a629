/* Host port internals shared by main.c, the kernel loop, IRQ delivery and the app
 * registry. The kernel model: one kernel lock; the kernel loop thread and every system
 * call run kernel code only while holding it; IRQ handlers run on their own thread
 * without it. */
#ifndef MVK_HOST_H
#define MVK_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "mv_app_port.h"
#include "nvic.h"

#define MVK_HOST_APP_STACK (1u << 20)
#define MVK_HOST_MAX_APPS 16

/* Kernel lock (kernel_lock.c). enter() also blocks the interrupt signal, so no app
 * handler ever runs on top of kernel code; leave() also wakes the kernel loop, because a
 * system call may have queued frames or changed what the loop waits for. */
void mvk_host_kernel_enter(void);
void mvk_host_kernel_leave(void);
/* 1 while the calling thread runs kernel code (a fault there is the kernel's). */
int mvk_host_in_kernel(void);
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

/* App registry (apps.c): APP_PORT_MAIN entries registered by the loaded app object. */
void (*mvk_host_app_registered(const char *name))(void);

/* The application object (appload.c): apps/NAME.so next to mvdevice, or a path. */
const char *mvk_host_app_dir(void);
/* Loads it, registers its segments as app memory, resolves its vector table and entry
 * (APP_PORT_MAIN, else main); 0, or -1 with a message. */
int mvk_host_app_load(const char *name_or_path, char *err, size_t errlen);
/* The app's entry point (valid after a successful load). */
void mvk_host_app_call_entry(void);
/* Restores the app's writable data to its state after loading (its crt0 again). */
void mvk_host_app_restore(void);
/* Names of the app objects in mvk_host_app_dir(), space-separated. */
void mvk_host_app_list(char *out, size_t cap);

/* The application thread (app_run.c): runs the entry, and restarts the application
 * alone after a fault or NVIC_SystemReset, as Microvisor does. */
enum mvk_host_restart { MVK_HOST_RESTART_FAULT = 1, MVK_HOST_RESTART_REQUESTED = 2 };
int mvk_host_app_start(void);
void mvk_host_app_restart(enum mvk_host_restart why);
/* 1 on the application thread (set by app_run.c). */
extern _Thread_local int mvk_host_on_app_thread;
/* From the fault handler: back to the app thread's base, which restarts the app. */
void mvk_host_app_fault_jump(int sig, void *addr) __attribute__((noreturn));
/* Fault signals (fault.c): a fault on the app thread outside the kernel restarts the
 * application; anywhere else it is fatal (the previous handler, e.g. ASan's, runs). */
int mvk_host_fault_init(void);
int mvk_host_fault_thread_init(void);
void mvk_host_systick_stop(void);

/* Threads whose stacks are app memory (stack.c), with a guard page below. */
int mvk_host_start_app_thread(void *(*fn)(void *), void *arg);

#endif
