/* Programs the PMP from the application's region table: entry i = region i, NAPOT,
 * not locked (locked entries would bind M-mode too). A U-mode access that matches no
 * entry faults (load/store/instruction access fault), which is what keeps the kernel,
 * the link UART and the timer away from the application. */
#include "app_regions.h"
#include "rv.h"

#define PMP_A_NAPOT (3u << 3)

static void write_pmpaddr(size_t i, uint32_t v)
{
    switch (i) { /* CSR numbers are immediates */
    case 0: __asm volatile("csrw pmpaddr0, %0" ::"r"(v)); break;
    case 1: __asm volatile("csrw pmpaddr1, %0" ::"r"(v)); break;
    case 2: __asm volatile("csrw pmpaddr2, %0" ::"r"(v)); break;
    case 3: __asm volatile("csrw pmpaddr3, %0" ::"r"(v)); break;
    default: break;
    }
}

void rv_pmp_init(void)
{
    uint32_t cfg = 0;
    size_t i;

    for (i = 0; i < rv_app_region_count && i < 4u; i++) {
        uint32_t addr = rv_pmp_napot(rv_app_regions[i].base, rv_app_regions[i].size);
        uint32_t perm = rv_app_regions[i].perm & (RV_PERM_R | RV_PERM_W | RV_PERM_X);

        if (addr == 0) {
            rv_puts("mvk: application region is not NAPOT, halted\n");
            rv_finish(2);
        }
        write_pmpaddr(i, addr);
        cfg |= (PMP_A_NAPOT | perm) << (8u * i);
    }
    __asm volatile("csrw pmpcfg0, %0" ::"r"(cfg));
}
