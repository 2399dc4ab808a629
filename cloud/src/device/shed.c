/* Session limit: above --max-sessions a newly authenticated device is told GOAWAY
 * OVERLOADED with a retry-after instead of being held. Without it a restarted relay
 * with more devices than it can serve accepts them all, falls behind on every one and
 * they all time out and come back at once; with it the excess goes away for a while,
 * spread out by the jitter added here (the device adds its own 0..1 s on top). */
#include <string.h>

#include "mvp/ctrl.h"
#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mvr/util.h"
#include "server_priv.h"

/* A device that already holds a session replaces it (one session per id): it costs no
 * extra slot, so it is never refused. */
static int holds_session(struct mvr_server *srv, const char *id)
{
    for (struct dev_conn *dc = mvr_devix_chain(&srv->devs, id); dc; dc = dc->hnext)
        if (!dc->shed && !strcmp(dc->s.device_id, id))
            return 1;
    return 0;
}

uint32_t mvr_shed_retry_ms(struct mvr_server *srv, const char *id)
{
    uint32_t max = srv->cfg->max_sessions, base = srv->cfg->overload_retry_ms, r = 0;
    if (!max || srv->dev_sessions < max || holds_session(srv, id))
        return 0;
    mvr_random(&r, sizeof r);
    return base + (base ? r % (base + 1) : 0) + 1; /* never 0: 0 means admitted */
}

void mvr_shed_session(struct dev_conn *dc, uint32_t retry_ms)
{
    static int64_t last_log_us;
    int64_t now = mvr_now_us();
    dc->shed = 1;
    mvr_metrics.sessions_shed++;
    mvr_session_goaway_reason(&dc->s, MVP_GOAWAY_OVERLOADED, retry_ms,
                              "relay at its session limit; retry later");
    if (now - last_log_us >= 1000000) { /* a storm sheds thousands: one line a second */
        last_log_us = now;
        mvr_log(MVR_WARN, "device session shed", "device=%s retry_ms=%u shed_total=%llu",
                dc->s.device_id, retry_ms, (unsigned long long)mvr_metrics.sessions_shed);
    }
}
