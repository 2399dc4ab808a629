/* Application console on the pci-serial the kernel set up at RV_APP_CONSOLE (a
 * 16550; QEMU needs no baud rate): the byte output under the shared ns_puts/ns_put_dec
 * (device/port/common/app_console.c), and the run's exit through the finisher. Both
 * are in the application's PMP regions. */
#include "app_shim.h"
#include "board.h"
#include "console.h"

#define UART_THR 0u
#define UART_LSR 5u
#define LSR_THRE 0x20u

void app_shim_putc(char c)
{
    while ((RV_REG8(RV_APP_CONSOLE + UART_LSR) & LSR_THRE) == 0)
        ;
    RV_REG8(RV_APP_CONSOLE + UART_THR) = (uint8_t)c;
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
