/* libFuzzer target for the system-call boundary: random call numbers and argument
 * words (NULL, app pointers, kernel pointers, read-only pointers, raw values) through
 * mvk_host_syscall, over a fresh kernel with the fake port and connection. It must
 * never crash, and kernel memory and read-only app memory must never change. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fakes.h"
#include "mvk_sys_decl.h"

uint32_t mvk_host_syscall(uint32_t nr, const uintptr_t args[MVK_SYSCALL_MAX_ARGS]);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
    const uint8_t *p;
    size_t n;
};

static uint32_t take(struct input *in, size_t bytes)
{
    uint32_t v = 0;

    for (size_t i = 0; i < bytes && in->n > 0; i++, in->p++, in->n--)
        v = v << 8 | *in->p;
    return v;
}

/* One argument word; the selector picks which kind of value the kernel gets. */
static uintptr_t arg_word(struct input *in)
{
    uint32_t sel = take(in, 1), v = take(in, 4);

    switch (sel % 7u) {
    case 0: return 0;
    case 1: return (uintptr_t)&kt_app[v % sizeof kt_app];
    case 2: return (uintptr_t)&kt_kernel[v % sizeof kt_kernel];
    case 3: return (uintptr_t)&kt_ro[v % sizeof kt_ro];
    case 4: return (uintptr_t)&kt_app[(v % (sizeof kt_app / 16u)) * 16u]; /* aligned */
    case 5: return (uintptr_t)v;                                         /* small value */
    default: return (uintptr_t)(UINTPTR_MAX - (v % 64u));                 /* wraps */
    }
}

/* Plants pointers inside app memory so nested structures can point anywhere too. */
static void plant_pointer(struct input *in)
{
    uint32_t at = take(in, 2) % (sizeof kt_app / sizeof(uintptr_t));
    uintptr_t w = arg_word(in);

    memcpy(&kt_app[at * sizeof(uintptr_t)], &w, sizeof w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t kernel_copy[sizeof kt_kernel], ro_copy[sizeof kt_ro];
    struct input in = {data, size};
    size_t fill;

    kt_boot();
    memset(kt_kernel, 0xa5, sizeof kt_kernel);
    memcpy(kernel_copy, kt_kernel, sizeof kt_kernel);
    memcpy(ro_copy, kt_ro, sizeof kt_ro);
    if (take(&in, 1) & 1u)
        kt_session_up(0, 0);
    /* App memory content comes from the input as well. */
    fill = take(&in, 2) % 512u;
    fill = fill < in.n ? fill : in.n;
    memcpy(kt_app, in.p, fill);
    in.p += fill;
    in.n -= fill;
    while (in.n > 0) {
        uintptr_t a[MVK_SYSCALL_MAX_ARGS];
        uint32_t op = take(&in, 2);

        if (op % 8u == 7u) {
            plant_pointer(&in);
            continue;
        }
        op %= mvk_syscall_table_size + 4u; /* a few numbers past the end as well */
        for (size_t i = 0; i < MVK_SYSCALL_MAX_ARGS; i++)
            a[i] = arg_word(&in);
        (void)mvk_host_syscall(op, a);
    }
    if (memcmp(kernel_copy, kt_kernel, sizeof kt_kernel) != 0 ||
        memcmp(ro_copy, kt_ro, sizeof kt_ro) != 0)
        __builtin_trap(); /* a system call wrote where the app may not */
    return 0;
}
