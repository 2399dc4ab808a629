/* WebSocket opening handshake: the accept key (RFC 6455 example), the request we send
 * and every reason to refuse the relay's response. */
#include <criterion/criterion.h>
#include <string.h>

#include "ws.h"

static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==";
static const char good_accept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

Test(ws_handshake, accept_key_matches_rfc6455_example)
{
    char accept[MVK_WS_ACCEPT_LEN + 1];
    cr_assert_eq(mvk_ws_accept_compute(key, accept), 0);
    cr_assert_str_eq(accept, good_accept);
}

Test(ws_handshake, key_is_base64_of_the_nonce)
{
    const uint8_t nonce[16] = "the sample nonce";
    char k[MVK_WS_KEY_LEN + 1];
    cr_assert_eq(mvk_ws_key_encode(nonce, k), 0);
    cr_assert_str_eq(k, key);
}

Test(ws_handshake, request_has_every_required_header)
{
    char req[512];
    size_t n = mvk_ws_request_build("localhost", 7443, key, req, sizeof(req));
    cr_assert_gt(n, 0);
    cr_assert_eq(strlen(req), n);
    cr_assert(strncmp(req, "GET /v1/device HTTP/1.1\r\n", 25) == 0);
    cr_assert_not_null(strstr(req, "\r\nHost: localhost:7443\r\n"));
    cr_assert_not_null(strstr(req, "\r\nUpgrade: websocket\r\n"));
    cr_assert_not_null(strstr(req, "\r\nConnection: Upgrade\r\n"));
    cr_assert_not_null(strstr(req, "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    cr_assert_not_null(strstr(req, "\r\nSec-WebSocket-Version: 13\r\n"));
    cr_assert_not_null(strstr(req, "\r\nSec-WebSocket-Protocol: mvisor.v1\r\n"));
    cr_assert_eq(strcmp(req + n - 4, "\r\n\r\n"), 0);
}

Test(ws_handshake, request_brackets_ipv6_and_refuses_small_buffer)
{
    char req[512];
    cr_assert_gt(mvk_ws_request_build("::1", 80, key, req, sizeof(req)), 0);
    cr_assert_not_null(strstr(req, "Host: [::1]:80\r\n"));
    cr_assert_eq(mvk_ws_request_build("localhost", 7443, key, req, 64), 0);
}

static int check(const char *head)
{
    return mvk_ws_response_check(head, strlen(head), key);
}

#define UPG "Upgrade: websocket\r\n"
#define CONN "Connection: Upgrade\r\n"
#define ACC "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
#define PROTO "Sec-WebSocket-Protocol: mvisor.v1\r\n"

Test(ws_handshake, accepts_valid_response_case_insensitively)
{
    cr_assert_eq(check("HTTP/1.1 101 Switching Protocols\r\n" UPG CONN ACC PROTO "\r\n"), 0);
    cr_assert_eq(check("HTTP/1.1 101\r\nupgrade:  WebSocket \r\nconnection: keep-alive, "
                       "upgrade\r\nsec-websocket-accept:s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                       "SEC-WEBSOCKET-PROTOCOL: mvisor.v1\r\n\r\n"),
                 0);
}

Test(ws_handshake, refuses_bad_responses)
{
    cr_assert_eq(check("HTTP/1.1 200 OK\r\n" UPG CONN ACC PROTO "\r\n"), -1);
    cr_assert_eq(check("HTTP/1.1 1010\r\n" UPG CONN ACC PROTO "\r\n"), -1);
    cr_assert_eq(check("HTTP/1.1 101 x\r\n" CONN ACC PROTO "\r\n"), -1);
    cr_assert_eq(check("HTTP/1.1 101 x\r\n" UPG ACC PROTO "\r\n"), -1);
    cr_assert_eq(check("HTTP/1.1 101 x\r\n" UPG CONN PROTO "\r\n"), -1);
    cr_assert_eq(check("HTTP/1.1 101 x\r\n" UPG CONN ACC "\r\n"), -1);
    cr_assert_eq(check("HTTP/1.1 101 x\r\n" UPG CONN
                       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo\r\n" PROTO "\r\n"),
                 -1);
    cr_assert_eq(
        check("HTTP/1.1 101 x\r\n" UPG CONN ACC "Sec-WebSocket-Protocol: mvisor.v2\r\n\r\n"), -1);
    cr_assert_eq(check("HTTP/1.1 101 x\r\n" UPG CONN ACC PROTO
                       "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"),
                 -1);
    cr_assert_eq(check("HTTP/1.1 101 x\r\n" UPG CONN ACC PROTO), -1, "truncated head");
}

Test(ws_handshake, head_length_finds_blank_line)
{
    const char *s = "HTTP/1.1 101\r\nA: b\r\n\r\nXYZ";
    cr_assert_eq(mvk_ws_head_len((const uint8_t *)s, strlen(s)), strlen(s) - 3);
    cr_assert_eq(mvk_ws_head_len((const uint8_t *)s, 10), 0);
}
