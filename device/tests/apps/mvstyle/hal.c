/* The little of the HAL mvstyle needs: a 1 ms SysTick feeding HAL_GetTick-style ticks
 * (SysTick_Handler is the vector-table name), delays that sleep in __WFI, and the GPIOA
 * clock enable, which Microvisor's HAL routes through mvPeriphPoke32 because RCC is
 * shared with the kernel. */
#include "app.h"

#define RCC_AHB2ENR1 (RCC_BASE_NS + 0x8Cu)
#define RCC_AHB2ENR1_GPIOAEN (1u << 0)

static volatile uint32_t ticks;

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    ticks++;
}

void hal_init(void)
{
    uint32_t hz = 0;

    if (mvGetSysClk(&hz) != MV_STATUS_OKAY || hz == 0)
        hz = 160000000u;
    (void)SysTick_Config(hz / 1000u);
}

uint32_t hal_get_tick(void)
{
    return ticks;
}

void hal_delay(uint32_t ms)
{
    uint32_t start = ticks;

    while (ticks - start < ms)
        __WFI();
}

bool hal_enable_gpioa_clock(void)
{
    uint32_t v = 0;

    if (mvPeriphPoke32(RCC_AHB2ENR1, RCC_AHB2ENR1_GPIOAEN, RCC_AHB2ENR1_GPIOAEN) != MV_STATUS_OKAY)
        return false;
    return mvPeriphPeek32(RCC_AHB2ENR1, &v) == MV_STATUS_OKAY && (v & RCC_AHB2ENR1_GPIOAEN);
}
