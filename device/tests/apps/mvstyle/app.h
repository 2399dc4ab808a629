/* mvstyle: a test application written the way KORE's Microvisor demos are (static
 * 512-aligned buffers, string literals handed to the kernel, an STM32U585 timer IRQ
 * with NVIC_EnableIRQ and its vector-table handler, int main), with no host-port shim,
 * to prove such code runs unchanged on mvdevice. Shared declarations of its files. */
#ifndef MVSTYLE_APP_H
#define MVSTYLE_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "mv_syscalls.h"
#include "stm32u5xx.h"

#define TAG_NETWORK 1u
#define TAG_CONFIG 2u
#define TAG_HTTP 3u
#define TAG_MQTT 4u

/* logging.c */
void log_init(void);
void server_log(const char *format_string, ...) __attribute__((format(printf, 1, 2)));

/* notify.c: the notification center on TIM8_BRK_IRQn; events counted per tag. */
MvNotificationHandle notify_init(void);
uint32_t notify_count(uint32_t tag);

/* net.c */
MvNetworkHandle net_connect(MvNotificationHandle nh);

/* config.c: fetches mvstyle-greeting (config), mvstyle-secret (secret), mvstyle-fault. */
void config_fetch(MvNotificationHandle nh, MvNetworkHandle net, char *fault_mode, uint32_t cap);

/* channels.c: opens an HTTP and an MQTT channel and reports the relay's answer. */
void channels_try(MvNotificationHandle nh, MvNetworkHandle net);

/* hal.c: SysTick tick, delays and the RCC clock enable through mvPeriphPoke32. */
void hal_init(void);
uint32_t hal_get_tick(void);
void hal_delay(uint32_t ms);
bool hal_enable_gpioa_clock(void);

/* crash.c: the deliberate fault, "null" (bad pointer) or "overflow" (recursion). */
void crash(const char *mode);

#endif
