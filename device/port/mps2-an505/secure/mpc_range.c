/* MPC lookup-table arithmetic: a range of memory becomes a run of block bits,
 * 32 blocks per LUT word. Checked for alignment and overflow because a wrong mask
 * silently opens secure memory to the application. */
#include "mpc_range.h"

int an505_mpc_span(uint32_t mem_base, uint32_t blk_max, uint32_t blk_size,
                   uint32_t base, uint32_t size, struct an505_mpc_span *out)
{
    uint64_t total = ((uint64_t)blk_max + 1u) * 32u * blk_size;
    uint64_t off;

    if (blk_size == 0 || (blk_size & (blk_size - 1u)) != 0 || size == 0)
        return -1;
    if (base < mem_base || (base - mem_base) % blk_size != 0 || size % blk_size != 0)
        return -1;
    off = (uint64_t)base - mem_base;
    if (off + size > total)
        return -1;
    out->first_block = (uint32_t)(off / blk_size);
    out->nblocks = size / blk_size;
    return 0;
}

uint32_t an505_mpc_word_mask(const struct an505_mpc_span *s, uint32_t word)
{
    uint64_t lo = (uint64_t)word * 32u;
    uint64_t hi = lo + 32u;
    uint64_t first = s->first_block;
    uint64_t end = first + s->nblocks;
    uint32_t mask = 0;
    uint64_t b;

    if (end <= lo || first >= hi)
        return 0;
    for (b = (first > lo ? first : lo); b < (end < hi ? end : hi); b++)
        mask |= 1u << (uint32_t)(b - lo);
    return mask;
}
