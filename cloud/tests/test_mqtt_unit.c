/* Unit tests for the MQTT bridge's pure parts: the mqtt_broker / mqtt_allow settings and
 * the allow list, the message FIFO, and the store that carries unacknowledged messages
 * over to a resumed session. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/config.h"
#include "svc/mqtt/mqtt_held.h"
#include "svc/mqtt/mqtt_msg.h"

static int args(struct mvr_config *c, int argc, char **argv)
{
    char err[512];
    mvr_config_defaults(c);
    return mvr_config_args(c, argc, argv, err, sizeof err);
}

Test(mqtt_config, default_allows_only_the_local_broker)
{
    struct mvr_config c;
    char *argv[] = {"mvrelay", "--data-dir", "/tmp/x"};
    cr_assert_eq(args(&c, 3, argv), 0);
    cr_assert(mvr_mqtt_allowed(&c.mqtt, "localhost", 1883));
    cr_assert(mvr_mqtt_allowed(&c.mqtt, "LocalHost", 1883));
    cr_assert_not(mvr_mqtt_allowed(&c.mqtt, "localhost", 1884));
    cr_assert_not(mvr_mqtt_allowed(&c.mqtt, "127.0.0.1", 1883)); /* names, not addresses */
    cr_assert_not(mvr_mqtt_allowed(&c.mqtt, "broker.example", 1883));
}

Test(mqtt_config, broker_and_allow_flags)
{
    struct mvr_config c;
    char *argv[] = {
        "mvrelay",      "--data-dir",          "/tmp/x",       "--mqtt-broker", "mosquitto:1883",
        "--mqtt-allow", "broker.example:8883", "--mqtt-allow", "any.example:*"};
    cr_assert_eq(args(&c, 9, argv), 0);
    cr_assert(mvr_mqtt_allowed(&c.mqtt, "mosquitto", 1883));
    cr_assert_not(mvr_mqtt_allowed(&c.mqtt, "localhost", 1883)); /* replaced default */
    cr_assert(mvr_mqtt_allowed(&c.mqtt, "broker.example", 8883));
    cr_assert_not(mvr_mqtt_allowed(&c.mqtt, "broker.example", 1883));
    cr_assert(mvr_mqtt_allowed(&c.mqtt, "any.example", 1));
    cr_assert(mvr_mqtt_allowed(&c.mqtt, "any.example", 65535));
    cr_assert_not(mvr_mqtt_allowed(&c.mqtt, "sub.any.example", 1883));
}

Test(mqtt_config, bad_values_refused)
{
    struct mvr_config c;
    char *a1[] = {"mvrelay", "--data-dir", "/tmp/x", "--mqtt-allow", "nohost"};
    char *a2[] = {"mvrelay", "--data-dir", "/tmp/x", "--mqtt-allow", "*.example:1883"};
    char *a3[] = {"mvrelay", "--data-dir", "/tmp/x", "--mqtt-broker", "h:*"};
    char *a4[] = {"mvrelay", "--data-dir", "/tmp/x", "--mqtt-allow", "h:0"};
    cr_assert_eq(args(&c, 5, a1), -1);
    cr_assert_eq(args(&c, 5, a2), -1);
    cr_assert_eq(args(&c, 5, a3), -1);
    cr_assert_eq(args(&c, 5, a4), -1);
}

static struct mq_msg *msg(const char *topic, int qos, uint32_t corr)
{
    struct mq_msg *m = mq_msg_new(topic, strlen(topic), "pl", 2, qos, 0);
    cr_assert_not_null(m);
    m->corr = corr;
    return m;
}

Test(mqtt_msg, fifo_take_and_bytes)
{
    struct mq_list l;
    mq_list_init(&l);
    mq_list_push(&l, msg("a", 1, 1));
    mq_list_push(&l, msg("bb", 1, 2));
    mq_list_push(&l, msg("ccc", 1, 3));
    cr_assert_eq(l.n, 3);
    cr_assert_eq(l.bytes, 1 + 2 + 3 + 3 * 2);
    struct mq_msg *m = mq_list_take(&l, 3); /* the tail: later pushes must still link */
    cr_assert_eq(m->corr, 3);
    free(m);
    mq_list_push(&l, msg("d", 1, 4));
    cr_assert_null(mq_list_take(&l, 9));
    uint32_t want[] = {1, 2, 4};
    for (int i = 0; i < 3; i++) {
        m = mq_list_pop(&l);
        cr_assert_eq(m->corr, want[i]);
        free(m);
    }
    cr_assert_null(mq_list_pop(&l));
    cr_assert_eq(l.bytes, 0);
}

Test(mqtt_held, keeps_qos1_in_order_per_session)
{
    struct mq_held *h = mq_held_new();
    struct mq_list l, out;
    mq_list_init(&l);
    mq_list_init(&out);
    mq_list_push(&l, msg("q1", 1, 1));
    mq_list_push(&l, msg("q0", 0, 2)); /* QoS 0: at most once, not kept */
    mq_list_push(&l, msg("q2", 2, 3));
    cr_assert_eq(mq_held_put(h, "dev|b|1|c", &l), 0);
    cr_assert_eq(l.n, 0);
    cr_assert_eq(mq_held_count(h), 2);
    mq_held_take(h, "dev|b|1|other", &out);
    cr_assert_eq(out.n, 0);
    mq_held_take(h, "dev|b|1|c", &out);
    cr_assert_eq(out.n, 2);
    cr_assert_eq(out.head->corr, 1);
    cr_assert_eq(out.head->next->corr, 3);
    cr_assert_eq(mq_held_count(h), 0);
    mq_list_free(&out);
    mq_held_free(h);
}

Test(mqtt_held, clean_start_drops_and_bound_evicts_oldest)
{
    struct mq_held *h = mq_held_new();
    struct mq_list l;
    char key[32];
    for (int i = 0; i < MQ_HELD_SESSIONS; i++) {
        mq_list_init(&l);
        mq_list_push(&l, msg("t", 1, (uint32_t)i));
        snprintf(key, sizeof key, "k%d", i);
        cr_assert_eq(mq_held_put(h, key, &l), 0);
    }
    mq_list_init(&l);
    mq_list_push(&l, msg("t", 1, 9));
    cr_assert_eq(mq_held_put(h, "new", &l), 1); /* k0, the oldest, went */
    cr_assert_eq(mq_held_drop(h, "k0"), 0);
    cr_assert_eq(mq_held_drop(h, "k1"), 1);
    cr_assert_eq(mq_held_count(h), MQ_HELD_SESSIONS - 1);
    mq_held_free(h);
}
