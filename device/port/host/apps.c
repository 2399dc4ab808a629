/* The host side of mv_app_port.h for applications written against the shim: the
 * registry their APP_PORT_MAIN constructors fill when the app object is loaded,
 * app_port_set_irq_handler (a run-time vector plus NVIC_EnableIRQ) and app_port_wait_ms
 * (WFI with a timeout). Microvisor-style apps use cmsis.c instead. */
#include <string.h>

#include "host.h"

struct app {
    const char *name;
    void (*entry)(void);
};

static struct app apps[MVK_HOST_MAX_APPS];
static int napps;

void app_port_register(const char *name, void (*entry)(void))
{
    if (napps < MVK_HOST_MAX_APPS)
        apps[napps++] = (struct app){name, entry};
}

/* The entry registered under name, else the only one registered, else none. */
void (*mvk_host_app_registered(const char *name))(void)
{
    for (int i = 0; i < napps; i++)
        if (strcmp(apps[i].name, name) == 0)
            return apps[i].entry;
    return napps == 1 ? apps[0].entry : 0;
}

int app_port_set_irq_handler(uint32_t irq, void (*handler)(void))
{
    if (irq >= MVK_HOST_NUM_IRQS)
        return -1;
    mvk_host_nvic_set_handler(irq, handler);
    if (handler)
        mvk_host_nvic_enable(irq);
    return 0;
}

void app_port_wait_ms(uint32_t ms)
{
    (void)mvk_host_nvic_wait(ms > 0x7fffffffu ? 0x7fffffff : (int)ms);
}
