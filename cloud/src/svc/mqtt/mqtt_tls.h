/* TLS for one bridged MQTT connection: an OpenSSL client context built from the
 * certificates the application sent (CA chain, optional client chain and key; PEM or
 * DER, in memory), verifying the broker's certificate against the broker's *name*
 * even though libmosquitto connects to a numeric address, and sending that name as SNI. */
#ifndef MVR_MQTT_TLS_H
#define MVR_MQTT_TLS_H

#include <openssl/ssl.h>

#include "mvp/mqtt.h"

/* Owned by the caller, must outlive the context: filled in during the handshake. */
struct mvr_mqtt_tls_state {
    char host[256];    /* the name to verify and send as SNI */
    long verify_error; /* first X509_V_ERR_* seen in the chain (0 = none) */
};

/* A new context for a broker named host, or NULL with a reason in err (a certificate or
 * key that does not parse). */
SSL_CTX *mvr_mqtt_tls_ctx(const struct mvp_mqtt_tls *t, const char *host, char *err, size_t errlen);
/* MvMqttRequestState for a failed handshake: CERTIFICATEEXPIRED, UNKNOWNCA (any other
 * verification failure, a name mismatch included) or SOCKETERROR (no verdict). */
uint32_t mvr_mqtt_tls_state_of(SSL_CTX *ctx);

#endif
