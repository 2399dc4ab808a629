/* Human-readable output of API objects (aligned tables, key/value blocks,
 * log lines) and raw JSON output. Text that came from devices or users is
 * escaped so that it cannot drive the terminal. */
#ifndef MVC_OUTPUT_H
#define MVC_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* How text output looks; main sets it once from the options and the terminal. */
struct mvc_out_style {
    bool color;    /* ANSI colours: stdout is a terminal, no NO_COLOR, no --no-color */
    bool local;    /* times from the API shown in local time (--local), else UTC as sent */
    bool no_trunc; /* --no-trunc: table cells are never cut */
    bool utf8;     /* the locale is UTF-8: cut cells end in one '\u2026', else "..." */
    size_t width;  /* terminal columns, 0 when not a terminal; the last column fits it */
};

void mvc_out_set_style(const struct mvc_out_style *st);

/* Pretty-printed JSON followed by a newline. */
void mvc_out_json(FILE *f, const json_t *j);
/* One JSON object on one line (for streams). */
void mvc_out_json_line(FILE *f, const json_t *j);

void mvc_out_devices(FILE *f, const json_t *devices);
void mvc_out_device(FILE *f, const json_t *device);
/* The target_app and update lines of `devices show` (output_update.c). */
void mvc_out_update(FILE *f, const json_t *device);
void mvc_out_apps(FILE *f, const json_t *apps);
void mvc_out_configs(FILE *f, const json_t *configs);
void mvc_out_secrets(FILE *f, const json_t *secrets);
/* One line per LogRecord: "RECEIVED_AT BOOT:SEQ message" or a gap notice. */
void mvc_out_log(FILE *f, const json_t *rec);

/* Writes s with control characters and DEL as \xNN (and '\\' doubled is not
 * needed: only bytes < 0x20 except tab, and 0x7f, are escaped). */
void mvc_out_escaped(FILE *f, const char *s);

#endif
