/* Listen addresses resolved and checked before the listeners are created. */
#ifndef MVR_LISTEN_H
#define MVR_LISTEN_H

#include <stddef.h>

/* Resolves host (name, IPv4 or bracket-less IPv6 literal) to the numeric address to bind
 * (IPv4 preferred when a name has both) and checks that host:port can be bound now.
 * 0, or -1 with a message naming host and port in err. Blocking: call before the loop. */
int mvr_listen_resolve(const char *host, int port, char *numeric, size_t cap, char *err,
                       size_t errlen);

#endif
