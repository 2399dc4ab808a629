/* Unit tests for the REST layer without sockets: auth, routing, JSON validation,
 * provisioning, config/secret handling, log queries, and the small parsers. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/rest.h"
#include "mvr/util.h"

static char dir[64];
static struct mvr_datadir dd;
static struct mvr_rest api;
static char auth[128];

static void setup(void)
{
    char err[256], *tok = NULL, tdir[] = "/tmp/mvr_rest_XXXXXX";
    size_t n;
    cr_assert_not_null(mkdtemp(tdir));
    snprintf(dir, sizeof dir, "%s/data", tdir);
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, NULL, 0, err, sizeof err), 0, "%s", err);
    char p[128];
    snprintf(p, sizeof p, "%s/admin.token", dir);
    cr_assert_eq(mvr_read_file(p, 128, &tok, &n), 0);
    snprintf(auth, sizeof auth, "Bearer %s", tok);
    free(tok);
    api = (struct mvr_rest){.dd = &dd};
}

static void teardown(void)
{
    char cmd[128];
    mvr_datadir_close(&dd);
    snprintf(cmd, sizeof cmd, "rm -rf %.*s", (int)(strlen(dir) - 5), dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(rest, .init = setup, .fini = teardown);

/* Performs a request with the admin token; returns the parsed body (or NULL). */
static json_t *call(const char *method, const char *path, const char *query, const char *body,
                    int *status)
{
    struct mvr_http_req req = {.method = method, .path = path, .query = query, .auth = auth,
                               .body = body, .body_len = body ? strlen(body) : 0};
    struct mvr_http_resp resp;
    mvr_rest_handle(&api, &req, &resp);
    *status = resp.status;
    json_t *j = resp.body ? json_loadb(resp.body, resp.body_len, 0, NULL) : NULL;
    mvr_http_resp_free(&resp);
    return j;
}

static int err_code(json_t *j) { return (int)json_integer_value(json_object_get(j, "code")); }

Test(rest, bad_framing_is_400_before_auth_and_routing)
{
    struct mvr_http_req req = {.method = "POST", .path = "/healthz", .bad_framing = 1};
    struct mvr_http_resp resp;
    mvr_rest_handle(&api, &req, &resp);
    cr_assert_eq(resp.status, 400);
    mvr_http_resp_free(&resp);
}

Test(rest, healthz_needs_no_token_but_api_does)
{
    struct mvr_http_req req = {.method = "GET", .path = "/healthz"};
    struct mvr_http_resp resp;
    mvr_rest_handle(&api, &req, &resp);
    cr_assert_eq(resp.status, 200);
    cr_assert_not_null(strstr(resp.body, "\"ok\""));
    mvr_http_resp_free(&resp);
    req.path = "/v1/Devices";
    mvr_rest_handle(&api, &req, &resp);
    cr_assert_eq(resp.status, 401);
    mvr_http_resp_free(&resp);
    req.auth = "Bearer 0000";
    mvr_rest_handle(&api, &req, &resp);
    cr_assert_eq(resp.status, 401);
    cr_assert_not_null(strstr(resp.body, "20003"));
    mvr_http_resp_free(&resp);
}

