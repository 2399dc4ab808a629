/* mvdevice's connection diagnostics: conn's failure hook (kernel context, kernel lock
 * held) prints why an attempt failed as one stderr line, explained by the link or by
 * mbedTLS, and rate-limited (diag_limit.c) so a relay that stays down does not flood
 * the terminal. */
#include <mbedtls/error.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509.h>
#include <stdio.h>

#include "conn_diag.h"
#include "diag_limit.h"
#include "host.h"
#include "identity.h"
#include "port.h"

static struct mvk_host_diag_limit limit;

static void explain(enum mvk_conn_fail f, int32_t detail, char *out, size_t cap)
{
    const char *link = mvk_host_link_last_error();

    switch (f) {
    case MVK_CONN_FAIL_LINK:
    case MVK_CONN_FAIL_CLOSED:
        if (link[0]) {
            snprintf(out, cap, "%s", link);
            return;
        }
        if (f == MVK_CONN_FAIL_CLOSED && detail > 0) {
            snprintf(out, cap, "WebSocket close code %d", (int)detail);
            return;
        }
        break;
    case MVK_CONN_FAIL_TLS:
        if (detail == MVK_TLS_ERR_NO_CLIENT_AUTH) {
            snprintf(out, cap, "the server did not ask for the device certificate: this is "
                               "not the relay's device listener (its API port?)");
            return;
        }
        if (detail == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
            snprintf(out, cap, "certificate verification failed: the relay's certificate is "
                               "not from the CA in the identity's ca.pem (an identity issued "
                               "by a different relay: provision one with this relay's mvcli) "
                               "or does not name the host in --relay (mvrelay --server-name)");
            return;
        }
        if (detail == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
            snprintf(out, cap, "the relay refused the handshake: the device certificate is "
                               "probably not from its CA (an identity issued by a different "
                               "relay)");
            return;
        }
        if (detail < 0) {
            mbedtls_strerror((int)detail, out, cap);
            return;
        }
        break;
    case MVK_CONN_FAIL_GOAWAY:
        snprintf(out, cap, "relay draining, retry after %d ms", (int)detail);
        return;
    case MVK_CONN_FAIL_REPLACED:
        snprintf(out, cap, "another connection with this device identity replaced this one; "
                           "retry after %d s", (int)(detail / 1000));
        return;
    default: break;
    }
    snprintf(out, cap, "detail %d", (int)detail);
}

static void on_fail(enum mvk_conn_fail f, int32_t detail)
{
    char why[320];
    uint32_t held = 0;

    if (!mvk_host_diag_should_print(&limit, (int)f, detail, mvk_port_now_us(), &held))
        return;
    explain(f, detail, why, sizeof why);
    if (held)
        fprintf(stderr, "mvdevice: relay connection failed: %s (%s); %u earlier failure(s) "
                        "not shown\n", mvk_conn_fail_name(f), why, (unsigned)held);
    else
        fprintf(stderr, "mvdevice: relay connection failed: %s (%s)\n",
                mvk_conn_fail_name(f), why);
}

void mvk_host_diag_install(void)
{
    mvk_conn_set_diag_hook(on_fail);
}
