/* Shared by the API unit tests: a fake port whose "application memory" is an arena
 * the tests allocate from (everything else counts as kernel memory), and a fake
 * connection that records frames. */
#ifndef MVT_API_TEST_H
#define MVT_API_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "mv_syscalls.h"

/* Resets the arena, the fakes and every kernel module the tests touch. */
void mvt_reset(void);
/* n zeroed bytes of application memory, 16-byte aligned (aborts the test if full). */
void *mvt_app_alloc(size_t n);
/* Memory the application may read but not write. */
extern const uint8_t mvt_app_ro[256];
/* Kernel memory: a valid host address the application may not touch. */
extern uint8_t mvt_kernel_mem[64];

/* Fake connection: state, transmit space and the frames sent. */
void mvt_conn_set_up(int up);
uint32_t mvt_conn_frames(void);
/* The last frame sent: type, channel, payload (NULL if none). */
const uint8_t *mvt_conn_last(uint8_t *type, uint16_t *chan, uint32_t *len);
/* Pends of the application IRQ so far. */
uint32_t mvt_irqs_raised(void);
/* What the kernel last told the port: irq is fast / live (mvk_port_fastirq), the
 * system LED's state (-1: never set since mvt_reset). */
int mvt_irq_fast(uint32_t irq);
int mvt_irq_live(uint32_t irq);
extern int mvt_led;
/* Fake peripheral register at this address (see mvk_port_periph_reg). */
#define MVT_PERIPH_REG 0x40001000u
#define MVT_PERIPH_WRITABLE 0x0000ffffu
extern uint32_t mvt_periph_value;

/* Relay side: inject a frame, or one typed message as a DATA frame. */
void mvt_inject(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len);
void mvt_inject_msg(uint16_t chan, uint8_t msg_type, const uint8_t *body, uint32_t len);
/* Notification center, network, connected session, channel of this type answered
 * with OPEN_OK (64 KiB credit); returns the wire channel id. */
uint16_t mvt_open_channel(enum MvChannelType type, uint32_t rx, uint32_t tx, MvChannelHandle *out);

#endif
