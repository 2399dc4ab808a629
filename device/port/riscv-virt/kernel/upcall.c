/* Notifications as upcalls: RISC-V has no user-mode interrupts (the N extension was
 * never ratified), so "raising" an application interrupt marks it pending, and on the
 * next return to U-mode (end of a system call, of a kernel interrupt, of a previous
 * upcall) the kernel saves the application's context in kernel memory and resumes it
 * at its registered upcall entry instead, with the interrupt number in a0 and the
 * stack pointer below the interrupted one. The entry (appshim/upcall_entry.S) calls
 * the handler and ends with the private ecall RV_ECALL_UPCALL_RETURN, which restores
 * the saved context exactly. One upcall at a time, like one interrupt level; pending
 * ones are taken in number order when it ends. The ring is written by the portable
 * kernel before the interrupt is raised, so the semantics are the other ports'.
 * The application can mask upcalls (RV_ECALL_UPCALL_MASK, its __disable_irq): raised
 * interrupts then stay pending and are delivered on the return from the unmasking
 * call, so a critical section shared with a handler needs no lock. */
#include "app_regions.h"
#include "port.h"
#include "rv.h"

/* Notification interrupts 0..124: the STM32U585's NVIC numbers, which Microvisor
 * applications use (the host port accepts the same set). */
#define RV_APP_IRQS 125u
#define PENDING_WORDS ((RV_APP_IRQS + 31u) / 32u)

static uint32_t entry;                  /* 0: none registered */
static uint32_t pending[PENDING_WORDS]; /* bit i: interrupt i raised, not delivered */
static int active;                      /* an upcall is running */
static int masked;                      /* the application masked upcalls */
static struct rv_frame saved;           /* the interrupted application context */
volatile uint32_t rv_upcall_due;

static int any_pending(void)
{
    uint32_t any = 0;

    for (uint32_t i = 0; i < PENDING_WORDS; i++)
        any |= pending[i];
    return any != 0;
}

static void update_due(void)
{
    rv_upcall_due = entry != 0 && !active && !masked && any_pending();
}

/* The lowest pending interrupt, taken off the pending set (one is pending). */
static uint32_t take_lowest(void)
{
    uint32_t w = 0;

    while (pending[w] == 0)
        w++;
    uint32_t bit = (uint32_t)__builtin_ctz(pending[w]);
    pending[w] &= ~(1u << bit);
    return 32u * w + bit;
}

void rv_upcall_reset(void)
{
    entry = 0;
    for (uint32_t i = 0; i < PENDING_WORDS; i++)
        pending[i] = 0;
    active = 0;
    masked = 0;
    update_due();
}

int rv_upcall_set_entry(uint32_t e)
{
    if ((e & 1u) != 0 ||
        !rv_app_region_allows(rv_app_regions, rv_app_region_count, e, 4u, RV_PERM_X))
        return -1;
    entry = e;
    update_due();
    return 0;
}

int rv_upcall_mask(int on)
{
    int was = masked;

    masked = on != 0;
    update_due(); /* unmasking makes the pending ones due: delivered on this return */
    return was;
}

int mvk_port_irq_valid(uint32_t irq)
{
    return irq < RV_APP_IRQS;
}

void mvk_port_raise_irq(uint32_t irq)
{
    if (!mvk_port_irq_valid(irq))
        return;
    pending[irq / 32u] |= 1u << (irq % 32u);
    update_due();
}

void rv_upcall_deliver(struct rv_frame *f)
{
    uint32_t irq;

    if (!rv_upcall_due)
        return;
    irq = take_lowest();
    saved = *f; /* struct copy: word moves, not a byte-wise memcpy */
    active = 1;
    update_due();
    f->mepc = entry;
    f->a[0] = irq;
    f->ra = 0;
    /* The ABI has no red zone: below the interrupted sp is free; keep 16-byte alignment. */
    f->sp = (saved.sp - 16u) & ~15u;
}

int rv_upcall_return(struct rv_frame *f)
{
    if (!active)
        return -1;
    *f = saved;
    active = 0;
    update_due(); /* the next pending one is delivered by the caller's rv_upcall_deliver */
    return 0;
}
