/* Threads that run application code get stacks the port maps and registers as app
 * memory, so stack buffers passed to system calls are accepted while the kernel's own
 * stacks never are. A PROT_NONE guard page below each stack turns an overflow (runaway
 * recursion) into a fault the port can catch, instead of silent corruption. */
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host.h"
#include "regions.h"

int mvk_host_start_app_thread(void *(*fn)(void *), void *arg)
{
    size_t guard = (size_t)sysconf(_SC_PAGESIZE);
    pthread_attr_t attr;
    pthread_t t;
    int rc = -1;
    uint8_t *map = mmap(0, MVK_HOST_APP_STACK + guard, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    uint8_t *stack = map + guard;

    if (map == MAP_FAILED)
        return -1;
    if (mprotect(map, guard, PROT_NONE) != 0 ||
        mvk_host_region_add(stack, MVK_HOST_APP_STACK, MVK_HOST_RW) != 0)
        goto out_unmap;
    if (pthread_attr_init(&attr) != 0)
        goto out_unmap;
    if (pthread_attr_setstack(&attr, stack, MVK_HOST_APP_STACK) == 0 &&
        pthread_create(&t, &attr, fn, arg) == 0) {
        pthread_detach(t);
        rc = 0;
    }
    pthread_attr_destroy(&attr);
    if (rc == 0)
        return 0;
out_unmap:
    munmap(map, MVK_HOST_APP_STACK + guard);
    return -1;
}
