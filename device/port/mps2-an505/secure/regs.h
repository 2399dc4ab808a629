/* Register addresses of the mps2-an505 (IoTKit + CMSDK peripherals) and the
 * Cortex-M33 system control space used by the secure image. Addresses come from the
 * AN505 application note, QEMU's mps2-tz board model and the ARMv8-M architecture manual. */
#ifndef AN505_REGS_H
#define AN505_REGS_H

#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* System control space (secure view; the NS alias is +0x20000). */
#define SCS_NS_OFFSET 0x20000u
#define SCB_ICSR 0xE000ED04u
#define SCB_VTOR 0xE000ED08u
#define SCB_AIRCR 0xE000ED0Cu
#define SCB_SHPR3 0xE000ED20u
#define SCB_SHCSR 0xE000ED24u
#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define SCB_BFAR 0xE000ED38u
#define SCB_VTOR_NS (SCB_VTOR + SCS_NS_OFFSET)
#define SCB_SFSR 0xE000EDE4u
#define SCB_SFAR 0xE000EDE8u

#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSTSET (1u << 26)
/* EXC_RETURN bits (fault and PendSV handlers). */
#define EXC_RETURN_S (1u << 6)      /* frame on the secure stack */
#define EXC_RETURN_DCRS (1u << 5)   /* 0: callee registers were stacked too */
#define EXC_RETURN_MODE (1u << 3)   /* returns to thread mode */
#define EXC_RETURN_SPSEL (1u << 2)
#define AIRCR_VECTKEY (0x05FAu << 16)
#define AIRCR_SYSRESETREQ (1u << 2)
#define AIRCR_PRIS (1u << 14)
#define SHCSR_PENDSVACT (1u << 10)
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)
#define SHCSR_SECUREFAULTENA (1u << 19)

/* SysTick (secure instance). */
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)

/* NVIC. */
#define NVIC_ISER(n) (0xE000E100u + 4u * (n))
#define NVIC_ICER(n) (0xE000E180u + 4u * (n))
#define NVIC_ISPR(n) (0xE000E200u + 4u * (n))
#define NVIC_ICPR(n) (0xE000E280u + 4u * (n))
#define NVIC_ITNS(n) (0xE000E380u + 4u * (n))
#define NVIC_IPR(n) (0xE000E400u + (n)) /* byte access */

/* SAU. */
#define SAU_CTRL 0xE000EDD0u
#define SAU_RNR 0xE000EDD8u
#define SAU_RBAR 0xE000EDDCu
#define SAU_RLAR 0xE000EDE0u
#define SAU_RLAR_ENABLE (1u << 0)
#define SAU_RLAR_NSC (1u << 1)

/* Secure privilege control block. */
#define SPCB_BASE 0x50080000u
#define SPCB_SECRESPCFG (SPCB_BASE + 0x10u)
#define SPCB_NSCCFG (SPCB_BASE + 0x14u)
#define SPCB_APBNSPPC0 (SPCB_BASE + 0x70u)
#define SPCB_APBNSPPCEXP1 (SPCB_BASE + 0x84u)
#define APBPPC0_TIMER0 (1u << 0)
#define APBPPC0_TIMER1 (1u << 1)
#define NSCCFG_CODENSC (1u << 0)

/* Memory protection controllers (one per SSRAM). */
#define MPC_SSRAM1 0x58007000u
#define MPC_SSRAM2 0x58008000u
#define MPC_SSRAM3 0x58009000u
#define MPC_CTRL 0x00u
#define MPC_BLK_MAX 0x10u
#define MPC_BLK_CFG 0x14u
#define MPC_BLK_IDX 0x18u
#define MPC_BLK_LUT 0x1Cu
#define MPC_CTRL_AUTOINC (1u << 8)

/* CMSDK APB UARTs: NS alias 0x4020i000, secure alias 0x5020i000. */
#define UART_NS_BASE(i) (0x40200000u + 0x1000u * (i))
#define UART_S_BASE(i) (0x50200000u + 0x1000u * (i))
#define UART_RX_IRQ(i) (32u + 2u * (i))
#define UART_TX_IRQ(i) (33u + 2u * (i))
#define UART_COMBINED_IRQ(i) (42u + (i))
#define UART_OVERFLOW_IRQ 47u
#define UART_PPC_BIT(i) (1u << (5u + (i)))

/* MPS2 FPGA I/O (APB PPC expansion 2, port 2; stays secure): the board's user LEDs,
 * buttons and free-running counters. QEMU models two LEDs (LED0 bits 1:0). */
#define FPGAIO_NS_BASE 0x40302000u
#define FPGAIO_S_BASE 0x50302000u
#define FPGAIO_LED0 0x00u
#define FPGAIO_BUTTON 0x08u
#define FPGAIO_CLK1HZ 0x10u
#define FPGAIO_CLK100HZ 0x14u
#define FPGAIO_COUNTER 0x18u
#define FPGAIO_PRESCALE 0x1Cu
#define FPGAIO_PSCNTR 0x20u
#define FPGAIO_MISC 0x4Cu
#define FPGAIO_SYSTEM_LED (1u << 0) /* LED0 bit 0: the kernel's system LED */

/* Memory map of the two worlds (also in docs/an505.md and the SAU setup). */
#define AN505_NS_CODE_BASE 0x00200000u
#define AN505_NS_CODE_LIMIT 0x003FFFFFu
#define AN505_NSC_BASE 0x10080000u
#define AN505_NSC_LIMIT 0x10080FFFu
#define AN505_NS_DATA_BASE 0x28200000u
#define AN505_NS_DATA_LIMIT 0x283FFFFFu
#define AN505_NS_PERIPH_BASE 0x40000000u
#define AN505_NS_PERIPH_LIMIT 0x4FFFFFFFu

/* Interrupts implemented by the board's NVIC. */
#define AN505_NUM_IRQS 96u

/* CPU clock; SysTick counts it (1 tick = 50 ns). The AN505 runs the core, AHB and APB
 * from one 20 MHz clock (QEMU's mps2-tz: sysclk 20 MHz; the timers count it too), so
 * the four Microvisor clock calls all answer this (port.mk passes it to the kernel). */
#define AN505_CPU_HZ 20000000u

#endif
