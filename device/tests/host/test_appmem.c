/* The host port's app/kernel memory boundary, through the real system-call path: an
 * application object loaded by the port's loader (appload.c) has its .rodata, .data,
 * .bss, heap and thread stack accepted, while kernel state, the mbedTLS arena, the
 * port's own stacks and libc's heap are refused with PARAMETERFAULT, and so are ranges
 * that straddle the boundary. Also the restore an application restart relies on. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fakes.h"
#include "host.h"
#include "port.h"
#include "regions.h"
#include "tls_arena.h"

static void *probe;
static uintptr_t probe_base;

static void *sym(const char *name)
{
    void *p = dlsym(probe, name);

    cr_assert_not_null(p, "%s", name);
    return p;
}

static void load_probe(void)
{
    char path[4096], err[512];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 32);
    struct link_map *lm;

    cr_assert_gt(n, 0);
    path[n] = 0;
    strcpy(strrchr(path, '/'), "/probe_app.so");
    kt_boot();
    cr_assert_eq(mvk_host_app_load(path, err, sizeof err), 0, "%s", err);
    probe = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    cr_assert_not_null(probe);
    cr_assert_eq(dlinfo(probe, RTLD_DI_LINKMAP, &lm), 0);
    probe_base = lm->l_addr;
}

TestSuite(appmem, .init = load_probe);

/* 0 when logging could start on (p, n): the check every buffer-taking call makes. */
static enum MvStatus try_buffer(void *p)
{
    return mvServerLoggingInit(p, 1024);
}

Test(appmem, rodata_is_readable_app_memory)
{
    const char *ro = sym("probe_rodata");

    cr_assert_eq(try_buffer(sym("probe_bss")), MV_STATUS_OKAY);
    cr_expect_eq(mvServerLog((const uint8_t *)ro, (uint16_t)strlen(ro)), MV_STATUS_OKAY);
    /* Read-only: the kernel may not write there. */
    cr_expect_not(mvk_port_app_writable(ro, 4));
}

Test(appmem, data_and_bss_are_writable_app_memory)
{
    cr_expect_eq(try_buffer(sym("probe_data")), MV_STATUS_OKAY);
    cr_expect(mvk_port_app_writable(sym("probe_bss"), 2048));
}

Test(appmem, app_heap_is_app_memory)
{
    void *(*app_malloc)(size_t) = (void *(*)(size_t))sym("malloc");
    void *(*app_aligned)(size_t, size_t) = (void *(*)(size_t, size_t))sym("aligned_alloc");

    cr_expect_eq(try_buffer(app_malloc(4096)), MV_STATUS_OKAY);
    cr_expect(mvk_port_app_writable(app_aligned(512, 1024), 1024));
}

static void *log_from_app_stack(void *arg)
{
    uint8_t msg[32] = "on the app's stack";

    *(enum MvStatus *)arg = mvServerLog(msg, 18);
    return 0;
}

Test(appmem, app_thread_stack_is_app_memory)
{
    static volatile enum MvStatus st = MV_STATUS_INTERNALERROR;

    cr_assert_eq(try_buffer(sym("probe_bss")), MV_STATUS_OKAY);
    cr_assert_eq(mvk_host_start_app_thread(log_from_app_stack, (void *)&st), 0);
    for (int i = 0; i < 500 && st == MV_STATUS_INTERNALERROR; i++)
        usleep(2000);
    cr_expect_eq(st, MV_STATUS_OKAY);
}

Test(appmem, kernel_owned_memory_is_refused)
{
    static uint8_t kernel_static[2048] __attribute__((aligned(512)));
    uint8_t port_stack[2048] __attribute__((aligned(512)));
    void *tls_heap = mvk_tls_arena_calloc(1, 2048);
    void *libc_heap = aligned_alloc(512, 2048);

    cr_expect_eq(try_buffer(kernel_static), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(try_buffer(port_stack), MV_STATUS_PARAMETERFAULT);
    cr_assert_not_null(tls_heap);
    cr_expect_eq(try_buffer((void *)(((uintptr_t)tls_heap + 3u) & ~(uintptr_t)3u)),
                 MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(try_buffer(libc_heap), MV_STATUS_PARAMETERFAULT);
    /* A literal of mvdevice's own, not of the app. */
    cr_expect_eq(mvServerLog((const uint8_t *)"kernel text", 11), MV_STATUS_PARAMETERFAULT);
    free(libc_heap);
}

/* The end of the probe's last writable segment (its .bss). */
static int find_end(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    if (info->dlpi_addr != probe_base)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        uintptr_t end = probe_base + p->p_vaddr + p->p_memsz;
        if (p->p_type == PT_LOAD && (p->p_flags & PF_W) && end > *(uintptr_t *)arg)
            *(uintptr_t *)arg = end;
    }
    return 1;
}

Test(appmem, ranges_straddling_the_boundary_are_refused)
{
    uintptr_t end = 0;
    uint8_t *bss = sym("probe_bss");

    dl_iterate_phdr(find_end, &end);
    cr_assert_gt(end, (uintptr_t)bss);
    cr_assert_eq(try_buffer(bss), MV_STATUS_OKAY);
    /* (Checked without copying: under ASan the segment's tail is a global's redzone.) */
    cr_expect(mvk_port_app_writable((const uint8_t *)end - 8, 8));
    cr_expect_eq(mvServerLog(bss + 2040, 8), MV_STATUS_OKAY);
    cr_expect_eq(mvServerLog((const uint8_t *)end - 8, 16), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvServerLog((const uint8_t *)probe_base - 8, 16), MV_STATUS_PARAMETERFAULT);
}

/* An application restart gives the app the .data and .bss its crt0 would: initial
 * values back, .bss zeroed, the heap (in .bss) empty again. */
Test(appmem, restore_gives_pristine_data_bss_and_heap)
{
    uint8_t *data = sym("probe_data"), *bss = sym("probe_bss");
    void *(*app_malloc)(size_t) = (void *(*)(size_t))sym("malloc");
    void *first = app_malloc(100);

    data[0] = 99;
    bss[5] = 7;
    (void)app_malloc(100);
    mvk_host_app_restore();
    cr_expect_eq(data[0], 1);
    cr_expect_eq(bss[5], 0);
    cr_expect_eq(app_malloc(100), first);
}
