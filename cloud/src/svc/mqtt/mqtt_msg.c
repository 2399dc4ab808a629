/* Message copies and FIFO lists for the MQTT bridge (see mqtt_msg.h). */
#include "svc/mqtt/mqtt_msg.h"

#include <stdlib.h>
#include <string.h>

struct mq_msg *mq_msg_new(const void *topic, size_t topic_len, const void *payload,
                          size_t payload_len, int qos, int retain)
{
    if (topic_len > UINT16_MAX || payload_len > UINT32_MAX - topic_len)
        return NULL;
    struct mq_msg *m = malloc(sizeof *m + topic_len + payload_len);
    if (!m)
        return NULL;
    *m = (struct mq_msg){.qos = (uint8_t)qos,
                         .retain = (uint8_t)(retain != 0),
                         .topic_len = (uint16_t)topic_len,
                         .payload_len = (uint32_t)payload_len};
    if (topic_len)
        memcpy(m->data, topic, topic_len);
    if (payload_len)
        memcpy(m->data + topic_len, payload, payload_len);
    return m;
}

void mq_list_init(struct mq_list *l)
{
    l->head = NULL;
    l->tail = &l->head;
    l->n = l->bytes = 0;
}

void mq_list_push(struct mq_list *l, struct mq_msg *m)
{
    m->next = NULL;
    *l->tail = m;
    l->tail = &m->next;
    l->n++;
    l->bytes += m->topic_len + m->payload_len;
}

static void unlink_at(struct mq_list *l, struct mq_msg **pp)
{
    struct mq_msg *m = *pp;
    *pp = m->next;
    if (l->tail == &m->next)
        l->tail = pp;
    l->n--;
    l->bytes -= m->topic_len + m->payload_len;
    m->next = NULL;
}

struct mq_msg *mq_list_pop(struct mq_list *l)
{
    struct mq_msg *m = l->head;
    if (m)
        unlink_at(l, &l->head);
    return m;
}

struct mq_msg *mq_list_take(struct mq_list *l, uint32_t corr)
{
    for (struct mq_msg **pp = &l->head; *pp; pp = &(*pp)->next) {
        if ((*pp)->corr == corr) {
            struct mq_msg *m = *pp;
            unlink_at(l, pp);
            return m;
        }
    }
    return NULL;
}

void mq_list_append(struct mq_list *dst, struct mq_list *src)
{
    struct mq_msg *m;
    while ((m = mq_list_pop(src)))
        mq_list_push(dst, m);
}

void mq_list_free(struct mq_list *l)
{
    struct mq_msg *m;
    while ((m = mq_list_pop(l)))
        free(m);
}
