/* Runs device/apps/custom_example on the riscv-virt port, against the kernel image built
 * with its custom table (kernel_custom.elf): the custom call usr_add_checked and the
 * common call example_checksum, which this image calls by name and the link maps to the
 * generated stub usr_example_checksum (mv_defsyms.rsp), both by ecall. Run by
 * tests/e2e/riscv_custom.sh; exit status (finisher) 0 or the failing step. */
#include <stdint.h>

#include "console.h"
#include "custom_example.h"

static struct custom_example_out out;

int main(void)
{
    int step = custom_example_run(&out);

    if (step != 0) {
        ns_puts("custom_example: FAILED at step ");
        ns_put_dec((uint32_t)step);
        ns_puts("\n");
        ns_exit((uint32_t)step);
    }
    ns_puts("custom_example: sum ");
    ns_put_dec(out.sum);
    ns_puts(", PASSED\n");
    ns_exit(0);
}
