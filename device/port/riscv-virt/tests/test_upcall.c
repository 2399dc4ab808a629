/* The upcall state machine of the riscv-virt kernel (kernel/upcall.c) on the host:
 * entry validation, nothing delivered without an entry, delivery on the next return
 * with the interrupted frame saved, one upcall at a time, lowest interrupt first, an
 * exact resume, masking, and a reset that forgets everything. */
#include <criterion/criterion.h>
#include <string.h>

#include "port.h"
#include "rv.h"

#define ENTRY (RV_APP_FLASH + 0x100u)

static struct rv_frame app_frame(uint32_t tag)
{
    struct rv_frame f;

    memset(&f, 0, sizeof f);
    f.mepc = RV_APP_FLASH + 0x400u + tag;
    f.sp = RV_APP_RAM + 0x1000u + 8u; /* not 16-byte aligned on purpose */
    f.a[0] = tag;
    f.ra = 0x1234u;
    f.t3 = 0x5678u + tag;
    return f;
}

static void setup(void)
{
    rv_upcall_reset();
}

TestSuite(upcall, .init = setup);

Test(upcall, entry_must_be_in_the_application_image)
{
    cr_assert_eq(rv_upcall_set_entry(RV_KERNEL_BASE), -1);
    cr_assert_eq(rv_upcall_set_entry(RV_APP_RAM), -1, "RAM is not executable");
    cr_assert_eq(rv_upcall_set_entry(ENTRY + 1u), -1, "odd address");
    cr_assert_eq(rv_upcall_set_entry(RV_APP_FLASH + RV_APP_FLASH_SIZE - 2u), -1, "runs off");
    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
}

Test(upcall, nothing_is_delivered_without_an_entry)
{
    struct rv_frame f = app_frame(1), before = f;

    mvk_port_raise_irq(5);
    cr_assert_eq(rv_upcall_due, 0);
    rv_upcall_deliver(&f);
    cr_assert_eq(memcmp(&f, &before, sizeof f), 0);
    /* Registering the entry later makes the pending one due. */
    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    cr_assert_neq(rv_upcall_due, 0);
}

Test(upcall, delivery_saves_and_resume_restores_exactly)
{
    struct rv_frame f = app_frame(2), before = f;

    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    mvk_port_raise_irq(7);
    rv_upcall_deliver(&f);
    cr_assert_eq(f.mepc, ENTRY);
    cr_assert_eq(f.a[0], 7u);
    cr_assert_eq(f.ra, 0u);
    cr_assert_eq(f.sp % 16u, 0u);
    cr_assert(f.sp < before.sp && f.sp >= before.sp - 32u, "below the interrupted stack");
    cr_assert_eq(rv_upcall_due, 0);
    f.t3 = 0xdeadu; /* the handler clobbers registers */
    cr_assert_eq(rv_upcall_return(&f), 0);
    cr_assert_eq(memcmp(&f, &before, sizeof f), 0);
    cr_assert_eq(rv_upcall_return(&f), -1, "no upcall running any more");
}

Test(upcall, one_at_a_time_lowest_first)
{
    struct rv_frame f = app_frame(3), first;

    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    mvk_port_raise_irq(100);
    mvk_port_raise_irq(41);
    rv_upcall_deliver(&f);
    cr_assert_eq(f.a[0], 41u);
    first = f;
    mvk_port_raise_irq(3); /* raised during the upcall: held back */
    cr_assert_eq(rv_upcall_due, 0);
    rv_upcall_deliver(&f);
    cr_assert_eq(memcmp(&f, &first, sizeof f), 0, "no nesting");
    cr_assert_eq(rv_upcall_return(&f), 0);
    cr_assert_neq(rv_upcall_due, 0);
    rv_upcall_deliver(&f);
    cr_assert_eq(f.a[0], 3u);
    cr_assert_eq(rv_upcall_return(&f), 0);
    rv_upcall_deliver(&f);
    cr_assert_eq(f.a[0], 100u);
    cr_assert_eq(rv_upcall_return(&f), 0);
    cr_assert_eq(rv_upcall_due, 0);
}

/* Masked: raised interrupts stay pending, nothing is delivered; unmasking makes them
 * due again (delivered on that call's return). The previous state comes back. */
Test(upcall, masked_upcalls_wait_for_unmask)
{
    struct rv_frame f = app_frame(6), before = f;

    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    cr_assert_eq(rv_upcall_mask(1), 0, "was unmasked");
    cr_assert_eq(rv_upcall_mask(1), 1, "nested: already masked");
    mvk_port_raise_irq(12);
    cr_assert_eq(rv_upcall_due, 0);
    rv_upcall_deliver(&f);
    cr_assert_eq(memcmp(&f, &before, sizeof f), 0, "nothing delivered while masked");
    cr_assert_eq(rv_upcall_mask(0), 1, "was masked");
    cr_assert_neq(rv_upcall_due, 0);
    rv_upcall_deliver(&f);
    cr_assert_eq(f.mepc, ENTRY);
    cr_assert_eq(f.a[0], 12u);
    cr_assert_eq(rv_upcall_return(&f), 0);
    cr_assert_eq(memcmp(&f, &before, sizeof f), 0);
}

/* Masking inside a handler holds back the next upcall after it returns. */
Test(upcall, mask_set_in_a_handler_outlives_it)
{
    struct rv_frame f = app_frame(7);

    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    mvk_port_raise_irq(1);
    rv_upcall_deliver(&f);
    cr_assert_eq(rv_upcall_mask(1), 0);
    mvk_port_raise_irq(2);
    cr_assert_eq(rv_upcall_return(&f), 0);
    cr_assert_eq(rv_upcall_due, 0, "still masked after the handler");
    cr_assert_eq(rv_upcall_mask(0), 1);
    cr_assert_neq(rv_upcall_due, 0);
}

Test(upcall, same_interrupt_twice_is_one_delivery)
{
    struct rv_frame f = app_frame(4);

    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    mvk_port_raise_irq(9);
    mvk_port_raise_irq(9);
    rv_upcall_deliver(&f);
    cr_assert_eq(rv_upcall_return(&f), 0);
    cr_assert_eq(rv_upcall_due, 0, "an interrupt is pending or not, as in an NVIC");
}

Test(upcall, interrupt_numbers)
{
    cr_assert(mvk_port_irq_valid(0));
    cr_assert(mvk_port_irq_valid(124));
    cr_assert_not(mvk_port_irq_valid(125));
    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    mvk_port_raise_irq(125); /* ignored */
    cr_assert_eq(rv_upcall_due, 0);
}

Test(upcall, reset_forgets_entry_pending_and_active)
{
    struct rv_frame f = app_frame(5);

    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    mvk_port_raise_irq(1);
    mvk_port_raise_irq(2);
    rv_upcall_deliver(&f);
    rv_upcall_reset();
    cr_assert_eq(rv_upcall_due, 0);
    cr_assert_eq(rv_upcall_return(&f), -1);
    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    cr_assert_eq(rv_upcall_due, 0, "the old pending interrupt is gone");
}

Test(upcall, reset_unmasks)
{
    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    cr_assert_eq(rv_upcall_mask(1), 0);
    rv_upcall_reset(); /* an application restart */
    cr_assert_eq(rv_upcall_set_entry(ENTRY), 0);
    mvk_port_raise_irq(4);
    cr_assert_neq(rv_upcall_due, 0, "the restarted application is not masked");
}
