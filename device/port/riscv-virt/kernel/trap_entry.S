/* The one trap entry of the M-mode kernel (mtvec, direct mode). Every trap comes from
 * U-mode: the kernel runs with mstatus.MIE clear, so interrupts are taken only while
 * the application runs, and a kernel exception is a bug (reported, then reset).
 *
 * Fast path, ecall from U-mode (mcause 8): ESP-IDF's ABI, number in a7, arguments in
 * a0-a6, status back in a0. The arguments stay in registers and go straight to the
 * generated register table mvk_syscall_rtable[a7](a0..a6), so there is no argument
 * block in application memory to fetch (twice or at all). Only ra, gp and tp of the
 * application are kept (the stub is a C call: the rest of the caller-saved registers
 * are the caller's to lose), and those are cleared on the way out so that no kernel
 * value reaches the application. Anything else (interrupts, faults, the shim's private
 * ecalls, unknown numbers, a due upcall) takes the slow path: a full frame
 * (rv_frame.h) and rv_trap() in C.
 *
 * mscratch holds the kernel stack pointer while the application runs; the two words
 * above it hold the kernel's gp and tp (picolibc's TLS: errno must not land in the
 * application's memory). */
#include "rv_frame.h"

#define K_GP (RV_FRAME_SIZE + 0)
#define K_TP (RV_FRAME_SIZE + 4)

/* OP (sw or lw) on the frame slots of t1-t2, a0-a7 and t3-t6: the registers the slow
 * path saves and the restore loads in one order, so the two lists cannot drift apart
 * (ra, t0, gp and tp are handled around it: their saving differs by path). */
.macro frame_caller_saved op
    \op t1, RV_F_T1(sp)
    \op t2, RV_F_T2(sp)
    \op a0, RV_F_A0+0(sp)
    \op a1, RV_F_A0+4(sp)
    \op a2, RV_F_A0+8(sp)
    \op a3, RV_F_A0+12(sp)
    \op a4, RV_F_A0+16(sp)
    \op a5, RV_F_A0+20(sp)
    \op a6, RV_F_A0+24(sp)
    \op a7, RV_F_A7(sp)
    \op t3, RV_F_T3+0(sp)
    \op t4, RV_F_T3+4(sp)
    \op t5, RV_F_T3+8(sp)
    \op t6, RV_F_T3+12(sp)
.endm

/* li REG, 0 for each register named: no kernel value may reach the application. */
.macro zero_regs regs:vararg
    .irp r, \regs
    li \r, 0
    .endr
.endm

    .section .text.rv_trap_entry, "ax", @progbits
    .globl rv_trap_entry
    .balign 4
rv_trap_entry:
    csrrw sp, mscratch, sp
    addi sp, sp, -RV_FRAME_SIZE
    sw t0, RV_F_T0(sp)
    csrr t0, mcause
    addi t0, t0, -8                 /* ecall from U-mode */
    bnez t0, rv_trap_slow
    sw ra, RV_F_RA(sp)
    sw gp, RV_F_GP(sp)
    sw tp, RV_F_TP(sp)
    lw gp, K_GP(sp)
    lw tp, K_TP(sp)
    lui t0, %hi(mvk_syscall_rtable_size)
    lw t0, %lo(mvk_syscall_rtable_size)(t0)
    bgeu a7, t0, rv_ecall_slow      /* the shim's private calls, unknown numbers */
    slli t0, a7, 2
    lui t1, %hi(mvk_syscall_rtable)
    add t0, t0, t1
    lw t0, %lo(mvk_syscall_rtable)(t0)
    beqz t0, rv_ecall_slow          /* a hole in the table */
    jalr t0
    csrr t0, mepc
    addi t0, t0, 4                  /* past the ecall */
    csrw mepc, t0
    lui t1, %hi(rv_upcall_due)
    lw t1, %lo(rv_upcall_due)(t1)
    bnez t1, rv_ecall_upcall
    lw ra, RV_F_RA(sp)
    lw gp, RV_F_GP(sp)
    lw tp, RV_F_TP(sp)
    zero_regs t0, t1, t2, t3, t4, t5, t6, a1, a2, a3, a4, a5, a6, a7
    addi sp, sp, RV_FRAME_SIZE
    csrrw sp, mscratch, sp
    mret

/* A system call whose return must divert the application into an upcall: the frame
 * is completed as the application would resume (status in a0, everything else
 * cleared) and rv_trap_upcall() makes the diversion. */
rv_ecall_upcall:
    sw a0, RV_F_A0(sp)
    .irp slot, RV_F_T0, RV_F_T1, RV_F_T2, RV_F_A0+4, RV_F_A0+8, RV_F_A0+12, RV_F_A0+16
    sw zero, \slot(sp)
    .endr
    .irp slot, RV_F_A0+20, RV_F_A0+24, RV_F_A7, RV_F_T3, RV_F_T3+4, RV_F_T3+8, RV_F_T3+12
    sw zero, \slot(sp)
    .endr
    csrr t0, mscratch
    sw t0, RV_F_SP(sp)
    csrr t0, mepc
    sw t0, RV_F_MEPC(sp)
    mv a0, sp
    call rv_trap_upcall
    j rv_trap_restore

/* Fast-path ecall that needs C after all: ra, gp and tp are saved already and the
 * kernel's gp and tp loaded; save the rest with the application's values. t1 may hold
 * part of a kernel address by now: it is caller-saved, so the application gets 0. */
rv_ecall_slow:
    lw t0, RV_F_GP(sp)
    mv gp, t0
    lw t0, RV_F_TP(sp)
    mv tp, t0
    lw t0, RV_F_T0(sp)
    li t1, 0
    /* fall through with the application's registers as at entry */

rv_trap_slow:
    sw ra, RV_F_RA(sp)
    frame_caller_saved sw
    sw gp, RV_F_GP(sp)
    sw tp, RV_F_TP(sp)
    csrr t0, mscratch
    sw t0, RV_F_SP(sp)
    csrr t0, mepc
    sw t0, RV_F_MEPC(sp)
    csrr t0, mcause
    sw t0, RV_F_MCAUSE(sp)
    csrr t0, mtval
    sw t0, RV_F_MTVAL(sp)
    lw gp, K_GP(sp)
    lw tp, K_TP(sp)
    mv a0, sp
    call rv_trap

/* Resume whatever the frame now says (application sp through mscratch). */
rv_trap_restore:
    lw t0, RV_F_MEPC(sp)
    csrw mepc, t0
    lw t0, RV_F_SP(sp)
    csrw mscratch, t0
    lw ra, RV_F_RA(sp)
    lw t0, RV_F_T0(sp)
    frame_caller_saved lw
    lw gp, RV_F_GP(sp)
    lw tp, RV_F_TP(sp)
    addi sp, sp, RV_FRAME_SIZE
    csrrw sp, mscratch, sp
    mret

/* rv_enter_user(entry): the first start of the application. The boot stack is
 * abandoned: its top becomes the trap stack, with the kernel's gp and tp above it. */
    .section .text.rv_enter_user, "ax", @progbits
    .globl rv_enter_user
rv_enter_user:
    csrw mepc, a0
    la t0, __stack
    addi t0, t0, -(RV_FRAME_SIZE + 16)
    andi t0, t0, -16
    addi t0, t0, RV_FRAME_SIZE
    sw gp, 0(t0)
    sw tp, 4(t0)
    csrw mscratch, t0
    li t0, (3 << 11)                /* mstatus.MPP = U */
    csrc mstatus, t0
    li t0, (1 << 7)                 /* MPIE */
    csrs mstatus, t0
    zero_regs ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7
    zero_regs s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6
    mret
