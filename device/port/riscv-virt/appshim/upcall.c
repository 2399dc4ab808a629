/* The application side of upcalls: a handler per notification interrupt, and the
 * one-time registration of the upcall entry with the kernel (a private ecall of this
 * port, outside the system-call table). */
#include <stddef.h>

#include "board.h"
#include "upcall.h"

void rv_app_upcall_entry(void);
void rv_app_irq(uint32_t irq);

static void (*handlers[RV_APP_IRQS])(void);
static int entry_set;
volatile uint32_t rv_app_irq_count;

static long set_upcall_entry(void (*entry)(void))
{
    register long a0 __asm("a0") = (long)(uintptr_t)entry;
    register long a7 __asm("a7") = (long)RV_ECALL_SET_UPCALL;

    __asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

int rv_app_irq_attach(uint32_t irq, void (*fn)(void))
{
    if (irq >= RV_APP_IRQS || fn == NULL)
        return -1;
    handlers[irq] = fn;
    if (!entry_set) {
        if (set_upcall_entry(rv_app_upcall_entry) != 0)
            return -1;
        entry_set = 1;
    }
    return 0;
}

int rv_app_upcalls_mask(int on)
{
    register long a0 __asm("a0") = on != 0;
    register long a7 __asm("a7") = (long)RV_ECALL_UPCALL_MASK;

    __asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return (int)a0;
}

/* Called by upcall_entry.S on the application's stack. */
void rv_app_irq(uint32_t irq)
{
    rv_app_irq_count++;
    if (irq < RV_APP_IRQS && handlers[irq] != NULL)
        handlers[irq]();
}
