/* Structured log lines on stderr: `ts=... level=... msg="..." key=value...`.
 * Callers pass the extra key=value pairs preformatted (values quoted when needed). */
#ifndef MVR_LOG_H
#define MVR_LOG_H

enum mvr_level { MVR_DEBUG, MVR_INFO, MVR_WARN, MVR_ERROR };

/* Lines below this level are dropped (default MVR_INFO; MVR_LOG_LEVEL=debug lowers it). */
void mvr_log_set_level(enum mvr_level lvl);
/* msg is quoted; fmt (printf) produces the remaining `key=value` fields, may be NULL. */
void mvr_log(enum mvr_level lvl, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
