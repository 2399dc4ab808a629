/* A port link that is never up, for test binaries that link code calling the
 * mvk_port_link_* functions (the TLS transport, the misc calls) but drive the
 * connection through fakes: every attempt fails as a closed link. */
#include "port.h"

int mvk_port_link_open(void)
{
    return -1;
}

int mvk_port_link_status(void)
{
    return MVK_LINK_CLOSED;
}

long mvk_port_link_send(const uint8_t *p, size_t n)
{
    (void)p;
    (void)n;
    return MVK_LINK_CLOSED;
}

long mvk_port_link_recv(uint8_t *p, size_t n)
{
    (void)p;
    (void)n;
    return MVK_LINK_CLOSED;
}

void mvk_port_link_close(void)
{
}
