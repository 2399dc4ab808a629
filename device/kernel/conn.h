/* The kernel's one connection to the relay: link (port) + TLS (mbedTLS) + WebSocket
 * client + proto frames + reconnect with jittered exponential backoff.
 * conn owns HELLO/WELCOME, PING/PONG and GOAWAY; every other frame goes to
 * mvk_session_frame(). Single-threaded: all of these run in the kernel's context. */
#ifndef MVK_CONN_H
#define MVK_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/ctrl.h"
#include "mvp/frame.h"

enum mvk_conn_state {
    MVK_CONN_IDLE,       /* network not wanted: no link */
    MVK_CONN_BACKOFF,    /* waiting before the next attempt */
    MVK_CONN_CONNECTING, /* link, TLS, WebSocket upgrade or HELLO in progress */
    MVK_CONN_UP,         /* WELCOME received; frames flow */
};

/* --- provided by conn.c and its helpers --- */
void mvk_conn_init(void);
/* The network module says whether the app wants the network (ref count > 0) or
 * logging needs it. Going to 0 closes the session cleanly. */
void mvk_conn_set_wanted(int wanted);
/* Drives everything: call whenever the link may have data and at least every
 * mvk_conn_next_deadline_us(). */
void mvk_conn_poll(uint64_t now_us);
uint64_t mvk_conn_next_deadline_us(void);
enum mvk_conn_state mvk_conn_state(void);
/* Queue one frame. 0 on success, -1 if the session is not up, -2 if there is not
 * enough transmit space now (retry after mvk_session_writable()). */
int mvk_conn_send(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len);
/* Largest payload mvk_conn_send accepts right now (0 if not up). */
uint32_t mvk_conn_send_space(void);

/* --- provided by the kernel core, called by conn --- */
/* HELLO fields the kernel owns. */
uint64_t mvk_session_boot_id(void);
uint32_t mvk_session_log_next_seq(void);
/* The session is up (WELCOME accepted): set wall time, resend unacked logs, ... */
void mvk_session_up(const struct mvp_welcome *w);
/* The session ended (link lost, GOAWAY, protocol error): channels close with
 * MV_CLOSURE_REASON_NETWORKDISCONNECTED. */
void mvk_session_down(void);
/* Any frame other than HELLO/WELCOME/PING/PONG/GOAWAY, already header-checked. */
void mvk_session_frame(const struct mvp_hdr *h, const uint8_t *payload);
/* Transmit space became available after a -2 from mvk_conn_send. */
void mvk_session_writable(void);

#endif