Test(rest, unknown_route_and_wrong_method)
{
    int st;
    json_t *j = call("GET", "/v1/Nope", NULL, NULL, &st);
    cr_assert_eq(st, 404);
    cr_assert_eq(err_code(j), 20404);
    json_decref(j);
    j = call("PUT", "/v1/Configs", NULL, NULL, &st);
    cr_assert_eq(st, 405);
    cr_assert_eq(err_code(j), 20405);
    json_decref(j);
    j = call("GET", "/v1/Secrets/k", NULL, NULL, &st);
    cr_assert_eq(st, 405, "a single secret's value is never readable");
    json_decref(j);
    j = call("GET", "/v1/Configs/", NULL, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
}

Test(rest, bad_json_and_bad_fields_are_400)
{
    int st;
    json_t *j = call("POST", "/v1/Configs", NULL, "{\"key\":", &st);
    cr_assert_eq(st, 400);
    cr_assert_eq(err_code(j), 20001);
    json_decref(j);
    j = call("POST", "/v1/Configs", NULL, "{\"key\":\"has space\",\"value\":\"v\"}", &st);
    cr_assert_eq(st, 400);
    cr_assert_not_null(strstr(json_string_value(json_object_get(j, "message")), "key"));
    json_decref(j);
    j = call("POST", "/v1/Configs", NULL, "{\"key\":\"k\",\"value\":5}", &st);
    cr_assert_eq(st, 400);
    json_decref(j);
    j = call("POST", "/v1/Configs", NULL, "[1,2]", &st);
    cr_assert_eq(st, 400);
    json_decref(j);
}

/* No stored string may hold NUL (PostgreSQL text cannot): "\u0000" in a config or
 * secret is refused with a clear 400 before any store is asked, whichever the backend. */
Test(rest, nul_in_a_value_is_400)
{
    int st;
    const char *paths[] = {"/v1/Configs", "/v1/Secrets"};
    for (int i = 0; i < 2; i++) {
        json_t *j =
            call("POST", paths[i], NULL, "{\"key\":\"k\",\"value\":\"a\\u0000b\"}", &st);
        cr_assert_eq(st, 400, "%s: %d", paths[i], st);
        const char *msg = json_string_value(json_object_get(j, "message"));
        cr_assert(msg && strstr(msg, "must not contain \\u0000"), "%s: %s", paths[i],
                  msg ? msg : "(none)");
        json_decref(j);
        j = call("GET", paths[i], NULL, NULL, &st); /* the listing: secrets have no GET */
        cr_assert_eq(st, 200);
        json_t *arr = json_object_get(j, i ? "secrets" : "configs");
        cr_assert_eq(json_array_size(arr), 0, "%s: a refused value was stored", paths[i]);
        json_decref(j);
    }
}

Test(rest, body_too_large_is_413)
{
    struct mvr_http_req req = {.method = "POST", .path = "/v1/Configs", .auth = auth,
                               .body_too_large = 1};
    struct mvr_http_resp resp;
    mvr_rest_handle(&api, &req, &resp);
    cr_assert_eq(resp.status, 413);
    mvr_http_resp_free(&resp);
}

Test(rest, config_set_get_list_delete)
{
    int st;
    json_t *j = call("POST", "/v1/Configs", NULL, "{\"key\":\"a\",\"value\":\"1\"}", &st);
    cr_assert_eq(st, 201);
    cr_assert_str_eq(json_string_value(json_object_get(j, "scope")), "account");
    json_decref(j);
    json_decref(call("POST", "/v1/Configs", NULL, "{\"key\":\"b\",\"value\":\"2\"}", &st));
    j = call("GET", "/v1/Configs/b", NULL, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "value")), "2");
    json_decref(j);
    /* Page of one: the token leads to the second key and then to the end. */
    j = call("GET", "/v1/Configs", "page_size=1", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_array_size(json_object_get(j, "configs")), 1);
    const char *tok = json_string_value(json_object_get(json_object_get(j, "meta"),
                                                        "next_page_token"));
    cr_assert_not_null(tok);
    char q[128];
    snprintf(q, sizeof q, "page_size=1&page_token=%s", tok);
    json_decref(j);
    j = call("GET", "/v1/Configs", q, NULL, &st);
    json_t *arr = json_object_get(j, "configs");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 0), "key")), "b");
    cr_assert(json_is_null(json_object_get(json_object_get(j, "meta"), "next_page_token")));
    json_decref(j);
    j = call("DELETE", "/v1/Configs/a", NULL, NULL, &st);
    cr_assert_eq(st, 204);
    json_decref(j);
    j = call("GET", "/v1/Configs/a", NULL, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    j = call("GET", "/v1/Configs", "page_size=0", NULL, &st);
    cr_assert_eq(st, 400);
    json_decref(j);
}

