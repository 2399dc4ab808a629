/* Application logging as KORE's log helper does it: a 1 KiB buffer (Microvisor's minimum,
 * what their MQTT demo passes), 512-byte aligned, and printf-style messages formatted on
 * the stack. */
#include <stdarg.h>
#include <stdio.h>

#include "app.h"

#define LOG_BUFFER_SIZE_B 1024
static uint8_t log_buffer[LOG_BUFFER_SIZE_B] __attribute__((aligned(512)));

void log_init(void)
{
    (void)mvServerLoggingInit(log_buffer, LOG_BUFFER_SIZE_B);
}

void server_log(const char *format_string, ...)
{
    char buffer[200];
    va_list args;
    int n;

    va_start(args, format_string);
    n = vsnprintf(buffer, sizeof buffer, format_string, args);
    va_end(args);
    if (n > 0)
        mvServerLog((const uint8_t *)buffer, (uint16_t)(n < (int)sizeof buffer ? n : 199));
}
