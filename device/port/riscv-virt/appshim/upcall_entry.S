/* Where the kernel diverts the application for a notification: a0 = interrupt number,
 * sp 16-byte aligned below the interrupted stack, every other register as the
 * interrupted code left it (the kernel restores them all afterwards). Calls the C
 * dispatcher, then asks the kernel to resume the interrupted code; that ecall does
 * not return here. */
#include "board.h"

    .section .text.rv_app_upcall_entry, "ax", @progbits
    .globl rv_app_upcall_entry
    .balign 4
rv_app_upcall_entry:
    call rv_app_irq
    li a7, RV_ECALL_UPCALL_RETURN
    ecall
1:  j 1b