Test(rest, secret_value_never_returned)
{
    int st;
    json_t *j = call("POST", "/v1/Secrets", NULL, "{\"key\":\"pw\",\"value\":\"s3cr3t\"}", &st);
    cr_assert_eq(st, 201);
    cr_assert_null(json_object_get(j, "value"));
    char *s = json_dumps(j, 0);
    cr_assert_null(strstr(s, "s3cr3t"));
    free(s);
    json_decref(j);
    j = call("GET", "/v1/Secrets", NULL, NULL, &st);
    cr_assert_eq(st, 200);
    s = json_dumps(j, 0);
    cr_assert_not_null(strstr(s, "\"pw\""));
    cr_assert_null(strstr(s, "s3cr3t"));
    free(s);
    json_decref(j);
}

static char *provision(void)
{
    int st;
    json_t *j = call("POST", "/v1/Devices", NULL, "{}", &st);
    cr_assert_eq(st, 201);
    json_t *d = json_object_get(j, "device");
    char *id = strdup(json_string_value(json_object_get(d, "id")));
    cr_assert(mvr_device_id_valid(id));
    cr_assert_not_null(strstr(json_string_value(json_object_get(j, "private_key")),
                              "PRIVATE KEY"));
    cr_assert_not_null(strstr(json_string_value(json_object_get(j, "certificate")),
                              "CERTIFICATE"));
    cr_assert_eq(json_is_false(json_object_get(d, "online")), 1);
    json_decref(j);
    return id;
}

Test(rest, provision_and_device_scope_routes)
{
    int st;
    char *id = provision(), path[128];
    snprintf(path, sizeof path, "/v1/Devices/%s", id);
    json_t *j = call("GET", path, NULL, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "id")), id);
    json_decref(j);
    snprintf(path, sizeof path, "/v1/Devices/%s/Configs", id);
    j = call("POST", path, NULL, "{\"key\":\"k\",\"value\":\"dv\"}", &st);
    cr_assert_eq(st, 201);
    cr_assert_str_eq(json_string_value(json_object_get(j, "device_id")), id);
    json_decref(j);
    j = call("GET", "/v1/Devices/UV0123456789abcdef0123456789abcdef/Configs", NULL, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    j = call("GET", "/v1/Devices", NULL, NULL, &st);
    cr_assert_eq(json_array_size(json_object_get(j, "devices")), 1);
    json_decref(j);
    free(id);
}

Test(rest, provision_rejects_bad_csr)
{
    int st;
    json_t *j = call("POST", "/v1/Devices", NULL, "{\"csr\":\"-----BEGIN nonsense\"}", &st);
    cr_assert_eq(st, 400);
    json_decref(j);
}

Test(rest, logs_query_with_cursor_and_invalid_utf8)
{
    int st;
    char *id = provision(), path[128], q[128];
    struct mvp_log_rec recs[2] = {
        {.seq = 1, .kind = MVP_LOG_KIND_MSG, .msg = (const uint8_t *)"ok\xff", .msg_len = 3},
        {.seq = 2, .kind = MVP_LOG_KIND_GAP, .dropped = 5}};
    unsigned ins;
    cr_assert_eq(mvr_store_logs_insert(dd.store, id, "00000000000000ab", recs, 2, 7, &ins),
                 MVR_OK);
    snprintf(path, sizeof path, "/v1/Devices/%s/Logs", id);
    json_t *j = call("GET", path, NULL, NULL, &st);
    cr_assert_eq(st, 200);
    json_t *logs = json_object_get(j, "logs");
    cr_assert_eq(json_array_size(logs), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(logs, 0), "message")),
                     "ok\xef\xbf\xbd");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(logs, 1), "dropped")), 5);
    json_decref(j);
    snprintf(q, sizeof q, "since=seq:00000000000000ab:1");
    j = call("GET", path, q, NULL, &st);
    cr_assert_eq(json_array_size(json_object_get(j, "logs")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "meta"),
                                                       "next_cursor")),
                     "seq:00000000000000ab:2");
    json_decref(j);
    j = call("GET", path, "since=yesterday", NULL, &st);
    cr_assert_eq(st, 400);
    json_decref(j);
    /* A cursor naming no stored record (unknown boot, future seq) is a clear 400, not a
     * silent replay of everything or nothing. */
    j = call("GET", path, "since=seq:00000000000000cd:1", NULL, &st);
    cr_assert_eq(st, 400);
    cr_assert(strstr(json_string_value(json_object_get(j, "message")), "no stored record"));
    json_decref(j);
    j = call("GET", path, "since=seq:00000000000000ab:3", NULL, &st);
    cr_assert_eq(st, 400);
    json_decref(j);
    free(id);
}

