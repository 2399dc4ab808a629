/* Test doubles for the kernel unit tests: a conn that records the frames the kernel
 * sends and lets tests inject received ones, a port with a settable clock and recorded
 * IRQs, and helpers that boot a fresh kernel over a registered app arena. */
#ifndef MVK_TEST_FAKES_H
#define MVK_TEST_FAKES_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "mv_syscalls.h"

#define FAKE_MAX_FRAMES 256
#define FAKE_MAX_PAYLOAD 16384

struct fake_frame {
    uint8_t type;
    uint16_t chan;
    uint32_t len;
    uint8_t payload[FAKE_MAX_PAYLOAD];
};

/* --- conn --- */
void fake_conn_reset(void);
void fake_conn_set_state(enum mvk_conn_state st);
/* Bytes mvk_conn_send accepts before returning -2 (default: unlimited). */
void fake_conn_set_space(uint32_t bytes);
int fake_conn_wanted(void);
/* mvk_conn_init calls since fake_conn_reset (a restarted connection). */
int fake_conn_init_count(void);
int fake_conn_count(void);
const struct fake_frame *fake_conn_frame(int i);
/* The last sent frame of this type (NULL if none). */
const struct fake_frame *fake_conn_last(uint8_t type);
int fake_conn_count_type(uint8_t type);
void fake_conn_clear(void);

/* --- port --- */
void fake_port_set_now(uint64_t us);
void fake_port_advance(uint64_t us);
int fake_port_irq_count(uint32_t irq);
/* What the kernel last told the port about irq (mvk_port_fastirq). */
int fake_port_irq_fast(uint32_t irq);
int fake_port_irq_live(uint32_t irq);
void fake_port_reset(void);
/* Makes mvk_port_entropy fail (to test kernel init refusing weak randomness). */
void fake_port_entropy_fail(int fail);

/* --- kernel test helpers --- */
/* App memory for tests: rw arena, ro area; kt_kernel is never registered. */
extern uint8_t kt_app[65536];
extern uint8_t kt_ro[256];
extern uint8_t kt_kernel[4096];
/* Fresh kernel: regions, fakes, mvk_kernel_init. */
void kt_boot(void);
/* WELCOME {max_payload 16384, flags} delivered: session up. */
void kt_session_up(uint32_t welcome_flags, uint32_t log_acked_seq);
void kt_session_down(void);
/* Injects a frame from the relay. */
void kt_inject(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len);
void kt_inject_u32(uint8_t type, uint16_t chan, uint32_t v);
/* Allocates n bytes (16-aligned) from kt_app. */
void *kt_alloc(size_t n);
/* A notification center over a 16-entry ring in kt_app, IRQ irq. */
MvNotificationHandle kt_notify(uint32_t irq, struct MvNotification **ring);
/* Request the network (with a notification handle) and bring the session up. */
MvNetworkHandle kt_network(MvNotificationHandle nh);
/* Opens a channel of type with rx/tx buffers of the given sizes from kt_app. */
enum MvStatus kt_open(MvNotificationHandle nh, MvNetworkHandle net, enum MvChannelType type,
                      uint32_t rx_len, uint32_t tx_len, MvChannelHandle *out);
uint32_t kt_be32(const uint8_t *p);

#endif
