/* Host TCP link against loopback listeners made by the test: connect, byte exchange,
 * peer close, refused connect, and falling through to the next resolved address. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "identity.h"
#include "port.h"

static int listener(uint16_t *port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(fd, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(fd, 4), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void target(const char *host, uint16_t port)
{
    struct mvk_identity *id = (struct mvk_identity *)mvk_port_identity();
    strcpy(id->relay_host, host);
    id->relay_port = port;
}

/* Waits (bounded by a count of 100 ms polls, not by timing) until status != 0. */
static int settle(void)
{
    for (int i = 0; i < 100; i++) {
        int st = mvk_port_link_status();
        if (st != 0)
            return st;
        struct pollfd p = {mvk_host_link_fd(), POLLOUT, 0};
        (void)poll(&p, 1, 100);
    }
    return 0;
}

static long recv_some(uint8_t *buf, size_t n)
{
    for (int i = 0; i < 100; i++) {
        long r = mvk_port_link_recv(buf, n);
        if (r != MVK_LINK_AGAIN)
            return r;
        struct pollfd p = {mvk_host_link_fd(), POLLIN, 0};
        (void)poll(&p, 1, 100);
    }
    return MVK_LINK_AGAIN;
}

Test(link, connects_and_exchanges_bytes)
{
    uint16_t port;
    uint8_t buf[16];
    int l = listener(&port);
    target("127.0.0.1", port);
    cr_assert_eq(mvk_port_link_open(), 0);
    cr_assert_geq(mvk_host_link_fd(), 0);
    cr_assert_eq(settle(), 1);
    cr_assert_eq(mvk_host_link_wants_write(), 0);
    int s = accept(l, NULL, NULL);
    cr_assert_geq(s, 0);
    cr_assert_eq(mvk_port_link_recv(buf, sizeof(buf)), MVK_LINK_AGAIN);
    cr_assert_eq(mvk_port_link_send((const uint8_t *)"ping", 4), 4);
    cr_assert_eq(read(s, buf, sizeof(buf)), 4);
    cr_assert_eq(write(s, "pong!", 5), 5);
    cr_assert_eq(recv_some(buf, sizeof(buf)), 5);
    cr_assert_arr_eq(buf, "pong!", 5);
    close(s);
    cr_assert_eq(recv_some(buf, sizeof(buf)), MVK_LINK_CLOSED, "peer close is reported");
    mvk_port_link_close();
    cr_assert_eq(mvk_host_link_fd(), -1);
    cr_assert_eq(mvk_port_link_status(), MVK_LINK_CLOSED);
    close(l);
}

Test(link, refused_connect_reports_closed)
{
    uint16_t port;
    int l = listener(&port);
    close(l); /* nothing listens there any more */
    target("127.0.0.1", port);
    int rc = mvk_port_link_open();
    if (rc == 0)
        cr_assert_eq(settle(), MVK_LINK_CLOSED);
    cr_assert_eq(mvk_port_link_send((const uint8_t *)"x", 1), MVK_LINK_CLOSED);
    mvk_port_link_close();
}

Test(link, localhost_reaches_an_ipv4_only_listener)
{
    /* "localhost" may resolve to ::1 first; the link must go on to 127.0.0.1. */
    uint16_t port;
    int l = listener(&port);
    target("localhost", port);
    cr_assert_eq(mvk_port_link_open(), 0);
    cr_assert_eq(settle(), 1);
    mvk_port_link_close();
    close(l);
}

Test(link, unresolvable_host_fails_at_open)
{
    target("no-such-host.invalid", 1);
    cr_assert_eq(mvk_port_link_open(), -1);
    cr_assert_eq(mvk_host_link_fd(), -1);
}
