/* Percent-encoding of path segments and query values for the REST API:
 * config and secret keys may contain '/', '?', '%' and other characters
 * that would otherwise change the URL's meaning. */
#ifndef MVC_URL_H
#define MVC_URL_H

#include <stddef.h>

/* Writes src percent-encoded (RFC 3986 unreserved characters kept) into dst.
 * Returns 0, or -1 if it does not fit in dstlen bytes including the NUL. */
int mvc_url_escape(const char *src, char *dst, size_t dstlen);

#endif
