/* The application's regions on this board: its image (read and execute), its RAM
 * (read and write), its console (the pci-serial in slot 2) and the test finisher
 * (tests end the run from the application, as semihosting does on mps2-an505).
 * Everything else, the kernel's memory, the link UART, the CLINT and the PLIC
 * included, has no PMP entry and so faults in U-mode. */
#include "app_regions.h"
#include "board.h"

const struct rv_app_region rv_app_regions[] = {
    {RV_APP_FLASH, RV_APP_FLASH_SIZE, RV_PERM_R | RV_PERM_X | RV_PERM_MEM},
    {RV_APP_RAM, RV_APP_RAM_SIZE, RV_PERM_R | RV_PERM_W | RV_PERM_MEM},
    {RV_APP_CONSOLE, 8u, RV_PERM_R | RV_PERM_W},
    {RV_FINISHER, 0x1000u, RV_PERM_R | RV_PERM_W},
};
const size_t rv_app_region_count = sizeof rv_app_regions / sizeof rv_app_regions[0];
