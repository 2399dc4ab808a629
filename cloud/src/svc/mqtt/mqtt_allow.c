/* The MQTT bridge's broker allow list: a device may reach only the configured local
 * broker and the mqtt_allow entries, matched on the host name as the application gave
 * it (case-insensitive, no resolution) and the port ("HOST:*" = any port). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mvr/mqtt_config.h"

int mvr_mqtt_allow_parse(const char *s, struct mvr_mqtt_allow *a)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || (size_t)(colon - s) >= sizeof a->host)
        return -1;
    size_t n = (size_t)(colon - s);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        /* Host names and IPv4 literals only: no spaces, no brackets, no wildcards. */
        if (!isalnum(ch) && ch != '.' && ch != '-' && ch != '_')
            return -1;
        a->host[i] = (char)tolower(ch);
    }
    a->host[n] = '\0';
    if (!strcmp(colon + 1, "*")) {
        a->port = 0;
        return 0;
    }
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end || p < 1 || p > 65535)
        return -1;
    a->port = (int)p;
    return 0;
}

static int match(const struct mvr_mqtt_allow *a, const char *host, int port)
{
    return !strcasecmp(a->host, host) && (a->port == 0 || a->port == port);
}

int mvr_mqtt_allowed(const struct mvr_mqtt_config *m, const char *host, int port)
{
    struct mvr_mqtt_allow local;
    const char *broker = m->broker[0] ? m->broker : MVR_MQTT_DEFAULT_BROKER;
    if (mvr_mqtt_allow_parse(broker, &local) == 0 && match(&local, host, port))
        return 1;
    for (size_t i = 0; i < m->n_allow; i++)
        if (match(&m->allow[i], host, port))
            return 1;
    return 0;
}
