/* libFuzzer target for the relay's small REST input decoders: URL decoding, query
 * lookup, log cursors, RFC 3339 times and the UTF-8 repair of log messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/rest.h"
#include "mvr/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), out[64], boot[17];
    uint32_t seq;
    int64_t us;
    size_t n;
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    mvr_url_decode(s, strlen(s), out, sizeof out);
    mvr_query_get(s, "since", out, sizeof out);
    mvr_query_get(s, "page_token", out, 8);
    if (mvr_cursor_parse(s, boot, &seq) == 0 && strlen(boot) != 16)
        abort();
    if (mvr_time_parse(s, &us) == 0) {
        char t[MVR_TIME_STR];
        mvr_time_fmt(us, t);
    }
    mvr_key_valid(s);
    mvr_device_id_valid(s);
    char *u = mvr_utf8_sanitize(data, size, &n);
    /* The repaired text must itself be valid: sanitising it again changes nothing. */
    if (u) {
        size_t n2;
        char *u2 = mvr_utf8_sanitize((const uint8_t *)u, n, &n2);
        if (!u2 || n2 != n || memcmp(u, u2, n))
            abort();
        free(u2);
    }
    free(u);
    free(s);
    return 0;
}
