/* The trap frame trap_entry.S builds on the kernel stack for every trap that is not a fast
 * system call: the caller-saved registers plus the application's sp, gp, tp and the
 * trap CSRs. The C side edits it to change what the application resumes with (a
 * system call's result, an upcall, a restart). Offsets are shared with trap_entry.S. */
#ifndef RV_FRAME_H
#define RV_FRAME_H

#define RV_F_RA 0
#define RV_F_T0 4
#define RV_F_T1 8
#define RV_F_T2 12
#define RV_F_A0 16
#define RV_F_A7 44
#define RV_F_T3 48
#define RV_F_SP 64
#define RV_F_GP 68
#define RV_F_TP 72
#define RV_F_MEPC 76
#define RV_F_MCAUSE 80
#define RV_F_MTVAL 84
#define RV_FRAME_SIZE 96 /* 16-byte aligned; above it: the kernel's gp and tp */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct rv_frame {
    uint32_t ra, t0, t1, t2;
    uint32_t a[8];
    uint32_t t3, t4, t5, t6;
    uint32_t sp, gp, tp, mepc, mcause, mtval;
    uint32_t pad[2];
};
_Static_assert(sizeof(struct rv_frame) == RV_FRAME_SIZE, "frame layout shared with trap_entry.S");
#endif

#endif
