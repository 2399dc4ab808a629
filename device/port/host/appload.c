/* Loads the application as its own linked object (apps/NAME.so, built by device/module.mk)
 * so that the linker, not an attribute, draws the app/kernel memory boundary: every
 * PT_LOAD segment of that object (.text, .rodata, .data, .bss, which holds the app's
 * heap) is app memory, nothing of mvdevice is. Its RELRO part is read-only app memory.
 * The writable data is snapshotted after loading, so a restart can give the application
 * the pristine .data/.bss its crt0 would. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "regions.h"

#define APP_MAX_SEGS 8

struct wseg {
    uint8_t *start;     /* writable, non-RELRO part of a PT_LOAD segment */
    size_t filesz;      /* bytes with initial contents (the rest is .bss) */
    size_t memsz;
    uint8_t *snapshot;  /* filesz bytes, kernel memory */
};

static struct {
    void *handle;
    uintptr_t base;
    struct wseg w[APP_MAX_SEGS];
    int nw;
    void (*entry)(void);
    int (*main_fn)(void);
} A;

static char exe_dir[PATH_MAX];

const char *mvk_host_app_dir(void)
{
    ssize_t n;

    if (exe_dir[0])
        return exe_dir;
    n = readlink("/proc/self/exe", exe_dir, sizeof exe_dir - 6);
    if (n <= 0 || !memchr(exe_dir, '/', (size_t)n)) {
        exe_dir[0] = 0;
        return ".";
    }
    exe_dir[n] = 0;
    strcpy(strrchr(exe_dir, '/'), "/apps");
    return exe_dir;
}

/* Copies that ASan does not check: the snapshot spans the redzones it puts between an
 * instrumented app's globals, which are the app's memory all the same. */
__attribute__((no_sanitize_address)) static void raw_copy(uint8_t *d, const uint8_t *s, size_t n)
{
    volatile uint8_t *vd = d;

    for (size_t i = 0; i < n; i++)
        vd[i] = s[i];
}

__attribute__((no_sanitize_address)) static void raw_zero(uint8_t *d, size_t n)
{
    volatile uint8_t *vd = d;

    for (size_t i = 0; i < n; i++)
        vd[i] = 0;
}

static int add_writable(uint8_t *start, size_t filesz, size_t memsz)
{
    struct wseg *w;

    if (memsz == 0)
        return 0;
    if (A.nw == APP_MAX_SEGS || mvk_host_region_add(start, memsz, MVK_HOST_RW) != 0)
        return -1;
    w = &A.w[A.nw++];
    *w = (struct wseg){start, filesz, memsz, malloc(filesz ? filesz : 1)};
    if (!w->snapshot)
        return -1;
    raw_copy(w->snapshot, start, filesz);
    return 0;
}

/* One PT_LOAD segment: read-only ones whole, writable ones minus the RELRO range
 * (read-only after relocation, so the kernel must not write there either). */
static int add_segment(uintptr_t base, const ElfW(Phdr) *p, uintptr_t relro_lo,
                       uintptr_t relro_hi)
{
    uintptr_t lo = base + p->p_vaddr, hi = lo + p->p_memsz, file_hi = lo + p->p_filesz;

    if (!(p->p_flags & PF_W))
        return mvk_host_region_add((void *)lo, p->p_memsz, MVK_HOST_RO);
    if (relro_hi > lo && relro_lo < hi) {
        uintptr_t cut = relro_hi < hi ? relro_hi : hi;
        if (relro_lo > lo && add_writable((uint8_t *)lo, relro_lo - lo, relro_lo - lo) != 0)
            return -1;
        if (mvk_host_region_add((void *)(relro_lo > lo ? relro_lo : lo),
                                cut - (relro_lo > lo ? relro_lo : lo), MVK_HOST_RO) != 0)
            return -1;
        lo = cut;
    }
    if (lo >= hi)
        return 0;
    return add_writable((uint8_t *)lo, file_hi > lo ? file_hi - lo : 0, hi - lo);
}

