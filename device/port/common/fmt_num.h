/* Numbers as text for the emulated boards' polled consoles (kernel and application
 * side): they format by hand, without stdio, because they also print from fault
 * handlers. Pure code, unit-tested on the host (tests/test_fmt_num.c). */
#ifndef MV_PORT_FMT_NUM_H
#define MV_PORT_FMT_NUM_H

#include <stdint.h>

/* Room for either form: "0x" and 8 hex digits, or 10 decimal digits; and the NUL. */
#define PORT_FMT_NUM_LEN 11u

/* v in decimal, no leading zeros; returns where the text starts inside buf. */
const char *port_fmt_dec(uint32_t v, char buf[PORT_FMT_NUM_LEN]);
/* v as "0x" and 8 lower-case hex digits; returns buf. */
const char *port_fmt_hex(uint32_t v, char buf[PORT_FMT_NUM_LEN]);

#endif
