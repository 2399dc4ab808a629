/* Output formatting for mvcli: tables whose columns come from JSON fields (long cells cut
 * with an ellipsis), one-line log records, optional colours and local times, and escaping
 * of untrusted text (device log messages, config values) so that control sequences are
 * shown, not executed. */
#include "mvc/output.h"

#include <stdbool.h>
#include <string.h>

#include "mvc/timefmt.h"

#define CELL_MAX 4200   /* a config value (4096) escaped stays readable, longer is cut */
#define COLS_MAX 6
#define CELL_WIDTH 48   /* widest table cell, in characters, unless --no-trunc */
#define LAST_MIN 16     /* the last column keeps this much when fitting a terminal */

/* ANSI SGR codes: table headers, times, log positions, gaps, online/offline. */
#define SGR_BOLD "1"
#define SGR_DIM "2"
#define SGR_CYAN "36"
#define SGR_YELLOW "33"
#define SGR_GREEN "32"

struct col {
    const char *hdr;
    const char *field;
    bool is_time; /* an RFC 3339 UTC time from the API: shown in local time with --local */
};

/* Set once by main from the command line and the terminal; every printer reads it, so
 * that the command files need not pass it around. */
static struct mvc_out_style style;

void mvc_out_set_style(const struct mvc_out_style *st)
{
    style = *st;
}

static void sgr_on(FILE *f, const char *code)
{
    if (style.color && code)
        fprintf(f, "\033[%sm", code);
}

static void sgr_off(FILE *f, const char *code)
{
    if (style.color && code)
        fputs("\033[0m", f);
}

void mvc_out_json(FILE *f, const json_t *j)
{
    json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
}

void mvc_out_json_line(FILE *f, const json_t *j)
{
    json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', f);
}

void mvc_out_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
}

/* Escapes s like mvc_out_escaped into buf, cutting it to fit len. */
static void escape_into(char *buf, size_t len, const char *s)
{
    size_t o = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool esc = (c < 0x20 && c != '\t') || c == 0x7f;
        if (o + (esc ? 4 : 1) >= len)
            break;
        if (esc)
            o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
        else
            buf[o++] = (char)c;
    }
    buf[o] = '\0';
}

/* An API time in local time with --local; anything unparsable is shown as it came. */
static void time_into(char *buf, size_t len, const char *s)
{
    struct mvc_time t;
    if (style.local && mvc_time_parse(s, false, NULL, &t) == 0)
        mvc_time_format(&t, true, buf, len);
    else
        escape_into(buf, len, s);
}

/* Characters on screen: UTF-8 continuation bytes take no column. */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Cuts buf to at most w characters, the last one an ellipsis, never inside a UTF-8
 * sequence. */
static void fit(char *buf, size_t w)
{
    const char *ell = style.utf8 ? "\u2026" : "...";
    size_t ellw = style.utf8 ? 1 : 3, n = 0, i;
    if (w <= ellw || text_width(buf) <= w)
        return;
    for (i = 0; buf[i]; i++) {
        if (((unsigned char)buf[i] & 0xc0) != 0x80 && n++ == w - ellw)
            break;
    }
    strcpy(buf + i, ell);
}

/* Renders a JSON scalar as cell text into buf (escaped, bounded). */
static const char *cell(const json_t *v, char *buf, size_t len)
{
    if (json_is_string(v)) {
        escape_into(buf, len, json_string_value(v));
        return buf;
    }
    if (json_is_true(v))
        return "yes";
    if (json_is_false(v))
        return "no";
    if (json_is_integer(v)) {
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    }
    return "-";
}

/* A table cell's text: escaped, times converted, cut to max characters (0: no cut). */
static const char *table_cell(const json_t *row, const struct col *c, char *buf, size_t len,
                              size_t max)
{
    const json_t *v = json_object_get(row, c->field);
    const char *t;
    if (c->is_time && json_is_string(v)) {
        time_into(buf, len, json_string_value(v));
        t = buf;
    } else {
        t = cell(v, buf, len);
    }
    if (max && t == buf)
        fit(buf, max);
    return t;
}

/* Booleans read at a glance in colour: yes green, no dim. */
static const char *cell_sgr(const char *text)
{
    if (!strcmp(text, "yes"))
        return SGR_GREEN;
    if (!strcmp(text, "no"))
        return SGR_DIM;
    return NULL;
}

/* The last column is not padded, so lines carry no trailing blanks. */
static void put_cell(FILE *f, const char *text, size_t width, bool last, const char *sgr)
{
    sgr_on(f, sgr);
    fputs(text, f);
    sgr_off(f, sgr);
    if (last)
        fputc('\n', f);
    else
        fprintf(f, "%*s", (int)(width - text_width(text) + 2), "");
}

/* Column widths: the widest cell, each capped at CELL_WIDTH; on a terminal the last
 * column gets what is left of its width (at least LAST_MIN). */
