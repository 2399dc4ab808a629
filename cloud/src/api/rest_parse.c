/* Decoders for untrusted REST input: URL escapes, query parameters, log cursors, and
 * the UTF-8 repair used when returning device log bytes as JSON strings. All bounded
 * by the caller's buffer; fuzzed by cloud/fuzz/fuzz_rest.c. */
#include <stdlib.h>
#include <string.h>

#include "mvr/rest.h"
#include "mvr/util.h"

int mvr_url_decode(const char *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            uint8_t b;
            if (mvr_unhex(&in[i + 1], 2, &b, 1) < 0)
                return -1;
            c = (char)b;
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (c == '\0' || o + 1 >= cap)
            return -1;
        out[o++] = c;
    }
    if (cap == 0)
        return -1;
    out[o] = '\0';
    return 0;
}

int mvr_query_get(const char *query, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    const char *p = query;
    while (p && *p) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && p[nl] == '=' && !strncmp(p, name, nl))
            return mvr_url_decode(p + nl + 1, len - nl - 1, out, cap) < 0 ? -1 : 1;
        if (len == nl && !strncmp(p, name, nl))
            return mvr_url_decode("", 0, out, cap) < 0 ? -1 : 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

int mvr_cursor_parse(const char *s, char boot[17], uint32_t *seq)
{
    uint8_t raw[8];
    if (!strncmp(s, "seq:", 4))
        s += 4;
    if (strlen(s) < 18 || s[16] != ':' || mvr_unhex(s, 16, raw, 8) < 0)
        return -1;
    const char *d = s + 17;
    uint64_t v = 0;
    if (!*d || strlen(d) > 10)
        return -1;
    for (; *d; d++) {
        if (*d < '0' || *d > '9')
            return -1;
        v = v * 10 + (uint64_t)(*d - '0');
    }
    if (v > UINT32_MAX)
        return -1;
    mvr_hex(raw, 8, boot);
    *seq = (uint32_t)v;
    return 0;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid (overlongs,
 * surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_seq(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

char *mvr_utf8_sanitize(const uint8_t *in, size_t n, size_t *out_len)
{
    /* Worst case every byte becomes the 3-byte replacement character. */
    char *out = malloc(n * 3 + 1);
    size_t o = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq(in + i, n - i);
        if (l == 0 || in[i] == 0) {
            /* NUL is valid UTF-8 but would truncate C strings downstream. */
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i += 1;
            continue;
        }
        memcpy(out + o, in + i, l);
        o += l;
        i += l;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}
