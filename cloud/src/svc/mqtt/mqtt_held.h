/* Messages the relay took from the broker (libmosquitto acknowledges QoS 1/2 on
 * receipt) but the application has not acknowledged when its channel ended. They are
 * kept per MQTT session (device, broker, client id) and delivered first on the next
 * channel that resumes that session (clean_start = 0): at-least-once to the application
 * while the relay process lives. Bounded: MQ_HELD_SESSIONS sessions, oldest dropped. */
#ifndef MVR_MQTT_HELD_H
#define MVR_MQTT_HELD_H

#include <stddef.h>

#include "svc/mqtt/mqtt_msg.h"

#define MQ_HELD_SESSIONS 1024

struct mq_held;

struct mq_held *mq_held_new(void);
void mq_held_free(struct mq_held *h);
/* Keeps the QoS >= 1 messages of l for key (appended to what is kept); frees the rest.
 * Returns the number of messages dropped to stay within bounds. */
size_t mq_held_put(struct mq_held *h, const char *key, struct mq_list *l);
/* Moves the messages kept for key to the end of dst (oldest first). */
void mq_held_take(struct mq_held *h, const char *key, struct mq_list *dst);
/* Forgets key's messages (clean start); returns how many there were. */
size_t mq_held_drop(struct mq_held *h, const char *key);
/* Messages kept in all sessions. */
size_t mq_held_count(const struct mq_held *h);

#endif
