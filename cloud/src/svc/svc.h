/* Channel services: one per channel type (config fetch, HTTP proxy, MQTT bridge) behind
 * one small interface: open, message, window, close. The session owns each channel and
 * its flow control; a service owns only its per-channel state (c->svc_state). */
#ifndef MVR_SVC_H
#define MVR_SVC_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/frame.h"

struct mvr_session;
struct mvr_chan;

/* msg() returns this to have the session reset the channel (CLOSE CHANNELRESETBYSERVER). */
#define MVR_SVC_RESET (-2)

struct mvr_svc {
    const char *name;
    /* OPEN of this service's channel type: 0 accepts (the service may set c->svc_state),
     * or an MvStatus refuses it with *why as the OPEN_ERR text. */
    uint32_t (*open)(void *ctx, struct mvr_session *s, struct mvr_chan *c,
                     const uint8_t *endpoint, size_t endpoint_len, const char **why);
    /* One complete typed message from the device (m->hdr.type, m->payload, m->hdr.len):
     * 0, -1 when the session must end (out of memory), or MVR_SVC_RESET. */
    int (*msg)(void *ctx, struct mvr_session *s, struct mvr_chan *c, const struct mvp_frame *m);
    /* Optional: the device granted credit and what was pending has been flushed; a
     * service that withheld output (backpressure) may produce more now. */
    void (*window)(void *ctx, struct mvr_session *s, struct mvr_chan *c);
    /* Optional: the channel is going away (device CLOSE, reset, session end). Cancel
     * outstanding work and free c->svc_state; nothing may touch c afterwards. */
    void (*close)(void *ctx, struct mvr_session *s, struct mvr_chan *c);
    /* Optional: called about once a second (session tick) for paced output. */
    void (*tick)(void *ctx, struct mvr_session *s, struct mvr_chan *c, int64_t now);
    /* Optional: the session's output queue drained below MVR_OUTQ_REFILL (the transport
     * wrote to the device); a service that held back bulk output may queue more. */
    void (*writable)(void *ctx, struct mvr_session *s, struct mvr_chan *c);
    void *ctx;
    /* Largest typed message body the service accepts (0: CHAN_MSG_MAX); the channel's
     * reassembly buffer is this big. */
    uint32_t max_msg;
};

/* Built in: config fetch needs only the session's store. */
extern const struct mvr_svc mvr_svc_cfgfetch;

/* The update channel (MVP_CHAN_UPDATE, owned by the device kernel): bundles are read
 * from dd's apps/ folder, at most rate bytes/s per device (0: unlimited). cfg must
 * outlive the service. */
struct mvr_datadir;
struct mvr_svc_update_cfg {
    const struct mvr_datadir *dd;
    uint32_t rate;
};
struct mvr_svc mvr_svc_update_make(const struct mvr_svc_update_cfg *cfg);
/* The device's target changed: offer it on the session's update channel, if open. */
void mvr_svc_update_kick(struct mvr_session *s);

#endif
