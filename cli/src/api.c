/* JSON request/response handling on top of http.c: serialises bodies,
 * parses answers, maps HTTP errors to the API's code and message, and
 * follows pagination tokens for list routes. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvc/exit.h"
#include "mvc/url.h"

#define LIST_PAGE_SIZE 1000
#define LIST_PAGES_MAX 10000 /* guards against a server that never stops paging */

static const char *hint_for(long status)
{
    switch (status) {
    case 401:
        return " — check --token or MVCLI_TOKEN: this relay's token is in its "
               "DATA_DIR/admin.token (a token from another relay or an older data directory "
               "is refused)";
    case 404: return " — check the device id or key";
    default: return "";
    }
}

void mvc_api_print_error(long status, const char *body)
{
    json_error_t jerr;
    json_t *j = body ? json_loads(body, 0, &jerr) : NULL;
    json_t *code = j ? json_object_get(j, "code") : NULL;
    json_t *msg = j ? json_object_get(j, "message") : NULL;
    if (json_is_integer(code) && json_is_string(msg))
        fprintf(stderr, "mvcli: API error %" JSON_INTEGER_FORMAT " (HTTP %ld): %s%s\n",
                json_integer_value(code), status, json_string_value(msg), hint_for(status));
    else
        fprintf(stderr, "mvcli: API error (HTTP %ld) without an error body%s\n", status,
                hint_for(status));
    json_decref(j);
}

int mvc_api_call(struct mvc_http *h, const char *method, const char *path, json_t *body,
                 json_t **out)
{
    int ret;
    char *text = NULL;
    struct mvc_resp r;
    json_error_t jerr;

    *out = NULL;
    if (body && !(text = json_dumps(body, JSON_COMPACT))) {
        fprintf(stderr, "mvcli: out of memory\n");
        return MVC_EXIT_USAGE;
    }
    ret = mvc_http_request(h, method, path, text, &r);
    if (ret != 0)
        goto out;
    if (r.status < 200 || r.status > 299) {
        mvc_api_print_error(r.status, r.body);
        ret = MVC_EXIT_API;
        goto out;
    }
    if (r.len > 0 && !(*out = json_loadb(r.body, r.len, 0, &jerr))) {
        fprintf(stderr, "mvcli: the relay sent invalid JSON (%s) — is --url the API listener?\n",
                jerr.text);
        ret = MVC_EXIT_API;
        goto out;
    }
    ret = MVC_EXIT_OK;
out:
    mvc_resp_free(&r);
    free(text);
    return ret;
}

static int next_token(json_t *page, char *tok, size_t toklen)
{
    json_t *t = json_object_get(json_object_get(page, "meta"), "next_page_token");
    if (!json_is_string(t) || json_string_length(t) == 0)
        return 0;
    if (mvc_url_escape(json_string_value(t), tok, toklen) != 0)
        return -1;
    return 1;
}

int mvc_api_list_all(struct mvc_http *h, const char *path, const char *field, json_t **out)
{
    char url[4096], tok[1024] = "";
    int ret = MVC_EXIT_OK;
    json_t *all = json_array(), *page = NULL;

    *out = NULL;
    for (int n = 0; n < LIST_PAGES_MAX; n++) {
        snprintf(url, sizeof(url), "%s?page_size=%d%s%s", path, LIST_PAGE_SIZE,
                 tok[0] ? "&page_token=" : "", tok);
        if ((ret = mvc_api_call(h, "GET", url, NULL, &page)) != MVC_EXIT_OK)
            goto out;
        json_t *items = json_object_get(page, field);
        if (!json_is_array(items)) {
            fprintf(stderr, "mvcli: the relay's answer has no '%s' list\n", field);
            ret = MVC_EXIT_API;
            goto out;
        }
        json_array_extend(all, items);
        int more = next_token(page, tok, sizeof(tok));
        json_decref(page);
        page = NULL;
        if (more < 0) {
            fprintf(stderr, "mvcli: the relay sent an over-long page token\n");
            ret = MVC_EXIT_API;
            goto out;
        }
        if (more == 0)
            break;
    }
    *out = json_pack("{s:O}", field, all);
out:
    json_decref(page);
    json_decref(all);
    return ret;
}
