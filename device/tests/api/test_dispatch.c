/* The host system-call path: generated stubs -> mvk_host_syscall -> generated table ->
 * kernel entry, including unknown numbers and a custom (usr_) call. */
#include <criterion/criterion.h>

#include "api_test.h"
#include "custom_example.h"
#include "mvk_sys_decl.h"
#include "syscall_nr.h"
#include "usr_example.h"

uint32_t mvk_host_syscall(uint32_t nr, const uintptr_t args[7]);

TestSuite(dispatch, .init = mvt_reset);

Test(dispatch, noop_through_stub_is_okay)
{
    cr_assert_eq(mvNoOp(), MV_STATUS_OKAY);
}

Test(dispatch, numbers_follow_the_table)
{
    cr_assert_eq(__NR_mvNoOp, 0);
    cr_assert_eq(__NR_mvGetMicroseconds, 4);
    cr_assert_eq(__NR_usr_add_checked, 1024);
    cr_assert_eq(__NR_example_checksum, 1025);
    cr_assert_eq(mvk_syscall_table_size, MVK_NR_SYSCALLS);
}

Test(dispatch, unknown_number_is_unavailable)
{
    const uintptr_t a[7] = {0};

    cr_assert_eq(mvk_host_syscall(MVK_NR_SYSCALLS, a), MV_STATUS_UNAVAILABLE);
    cr_assert_eq(mvk_host_syscall(0xffffffffu, a), MV_STATUS_UNAVAILABLE);
    /* a hole between the mv calls and the custom range */
    cr_assert_eq(mvk_host_syscall(1000, a), MV_STATUS_UNAVAILABLE);
}

Test(dispatch, null_argument_array_is_safe)
{
    cr_assert_eq(mvk_host_syscall(__NR_mvNoOp, NULL), MV_STATUS_OKAY);
    cr_assert_eq(mvk_host_syscall(__NR_mvGetSysClk, NULL), MV_STATUS_PARAMETERFAULT);
}

Test(dispatch, argument_words_reach_the_entry)
{
    uint32_t *hz = mvt_app_alloc(sizeof *hz);
    const uintptr_t a[7] = {(uintptr_t)hz};

    cr_assert_eq(mvk_host_syscall(__NR_mvGetSysClk, a), MV_STATUS_OKAY);
    cr_assert_neq(*hz, 0);
}

Test(dispatch, custom_call_adds)
{
    uint32_t *sum = mvt_app_alloc(sizeof *sum);

    cr_assert_eq(usr_add_checked(2, 3, sum), MV_STATUS_OKAY);
    cr_assert_eq(*sum, 5);
}

Test(dispatch, custom_call_checks_its_pointer)
{
    cr_assert_eq(usr_add_checked(2, 3, NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(usr_add_checked(2, 3, (uint32_t *)mvt_kernel_mem), MV_STATUS_PARAMETERFAULT);
}

Test(dispatch, custom_example_app_runs)
{
    struct custom_example_out *out = mvt_app_alloc(sizeof *out);

    cr_assert_eq(custom_example_run(out), 0);
    cr_assert_eq(out->sum, 42);
}

/* ABI common: the application calls the function by its own name; the link maps it to
 * the generated stub usr_example_checksum (mv_defsyms.rsp), which traps to the kernel. */
enum MvStatus usr_example_checksum(const uint8_t *data, uint32_t len, uint32_t *sum);

Test(dispatch, common_call_reaches_the_kernel_through_its_stub)
{
    uint8_t *data = mvt_app_alloc(3);
    uint32_t *sum = mvt_app_alloc(sizeof *sum);

    data[0] = 1;
    data[1] = 2;
    data[2] = 250;
    cr_assert_eq(example_checksum(data, 3, sum), MV_STATUS_OKAY);
    cr_assert_eq(*sum, 253);
    cr_assert_eq((uintptr_t)&example_checksum, (uintptr_t)&usr_example_checksum);
    cr_assert_eq(example_checksum((const uint8_t *)mvt_kernel_mem, 3, sum),
                 MV_STATUS_PARAMETERFAULT);
}
