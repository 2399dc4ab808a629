/* RFC 6455 opening handshake, client side: the upgrade request and the check of the
 * relay's 101 response (accept key, subprotocol, no unrequested extensions).
 * The response is untrusted input: parsing is bounded by the given length. */
#include "ws.h"

#include <string.h>

#include "mbedtls/base64.h"
#include "mbedtls/sha1.h"

#include "mvp/frame.h"

static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

int mvk_ws_key_encode(const uint8_t nonce[16], char key_b64[MVK_WS_KEY_LEN + 1])
{
    size_t olen = 0;
    if (mbedtls_base64_encode((unsigned char *)key_b64, MVK_WS_KEY_LEN + 1, &olen, nonce, 16) !=
            0 ||
        olen != MVK_WS_KEY_LEN)
        return -1;
    return 0;
}

int mvk_ws_accept_compute(const char *key_b64, char accept[MVK_WS_ACCEPT_LEN + 1])
{
    unsigned char buf[64 + sizeof(ws_guid)];
    unsigned char digest[20];
    size_t klen = strlen(key_b64), olen = 0;
    if (klen > 64)
        return -1;
    memcpy(buf, key_b64, klen);
    memcpy(buf + klen, ws_guid, sizeof(ws_guid) - 1);
    if (mbedtls_sha1_ret(buf, klen + sizeof(ws_guid) - 1, digest) != 0)
        return -1;
    if (mbedtls_base64_encode((unsigned char *)accept, MVK_WS_ACCEPT_LEN + 1, &olen, digest,
                              sizeof(digest)) != 0 ||
        olen != MVK_WS_ACCEPT_LEN)
        return -1;
    return 0;
}

/* Bounded string builder: once something does not fit, the result is 0. */
struct sbuf {
    char *p;
    size_t cap, len;
    int full;
};

static void put(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->full || n >= b->cap - b->len) {
        b->full = 1;
        return;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static void put_u16(struct sbuf *b, uint16_t v)
{
    char tmp[6];
    size_t i = sizeof(tmp) - 1;
    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + v % 10);
        v = (uint16_t)(v / 10);
    } while (v);
    put(b, tmp + i);
}

size_t mvk_ws_request_build(const char *host, uint16_t port, const char *key_b64, char *out,
                            size_t cap)
{
    struct sbuf b = {out, cap, 0, cap == 0};
    int v6 = strchr(host, ':') != NULL; /* an IPv6 literal needs brackets in Host */
    put(&b, "GET " MVK_WS_PATH " HTTP/1.1\r\nHost: ");
    put(&b, v6 ? "[" : "");
    put(&b, host);
    put(&b, v6 ? "]:" : ":");
    put_u16(&b, port);
    put(&b, "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
    put(&b, key_b64);
    put(&b, "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " MVP_SUBPROTOCOL "\r\n\r\n");
    return b.full ? 0 : b.len;
}

size_t mvk_ws_head_len(const uint8_t *buf, size_t len)
{
    for (size_t i = 3; i < len; i++)
        if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n')
            return i + 1;
    return 0;
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive comparison of s[0..n) with the NUL-terminated word. */
static int eq_ci(const char *s, size_t n, const char *word)
{
    size_t i = 0;
    for (; i < n && word[i]; i++)
        if (lower(s[i]) != lower(word[i]))
            return 0;
    return i == n && word[i] == '\0';
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* 1 if the comma-separated list v[0..n) contains token (case-insensitive). */
static int has_token(const char *v, size_t n, const char *token)
{
    while (n) {
        size_t k = 0;
        while (k < n && v[k] != ',')
            k++;
        const char *t = v;
        size_t tn = k;
        trim(&t, &tn);
        if (eq_ci(t, tn, token))
            return 1;
        v += k < n ? k + 1 : k;
        n -= k < n ? k + 1 : k;
    }
    return 0;
}

struct seen {
    int upgrade, connection, accept, protocol, extensions;
};

static void check_header(const char *line, size_t n, const char *accept, struct seen *s)
{
    size_t c = 0;
    while (c < n && line[c] != ':')
        c++;
    if (c == n)
        return;
    const char *v = line + c + 1;
    size_t vn = n - c - 1;
    trim(&v, &vn);
    if (eq_ci(line, c, "upgrade"))
        s->upgrade = eq_ci(v, vn, "websocket");
    else if (eq_ci(line, c, "connection"))
        s->connection = has_token(v, vn, "upgrade");
    else if (eq_ci(line, c, "sec-websocket-accept"))
        s->accept = vn == MVK_WS_ACCEPT_LEN && memcmp(v, accept, vn) == 0;
    else if (eq_ci(line, c, "sec-websocket-protocol"))
        s->protocol = eq_ci(v, vn, MVP_SUBPROTOCOL);
    else if (eq_ci(line, c, "sec-websocket-extensions"))
        s->extensions = 1;
}

/* Status line "HTTP/1.1 101 ...": the code must be exactly 101. */
static int status_ok(const char *line, size_t n)
{
    static const char pre[] = "HTTP/1.1 101";
    return n >= sizeof(pre) - 1 && memcmp(line, pre, sizeof(pre) - 1) == 0 &&
           (n == sizeof(pre) - 1 || line[sizeof(pre) - 1] == ' ');
}

int mvk_ws_response_check(const char *head, size_t len, const char *key_b64)
{
    char accept[MVK_WS_ACCEPT_LEN + 1];
    struct seen s = {0, 0, 0, 0, 0};
    size_t off = 0;
    int first = 1, ended = 0;
    if (mvk_ws_accept_compute(key_b64, accept) != 0)
        return -1;
    while (off < len) {
        size_t e = off;
        while (e + 1 < len && !(head[e] == '\r' && head[e + 1] == '\n'))
            e++;
        if (e + 1 >= len)
            return -1; /* a line without CRLF: the head is truncated */
        if (first && !status_ok(head + off, e - off))
            return -1;
        if (e == off) {
            ended = 1; /* blank line: end of head */
            break;
        }
        if (!first)
            check_header(head + off, e - off, accept, &s);
        first = 0;
        off = e + 2;
    }
    if (!ended || !s.upgrade || !s.connection || !s.accept || !s.protocol || s.extensions)
        return -1;
    return 0;
}
