/* Small helpers shared by the relay modules: clocks, RFC 3339 times, hex, random bytes,
 * whole-file read/write with explicit modes, device id checks. */
#ifndef MVR_UTIL_H
#define MVR_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MVR_DEVICE_ID_LEN 34 /* "UV" + 32 lowercase hex */
#define MVR_TIME_STR 32      /* room for "2026-11-23T10:00:00.123456Z" + NUL */

/* Wall clock, Unix epoch microseconds. */
int64_t mvr_now_us(void);
/* Formats us as RFC 3339 UTC with microseconds. */
void mvr_time_fmt(int64_t us, char out[MVR_TIME_STR]);
/* Parses RFC 3339 (`Z` or +hh:mm offset, optional fraction up to 9 digits); 0 or -1. */
int mvr_time_parse(const char *s, int64_t *us);

/* Lowercase hex of in[0..n) into out (2n + 1 bytes, NUL-terminated). */
void mvr_hex(const uint8_t *in, size_t n, char *out);
/* Decodes exactly 2n hex characters of s into out[0..n); 0 or -1. */
int mvr_unhex(const char *s, size_t slen, uint8_t *out, size_t n);
/* Cryptographic random bytes (OpenSSL RAND_bytes); 0 or -1. */
int mvr_random(void *out, size_t n);

/* 1 if s is "UV" + 32 lowercase hex characters. */
int mvr_device_id_valid(const char *s);
/* 1 if s (NUL-terminated) is a valid config/secret key: 1..128 chars in 0x21..0x7e. */
int mvr_key_valid(const char *s);

/* Reads a whole file (at most max bytes) into a malloc'ed NUL-terminated buffer the
 * caller frees. 0, or -1 with errno set (EFBIG when larger than max). */
int mvr_read_file(const char *path, size_t max, char **out, size_t *len);
/* Writes data atomically (tmp + rename) with the given mode; 0 or -1 with errno. */
int mvr_write_file(const char *path, const void *data, size_t len, mode_t mode);

#endif
