/* The application's vector table (VTOR_NS = 0x00200000, start of the image): replaces
 * picolibc's 16-entry default so that external interrupts the kernel routes to the
 * application (notifications, peripherals) reach a handler registered at run time. */
#include "vectors.h"

typedef void (*vector_fn)(void);

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define NVIC_ISER(n) (0xE000E100u + 4u * (n))

extern uint8_t __stack[];
void _start(void);
void ns_default_handler(void);
void ns_irq_entry(void);

static vector_fn irq_handlers[NS_NUM_IRQS];
volatile uint32_t ns_irq_count;

/* Faults the application does not handle itself escalate to the kernel (secure
 * HardFault), which restarts the application; anything else landing here is a stray. */
void ns_default_handler(void)
{
    for (;;)
        __asm volatile("bkpt 0");
}

void ns_irq_entry(void)
{
    uint32_t ipsr;

    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    ns_irq_count++;
    if (ipsr >= 16u && ipsr - 16u < NS_NUM_IRQS && irq_handlers[ipsr - 16u] != 0)
        irq_handlers[ipsr - 16u]();
}

int ns_irq_attach(uint32_t irq, void (*fn)(void))
{
    if (irq >= NS_NUM_IRQS || fn == 0)
        return -1;
    irq_handlers[irq] = fn;
    __asm volatile("dsb" ::: "memory");
    REG32(NVIC_ISER(irq / 32u)) = 1u << (irq % 32u);
    return 0;
}

#define IRQS8 ns_irq_entry, ns_irq_entry, ns_irq_entry, ns_irq_entry, \
              ns_irq_entry, ns_irq_entry, ns_irq_entry, ns_irq_entry

__attribute__((section(".data.init.enter"), used))
const vector_fn __interrupt_vector[16 + NS_NUM_IRQS] = {
    (vector_fn)(uintptr_t)__stack, _start, ns_default_handler, ns_default_handler,
    ns_default_handler, ns_default_handler, ns_default_handler, 0, 0, 0, 0,
    ns_default_handler, ns_default_handler, 0, ns_default_handler, ns_default_handler,
    IRQS8, IRQS8, IRQS8, IRQS8, IRQS8, IRQS8, IRQS8, IRQS8, IRQS8, IRQS8, IRQS8, IRQS8,
};