static void widths(const json_t *rows, const struct col *cols, size_t ncols, size_t *w,
                   size_t *max)
{
    char buf[CELL_MAX];
    size_t i, used = 0;
    const json_t *row;
    for (size_t c = 0; c < ncols; c++) {
        max[c] = style.no_trunc ? 0 : CELL_WIDTH;
        w[c] = strlen(cols[c].hdr);
    }
    for (size_t c = 0; c + 1 < ncols; c++) { /* the last column is not padded */
        json_array_foreach (rows, i, row) {
            size_t n = text_width(table_cell(row, &cols[c], buf, sizeof(buf), max[c]));
            if (n > w[c])
                w[c] = n;
        }
    }
    if (!style.no_trunc && style.width) {
        for (size_t c = 0; c + 1 < ncols; c++)
            used += w[c] + 2;
        max[ncols - 1] = style.width > used + LAST_MIN ? style.width - used : LAST_MIN;
    }
}

static void table(FILE *f, const json_t *rows, const struct col *cols, size_t ncols)
{
    size_t w[COLS_MAX], max[COLS_MAX];
    char buf[CELL_MAX];
    size_t i;
    const json_t *row;

    widths(rows, cols, ncols, w, max);
    for (size_t c = 0; c < ncols; c++)
        put_cell(f, cols[c].hdr, w[c], c + 1 == ncols, SGR_BOLD);
    json_array_foreach (rows, i, row) {
        for (size_t c = 0; c < ncols; c++) {
            const char *t = table_cell(row, &cols[c], buf, sizeof(buf), max[c]);
            put_cell(f, t, w[c], c + 1 == ncols, cell_sgr(t));
        }
    }
}

void mvc_out_devices(FILE *f, const json_t *devices)
{
    static const struct col cols[] = {{"ID", "id", false},
                                      {"ONLINE", "online", false},
                                      {"LAST SEEN", "last_seen", true},
                                      {"BOOT", "boot_id", false},
                                      {"REMOTE", "remote_addr", false}};
    table(f, devices, cols, sizeof(cols) / sizeof(cols[0]));
}

void mvc_out_device(FILE *f, const json_t *device)
{
    static const struct col fields[] = {
        {"id", "id", false},          {"created_at", "created_at", true},
        {"online", "online", false},  {"last_seen", "last_seen", true},
        {"boot_id", "boot_id", false}, {"remote_addr", "remote_addr", false}};
    char buf[CELL_MAX];
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const char *t = table_cell(device, &fields[i], buf, sizeof(buf), 0);
        sgr_on(f, SGR_BOLD);
        fprintf(f, "%-12s", fields[i].hdr);
        sgr_off(f, SGR_BOLD);
        fputc(' ', f);
        put_cell(f, t, 0, true, cell_sgr(t));
    }
    mvc_out_update(f, device);
}

void mvc_out_configs(FILE *f, const json_t *configs)
{
    static const struct col cols[] = {{"KEY", "key", false},
                                      {"SCOPE", "scope", false},
                                      {"UPDATED", "updated_at", true},
                                      {"VALUE", "value", false}};
    table(f, configs, cols, sizeof(cols) / sizeof(cols[0]));
}

void mvc_out_secrets(FILE *f, const json_t *secrets)
{
    static const struct col cols[] = {
        {"KEY", "key", false}, {"SCOPE", "scope", false}, {"UPDATED", "updated_at", true}};
    table(f, secrets, cols, sizeof(cols) / sizeof(cols[0]));
}

void mvc_out_log(FILE *f, const json_t *rec)
{
    static const struct col when = {"", "received_at", true};
    char t[CELL_MAX], b[CELL_MAX];
    const char *kind = json_string_value(json_object_get(rec, "kind"));
    sgr_on(f, SGR_DIM);
    fputs(table_cell(rec, &when, t, sizeof(t), 0), f);
    sgr_off(f, SGR_DIM);
    fputc(' ', f);
    sgr_on(f, SGR_CYAN);
    fprintf(f, "%s:%s", cell(json_object_get(rec, "boot_id"), b, sizeof(b)),
            cell(json_object_get(rec, "seq"), (char[32]){0}, 32));
    sgr_off(f, SGR_CYAN);
    fputc(' ', f);
    if (kind && strcmp(kind, "gap") == 0) {
        json_t *d = json_object_get(rec, "dropped");
        sgr_on(f, SGR_YELLOW);
        fprintf(f, "[gap: %" JSON_INTEGER_FORMAT " records dropped on the device]",
                json_is_integer(d) ? json_integer_value(d) : 0);
        sgr_off(f, SGR_YELLOW);
        fputc('\n', f);
        return;
    }
    const char *msg = json_string_value(json_object_get(rec, "message"));
    mvc_out_escaped(f, msg ? msg : "");
    fputc('\n', f);
}
