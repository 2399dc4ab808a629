/* Host port services provided by the connection helper's files: loading the device
 * identity directory (identity.c) and the TCP link's descriptor for the kernel
 * loop's poll() (link.c). */
#ifndef MVK_HOST_IDENTITY_H
#define MVK_HOST_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

/* Reads DIR/device_id, device.key.pem, device.cert.pem and ca.pem into static kernel
 * memory, checks them (id format, PEM parse, key matches certificate, CN = id) and
 * parses relay_url "wss://HOST:PORT" (optionally followed by "/" or "/v1/device").
 * Fills the struct returned by mvk_port_identity(). 0, or -1 with a message in err. */
int mvk_host_identity_load(const char *dir, const char *relay_url, char *err, size_t errlen);

/* Parses "wss://HOST:PORT[/v1/device]" (HOST may be "[v6]"); 0 or -1. */
int mvk_host_parse_relay_url(const char *url, char *host, size_t hostlen, uint16_t *port);

/* The link socket, or -1 when there is none. */
int mvk_host_link_fd(void);
/* Why the link last failed ("connect: Connection refused"), "" if it did not. */
const char *mvk_host_link_last_error(void);
/* 1 if the kernel loop should also poll for POLLOUT (connecting, or a send was
 * refused with EAGAIN); 0 otherwise. */
int mvk_host_link_wants_write(void);

#endif
