/* Host identity loader: relay URL parsing and the identity directory checks, with
 * certificates made by the openssl CLI in a temporary directory. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identity.h"
#include "port.h"

Test(relay_url, accepts_host_port_and_paths)
{
    char host[128];
    uint16_t port = 0;
    cr_assert_eq(mvk_host_parse_relay_url("wss://localhost:7443", host, sizeof(host), &port), 0);
    cr_assert_str_eq(host, "localhost");
    cr_assert_eq(port, 7443);
    cr_assert_eq(mvk_host_parse_relay_url("wss://relay.example:1/", host, sizeof(host), &port), 0);
    cr_assert_eq(port, 1);
    cr_assert_eq(mvk_host_parse_relay_url("wss://[::1]:65535/v1/device", host, sizeof(host), &port),
                 0);
    cr_assert_str_eq(host, "::1");
    cr_assert_eq(port, 65535);
}

Test(relay_url, refuses_malformed)
{
    char host[16];
    uint16_t port;
    static const char *bad[] = {
        "ws://localhost:7443",
        "wss://localhost",
        "wss://localhost:",
        "wss://:7443",
        "wss://localhost:0",
        "wss://localhost:65536",
        "wss://localhost:99999999999",
        "wss://localhost:7443/other",
        "wss://localhost:74x3",
        "wss://[::1:7443",
        "wss://a-very-long-host-name.example:1",
        "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(mvk_host_parse_relay_url(bad[i], host, sizeof(host), &port), -1, "%s", bad[i]);
}

static char dir[64];

static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void put(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void mkdir_tmp(void)
{
    strcpy(dir, "/tmp/conn-identity.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void rm_tmp(void)
{
    sh("rm -rf %s", dir);
}

#define ID "UV0123456789abcdef0123456789abcdef"

/* A CA, a device key + certificate with CN = cn signed by it, in dir. */
static void make_identity(const char *cn)
{
    sh("cd %s && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key "
       "2>/dev/null && openssl req -x509 -new -key ca.key -subj /CN=t-ca -days 2 -out ca.pem "
       "2>/dev/null && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
       "-out device.key.pem 2>/dev/null && openssl req -new -key device.key.pem -subj /CN=%s "
       "-out d.csr 2>/dev/null && openssl x509 -req -in d.csr -CA ca.pem -CAkey ca.key "
       "-CAcreateserial -days 2 -out device.cert.pem 2>/dev/null",
       dir, cn);
    put("device_id", ID "\n");
}

static const char *load(char *err, size_t n)
{
    return mvk_host_identity_load(dir, "wss://localhost:7443", err, n) == 0 ? NULL : err;
}

TestSuite(identity, .init = mkdir_tmp, .fini = rm_tmp);

Test(identity, loads_a_valid_directory)
{
    char err[256] = "";
    make_identity(ID);
    cr_assert_null(load(err, sizeof(err)), "%s", err);
    const struct mvk_identity *id = mvk_port_identity();
    cr_assert_str_eq(id->device_id, ID);
    cr_assert_str_eq(id->relay_host, "localhost");
    cr_assert_eq(id->relay_port, 7443);
    cr_assert_eq(id->key_pem[id->key_pem_len - 1], '\0', "length includes the NUL");
    cr_assert_not_null(strstr((const char *)id->cert_pem, "BEGIN CERTIFICATE"));
}

Test(identity, names_the_missing_file)
{
    char err[256];
    cr_assert_not_null(load(err, sizeof(err)));
    cr_assert_not_null(strstr(err, "device_id"), "%s", err);
    put("device_id", ID "\n");
    cr_assert_not_null(load(err, sizeof(err)));
    cr_assert_not_null(strstr(err, "device.key.pem"), "%s", err);
}

Test(identity, refuses_bad_device_ids)
{
    static const char *bad[] = {"UV0123\n", "uv0123456789abcdef0123456789abcdef\n",
                                "UV0123456789ABCDEF0123456789abcdef\n",
                                "UV0123456789abcdef0123456789abcdef0\n"};
    char err[256];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        put("device_id", bad[i]);
        cr_assert_not_null(load(err, sizeof(err)));
        cr_assert_not_null(strstr(err, "32 lowercase hex"), "%s", err);
    }
}

Test(identity, refuses_garbage_pem_and_bad_url)
{
    char err[256];
    make_identity(ID);
    put("ca.pem", "not a certificate\n");
    cr_assert_not_null(load(err, sizeof(err)));
    cr_assert_not_null(strstr(err, "ca.pem"), "%s", err);
    cr_assert_eq(mvk_host_identity_load(dir, "https://x:1", err, sizeof(err)), -1);
    cr_assert_not_null(strstr(err, "relay URL"), "%s", err);
}

Test(identity, refuses_certificate_for_another_device)
{
    char err[256];
    make_identity("UVffffffffffffffffffffffffffffffff");
    cr_assert_not_null(load(err, sizeof(err)));
    cr_assert_not_null(strstr(err, "CN"), "%s", err);
}

Test(identity, refuses_key_that_does_not_match)
{
    char err[256];
    make_identity(ID);
    sh("cd %s && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
       "-out device.key.pem 2>/dev/null",
       dir);
    cr_assert_not_null(load(err, sizeof(err)));
    cr_assert_not_null(strstr(err, "does not match"), "%s", err);
}

Test(identity, refuses_certificate_from_another_ca)
{
    char err[256];
    make_identity(ID);
    sh("cd %s && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
       "-out o.key 2>/dev/null && openssl req -x509 -new -key o.key -subj /CN=o -days 2 "
       "-out ca.pem 2>/dev/null",
       dir);
    cr_assert_not_null(load(err, sizeof(err)));
    cr_assert_not_null(strstr(err, "not signed by ca.pem"), "%s", err);
}
