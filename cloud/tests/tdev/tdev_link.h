/* Frames over a test WebSocket connection (wsclient.c), shared by the relay's test
 * devices (mvtdev, mvtmqtt) and the benchmark drivers: encode and send one frame, and
 * read the next one with the relay's PINGs answered on the way. */
#ifndef TDEV_LINK_H
#define TDEV_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/frame.h"
#include "wsclient.h"

#define TDEV_CLOSED (-2) /* tdev_next_frame: the relay closed the connection */

struct tdev_link {
    struct ws *ws;
    struct mvp_reader rd;
    uint8_t rdbuf[MVP_MAX_FRAME_PAYLOAD];
    uint8_t buf[70000]; /* bytes received and not yet fed to rd */
    size_t len, off;
};

/* Binds l to ws (connected or not yet) with an empty reader. */
void tdev_link_init(struct tdev_link *l, struct ws *ws);
/* Encodes and sends one frame; 0 or -1. */
int tdev_send_frame(struct ws *ws, uint8_t type, uint16_t chan, const uint8_t *p,
                    uint32_t len);
/* The next frame other than a relay PING (answered with a PONG if the socket takes it): 1; 0 when timeout_ms
 * (>= 0) passed first (< 0 waits without limit); TDEV_CLOSED when the relay closed the
 * connection; -1 on a malformed frame or a transport error. */
int tdev_next_frame(struct tdev_link *l, struct mvp_frame *f, int timeout_ms);
/* 1 when received bytes wait in l (the socket may be idle). */
int tdev_link_buffered(const struct tdev_link *l);

#endif
