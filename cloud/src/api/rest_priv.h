/* Shared pieces of the REST handlers: responses, errors, pagination. */
#ifndef MVR_REST_PRIV_H
#define MVR_REST_PRIV_H

#include <jansson.h>

#include "mvr/rest.h"

#define E_BAD_REQUEST 20001
#define E_UNAUTHORIZED 20003
#define E_NOT_FOUND 20404
#define E_METHOD 20405
#define E_CONFLICT 20409
#define E_TOO_LARGE 20413
#define E_INTERNAL 20500

/* Sets a JSON response; takes ownership of obj (NULL body for 204). */
void mvr_resp_json(struct mvr_http_resp *resp, int status, json_t *obj);
void mvr_resp_error(struct mvr_http_resp *resp, int status, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reads page_size and page_token (hex of the last key of the previous page). On a
 * bad value fills resp with a 400 and returns -1. */
int mvr_page_params(const struct mvr_http_req *req, unsigned *size, char *after, size_t cap,
                    struct mvr_http_resp *resp);
/* {"page_size": n, "next_page_token": hex(last) or null}. */
json_t *mvr_page_meta(unsigned size, const char *last);

/* A page of a list being collected: the store is asked for want + 1 rows; the extra row
 * only proves there is a next page, whose token is the key of the page's last row. */
struct mvr_page {
    json_t *arr;
    unsigned want, got;
    int more;
    char last[130]; /* the longest key: a config or secret key (128 bytes) */
};
/* 1 if the page already holds want rows (then it has more), else 0. */
int mvr_page_full(struct mvr_page *p);
/* Appends item (ownership passes to the page) and remembers its key. */
void mvr_page_add(struct mvr_page *p, json_t *item, const char *key);

/* Parses a JSON object body; fills resp with 400 and returns NULL on failure. */
json_t *mvr_body_object(const struct mvr_http_req *req, struct mvr_http_resp *resp);

json_t *mvr_time_json(int64_t us); /* RFC 3339 string, or null for 0 */

void mvr_rest_devices(const struct mvr_rest *r, const struct mvr_http_req *req,
                      struct mvr_http_resp *resp, const char *id);
void mvr_rest_kv(const struct mvr_rest *r, const struct mvr_http_req *req,
                 struct mvr_http_resp *resp, enum mvr_kv_kind kind, const char *device,
                 const char *key);
void mvr_rest_apps(const struct mvr_rest *r, const struct mvr_http_req *req,
                   struct mvr_http_resp *resp, const char *id);
/* The "target_app" and "update" members of a Device (docs/rest-api.md). */
void mvr_rest_update_json(const struct mvr_rest *r, const char *device, json_t *dev);
/* POST /v1/Devices/{id} {"target_app": ID|null}. */
void mvr_rest_device_target(const struct mvr_rest *r, const struct mvr_http_req *req,
                            struct mvr_http_resp *resp, const char *device);
void mvr_rest_logs(const struct mvr_rest *r, const struct mvr_http_req *req,
                   struct mvr_http_resp *resp, const char *device, int stream);

#endif
