/* The CMSIS-Core subset the host port provides to applications (implemented by mvdevice,
 * device/port/host/nvic.c): NVIC enable/pending/priority, PRIMASK, WFI, SysTick_Config
 * and barriers. On a Cortex-M these are inline register accesses; on the host they are
 * calls into the port, which delivers interrupts on the application's own thread. */
#ifndef MV_HOST_CMSIS_HOST_H
#define MV_HOST_CMSIS_HOST_H

#include <stdint.h>

#ifndef __STATIC_INLINE
#define __STATIC_INLINE static inline
#endif
#ifndef __IO
#define __I volatile const
#define __O volatile
#define __IO volatile
#endif

void NVIC_EnableIRQ(IRQn_Type irq);
void NVIC_DisableIRQ(IRQn_Type irq);
uint32_t NVIC_GetEnableIRQ(IRQn_Type irq);
void NVIC_SetPendingIRQ(IRQn_Type irq);
void NVIC_ClearPendingIRQ(IRQn_Type irq);
uint32_t NVIC_GetPendingIRQ(IRQn_Type irq);
void NVIC_SetPriority(IRQn_Type irq, uint32_t priority);
uint32_t NVIC_GetPriority(IRQn_Type irq);
void NVIC_SetPriorityGrouping(uint32_t group);
uint32_t NVIC_GetPriorityGrouping(void);
uint32_t NVIC_EncodePriority(uint32_t group, uint32_t preempt, uint32_t sub);
/* Restarts the application (not the kernel), like a reset of the application core. */
void NVIC_SystemReset(void);
/* Periodic SysTick_Handler every `ticks` cycles of a 160 MHz core clock; 0 on success. */
uint32_t SysTick_Config(uint32_t ticks);

void mvk_cmsis_disable_irq(void);
void mvk_cmsis_enable_irq(void);
uint32_t mvk_cmsis_get_primask(void);
void mvk_cmsis_wfi(void);

#define __disable_irq() mvk_cmsis_disable_irq()
#define __enable_irq() mvk_cmsis_enable_irq()
#define __get_PRIMASK() mvk_cmsis_get_primask()
#define __WFI() mvk_cmsis_wfi()
#define __WFE() mvk_cmsis_wfi()
#define __SEV() ((void)0)
#define __NOP() __asm__ volatile("" ::: "memory")
#define __DSB() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define __ISB() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define __DMB() __atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif
