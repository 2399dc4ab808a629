/* The kernel's byte pipe to the relay on the emulated boards: a UART that QEMU bridges
 * to a TCP socket (-chardev socket,...,reconnect=1). QEMU reconnects by itself, so
 * "open" only resets the pipe state; TLS and WebSocket above detect a broken stream.
 * Never blocks: what the UART cannot take or has not got is MVK_LINK_AGAIN. */
#include "link_pipe.h"
#include "port.h"

static int link_open;

int mvk_port_link_open(void)
{
    port_link_reset();
    link_open = 1;
    return 0;
}

int mvk_port_link_status(void)
{
    return link_open ? 1 : MVK_LINK_CLOSED;
}

long mvk_port_link_send(const uint8_t *p, size_t n)
{
    size_t sent;

    if (!link_open)
        return MVK_LINK_CLOSED;
    sent = port_link_tx(p, n);
    return sent ? (long)sent : MVK_LINK_AGAIN;
}

long mvk_port_link_recv(uint8_t *p, size_t n)
{
    size_t got;

    if (!link_open)
        return MVK_LINK_CLOSED;
    got = port_link_rx(p, n);
    return got ? (long)got : MVK_LINK_AGAIN;
}

void mvk_port_link_close(void)
{
    link_open = 0;
}
