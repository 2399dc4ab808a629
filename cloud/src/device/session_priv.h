/* Internals shared by the session files: channel state and handler entry points. */
#ifndef MVR_SESSION_PRIV_H
#define MVR_SESSION_PRIV_H

#include "mvp/ctrl.h"
#include "mvp/wire.h"
#include "mvr/session.h"
#include "svc/svc.h"

#define CHAN_MSG_MAX 4096u /* largest typed request the relay accepts on a channel */

struct mvr_chan {
    uint16_t id;
    uint32_t type;
    uint32_t window;      /* receive window we granted (from our initial grant) */
    uint32_t rx_credit;   /* bytes the device may still send */
    uint32_t rx_consumed; /* consumed since the last WINDOW we sent */
    uint32_t tx_credit;   /* bytes we may still send */
    uint8_t *tx_pending;  /* bytes waiting for credit */
    size_t tx_len;
    struct mvp_reader rd; /* typed messages in the DATA stream */
    uint8_t *rdbuf;       /* rdmax bytes while a message is partly received, else NULL */
    uint32_t rdmax;       /* svc->max_msg, or CHAN_MSG_MAX */
    const struct mvr_svc *svc; /* the service behind this channel */
    void *svc_state;           /* owned by the service, released in svc->close */
};

/* Queues ERROR{code, frame_type, msg}. */
void mvr_sess_error(struct mvr_session *s, uint32_t code, uint8_t frame_type, const char *msg);
/* Protocol violation on the control level: ERROR then close with 1002. Returns -1. */
int mvr_sess_fatal(struct mvr_session *s, uint32_t code, uint8_t frame_type, const char *msg);

int mvr_sess_on_open(struct mvr_session *s, const struct mvp_frame *f);
int mvr_sess_on_data(struct mvr_session *s, const struct mvp_frame *f);
int mvr_sess_on_window(struct mvr_session *s, const struct mvp_frame *f);
int mvr_sess_on_close(struct mvr_session *s, const struct mvp_frame *f);
int mvr_sess_on_log(struct mvr_session *s, const struct mvp_frame *f, int64_t now);
/* Releases the session's log jobs (one in the writer is orphaned, not freed). */
void mvr_sess_log_free(struct mvr_session *s);
/* Lets the service release its state (svc->close), then frees the channel. */
void mvr_chan_free(struct mvr_session *s, struct mvr_chan *c);
/* Sends typed-message bytes on a channel within credit, keeping the rest pending. */
int mvr_chan_send(struct mvr_session *s, struct mvr_chan *c, const uint8_t *p, size_t n);
/* Credit left for new output once what is already pending has been sent. */
size_t mvr_chan_avail(const struct mvr_chan *c);
/* Ends a channel from the relay's side: svc->close, CLOSE{reason} to the device, free.
 * For services that finish a channel on their own (the upstream went away). */
int mvr_chan_close(struct mvr_session *s, struct mvr_chan *c, uint32_t reason);

#endif
