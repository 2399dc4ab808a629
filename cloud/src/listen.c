/* Listen addresses: a name or literal (IPv4, or IPv6 without brackets) resolved once at
 * start to the numeric address lws binds, with a trial bind so that an address this host
 * does not have, or a port in use, stops the relay with a clear message instead of lws
 * logging "DOESN'T EXIST" and the relay running without a listener. */
#include "mvr/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Binds (and releases) addr:port as the listener will; 0 or -1 with errno set. */
static int trial_bind(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1, rc;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ai->ai_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    rc = bind(fd, ai->ai_addr, ai->ai_addrlen);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

int mvr_listen_resolve(const char *host, int port, char *numeric, size_t cap, char *err,
                       size_t errlen)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *res = NULL, *pick = NULL;
    char serv[8];
    snprintf(serv, sizeof serv, "%d", port);
    int rc = getaddrinfo(host, serv, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
        return -1;
    }
    /* A name with both families (localhost) binds its IPv4 address, as a literal would. */
    for (struct addrinfo *a = res; a; a = a->ai_next)
        if (!pick || (a->ai_family == AF_INET && pick->ai_family != AF_INET))
            pick = a;
    const void *in = pick->ai_family == AF_INET
                         ? (const void *)&((struct sockaddr_in *)pick->ai_addr)->sin_addr
                         : (const void *)&((struct sockaddr_in6 *)pick->ai_addr)->sin6_addr;
    rc = -1;
    if (!inet_ntop(pick->ai_family, in, numeric, (socklen_t)cap))
        snprintf(err, errlen, "cannot format the address of %s", host);
    else if (trial_bind(pick) < 0)
        snprintf(err, errlen, "cannot listen on %s port %d (%s): %s", host, port, numeric,
                 strerror(errno));
    else
        rc = 0;
    freeaddrinfo(res);
    return rc;
}
