/* Broker-to-device messages as the MQTT bridge keeps them: queued until the device has
 * credit, then held until the application acknowledges them (QoS 1/2), and carried over
 * to the next channel of the same MQTT session (svc/mqtt/mqtt_held.c). */
#ifndef MVR_MQTT_MSG_H
#define MVR_MQTT_MSG_H

#include <stddef.h>
#include <stdint.h>

struct mq_msg {
    struct mq_msg *next;
    uint32_t corr; /* correlation id given to the device (0 = not sent yet) */
    uint8_t qos, retain;
    uint8_t lost; /* only its topic and length are kept: MQTT_LOST */
    uint16_t topic_len;
    uint32_t payload_len;
    uint8_t data[]; /* topic, then payload */
};

/* A FIFO of messages. */
struct mq_list {
    struct mq_msg *head, **tail;
    size_t n, bytes;
};

struct mq_msg *mq_msg_new(const void *topic, size_t topic_len, const void *payload,
                          size_t payload_len, int qos, int retain);
void mq_list_init(struct mq_list *l);
void mq_list_push(struct mq_list *l, struct mq_msg *m);
struct mq_msg *mq_list_pop(struct mq_list *l);
/* Removes and returns the message with correlation id corr, or NULL. */
struct mq_msg *mq_list_take(struct mq_list *l, uint32_t corr);
/* Moves every message of src to the end of dst. */
void mq_list_append(struct mq_list *dst, struct mq_list *src);
void mq_list_free(struct mq_list *l);

#endif
