/* The system LED: LED0 bit 0 of the MPS2 FPGA I/O block (QEMU models the register; the
 * block stays secure, so only the kernel drives it). The application reaches the other
 * LED bit through mvPeriphPoke32 (periph.c); this read-modify-write keeps it. */
#include "an505.h"
#include "port.h"
#include "regs.h"

int mvk_port_system_led(int on)
{
    uint32_t v = REG32(FPGAIO_S_BASE + FPGAIO_LED0);

    v = on ? (v | FPGAIO_SYSTEM_LED) : (v & ~FPGAIO_SYSTEM_LED);
    REG32(FPGAIO_S_BASE + FPGAIO_LED0) = v;
    return 0;
}
