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
    li t0, 0
    li t1, 0
    li t2, 0
    li t3, 0
    li t4, 0
    li t5, 0
    li t6, 0
    li a1, 0
    li a2, 0
    li a3, 0
    li a4, 0
    li a5, 0
    li a6, 0
    li a7, 0
    addi sp, sp, RV_FRAME_SIZE
    csrrw sp, mscratch, sp
    mret

/* A system call whose return must divert the application into an upcall: the frame
 * is completed as the application would resume (status in a0, everything else
 * cleared) and rv_trap_upcall() makes the diversion. */
rv_ecall_upcall:
    sw a0, RV_F_A0(sp)
    sw zero, RV_F_T0(sp)
    sw zero, RV_F_T1(sp)
    sw zero, RV_F_T2(sp)
    sw zero, RV_F_A0+4(sp)
    sw zero, RV_F_A0+8(sp)
    sw zero, RV_F_A0+12(sp)
    sw zero, RV_F_A0+16(sp)
    sw zero, RV_F_A0+20(sp)
    sw zero, RV_F_A0+24(sp)
    sw zero, RV_F_A7(sp)
    sw zero, RV_F_T3(sp)
    sw zero, RV_F_T3+4(sp)
    sw zero, RV_F_T3+8(sp)
    sw zero, RV_F_T3+12(sp)
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
    sw t1, RV_F_T1(sp)
    sw t2, RV_F_T2(sp)
    sw a0, RV_F_A0+0(sp)
    sw a1, RV_F_A0+4(sp)
    sw a2, RV_F_A0+8(sp)
    sw a3, RV_F_A0+12(sp)
    sw a4, RV_F_A0+16(sp)
    sw a5, RV_F_A0+20(sp)
    sw a6, RV_F_A0+24(sp)
    sw a7, RV_F_A7(sp)
    sw t3, RV_F_T3+0(sp)
    sw t4, RV_F_T3+4(sp)
    sw t5, RV_F_T3+8(sp)
    sw t6, RV_F_T3+12(sp)
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
    lw t1, RV_F_T1(sp)
    lw t2, RV_F_T2(sp)
    lw a0, RV_F_A0+0(sp)
    lw a1, RV_F_A0+4(sp)
    lw a2, RV_F_A0+8(sp)
    lw a3, RV_F_A0+12(sp)
    lw a4, RV_F_A0+16(sp)
    lw a5, RV_F_A0+20(sp)
    lw a6, RV_F_A0+24(sp)
    lw a7, RV_F_A7(sp)
    lw t3, RV_F_T3+0(sp)
    lw t4, RV_F_T3+4(sp)
    lw t5, RV_F_T3+8(sp)
    lw t6, RV_F_T3+12(sp)
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
    li ra, 0
    li sp, 0
    li gp, 0
    li tp, 0
    li t0, 0
    li t1, 0
    li t2, 0
    li s0, 0
    li s1, 0
    li a0, 0
    li a1, 0
    li a2, 0
    li a3, 0
    li a4, 0
    li a5, 0
    li a6, 0
    li a7, 0
    li s2, 0
    li s3, 0
    li s4, 0
    li s5, 0
    li s6, 0
    li s7, 0
    li s8, 0
    li s9, 0
    li s10, 0
    li s11, 0
    li t3, 0
    li t4, 0
    li t5, 0
    li t6, 0
    mret
