/* relay_mqtt_direct: the anchor for bench/relay_mqtt.sh, a plain libmosquitto client
 * talking to the same broker without the relay.
 *   relay_mqtt_direct pub PORT N QOS SIZE     N publishes (pipelined, as the bridged
 *                                             test device does); prints msgs/s once the
 *                                             broker acknowledged all (QoS 0: written)
 *   relay_mqtt_direct send PORT N TOPIC       N messages 2 ms apart whose payload is the
 *                                             send time (CLOCK_MONOTONIC us), QoS 1
 *   relay_mqtt_direct lat PORT N              subscribes to lat/direct and measures the
 *                                             delivery latency of N such messages that it
 *                                             sends itself (broker round trip, no relay) */
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WINDOW 256 /* publishes outstanding at most */

static long done, want;
static int64_t *lat;
static long lat_n;

static int64_t now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void on_publish(struct mosquitto *m, void *u, int mid)
{
    (void)m, (void)u, (void)mid;
    done++;
}

static void on_message(struct mosquitto *m, void *u, const struct mosquitto_message *msg)
{
    (void)m, (void)u;
    char ts[32];
    size_t k = (size_t)msg->payloadlen < sizeof ts - 1 ? (size_t)msg->payloadlen : sizeof ts - 1;
    memcpy(ts, msg->payload, k);
    ts[k] = '\0';
    if (lat_n < want)
        lat[lat_n++] = now_us() - strtoll(ts, NULL, 10);
}

static struct mosquitto *client(int port)
{
    struct mosquitto *m = mosquitto_new(NULL, true, NULL);
    /* TCP_NODELAY as the relay's client uses: otherwise Nagle delays small messages. */
    if (m)
        mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    if (!m || mosquitto_connect(m, "127.0.0.1", port, 60) != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "relay_mqtt_direct: cannot connect to 127.0.0.1:%d\n", port);
        exit(1);
    }
    mosquitto_publish_callback_set(m, on_publish);
    mosquitto_message_callback_set(m, on_message);
    return m;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int pub(int port, long n, int qos, int size)
{
    struct mosquitto *m = client(port);
    char *p = malloc((size_t)size);
    memset(p, 'x', (size_t)size);
    want = n;
    int64_t t0 = now_us();
    for (long i = 0; i < n; i++) {
        /* At most WINDOW unacknowledged: libmosquitto keeps everything beyond its
         * in-flight limit in a list it searches per acknowledgement, so queueing all N
         * would measure that list, not the broker. The bridged device is bounded the
         * same way by its channel credit. */
        while (i - done >= WINDOW)
            if (mosquitto_loop(m, 100, 1) != MOSQ_ERR_SUCCESS)
                return 1;
        if (mosquitto_publish(m, NULL, "bench/direct", size, p, qos, false) != MOSQ_ERR_SUCCESS)
            return 1;
        if (i % 16 == 0)
            mosquitto_loop(m, 0, 1);
    }
    while (done < n)
        if (mosquitto_loop(m, 100, 1) != MOSQ_ERR_SUCCESS)
            return 1;
    double secs = (double)(now_us() - t0) / 1e6;
    printf("DIRECT n=%ld qos=%d size=%d secs=%.3f rate=%.0f\n", n, qos, size, secs, n / secs);
    mosquitto_destroy(m);
    free(p);
    return 0;
}

/* Sends n timestamps 2 ms apart on topic; with sub set, also receives them. */
static int timed(int port, long n, const char *topic, int sub)
{
    struct mosquitto *m = client(port);
    char ts[32];
    want = n;
    if (sub) {
        lat = calloc((size_t)n, sizeof *lat);
        mosquitto_subscribe(m, NULL, topic, 1);
        mosquitto_loop(m, 200, 1);
    }
    for (long i = 0; i < n; i++) {
        int len = snprintf(ts, sizeof ts, "%lld", (long long)now_us());
        mosquitto_publish(m, NULL, topic, len, ts, 1, false);
        int64_t next = now_us() + 2000;
        while (now_us() < next)
            mosquitto_loop(m, 1, 1);
    }
    for (int i = 0; i < 50 && (sub ? lat_n < n : done < n); i++)
        mosquitto_loop(m, 100, 1);
    if (sub && lat_n) {
        qsort(lat, (size_t)lat_n, sizeof *lat, cmp64);
        printf("DIRECTLAT n=%ld p50_us=%lld p99_us=%lld\n", lat_n, (long long)lat[lat_n / 2],
               (long long)lat[(long)((double)lat_n * 0.99)]);
    }
    mosquitto_destroy(m);
    return 0;
}

int main(int argc, char **argv)
{
    mosquitto_lib_init();
    if (argc == 6 && !strcmp(argv[1], "pub"))
        return pub(atoi(argv[2]), atol(argv[3]), atoi(argv[4]), atoi(argv[5]));
    if (argc == 5 && !strcmp(argv[1], "send"))
        return timed(atoi(argv[2]), atol(argv[3]), argv[4], 0);
    if (argc == 4 && !strcmp(argv[1], "lat"))
        return timed(atoi(argv[2]), atol(argv[3]), "lat/direct", 1);
    fprintf(stderr,
            "usage: relay_mqtt_direct pub PORT N QOS SIZE | send PORT N TOPIC | lat PORT N\n");
    return 2;
}
