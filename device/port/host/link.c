/* Host link: a non-blocking TCP connection to the relay. Every resolved address is
 * tried in turn, because "localhost" may resolve to ::1 first while the relay listens
 * on 127.0.0.1 only. Name resolution itself is blocking (getaddrinfo); on the host
 * that is acceptable for the relay's configured name. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "identity.h"
#include "port.h"

#define LINK_MAX_ADDRS 8

static struct {
    int fd;
    int connecting;
    int want_write;
    size_t n_addrs, next;
    struct sockaddr_storage addrs[LINK_MAX_ADDRS];
    socklen_t lens[LINK_MAX_ADDRS];
    char why[128]; /* why the link last failed, for mvdevice's diagnostics */
} L = {.fd = -1};

static void note(const char *what, const char *detail)
{
    snprintf(L.why, sizeof L.why, "%s: %s", what, detail);
}

const char *mvk_host_link_last_error(void)
{
    return L.why;
}

static void drop_fd(void)
{
    if (L.fd >= 0)
        close(L.fd);
    L.fd = -1;
    L.connecting = 0;
    L.want_write = 0;
}

static int resolve(void)
{
    const struct mvk_identity *id = mvk_port_identity();
    struct addrinfo hints, *res = NULL, *ai;
    char port[8];
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof(port), "%u", (unsigned)id->relay_port);
    int rc = getaddrinfo(id->relay_host, port, &hints, &res);
    if (rc != 0) {
        note(id->relay_host, gai_strerror(rc));
        return -1;
    }
    L.n_addrs = 0;
    for (ai = res; ai && L.n_addrs < LINK_MAX_ADDRS; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof(L.addrs[0]))
            continue;
        memcpy(&L.addrs[L.n_addrs], ai->ai_addr, ai->ai_addrlen);
        L.lens[L.n_addrs++] = (socklen_t)ai->ai_addrlen;
    }
    freeaddrinfo(res);
    L.next = 0;
    return L.n_addrs ? 0 : -1;
}

/* Starts a connect to the next untried address; 0 if one is in progress or done. */
static int try_next(void)
{
    while (L.next < L.n_addrs) {
        size_t i = L.next++;
        int one = 1;
        drop_fd();
        L.fd = socket(L.addrs[i].ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (L.fd < 0) {
            note("socket", strerror(errno));
            continue;
        }
        (void)setsockopt(L.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (connect(L.fd, (struct sockaddr *)&L.addrs[i], L.lens[i]) == 0)
            return 0;
        if (errno == EINPROGRESS) {
            L.connecting = 1;
            L.want_write = 1;
            return 0;
        }
        note("connect", strerror(errno));
    }
    drop_fd();
    return -1;
}

int mvk_port_link_open(void)
{
    drop_fd();
    L.why[0] = 0;
    if (resolve() != 0)
        return -1;
    return try_next();
}

int mvk_port_link_status(void)
{
    struct pollfd p;
    int err = 0;
    socklen_t len = sizeof(err);
    if (L.fd < 0)
        return MVK_LINK_CLOSED;
    if (!L.connecting)
        return 1;
    p.fd = L.fd;
    p.events = POLLOUT;
    p.revents = 0;
    if (poll(&p, 1, 0) == 0)
        return 0;
    if (getsockopt(L.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
        note("connect", strerror(err != 0 ? err : errno));
        return try_next() == 0 ? mvk_port_link_status() : MVK_LINK_CLOSED;
    }
    L.connecting = 0;
    L.want_write = 0;
    return 1;
}

long mvk_port_link_send(const uint8_t *p, size_t n)
{
    if (L.fd < 0 || L.connecting)
        return L.fd < 0 ? MVK_LINK_CLOSED : MVK_LINK_AGAIN;
    ssize_t r = send(L.fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (r >= 0) {
        L.want_write = 0;
        return (long)r;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        L.want_write = 1;
        return MVK_LINK_AGAIN;
    }
    note("send", strerror(errno));
    return MVK_LINK_CLOSED;
}

long mvk_port_link_recv(uint8_t *p, size_t n)
{
    if (L.fd < 0 || L.connecting)
        return L.fd < 0 ? MVK_LINK_CLOSED : MVK_LINK_AGAIN;
    ssize_t r = recv(L.fd, p, n, MSG_DONTWAIT);
    if (r > 0)
        return (long)r;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return MVK_LINK_AGAIN;
    if (r == 0)
        note("recv", "closed by the relay");
    else
        note("recv", strerror(errno));
    return MVK_LINK_CLOSED;
}

void mvk_port_link_close(void)
{
    drop_fd();
}

int mvk_host_link_fd(void)
{
    return L.fd;
}

int mvk_host_link_wants_write(void)
{
    return L.fd >= 0 && (L.connecting || L.want_write);
}
