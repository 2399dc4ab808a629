/* UART0 (made non-secure by the kernel's PPC setup) as the application console (the
 * byte output under the shared ns_puts/ns_put_dec, device/port/common/app_console.c),
 * and the semihosting exit tests use to report pass/fail to QEMU's exit status. */
#include "app_shim.h"
#include "console.h"

#define UART0 0x40200000u
#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define UART_DATA 0x00u
#define UART_STATE 0x04u
#define UART_CTRL 0x08u
#define UART_BAUDDIV 0x10u

static int uart_ready;

void app_shim_putc(char c)
{
    if (!uart_ready) {
        REG32(UART0 + UART_BAUDDIV) = 173u;
        REG32(UART0 + UART_CTRL) = 1u; /* TX enable */
        uart_ready = 1;
    }
    while (REG32(UART0 + UART_STATE) & 1u)
        ;
    REG32(UART0 + UART_DATA) = (uint8_t)c;
}

void ns_exit(uint32_t code)
{
    uint32_t block[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, code};
    register uint32_t r0 __asm("r0") = 0x20u; /* SYS_EXIT_EXTENDED */
    register uint32_t r1 __asm("r1") = (uint32_t)(uintptr_t)block;

    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    for (;;)
        ;
}