static int on_object(struct dl_phdr_info *info, size_t size, void *arg)
{
    uintptr_t relro_lo = 0, relro_hi = 0;
    int *rc = arg;

    (void)size;
    if (info->dlpi_addr != A.base)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
            relro_lo = A.base + info->dlpi_phdr[i].p_vaddr;
            relro_hi = relro_lo + info->dlpi_phdr[i].p_memsz;
        }
    *rc = 0;
    for (int i = 0; i < info->dlpi_phnum && *rc == 0; i++)
        if (info->dlpi_phdr[i].p_type == PT_LOAD)
            *rc = add_segment(A.base, &info->dlpi_phdr[i], relro_lo, relro_hi);
    return 1;
}

static void resolve_vectors(void)
{
    for (uint32_t n = 0; n < MVK_HOST_NUM_IRQS; n++)
        mvk_host_nvic_set_vector(n, (mvk_host_isr)dlsym(A.handle, mvk_host_vector_names[n]));
    mvk_host_nvic_set_vector(MVK_HOST_IRQ_SYSTICK,
                             (mvk_host_isr)dlsym(A.handle, "SysTick_Handler"));
}

static void path_of(const char *name, char *out, size_t cap)
{
    if (strchr(name, '/'))
        snprintf(out, cap, "%s", name);
    else
        snprintf(out, cap, "%s/%s.so", mvk_host_app_dir(), name);
}

static int fail(char *err, size_t errlen, const char *what, const char *why)
{
    snprintf(err, errlen, "%s: %s", what, why);
    return -1;
}

int mvk_host_app_load(const char *name, char *err, size_t errlen)
{
    char path[PATH_MAX], short_name[NAME_MAX];
    struct link_map *lm;
    const char *slash = strrchr(name, '/');
    int rc = -1;

    path_of(name, path, sizeof path);
    if (access(path, R_OK) != 0)
        return fail(err, errlen, path, "no such application object");
    A.handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!A.handle)
        return fail(err, errlen, path, dlerror());
    if (dlinfo(A.handle, RTLD_DI_LINKMAP, &lm) != 0)
        return fail(err, errlen, path, dlerror());
    A.base = lm->l_addr;
    dl_iterate_phdr(on_object, &rc);
    if (rc != 0)
        return fail(err, errlen, path, "cannot register its segments as app memory");
    snprintf(short_name, sizeof short_name, "%s", slash ? slash + 1 : name);
    if (strchr(short_name, '.'))
        *strchr(short_name, '.') = 0;
    A.entry = mvk_host_app_registered(short_name);
    A.main_fn = (int (*)(void))dlsym(A.handle, "main");
    if (!A.entry && !A.main_fn)
        return fail(err, errlen, path, "neither APP_PORT_MAIN nor main()");
    resolve_vectors();
    return 0;
}

void mvk_host_app_call_entry(void)
{
    if (A.entry)
        A.entry();
    else
        (void)A.main_fn();
}

void mvk_host_app_restore(void)
{
    for (int i = 0; i < A.nw; i++) {
        raw_copy(A.w[i].start, A.w[i].snapshot, A.w[i].filesz);
        raw_zero(A.w[i].start + A.w[i].filesz, A.w[i].memsz - A.w[i].filesz);
    }
}

void mvk_host_app_list(char *out, size_t cap)
{
    DIR *d = opendir(mvk_host_app_dir());
    struct dirent *e;
    size_t used = 0;

    if (cap == 0)
        return;
    out[0] = 0;
    while (d && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".so") != 0 || used + n + 2 > cap)
            continue;
        used += (size_t)snprintf(out + used, cap - used, "%s%.*s", used ? " " : "",
                                 (int)(n - 3), e->d_name);
    }
    if (d)
        closedir(d);
}
