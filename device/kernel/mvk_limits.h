/* Every size the kernel core allocates statically, in one place (no malloc in the
 * kernel). Ports may override a value with -D before this header is included, as long
 * as the documented minimums hold. */
#ifndef MVK_LIMITS_H
#define MVK_LIMITS_H

/* Handles: notification centers + network requests + channels + system events +
 * external flash, with room to spare so that churn never starves a type. */
#ifndef MVK_MAX_HANDLES
#define MVK_MAX_HANDLES 64u
#endif

/* Notification centers (Microvisor: 32). */
#define MVK_MAX_NOTIFY 32u
#define MVK_NOTIFY_ENTRY_SIZE 16u /* sizeof(struct MvNotification) */
#define MVK_NOTIFY_MIN_BUFFER 32u
#define MVK_NOTIFY_ALIGN 8u       /* the entry starts with a uint64_t */

/* mvOpenSystemNotification subscriptions. */
#define MVK_MAX_SYSEVENTS 4u

/* Concurrent mvRequestNetwork handles. */
#define MVK_MAX_NET_REQUESTS 8u

/* Channels (Microvisor: 4). Buffers live in application memory. */
#define MVK_MAX_CHANNELS 4u
#define MVK_CHAN_ALIGN 4u            /* Microvisor asks 512; we document 4 */
#define MVK_CHAN_MIN_RX 1024u        /* = MVP_MIN_WINDOW: the relay's minimum credit */
#define MVK_CHAN_MAX_RX (1u << 20)   /* = MVP_MAX_WINDOW */
#define MVK_CHAN_MIN_TX 64u
#define MVK_CHAN_MAX_TX (1u << 20)
#define MVK_CHAN_OPEN_RATE 8u        /* opens per MVK_CHAN_OPEN_PERIOD_US */
#define MVK_CHAN_OPEN_PERIOD_US 1000000u
/* An OPEN the relay answers neither with OPEN_OK nor OPEN_ERR within this time (from
 * mvOpenChannel) is given up: the channel closes with CONNECTIONTERMINATED, so an app
 * waiting for data is told instead of waiting forever on a stalled relay. */
#define MVK_CHAN_OPEN_TIMEOUT_US (10u * 1000000ull)
/* Channel ids closed by the app whose CLOSE frame is still waiting for tx space. */
#define MVK_CHAN_CLOSE_QUEUE 8u

/* Application memory the kernel holds on to (notification rings, channel buffers,
 * log buffer): each claim is checked against the others (BUFFERALREADYINUSE). */
#define MVK_MAX_APP_BUFFERS (MVK_MAX_NOTIFY + 2u * MVK_MAX_CHANNELS + 1u)

/* Server logging: the buffer is application memory handed over by
 * mvServerLoggingInit. The minimum is Microvisor's (1 KiB, what KORE's demos pass);
 * records carry a 16-byte header, so a message close to 1 KiB only fits a larger
 * buffer, and is refused as "buffer full" (INVALIDBUFFERSIZE) otherwise. */
#define MVK_LOG_ALIGN 4u
#define MVK_LOG_MIN_BUFFER 1024u
#define MVK_LOG_MAX_BUFFER (1u << 20)
#define MVK_LOG_MAX_MSG 1024u        /* = MVP_MAX_LOG_MSG */
/* Unacknowledged records lost with a faulted application's buffer are remembered as
 * this many seq ranges until the next mvServerLoggingInit reports them as a GAP (more
 * ranges are merged; see log_lost.c). */
#define MVK_LOG_LOST_RANGES 8u

/* After an application reset the kernel keeps wanting the network this long, so the
 * restarted application finds the session still up instead of waiting for a reconnect. */
#define MVK_APP_RESET_NET_HOLD_US (10u * 1000000ull)

/* After the log buffer drains, an app that never called mvRequestNetwork keeps the
 * session this long: one that logs every few seconds would otherwise pay a TLS handshake
 * for nearly every record. */
#define MVK_LOG_NET_LINGER_US (30u * 1000000ull)

/* One frame payload assembled by the kernel (LOG batches, DATA frames, ...). */
#define MVK_TX_SCRATCH 16384u        /* = MVP_MAX_FRAME_PAYLOAD */

/* Config fetch: keys copied in by mvSendConfigFetchRequest. */
#define MVK_CFG_MAX_KEYS 16u         /* = MVP_MAX_CFG_KEYS */
#define MVK_CFG_MAX_KEY 128u         /* = MVP_MAX_CFG_KEY */

/* mvGetDeviceId wants exactly this buffer length ("UV" + 32 hex + NUL). */
#define MVK_DEVICE_ID_LEN 34u

#endif
