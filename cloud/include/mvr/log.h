/* Structured log lines on stderr: `ts=... level=... msg="..." key=value...`.
 * Callers pass the extra key=value pairs preformatted (values quoted when needed). */
#ifndef MVR_LOG_H
#define MVR_LOG_H

#include <stddef.h>

enum mvr_level { MVR_DEBUG, MVR_INFO, MVR_WARN, MVR_ERROR };

/* Lines below this level are dropped (default MVR_INFO; MVR_LOG_LEVEL=debug lowers it). */
void mvr_log_set_level(enum mvr_level lvl);
/* Names this relay in every line (relay=NAME after level), or none when NULL/"". */
void mvr_log_set_relay(const char *name);
/* msg is quoted; fmt (printf) produces the remaining `key=value` fields, may be NULL. */
void mvr_log(enum mvr_level lvl, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies untrusted bytes for a quoted log value: printable ASCII except '"' and '\\'
 * is kept, everything else becomes \xHH, so a peer cannot forge log lines. Always
 * NUL-terminates; truncates to fit. Returns out. */
char *mvr_log_esc(const void *in, size_t n, char *out, size_t cap);

#endif
