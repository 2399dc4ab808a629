/* Reading a config or secret value from standard input, a file or a silent prompt. */
#ifndef MVC_VALUE_IN_H
#define MVC_VALUE_IN_H

#include <stddef.h>
#include <stdio.h>

struct mvc_args;

/* Reads all of f (named name in messages) into buf, less one trailing newline; 0 or -1
 * (too long, NUL byte, read error: reported). */
int mvc_value_from(FILE *f, const char *name, char *buf, size_t len);
int mvc_value_file(const char *path, char *buf, size_t len);
/* Prompts on stderr and reads one line from the terminal without echo; -1 (reported)
 * when standard input is not a terminal. */
int mvc_value_prompt(const char *prompt, char *buf, size_t len);
/* The value of `config set` / `secret set`: --file F, '-' (stdin), the operand, or a
 * prompt (what) when there is none. *value points at the operand or into buf. */
int mvc_value_resolve(const struct mvc_args *a, const char *what, char *buf, size_t len,
                      const char **value);

#endif
