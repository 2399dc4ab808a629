/* The application's heap on the host port, linked into every application object: an
 * arena in the app's own .bss, so malloc'd buffers are app memory (accepted by system
 * calls) and a restart empties the heap with the rest of .bss, as on a microcontroller
 * where the heap lies between .bss and the stack. First fit over a free list, no
 * coalescing: app heaps are small and mostly allocate at start. A pointer that libc
 * allocated (strdup, getline) is handed back to libc's allocator. The functions are weak
 * so that an application with an allocator of its own keeps it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef MVAPP_HEAP_SIZE
#define MVAPP_HEAP_SIZE (1u << 20)
#endif
#define ALIGN 16u

struct blk {
    size_t size;      /* usable bytes after the header */
    struct blk *next; /* free list link while free */
};

static uint8_t arena[MVAPP_HEAP_SIZE] __attribute__((aligned(ALIGN)));
static size_t top;
static struct blk *free_list;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void *malloc(size_t n);
void free(void *p);
void *calloc(size_t n, size_t m);
void *realloc(void *p, size_t n);
void *aligned_alloc(size_t align, size_t n);
int posix_memalign(void **out, size_t align, size_t n);
void *memalign(size_t align, size_t n);

static int ours(const void *p)
{
    return (const uint8_t *)p >= arena && (const uint8_t *)p < arena + sizeof arena;
}

static struct blk *hdr(void *p)
{
    return (struct blk *)((uint8_t *)p - sizeof(struct blk));
}

/* Header then payload, both 16-aligned; align > 16 pads the payload start. */
static void *carve(size_t n, size_t align)
{
    struct blk **pp, *b;
    size_t start, need = (n + ALIGN - 1u) & ~(size_t)(ALIGN - 1u);

    for (pp = &free_list; align <= ALIGN && (b = *pp) != NULL; pp = &b->next)
        if (b->size >= need) {
            *pp = b->next;
            return b + 1;
        }
    start = (top + sizeof(struct blk) + align - 1u) & ~(align - 1u);
    if (need > sizeof arena || start > sizeof arena - need)
        return NULL;
    b = (struct blk *)(arena + start - sizeof(struct blk));
    b->size = need;
    top = start + need;
    return b + 1;
}

static void *alloc(size_t n, size_t align)
{
    void *p;

    if (align < ALIGN)
        align = ALIGN;
    if (align & (align - 1u)) {
        errno = EINVAL;
        return NULL;
    }
    pthread_mutex_lock(&lock);
    p = carve(n ? n : 1u, align);
    pthread_mutex_unlock(&lock);
    if (!p)
        errno = ENOMEM;
    return p;
}

__attribute__((weak)) void *malloc(size_t n)
{
    return alloc(n, ALIGN);
}

__attribute__((weak)) void free(void *p)
{
    if (!p)
        return;
    if (!ours(p)) {
        void (*libc_free)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "free");
        if (libc_free)
            libc_free(p);
        return;
    }
    pthread_mutex_lock(&lock);
    hdr(p)->next = free_list;
    free_list = hdr(p);
    pthread_mutex_unlock(&lock);
}

__attribute__((weak)) void *calloc(size_t n, size_t m)
{
    void *p;

    if (m && n > SIZE_MAX / m) {
        errno = ENOMEM;
        return NULL;
    }
    p = malloc(n * m);
    if (p)
        memset(p, 0, n * m);
    return p;
}

__attribute__((weak)) void *realloc(void *p, size_t n)
{
    void *q;
    size_t old;

    if (p && !ours(p)) {
        void *(*libc_realloc)(void *, size_t) =
            (void *(*)(void *, size_t))dlsym(RTLD_DEFAULT, "realloc");
        return libc_realloc ? libc_realloc(p, n) : NULL;
    }
    if (p && hdr(p)->size >= n)
        return p;
    q = malloc(n);
    if (q && p) {
        old = hdr(p)->size;
        memcpy(q, p, old < n ? old : n);
        free(p);
    }
    return q;
}

__attribute__((weak)) void *aligned_alloc(size_t align, size_t n)
{
    return alloc(n, align);
}

__attribute__((weak)) void *memalign(size_t align, size_t n)
{
    return alloc(n, align);
}

__attribute__((weak)) int posix_memalign(void **out, size_t align, size_t n)
{
    void *p = alloc(n, align);

    if (!p)
        return errno;
    *out = p;
    return 0;
}
