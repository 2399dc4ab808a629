/* Tests of the transport error advice (src/http.c): each failure class
 * names the URL and says which setting to change. */
#include <criterion/criterion.h>
#include <string.h>

#include "http.h"

static char msg[1024];

Test(http, refused_connection_suggests_starting_the_relay)
{
    mvc_http_conn_message(CURLE_COULDNT_CONNECT, "https://127.0.0.1:7444", "Connection refused",
                          msg, sizeof(msg));
    cr_assert(strstr(msg, "cannot connect to https://127.0.0.1:7444"), "%s", msg);
    cr_assert(strstr(msg, "is mvrelay running?"), "%s", msg);
    cr_assert(strstr(msg, "MVCLI_URL"), "%s", msg);
}

Test(http, tls_failure_points_at_the_ca_setting)
{
    mvc_http_conn_message(CURLE_PEER_FAILED_VERIFICATION, "https://h:1", "unknown CA", msg,
                          sizeof(msg));
    cr_assert(strstr(msg, "TLS error"), "%s", msg);
    cr_assert(strstr(msg, "--cacert"), "%s", msg);
    cr_assert(strstr(msg, "ca.pem"), "%s", msg);
}

Test(http, bad_url_says_so)
{
    mvc_http_conn_message(CURLE_COULDNT_RESOLVE_HOST, "https://nohost:1", "x", msg, sizeof(msg));
    cr_assert(strstr(msg, "bad relay URL https://nohost:1"), "%s", msg);
}

Test(http, message_is_bounded_by_the_buffer)
{
    char small[16];
    memset(small, 'z', sizeof(small));
    mvc_http_conn_message(CURLE_COULDNT_CONNECT, "https://127.0.0.1:7444", "refused", small,
                          sizeof(small));
    cr_assert_eq(strlen(small), sizeof(small) - 1);
}
