/* The host port's peripheral register file for mvPeriphPeek32/mvPeriphPoke32: the
 * STM32U585 registers Microvisor shares with the application, i.e. RCC's clock-enable,
 * reset, sleep-mode clock-enable and kernel-clock-select registers (reached at the
 * non-secure RCC base, as the KORE HAL's MV_SET_BIT(RCC->...) does, or the secure
 * alias). They are plain storage that starts at the reset values; a poke may change the
 * bits the allow mask grants (all of the defined bits here: the host kernel keeps no
 * peripheral for itself). The clock tree registers are read-only and describe the
 * 160 MHz system clock the kernel reports (MSIS 4 MHz, PLL1 M=1 N=80 R=2, no bus
 * prescaler), so the HAL's clock-frequency helpers compute 160 MHz. Any other address
 * is PERIPHERALACCESSFAULT, as for a register Microvisor keeps. */
#include <stddef.h>
#include <stdint.h>

#include "port.h"

#define RCC_NS 0x46020C00u
#define RCC_S 0x56020C00u
#define RCC_SPAN 0x100u

struct periph_reg {
    uint16_t off;
    uint32_t reset;
    uint32_t writable;
};

/* Offsets and reset values from the STM32U5 reference manual (RM0456), RCC section. */
static const struct periph_reg rcc_regs[] = {
    {0x000, 0x03000005u, 0}, /* CR: MSISON, MSISRDY, PLL1ON, PLL1RDY */
    {0x008, 0x40800000u, 0}, /* ICSCR1: MSIRGSEL, MSISRANGE 4 (4 MHz) */
    {0x01c, 0x0000000fu, 0}, /* CFGR1: SW = SWS = PLL1 */
    {0x020, 0, 0},           /* CFGR2: AHB, APB1, APB2 not divided */
    {0x024, 0, 0},           /* CFGR3: APB3 not divided */
    {0x028, 0x00040001u, 0}, /* PLL1CFGR: source MSIS, M = 1, PLL1REN */
    {0x034, 0x0101024fu, 0}, /* PLL1DIVR: N = 80, P = Q = R = 2 */
    {0x060, 0, 0xffffffffu}, /* AHB1RSTR */
    {0x064, 0, 0xffffffffu}, /* AHB2RSTR1 */
    {0x068, 0, 0xffffffffu}, /* AHB2RSTR2 */
    {0x06c, 0, 0xffffffffu}, /* AHB3RSTR */
    {0x074, 0, 0xffffffffu}, /* APB1RSTR1 */
    {0x078, 0, 0xffffffffu}, /* APB1RSTR2 */
    {0x07c, 0, 0xffffffffu}, /* APB2RSTR */
    {0x080, 0, 0xffffffffu}, /* APB3RSTR */
    {0x088, 0x00000100u, 0xffffffffu}, /* AHB1ENR (FLASHEN set at reset) */
    {0x08c, 0, 0xffffffffu}, /* AHB2ENR1 */
    {0x090, 0, 0xffffffffu}, /* AHB2ENR2 */
    {0x094, 0, 0xffffffffu}, /* AHB3ENR */
    {0x09c, 0, 0xffffffffu}, /* APB1ENR1 */
    {0x0a0, 0, 0xffffffffu}, /* APB1ENR2 */
    {0x0a4, 0, 0xffffffffu}, /* APB2ENR */
    {0x0a8, 0, 0xffffffffu}, /* APB3ENR */
    {0x0b0, 0xffffffffu, 0xffffffffu}, /* AHB1SMENR */
    {0x0b4, 0xffffffffu, 0xffffffffu}, /* AHB2SMENR1 */
    {0x0b8, 0xffffffffu, 0xffffffffu}, /* AHB2SMENR2 */
    {0x0bc, 0xffffffffu, 0xffffffffu}, /* AHB3SMENR */
    {0x0c4, 0xffffffffu, 0xffffffffu}, /* APB1SMENR1 */
    {0x0c8, 0xffffffffu, 0xffffffffu}, /* APB1SMENR2 */
    {0x0cc, 0xffffffffu, 0xffffffffu}, /* APB2SMENR */
    {0x0d0, 0xffffffffu, 0xffffffffu}, /* APB3SMENR */
    {0x0e0, 0, 0xffffffffu}, /* CCIPR1 */
    {0x0e4, 0, 0xffffffffu}, /* CCIPR2 */
    {0x0e8, 0, 0xffffffffu}, /* CCIPR3 */
};
#define NREGS (sizeof rcc_regs / sizeof rcc_regs[0])

static uint32_t values[NREGS];
static int loaded;

volatile uint32_t *mvk_port_periph_reg(uint32_t reg, uint32_t *writable_mask);

volatile uint32_t *mvk_port_periph_reg(uint32_t reg, uint32_t *writable_mask)
{
    uint32_t base = reg >= RCC_S ? RCC_S : RCC_NS;

    *writable_mask = 0;
    if (reg < base || reg - base >= RCC_SPAN)
        return NULL;
    if (!loaded) {
        for (size_t i = 0; i < NREGS; i++)
            values[i] = rcc_regs[i].reset;
        loaded = 1;
    }
    for (size_t i = 0; i < NREGS; i++)
        if (rcc_regs[i].off == reg - base) {
            *writable_mask = rcc_regs[i].writable;
            return &values[i];
        }
    return NULL;
}
