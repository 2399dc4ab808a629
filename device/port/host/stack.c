/* Threads that run application code (the app itself and IRQ handlers) get stacks the
 * port maps and registers as app memory, so stack buffers passed to system calls are
 * accepted while the kernel's own stack never is. Also registers the app's static data
 * (section mvapp_data, see mv_app_port.h). */
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#include "host.h"
#include "regions.h"

extern char __start_mvapp_data[] __attribute__((weak));
extern char __stop_mvapp_data[] __attribute__((weak));

void mvk_host_register_app_statics(void)
{
    uintptr_t a = (uintptr_t)__start_mvapp_data, b = (uintptr_t)__stop_mvapp_data;

    if (a != 0 && b > a)
        (void)mvk_host_region_add(__start_mvapp_data, b - a, MVK_HOST_RW);
}

int mvk_host_start_app_thread(void *(*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    pthread_t t;
    int rc = -1;
    void *stack = mmap(0, MVK_HOST_APP_STACK, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

    if (stack == MAP_FAILED)
        return -1;
    if (mvk_host_region_add(stack, MVK_HOST_APP_STACK, MVK_HOST_RW) != 0)
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
    munmap(stack, MVK_HOST_APP_STACK);
    return -1;
}
