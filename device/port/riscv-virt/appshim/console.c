/* Application console on the pci-serial the kernel set up at RV_APP_CONSOLE (a
 * 16550; QEMU needs no baud rate), and the run's exit through the finisher. Both
 * are in the application's PMP regions. */
#include "console.h"
#include "board.h"

#define UART_THR 0u
#define UART_LSR 5u
#define LSR_THRE 0x20u

static void putc_raw(char c)
{
    while ((RV_REG8(RV_APP_CONSOLE + UART_LSR) & LSR_THRE) == 0)
        ;
    RV_REG8(RV_APP_CONSOLE + UART_THR) = (uint8_t)c;
}

void ns_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            putc_raw('\r');
        putc_raw(*s);
    }
}

void ns_put_dec(uint32_t v)
{
    char buf[11];
    int i = 10;

    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0 && i > 0);
    ns_puts(&buf[i]);
}

void ns_exit(uint32_t code)
{
    RV_REG32(RV_FINISHER) = code == 0 ? RV_FINISHER_PASS : (code << 16) | RV_FINISHER_FAIL;
    for (;;)
        ;
}

/* picolibc's exit() ends here when main returns: the application stops (waiting in
 * WFI, so the kernel keeps running) rather than ending the board's run. */
void _exit(int status);
void _exit(int status)
{
    (void)status;
    ns_puts("app: exited\n");
    for (;;)
        __asm volatile("wfi");
}
