/* Connections that have not authenticated yet (no verified client certificate, no HTTP
 * request) are the cheapest way to exhaust the relay's descriptors: they are capped per
 * source address and per listener, and counted until they authenticate or close. */
#ifndef MVR_PREAUTH_H
#define MVR_PREAUTH_H

#include <stdint.h>
#include <sys/socket.h>

#define MVR_PREAUTH_PER_ADDR 64      /* unauthenticated connections from one address */
#define MVR_PREAUTH_PER_LISTENER 1024 /* unauthenticated connections on one listener */
#define MVR_PREAUTH_ADDRS 2048       /* distinct addresses tracked at once */

struct mvr_preauth;
struct lws;

struct mvr_preauth_addr {
    struct mvr_preauth *owner;
    uint8_t addr[16];
    uint8_t len; /* 4 or 16; 0: free slot */
    uint32_t n;
};

struct mvr_preauth {
    struct mvr_preauth_addr tab[MVR_PREAUTH_ADDRS];
    uint32_t per_addr; /* the cap per address; 0: MVR_PREAUTH_PER_ADDR */
    uint32_t total;
    uint64_t refused;
};

/* Connections of both listeners are kept below the descriptor limit less a reserve (for
 * the database, outbound HTTP and MQTT sockets, logs), so accept() itself never fails
 * with EMFILE: lws retries a failed accept at once, spinning a core and logging without
 * end. Call once at start with the soft RLIMIT_NOFILE. */
void mvr_conns_set_limit(uint64_t nofile);
/* LWS_CALLBACK_WSI_CREATE / _DESTROY of either listener. */
void mvr_conns_created(void);
void mvr_conns_destroyed(void);

/* LWS_CALLBACK_FILTER_NETWORK_CONNECTION: 0 to accept a connection from sa, -1 to hang up
 * (a cap is reached; counted in pa->refused). */
int mvr_preauth_admit(struct mvr_preauth *pa, const struct sockaddr *sa);
/* The FILTER_NETWORK_CONNECTION callback body: args is the callback's user pointer (a
 * struct lws_filter_network_conn_args); returns the value for lws (nonzero: hang up),
 * counting refusals in the metrics and logging them at most once a second. */
int mvr_preauth_gate(struct mvr_preauth *pa, void *args, const char *listener);
/* The admission callbacks of a listener's protocols[0] (FILTER_NETWORK_CONNECTION,
 * SERVER_NEW_CLIENT_INSTANTIATED, WSI_CREATE, WSI_DESTROY): 1 when reason is one of them,
 * with the value to return to lws in *rc; 0 for any other reason. */
int mvr_preauth_callback(struct mvr_preauth *pa, struct lws *wsi, int reason, void *user,
                         const char *listener, int *rc);
/* LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED: counts wsi as unauthenticated. */
void mvr_preauth_track(struct mvr_preauth *pa, struct lws *wsi);
/* Authenticated (or closed): no longer counted. Safe to call more than once. */
void mvr_preauth_done(struct lws *wsi);

#endif
