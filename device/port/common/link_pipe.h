/* The hooks a board gives the shared link pipe (link_pipe.c, the kernel's
 * mvk_port_link_* calls): only moving bytes through its UART is the board's; the
 * open/closed state and the status codes the kernel's conn code expects are common. */
#ifndef MV_PORT_LINK_PIPE_H
#define MV_PORT_LINK_PIPE_H

#include <stddef.h>
#include <stdint.h>

/* A new connection: drop what an earlier one left unread and arm receiving. */
void port_link_reset(void);
/* Writes as much of p[0..n) as the UART takes now; how much (0: it is full). */
size_t port_link_tx(const uint8_t *p, size_t n);
/* Reads up to n received bytes into p; how many (0: none waiting). */
size_t port_link_rx(uint8_t *p, size_t n);

#endif