Test(rest, logs_tail_is_the_newest_oldest_first_and_more_is_reported)
{
    int st;
    char *id = provision(), path[128];
    struct mvp_log_rec recs[5];
    for (uint32_t i = 0; i < 5; i++)
        recs[i] = (struct mvp_log_rec){.seq = i + 1, .kind = MVP_LOG_KIND_MSG,
                                       .msg = (const uint8_t *)"m", .msg_len = 1};
    unsigned ins;
    cr_assert_eq(mvr_store_logs_insert(dd.store, id, "00000000000000ab", recs, 5, 7, &ins),
                 MVR_OK);
    snprintf(path, sizeof path, "/v1/Devices/%s/Logs", id);
    json_t *j = call("GET", path, "tail=2", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *logs = json_object_get(j, "logs");
    cr_assert_eq(json_array_size(logs), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(logs, 0), "seq")), 4);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(logs, 1), "seq")), 5);
    json_t *meta = json_object_get(j, "meta");
    cr_assert(json_is_true(json_object_get(meta, "more")), "older records exist");
    cr_assert_str_eq(json_string_value(json_object_get(meta, "next_cursor")),
                     "seq:00000000000000ab:5");
    json_decref(j);
    j = call("GET", path, "tail=5", NULL, &st);
    cr_assert_eq(json_array_size(json_object_get(j, "logs")), 5);
    cr_assert(json_is_false(json_object_get(json_object_get(j, "meta"), "more")));
    json_decref(j);
    j = call("GET", path, "limit=3", NULL, &st);
    cr_assert_eq(json_array_size(json_object_get(j, "logs")), 3);
    cr_assert(json_is_true(json_object_get(json_object_get(j, "meta"), "more")));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "meta"),
                                                       "next_cursor")),
                     "seq:00000000000000ab:3");
    json_decref(j);
    j = call("GET", path, "tail=2&since=seq:00000000000000ab:1", NULL, &st);
    cr_assert_eq(st, 400);
    json_decref(j);
    j = call("GET", path, "tail=0", NULL, &st);
    cr_assert_eq(st, 400);
    json_decref(j);
    free(id);
}

Test(rest_parse, cursor_forms)
{
    char boot[17];
    uint32_t seq;
    cr_assert_eq(mvr_cursor_parse("seq:00000000000000AB:42", boot, &seq), 0);
    cr_assert_str_eq(boot, "00000000000000ab");
    cr_assert_eq(seq, 42);
    cr_assert_eq(mvr_cursor_parse("00000000000000ab:7", boot, &seq), 0);
    cr_assert_eq(mvr_cursor_parse("00000000000000ab:", boot, &seq), -1);
    cr_assert_eq(mvr_cursor_parse("00000000000000ab:99999999999", boot, &seq), -1);
    cr_assert_eq(mvr_cursor_parse("0000000000000zab:1", boot, &seq), -1);
}

Test(rest_parse, query_and_url_decoding)
{
    char v[16];
    cr_assert_eq(mvr_query_get("a=1&since=2026-01-01T00%3A00%3A00Z", "since", v, sizeof v), -1);
    char big[64];
    cr_assert_eq(mvr_query_get("a=1&since=x%2By+z", "since", big, sizeof big), 1);
    cr_assert_str_eq(big, "x+y z");
    cr_assert_eq(mvr_query_get("a=1", "since", v, sizeof v), 0);
    cr_assert_eq(mvr_query_get("a=%4", "a", v, sizeof v), -1);
    cr_assert_eq(mvr_query_get("a=%00", "a", v, sizeof v), -1);
    cr_assert_eq(mvr_query_get(NULL, "a", v, sizeof v), 0);
}

