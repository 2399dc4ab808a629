/* Channels: up to MVK_MAX_CHANNELS byte streams multiplexed over the session, with
 * receive and send buffers in application memory and per-channel credit flow control.
 * Typed channels (HTTP, MQTT, config fetch) carry typed messages (mvp/msg.h) in the
 * same byte stream; their modules use the mvk_chan_*_msg functions below. */
#ifndef MVK_CHAN_H
#define MVK_CHAN_H

#include <stdint.h>

#include "mv_syscalls.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"

struct mvk_chan;

void mvk_chan_init(void);
/* The application is restarting: every channel is forgotten (handle freed, buffers
 * released); an open one is closed towards the relay with UNEXPECTEDLYTERMINATED. */
void mvk_chan_app_reset(void);

/* --- for typed-channel modules (config.c, sys_http.c, sys_mqtt.c) --- */
/* MV_STATUS_OKAY and *out, MV_STATUS_INVALIDHANDLE (unknown handle or other type) or
 * MV_STATUS_CHANNELCLOSED (the channel was closed by the server or the network). */
int mvk_chan_lookup(MvChannelHandle h, enum MvChannelType type, struct mvk_chan **out);
/* Queues one typed message {type, body} for sending, all or nothing:
 * MV_STATUS_INVALIDBUFFERSIZE if it can never fit the send buffer,
 * MV_STATUS_MICROVISORBUSY if it does not fit now (retry after CHANNELDATAWRITESPACE),
 * MV_STATUS_CHANNELCLOSED if the channel is closed. body may be app memory. */
enum MvStatus mvk_chan_send_msg(struct mvk_chan *c, uint8_t msg_type, const uint8_t *body,
                                uint32_t len);
/* The next complete received message, without consuming it: MV_STATUS_OKAY, or
 * MV_STATUS_RESPONSENOTPRESENT while none is complete. *body points into the receive
 * buffer, which is application memory: decode it with the bounds-checked proto
 * decoders and read each field once. Valid until mvk_chan_consume_msg. */
enum MvStatus mvk_chan_peek_msg(struct mvk_chan *c, uint8_t *msg_type, const uint8_t **body,
                                uint32_t *len);
/* Drops the message returned by the last peek (and grants the relay more credit). */
void mvk_chan_consume_msg(struct mvk_chan *c);
/* Per-channel word for the typed module (request state), zeroed when opened. */
uint32_t *mvk_chan_typed_state(struct mvk_chan *c);
/* The receive buffer size, i.e. the relay's total credit (for "response too large"). */
uint32_t mvk_chan_rx_capacity(const struct mvk_chan *c);

/* --- session glue --- */
void mvk_chan_session_up(const struct mvp_welcome *w);
void mvk_chan_session_down(void);
/* OPEN_OK, OPEN_ERR, DATA, WINDOW, CLOSE. */
void mvk_chan_frame(const struct mvp_hdr *h, const uint8_t *payload);
/* Sends whatever is pending (OPEN, DATA within credit, WINDOW, CLOSE) while conn has
 * room. Called after every change and from mvk_session_writable. */
void mvk_chan_pump(void);
/* A fresh wire channel id for a kernel-owned channel (the update channel), from the same
 * strictly increasing sequence as the app's channels; 0 if the session is down.
 * unalloc gives it back when its OPEN could not be queued (only the last one). */
uint16_t mvk_chan_alloc_id(void);
void mvk_chan_unalloc_id(uint16_t id);
/* Best-effort ERROR{code, frame_type} to the relay. */
void mvk_chan_send_error(uint32_t code, uint8_t frame_type);

/* --- kernel loop (chan_timeout.c) --- */
/* Closes channels whose OPEN went unanswered for MVK_CHAN_OPEN_TIMEOUT_US. */
void mvk_chan_poll(uint64_t now_us);
/* The earliest OPEN deadline, UINT64_MAX if no channel is opening. */
uint64_t mvk_chan_next_deadline_us(void);

/* --- system-call implementations (arguments verified by sys_chan.c) --- */
struct mvk_chan_open {
    uint32_t notify_h, tag;
    uint8_t *rx, *tx;
    uint32_t rx_len, tx_len;
    enum MvChannelType type;
    const uint8_t *endpoint; /* already copied into kernel memory by the caller */
    uint16_t endpoint_len;
};
enum MvStatus mvk_impl_open_channel(const struct mvk_chan_open *o, uint32_t *out);
enum MvStatus mvk_impl_read_channel(uint32_t h, uint8_t **p, uint32_t *len);
enum MvStatus mvk_impl_read_channel_complete(uint32_t h, uint32_t consumed);
/* all = 1: mvWriteChannel (all or nothing, len 0 queries); 0: stream (what fits). */
enum MvStatus mvk_impl_write_channel(uint32_t h, const uint8_t *data, uint32_t len, int all,
                                     uint32_t *result);
enum MvStatus mvk_impl_close_channel(uint32_t h);
enum MvStatus mvk_impl_channel_closure_reason(uint32_t h, enum MvClosureReason *r);

#endif
