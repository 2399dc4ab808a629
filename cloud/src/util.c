/* Shared helpers: time formatting and parsing, hex, randomness and file I/O.
 * Kept free of relay state so unit tests and fuzz targets can use them directly. */
#include "mvr/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

int64_t mvr_now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

void mvr_time_fmt(int64_t us, char out[MVR_TIME_STR])
{
    time_t s = (time_t)(us / 1000000);
    long frac = (long)(us % 1000000);
    if (frac < 0) {
        frac += 1000000;
        s -= 1;
    }
    struct tm tm;
    gmtime_r(&s, &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, MVR_TIME_STR, "%.19s.%06ldZ", base, frac);
}

static int parse_digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        *v = *v * 10 + (**p - '0');
        (*p)++;
    }
    return 0;
}

static int expect(const char **p, char c)
{
    if (**p != c && !(c == 'T' && (**p == 't' || **p == ' ')))
        return -1;
    (*p)++;
    return 0;
}

int mvr_time_parse(const char *s, int64_t *us)
{
    int y, mo, d, h, mi, se;
    const char *p = s;
    if (parse_digits(&p, 4, &y) || expect(&p, '-') || parse_digits(&p, 2, &mo) ||
        expect(&p, '-') || parse_digits(&p, 2, &d) || expect(&p, 'T') ||
        parse_digits(&p, 2, &h) || expect(&p, ':') || parse_digits(&p, 2, &mi) ||
        expect(&p, ':') || parse_digits(&p, 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    long frac = 0;
    if (*p == '.') {
        p++;
        int nd = 0;
        long scale = 100000;
        while (isdigit((unsigned char)*p)) {
            if (nd < 6) {
                frac += (*p - '0') * scale;
                scale /= 10;
            }
            nd++;
            p++;
        }
        if (nd == 0 || nd > 9)
            return -1;
    }
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om;
        p++;
        if (parse_digits(&p, 2, &oh) || expect(&p, ':') || parse_digits(&p, 2, &om) ||
            oh > 23 || om > 59)
            return -1;
        off = sign * (oh * 3600L + om * 60L);
    } else {
        return -1;
    }
    if (*p)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = se};
    time_t t = timegm(&tm);
    *us = ((int64_t)t - off) * 1000000 + frac;
    return 0;
}

void mvr_hex(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mvr_unhex(const char *s, size_t slen, uint8_t *out, size_t n)
{
    if (slen != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int mvr_random(void *out, size_t n)
{
    return RAND_bytes(out, (int)n) == 1 ? 0 : -1;
}

int mvr_device_id_valid(const char *s)
{
    if (!s || strlen(s) != MVR_DEVICE_ID_LEN || s[0] != 'U' || s[1] != 'V')
        return 0;
    for (int i = 2; i < MVR_DEVICE_ID_LEN; i++)
        if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return 0;
    return 1;
}

/* Keys are printable ASCII and addressed as one URL path segment (/v1/Configs/{key}).
 * lws decodes %2F into '/' and resolves dot segments before routing, so a key with '/',
 * or the key "." or "..", could be stored but never read or deleted again: refused.
 * Everything else round-trips when percent-encoded. */
int mvr_key_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 128 || !strcmp(s, ".") || !strcmp(s, ".."))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e || s[i] == '/')
            return 0;
    return 1;
}

int mvr_read_file(const char *path, size_t max, char **out, size_t *len)
{
    int rc = -1;
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    buf = malloc(max + 1);
    if (!buf)
        goto out;
    size_t n = fread(buf, 1, max + 1, f);
    if (ferror(f))
        goto out;
    if (n > max) {
        errno = EFBIG;
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

int mvr_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    /* open() honours the umask; the key files must be exactly `mode`. */
    if (fchmod(fd, mode) < 0)
        goto fail;
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        p += w;
        len -= (size_t)w;
    }
    if (fsync(fd) < 0)
        goto fail;
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    return rename(tmp, path);
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return -1;
}