Test(rest_parse, time_round_trip)
{
    int64_t us;
    char t[MVR_TIME_STR];
    cr_assert_eq(mvr_time_parse("2026-11-23T10:00:00.123456Z", &us), 0);
    mvr_time_fmt(us, t);
    cr_assert_str_eq(t, "2026-11-23T10:00:00.123456Z");
    cr_assert_eq(mvr_time_parse("2026-11-23T11:00:00+01:00", &us), 0);
    mvr_time_fmt(us, t);
    cr_assert_str_eq(t, "2026-11-23T10:00:00.000000Z");
    cr_assert_eq(mvr_time_parse("2026-13-01T00:00:00Z", &us), -1);
    cr_assert_eq(mvr_time_parse("2026-11-23T10:00:00", &us), -1);
}

Test(rest, device_pagination_and_bad_token)
{
    int st;
    const char *ids[3] = {"UV00000000000000000000000000000001", "UV00000000000000000000000000000002",
                          "UV00000000000000000000000000000003"};
    for (int i = 0; i < 3; i++)
        cr_assert_eq(mvr_store_device_create(dd.store, ids[i], 1), MVR_OK);
    json_t *j = call("GET", "/v1/Devices", "page_size=2", NULL, &st);
    cr_assert_eq(json_array_size(json_object_get(j, "devices")), 2);
    char q[160];
    snprintf(q, sizeof q, "page_size=2&page_token=%s",
             json_string_value(json_object_get(json_object_get(j, "meta"), "next_page_token")));
    json_decref(j);
    j = call("GET", "/v1/Devices", q, NULL, &st);
    json_t *devs = json_object_get(j, "devices");
    cr_assert_eq(json_array_size(devs), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(devs, 0), "id")), ids[2]);
    cr_assert(json_is_null(json_object_get(json_object_get(j, "meta"), "next_page_token")));
    json_decref(j);
    j = call("GET", "/v1/Devices", "page_token=zz", NULL, &st);
    cr_assert_eq(st, 400);
    json_decref(j);
}

Test(rest, metrics_and_long_uri)
{
    api.metrics = NULL;
    struct mvr_http_req req = {.method = "GET", .path = "/metrics", .auth = auth};
    struct mvr_http_resp resp;
    mvr_rest_handle(&api, &req, &resp);
    cr_assert_eq(resp.status, 200);
    cr_assert_str_eq(resp.ctype, "text/plain; version=0.0.4");
    mvr_http_resp_free(&resp);
    req.uri_too_long = 1;
    mvr_rest_handle(&api, &req, &resp);
    cr_assert_eq(resp.status, 400);
    mvr_http_resp_free(&resp);
}

/* Keys travel as one path segment: ones the HTTP layer would rewrite are refused at
 * creation, so every stored key can be read and deleted by its own route. */
Test(rest, keys_that_cannot_be_addressed_are_refused)
{
    static const char *bad[] = {"a/b", ".", "..", "/", "has space", "tab\\tkey"};
    char body[128];
    int st;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body, "{\"key\":\"%s\",\"value\":\"v\"}", bad[i]);
        json_t *j = call("POST", "/v1/Configs", NULL, body, &st);
        cr_assert_eq(st, 400, "key %s accepted", bad[i]);
        json_decref(j);
    }
    json_decref(call("POST", "/v1/Secrets", NULL, "{\"key\":\"a/b\",\"value\":\"v\"}", &st));
    cr_assert_eq(st, 400);
    json_decref(call("POST", "/v1/Configs", NULL, "{\"key\":\"..a.b_c-d~e:f@g?#%+\",\"value\":\"v\"}",
                     &st));
    cr_assert_eq(st, 201);
    json_decref(call("GET", "/v1/Configs/..a.b_c-d~e:f@g%3F%23%25%2B", NULL, NULL, &st));
    cr_assert_eq(st, 200);
}
