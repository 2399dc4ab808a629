/* Which bits of an MPC lookup table cover an address range. Pure arithmetic,
 * unit-tested on the host; mpc.c applies the result to the hardware. */
#ifndef AN505_MPC_RANGE_H
#define AN505_MPC_RANGE_H

#include <stdint.h>

struct an505_mpc_span {
    uint32_t first_block; /* index of the first block (bit) to mark */
    uint32_t nblocks;     /* number of blocks (bits) */
};

/* The MPC covers [mem_base, mem_base + (blk_max + 1) * 32 * blk_size). Computes the
 * blocks covering [base, base + size) (both block-aligned). 0, or -1 if the range
 * is empty, unaligned or outside the MPC. blk_size must be a power of two. */
int an505_mpc_span(uint32_t mem_base, uint32_t blk_max, uint32_t blk_size,
                   uint32_t base, uint32_t size, struct an505_mpc_span *out);

/* Bits of LUT word `word` that belong to the span (0 if none). */
uint32_t an505_mpc_word_mask(const struct an505_mpc_span *s, uint32_t word);

#endif
