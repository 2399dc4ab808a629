/* Number formatting of the boards' consoles (fmt_num.h). */
#include "fmt_num.h"

const char *port_fmt_dec(uint32_t v, char buf[PORT_FMT_NUM_LEN])
{
    unsigned i = PORT_FMT_NUM_LEN - 1u;

    buf[i] = '\0';
    do { /* least significant digit first, from the end of buf */
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0 && i > 0);
    return &buf[i];
}

const char *port_fmt_hex(uint32_t v, char buf[PORT_FMT_NUM_LEN])
{
    unsigned i;

    buf[0] = '0';
    buf[1] = 'x';
    for (i = 0; i < 8u; i++)
        buf[2u + i] = "0123456789abcdef"[(v >> (28u - 4u * i)) & 0xFu];
    buf[10] = '\0';
    return buf;
}
