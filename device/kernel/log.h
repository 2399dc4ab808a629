/* Server logging with delivery guarantees: records {seq, device µs, message} live in
 * the buffer the app gave mvServerLoggingInit until the relay acknowledges them; they
 * are sent in LOG batches while the session is up and resent after a reconnect.
 * Messages refused because the buffer was full become a GAP record: nothing is lost
 * silently. */
#ifndef MVK_LOG_H
#define MVK_LOG_H

#include <stdint.h>

#include "mv_syscalls.h"
#include "mvp/ctrl.h"

void mvk_log_init(uint64_t boot_id);
uint64_t mvk_log_boot_id(void);
uint32_t mvk_log_next_seq(void);
/* 1 while records (or a pending gap) wait for delivery and the server allows logging. */
int mvk_log_wants_network(void);

void mvk_log_session_up(const struct mvp_welcome *w);
void mvk_log_session_down(void);
/* LOG_ACK payload from the relay. */
void mvk_log_ack(const uint8_t *payload, uint32_t len);
/* Sends unsent records while conn has room. */
void mvk_log_pump(void);

/* The application is being restarted: its buffer's records (all unacknowledged) are
 * accounted for and the buffer is released. Seq counter, boot id and session stay. The
 * next mvServerLoggingInit starts with a GAP record for the records never sent; those
 * sent but unacknowledged get a second GAP once the relay's LOG_ACK or the next
 * WELCOME shows how many it did not store (none if all were). */
void mvk_log_app_reset(void);

/* System-call implementations (arguments verified by sys_log.c). */
enum MvStatus mvk_impl_server_logging_init(uint8_t *buf, uint32_t len);
enum MvStatus mvk_impl_server_log(const uint8_t *msg, uint16_t len);

#endif
