/* The secure vector table (replaces picolibc's 16-entry default): system exceptions,
 * the link UART's interrupts and a catch-all that reports strays. picolibc's crt0
 * (_start) is the reset handler; the reset VTOR of 0x10000000 points here. */
#include "an505.h"
#include "regs.h"

typedef void (*vector_fn)(void);

extern uint8_t __stack[];
void _start(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void SecureFault_Handler(void);
void SysTick_Handler(void);
void PendSV_Handler(void);
void Default_Handler(void);
void Link_IRQHandler(void);

void Default_Handler(void)
{
    uint32_t ipsr;

    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    an505_puts("mvk: unexpected exception ");
    an505_put_dec(ipsr);
    an505_puts(", disabled\n");
    if (ipsr >= 16u)
        REG32(NVIC_ICER((ipsr - 16u) / 32u)) = 1u << ((ipsr - 16u) % 32u);
}

void Link_IRQHandler(void)
{
    an505_link_rx_isr();
}

#define IRQ_VEC(n) [16 + (n)]

__attribute__((section(".data.init.enter"), used))
const vector_fn __interrupt_vector[16 + AN505_NUM_IRQS] = {
    [0] = (vector_fn)(uintptr_t)__stack,
    [1] = _start,
    [2] = Default_Handler,
    [3] = HardFault_Handler,
    [4] = MemManage_Handler,
    [5] = BusFault_Handler,
    [6] = UsageFault_Handler,
    [7] = SecureFault_Handler,
    [11] = Default_Handler,
    [12] = Default_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    IRQ_VEC(UART_RX_IRQ(1)) = Link_IRQHandler,
    IRQ_VEC(UART_OVERFLOW_IRQ) = Link_IRQHandler,
};
