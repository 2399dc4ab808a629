/* Network requests (mvRequestNetwork): a reference count that, together with pending
 * log records, decides whether conn keeps a session, and the MvNetworkStatus every
 * requester is notified about (NETWORKSTATUSCHANGED) when it changes. */
#ifndef MVK_NET_H
#define MVK_NET_H

#include <stdint.h>

#include "mv_syscalls.h"

void mvk_net_init(void);
/* The application is restarting: its requests are released; if the network was
 * wanted, it stays wanted for MVK_APP_RESET_NET_HOLD_US so the session survives. */
void mvk_net_app_reset(void);
/* When the hold ends (UINT64_MAX if none): mvk_net_update must run then. */
uint64_t mvk_net_next_deadline_us(void);
/* Re-evaluates wanted/status; call after anything that may change them (conn state
 * changes, log records queued or acknowledged, requests). */
void mvk_net_update(void);
enum MvNetworkStatus mvk_net_status(void);
int mvk_net_handle_valid(uint32_t h);

enum MvStatus mvk_impl_request_network(uint32_t notify_h, uint32_t tag, uint32_t *out);
enum MvStatus mvk_impl_release_network(uint32_t h);
enum MvStatus mvk_impl_get_network_reasons(uint32_t *reasons, uint32_t *refcount);

#endif
