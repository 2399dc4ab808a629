/* libcurl's multi interface driven by the relay's libuv loop (as curl's multi-uv
 * example): curl tells us which sockets to watch (uv_poll_t) and when to wake it
 * (uv_timer_t); no thread of ours, no blocking call. Finished transfers are handed to
 * the owner's done callback with the easy handle already removed from the multi. */
#ifndef MVR_HTTP_CURL_H
#define MVR_HTTP_CURL_H

#include <curl/curl.h>
#include <uv.h>

struct mvr_curlm;

/* Called once per finished transfer; priv is the easy handle's CURLOPT_PRIVATE. */
typedef void (*mvr_curl_done_fn)(void *owner, CURL *easy, CURLcode rc, void *priv);

struct mvr_curlm *mvr_curlm_new(uv_loop_t *loop, mvr_curl_done_fn done, void *owner);
/* Shares the TLS session cache and DNS cache of this multi with easy (connection reuse
 * is the multi's own). */
void mvr_curlm_share(struct mvr_curlm *m, CURL *easy);
int mvr_curlm_add(struct mvr_curlm *m, CURL *easy);
/* Cancels a transfer that has not finished; the caller then cleans the easy up. */
void mvr_curlm_remove(struct mvr_curlm *m, CURL *easy);
/* Ends every connection and closes the uv handles; the memory goes when they are
 * closed (run the loop afterwards). No transfer may be active. */
void mvr_curlm_free(struct mvr_curlm *m);

#endif
