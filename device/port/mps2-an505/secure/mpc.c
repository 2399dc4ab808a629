/* Memory protection controllers: the upper half of SSRAM1 (NS code at 0x00200000)
 * and SSRAM3 (NS data at 0x28200000) become non-secure; SSRAM2 (secure data) stays
 * secure. Block size is read from BLK_CFG (QEMU's differs from the hardware's). */
#include "an505.h"
#include "mpc_range.h"
#include "regs.h"

/* Marks [base, base + size) non-secure in the MPC at mpc (memory starting at
 * mem_base). AUTOINC is cleared so that a read-modify-write stays on one word. */
static int mpc_set_ns(uint32_t mpc, uint32_t mem_base, uint32_t base, uint32_t size)
{
    uint32_t blk_max = REG32(mpc + MPC_BLK_MAX);
    uint32_t blk_size = 1u << (REG32(mpc + MPC_BLK_CFG) + 5u);
    struct an505_mpc_span span;
    uint32_t w;

    if (an505_mpc_span(mem_base, blk_max, blk_size, base, size, &span) != 0)
        return -1;
    REG32(mpc + MPC_CTRL) &= ~MPC_CTRL_AUTOINC;
    for (w = span.first_block / 32u; w <= (span.first_block + span.nblocks - 1u) / 32u; w++) {
        REG32(mpc + MPC_BLK_IDX) = w;
        REG32(mpc + MPC_BLK_LUT) |= an505_mpc_word_mask(&span, w);
    }
    return 0;
}

int an505_mpc_init(void)
{
    /* SSRAM1 is 4 MiB at 0x00000000; SSRAM3 is 2 MiB at 0x00200000 of its MPC's
     * view, i.e. 0x28200000 in the address map. The MPC addresses are offsets into
     * the RAM, so both use mem_base 0. */
    int rc = 0;

    if (mpc_set_ns(MPC_SSRAM1, 0, AN505_NS_CODE_BASE & 0x00FFFFFFu,
                   AN505_NS_CODE_LIMIT - AN505_NS_CODE_BASE + 1u) != 0)
        rc = -1;
    if (mpc_set_ns(MPC_SSRAM3, 0, 0, AN505_NS_DATA_LIMIT - AN505_NS_DATA_BASE + 1u) != 0)
        rc = -1;
    __asm volatile("dsb\n isb" ::: "memory");
    return rc;
}
