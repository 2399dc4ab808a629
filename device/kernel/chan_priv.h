/* Channel state shared by chan.c (system calls), chan_rx.c (frames from the relay) and
 * chan_tx.c (frames to the relay). Not for other modules: they use chan.h. */
#ifndef MVK_CHAN_PRIV_H
#define MVK_CHAN_PRIV_H

#include "chan.h"
#include "mvk_limits.h"

enum mvk_chan_state {
    MVK_CH_FREE = 0,
    MVK_CH_OPENING, /* OPEN queued or sent, no OPEN_OK yet */
    MVK_CH_OPEN,
    MVK_CH_CLOSED,  /* closed by the relay, the network or an error; handle still live */
};

struct mvk_chan {
    enum mvk_chan_state state;
    uint32_t handle;
    uint32_t notify_h, tag;
    enum MvChannelType type;
    uint16_t id;                  /* wire channel id, assigned when OPEN is sent */
    int open_pending;             /* OPEN not yet handed to conn */
    uint64_t open_deadline_us;    /* OPENING: give up at this monotonic time */
    uint8_t endpoint[MVP_MAX_ENDPOINT];
    uint16_t endpoint_len;
    /* Receive buffer (app memory): bytes [0, rx_len) are unread. */
    uint8_t *rx;
    uint32_t rx_cap, rx_len;
    uint32_t peer_credit;         /* bytes the relay may still send */
    uint32_t ungranted;           /* consumed bytes not yet returned with WINDOW */
    int readable_posted;          /* CHANNELDATAREADABLE posted, app has not looked */
    /* Send buffer (app memory): bytes [0, tx_len) wait for credit. */
    uint8_t *tx;
    uint32_t tx_cap, tx_len;
    uint32_t send_credit;         /* bytes the device may still send */
    int space_wanted;             /* a write did not fit: post DATAWRITESPACE later */
    uint32_t msg_len;             /* length of the last peeked typed message */
    uint32_t typed_state;
    enum MvClosureReason reason;
    uint32_t open_err_status;
};

extern struct mvk_chan mvk_chans[MVK_MAX_CHANNELS];

struct mvk_chan_session {
    int up;
    uint16_t next_id;
    uint32_t max_payload;
    uint16_t close_ids[MVK_CHAN_CLOSE_QUEUE]; /* ids whose CLOSE is still to be sent */
    enum MvClosureReason close_reasons[MVK_CHAN_CLOSE_QUEUE];
    uint32_t close_count;
};
extern struct mvk_chan_session mvk_chan_sess;

struct mvk_chan *mvk_chan_by_handle(uint32_t h);
struct mvk_chan *mvk_chan_by_id(uint16_t id);
/* Marks c closed for reason and tells the app (CHANNELNOTCONNECTED). */
void mvk_chan_mark_closed(struct mvk_chan *c, enum MvClosureReason reason);
/* Queues CLOSE{reason} for wire id (sent by the pump). */
void mvk_chan_queue_close(uint16_t id, enum MvClosureReason reason);
void mvk_chan_post(struct mvk_chan *c, enum MvEventType ev);
/* 1 if a typed channel holds at least one complete message. */
int mvk_chan_typed_complete(struct mvk_chan *c);
/* Posts CHANNELDATAREADABLE once until the app reads. */
void mvk_chan_post_readable(struct mvk_chan *c);

#endif
