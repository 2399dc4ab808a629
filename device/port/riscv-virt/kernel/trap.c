/* The C side of the trap entry (trap_entry.S): interrupts run the kernel, the shim's
 * private ecalls manage upcalls, unknown call numbers get MV_STATUS_UNAVAILABLE, and
 * any other exception from U-mode restarts the application alone, as does a rollback
 * of an update the kernel decides in its work (update_rv.c). An exception
 * taken in M-mode is a kernel bug: reported, then the board resets. Before every
 * return to U-mode a due upcall diverts the application (upcall.c). */
#include "mv_syscalls.h"
#include "rv.h"

void rv_trap_entry(void);
void rv_trap(struct rv_frame *f);
void rv_trap_upcall(struct rv_frame *f);

void rv_trap_init(void)
{
    __asm volatile("csrw mtvec, %0" ::"r"((uint32_t)(uintptr_t)rv_trap_entry));
    /* The application may read cycle and instret (benchmarks), not time CSRs. */
    __asm volatile("csrw mcounteren, %0" ::"r"(5u));
    __asm volatile("csrs mie, %0" ::"r"(RV_MIE_MTIE | RV_MIE_MEIE));
}

static uint32_t read_mstatus(void)
{
    uint32_t v;

    __asm volatile("csrr %0, mstatus" : "=r"(v));
    return v;
}

static void kernel_fault(const struct rv_frame *f)
{
    rv_puts("mvk: unrecoverable fault in kernel mcause=");
    rv_put_hex(f->mcause);
    rv_puts(" mepc=");
    rv_put_hex(f->mepc);
    rv_puts(" mtval=");
    rv_put_hex(f->mtval);
    rv_puts("\n");
    rv_reset();
}

static void app_fault(struct rv_frame *f)
{
    rv_puts("mvk: fault in application mcause=");
    rv_put_hex(f->mcause);
    rv_puts(" mepc=");
    rv_put_hex(f->mepc);
    rv_puts(" mtval=");
    rv_put_hex(f->mtval);
    rv_puts(", restarting the application\n");
    rv_app_restart(f);
}

/* The shim's private calls and numbers outside the table. */
static void ecall(struct rv_frame *f)
{
    uint32_t rc = MV_STATUS_UNAVAILABLE;

    f->mepc += 4u;
    if (f->a[7] == RV_ECALL_UPCALL_RETURN) {
        if (rv_upcall_return(f) == 0)
            return; /* frame is the interrupted context again */
        rc = MV_STATUS_PARAMETERFAULT;
    } else if (f->a[7] == RV_ECALL_SET_UPCALL) {
        rc = rv_upcall_set_entry(f->a[0]) == 0 ? MV_STATUS_OKAY : MV_STATUS_PARAMETERFAULT;
    } else if (f->a[7] == RV_ECALL_UPCALL_MASK) {
        rc = (uint32_t)rv_upcall_mask(f->a[0] != 0); /* the previous state, not a status */
    }
    f->a[0] = rc;
}

void rv_trap(struct rv_frame *f)
{
    if ((read_mstatus() & RV_MSTATUS_MPP) != 0)
        kernel_fault(f);
    if (f->mcause == (RV_MCAUSE_INT | RV_IRQ_MTIMER)) {
        /* Work first, then the next deadline a tick after it ends: however long the
         * work took (a TLS handshake), the application runs a tick before the next. */
        rv_kernel_work();
        rv_clint_tick();
    } else if (f->mcause == (RV_MCAUSE_INT | RV_IRQ_MEXT)) {
        rv_plic_handle();
        rv_kernel_work();
    } else if (f->mcause == RV_EXC_ECALL_U) {
        ecall(f);
    } else if ((f->mcause & RV_MCAUSE_INT) == 0) {
        app_fault(f);
    }
    /* Kernel work rolled back an update whose app did not come up in time. */
    if (rv_update_restart_due())
        rv_update_restart(f);
    rv_upcall_deliver(f);
}

/* From the fast path: a system call raised a notification. */
void rv_trap_upcall(struct rv_frame *f)
{
    rv_upcall_deliver(f);
}
