/* The HTTP proxy channel service: each HTTP channel carries one HTTP_REQUEST, which
 * the relay performs with libcurl on its own loop and answers with one HTTP_RESPONSE. */
#ifndef MVR_HTTP_PROXY_H
#define MVR_HTTP_PROXY_H

#include <uv.h>

#include "mvr/http_config.h"
#include "svc/svc.h"

struct http_svc;

/* Creates the service on loop (cfg must outlive it); NULL on failure. */
struct http_svc *mvr_http_svc_new(uv_loop_t *loop, const struct mvr_http_config *cfg);
/* The interface to put in env.svc[MV_CHANNELTYPE_HTTP]. */
const struct mvr_svc *mvr_http_svc_iface(const struct http_svc *h);
/* After every session is gone: closes connections and handles (run the loop after). */
void mvr_http_svc_free(struct http_svc *h);

#endif
