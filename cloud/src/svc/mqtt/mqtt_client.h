/* One libmosquitto client driven by the relay's libuv loop: the broker's name resolved
 * with uv_getaddrinfo, the (blocking) mosquitto connect run on the libuv thread pool,
 * then a uv_poll_t on mosquitto_socket() calling mosquitto_loop_read/write and a 1 s
 * timer calling mosquitto_loop_misc (keepalive). Never mosquitto_loop()/loop_start(). */
#ifndef MVR_MQTT_CLIENT_H
#define MVR_MQTT_CLIENT_H

#include <mosquitto.h>
#include <openssl/ssl.h>
#include <stdint.h>
#include <uv.h>

struct mvr_mqc;

/* Events for the owner; none is delivered after mvr_mqc_close(). */
struct mvr_mqc_ev {
    /* The connect attempt ended: MvMqttRequestState and the broker's reason code. */
    void (*connected)(void *o, uint32_t state, uint32_t reason);
    /* An established connection ended; rc is 0 after our own DISCONNECT. */
    void (*lost)(void *o, int rc);
    void (*published)(void *o, int mid, int reason);
    void (*message)(void *o, const struct mosquitto_message *m);
    void (*subscribed)(void *o, int mid, int n, const int *granted);
    void (*unsubscribed)(void *o, int mid);
};

struct mvr_mqc_params {
    const char *host; /* as the application gave it: resolved, verified for TLS */
    int port, keepalive, v5, clean_start;
    const char *client_id;
    const char *username, *password; /* NULL: no authentication */
    const char *will_topic;          /* NULL: no will */
    const void *will_payload;
    int will_len, will_qos, will_retain;
    SSL_CTX *tls;                   /* NULL: plain TCP; the client takes a reference */
    uint32_t (*tls_state)(void *o); /* request state after a failed TLS handshake */
};

/* Starts connecting; NULL with *state (MvMqttRequestState) for parameters libmosquitto
 * refuses or when out of memory. Results arrive through ev->connected. */
struct mvr_mqc *mvr_mqc_start(uv_loop_t *loop, const struct mvr_mqc_params *p,
                              const struct mvr_mqc_ev *ev, void *owner, uint32_t *state);
/* The connected client for publish/subscribe calls, or NULL when not connected. */
struct mosquitto *mvr_mqc_mosq(struct mvr_mqc *c);
/* After queueing anything on mvr_mqc_mosq(): write what is pending. */
void mvr_mqc_flush(struct mvr_mqc *c);
/* Stops (1) or resumes (0) reading from the broker: the backlog bound. */
void mvr_mqc_hold(struct mvr_mqc *c, int hold);
/* Ends the client. graceful: an MQTT DISCONNECT first (the broker drops the will);
 * otherwise the socket is just closed, so the broker publishes the will. Safe inside
 * an event; the memory goes once libuv and the thread pool are done with it. */
void mvr_mqc_close(struct mvr_mqc *c, int graceful);

#endif
