/* Some applications include the part-specific device header directly: on the host it is
 * the same stand-in as stm32u5xx.h (IRQ numbers and the CMSIS-Core subset). */
#ifndef MV_HOST_STM32U585XX_H
#define MV_HOST_STM32U585XX_H

#include "stm32u5xx.h"

#endif
