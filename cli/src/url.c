/* Percent-encoding for URL path segments and query values. Everything but
 * the RFC 3986 unreserved set is encoded, so the relay sees the exact key. */
#include "mvc/url.h"

#include <stdbool.h>

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

int mvc_url_escape(const char *src, char *dst, size_t dstlen)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)src; *s; s++) {
        size_t need = unreserved(*s) ? 1 : 3;
        if (o + need >= dstlen)
            return -1;
        if (need == 1) {
            dst[o++] = (char)*s;
        } else {
            dst[o++] = '%';
            dst[o++] = hex[*s >> 4];
            dst[o++] = hex[*s & 15];
        }
    }
    if (o >= dstlen)
        return -1;
    dst[o] = '\0';
    return 0;
}
