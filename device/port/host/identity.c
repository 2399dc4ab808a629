/* Host port: loads the device identity directory written by `mvcli devices provision`
 * into static memory and checks it up front, so a bad identity fails at start with a
 * clear message instead of as an opaque TLS error on every reconnect. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mbedtls/oid.h"
#include "mbedtls/pk.h"
#include "mbedtls/x509_crt.h"

#include "identity.h"
#include "port.h"

#define ID_PEM_CAP 8192u

static uint8_t key_pem[ID_PEM_CAP], cert_pem[ID_PEM_CAP], ca_pem[ID_PEM_CAP];
static struct mvk_identity ident;

const struct mvk_identity *mvk_port_identity(void)
{
    return &ident;
}

static int errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Reads DIR/name into buf as a NUL-terminated string; returns its length + 1. */
static long read_file(const char *dir, const char *name, uint8_t *buf, size_t cap, char *err,
                      size_t errlen)
{
    char path[4096];
    size_t len = 0;
    long rc = -1;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return errf(err, errlen, "identity path too long: %s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errf(err, errlen, "cannot open %s: %s", path, strerror(errno));
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errf(err, errlen, "cannot read %s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == cap - 1) {
            errf(err, errlen, "%s is larger than %u bytes", path, ID_PEM_CAP - 1u);
            goto out;
        }
    }
    buf[len] = '\0';
    rc = (long)len + 1;
out:
    close(fd);
    return rc;
}

static int load_device_id(const char *dir, char *err, size_t errlen)
{
    uint8_t buf[128];
    long n = read_file(dir, "device_id", buf, sizeof(buf), err, errlen);
    if (n < 0)
        return -1;
    size_t len = (size_t)n - 1;
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
        len--;
    int ok = len == 34 && buf[0] == 'U' && buf[1] == 'V';
    for (size_t i = 2; ok && i < len; i++)
        ok = (buf[i] >= '0' && buf[i] <= '9') || (buf[i] >= 'a' && buf[i] <= 'f');
    if (!ok)
        return errf(err, errlen, "%s/device_id: expected UV followed by 32 lowercase hex digits",
                    dir);
    memcpy(ident.device_id, buf, 34);
    ident.device_id[34] = '\0';
    return 0;
}

/* 1 if the certificate's subject CN equals the device id. */
static int cn_matches(const mbedtls_x509_crt *crt)
{
    for (const mbedtls_x509_name *n = &crt->subject; n; n = n->next)
        if (n->oid.p && MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) == 0)
            return n->val.len == 34 && memcmp(n->val.p, ident.device_id, 34) == 0;
    return 0;
}

static int check_pem(const char *dir, char *err, size_t errlen)
{
    mbedtls_x509_crt ca, crt;
    mbedtls_pk_context key;
    uint32_t flags = 0;
    int rc = -1;
    mbedtls_x509_crt_init(&ca);
    mbedtls_x509_crt_init(&crt);
    mbedtls_pk_init(&key);
    if (mbedtls_x509_crt_parse(&ca, ident.ca_pem, ident.ca_pem_len) != 0) {
        errf(err, errlen, "%s/ca.pem: not a PEM certificate", dir);
        goto out;
    }
    if (mbedtls_x509_crt_parse(&crt, ident.cert_pem, ident.cert_pem_len) != 0) {
        errf(err, errlen, "%s/device.cert.pem: not a PEM certificate", dir);
        goto out;
    }
    if (mbedtls_pk_parse_key(&key, ident.key_pem, ident.key_pem_len, NULL, 0) != 0) {
        errf(err, errlen, "%s/device.key.pem: not an unencrypted PEM private key", dir);
        goto out;
    }
    if (mbedtls_pk_check_pair(&crt.pk, &key) != 0) {
        errf(err, errlen, "%s: device.key.pem does not match device.cert.pem", dir);
        goto out;
    }
    if (!cn_matches(&crt)) {
        errf(err, errlen, "%s/device.cert.pem: subject CN is not %s", dir, ident.device_id);
        goto out;
    }
    if (mbedtls_x509_crt_verify(&crt, &ca, NULL, NULL, &flags, NULL, NULL) != 0) {
        errf(err, errlen, "%s/device.cert.pem: not signed by ca.pem (flags 0x%x)", dir,
             (unsigned)flags);
        goto out;
    }
    rc = 0;
out:
    mbedtls_x509_crt_free(&ca);
    mbedtls_x509_crt_free(&crt);
    mbedtls_pk_free(&key);
    return rc;
}

int mvk_host_parse_relay_url(const char *url, char *host, size_t hostlen, uint16_t *port)
{
    const char *p = url, *h, *he;
    unsigned long v = 0;
    if (strncmp(p, "wss://", 6) != 0)
        return -1;
    p += 6;
    if (*p == '[') {
        h = ++p;
        if ((he = strchr(p, ']')) == NULL)
            return -1;
        p = he + 1;
    } else {
        h = p;
        while (*p && *p != ':' && *p != '/')
            p++;
        he = p;
    }
    if (he == h || (size_t)(he - h) >= hostlen || *p != ':' || !p[1])
        return -1;
    for (p++; *p >= '0' && *p <= '9' && v <= 65535; p++)
        v = v * 10 + (unsigned long)(*p - '0');
    if (v == 0 || v > 65535 || (*p && strcmp(p, "/") != 0 && strcmp(p, "/v1/device") != 0))
        return -1;
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    *port = (uint16_t)v;
    return 0;
}

int mvk_host_identity_load(const char *dir, const char *relay_url, char *err, size_t errlen)
{
    long n;
    memset(&ident, 0, sizeof(ident));
    if (mvk_host_parse_relay_url(relay_url, ident.relay_host, sizeof(ident.relay_host),
                                 &ident.relay_port) != 0)
        return errf(err, errlen, "bad relay URL '%s': expected wss://HOST:PORT", relay_url);
    if (load_device_id(dir, err, errlen) != 0)
        return -1;
    if ((n = read_file(dir, "device.key.pem", key_pem, sizeof(key_pem), err, errlen)) < 0)
        return -1;
    ident.key_pem = key_pem;
    ident.key_pem_len = (size_t)n;
    if ((n = read_file(dir, "device.cert.pem", cert_pem, sizeof(cert_pem), err, errlen)) < 0)
        return -1;
    ident.cert_pem = cert_pem;
    ident.cert_pem_len = (size_t)n;
    if ((n = read_file(dir, "ca.pem", ca_pem, sizeof(ca_pem), err, errlen)) < 0)
        return -1;
    ident.ca_pem = ca_pem;
    ident.ca_pem_len = (size_t)n;
    return check_pem(dir, err, errlen);
}
