/* libFuzzer target for the REST layer: routing, query parsing and JSON bodies against an
 * in-memory store. Input: method byte, then "path\nquery\n" and the body. Provisioning
 * is excluded (key generation per input would only slow the fuzzer down). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/datadir.h"
#include "mvr/log.h"
#include "mvr/rest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mvr_datadir dd;
static struct mvr_rest api;

static void init(void)
{
    static const uint8_t key[32] = {1};
    uint8_t hash[32];
    char err[128];
    if (mvr_store_open(":memory:", key, &dd.store, err, sizeof err) != MVR_OK)
        abort();
    mvr_token_hash("t", 1, hash);
    mvr_store_token_add(dd.store, hash, "fuzz", 1);
    mvr_store_device_create(dd.store, "UV00000000000000000000000000000001", 1);
    api.dd = &dd;
    mvr_log_set_level((enum mvr_level)(MVR_ERROR + 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "DELETE", "POST", "PUT"};
    if (!dd.store)
        init();
    if (size < 1)
        return 0;
    char *buf = malloc(size);
    if (!buf)
        return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    char *path = buf, *query = strchr(path, '\n'), *body = NULL;
    if (query) {
        *query++ = '\0';
        body = strchr(query, '\n');
        if (body)
            *body++ = '\0';
    }
    const char *method = methods[data[0] & 3];
    /* POST /v1/Devices generates keys; keep the fuzzer on the parsers. */
    if (!strcmp(method, "POST") && strstr(path, "Devices") && !strstr(path, "Configs") &&
        !strstr(path, "Secrets")) {
        free(buf);
        return 0;
    }
    struct mvr_http_req req = {.method = method, .path = path, .query = query,
                               .auth = "Bearer t", .body = body,
                               .body_len = body ? strlen(body) : 0};
    struct mvr_http_resp resp;
    mvr_rest_handle(&api, &req, &resp);
    if (resp.status < 200 || resp.status > 599)
        abort();
    mvr_http_resp_free(&resp);
    free(buf);
    return 0;
}
