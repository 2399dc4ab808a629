/* Shell completion scripts for mvcli (`mvcli completion bash|zsh`), generated from the
 * parser's own tables of commands and options, so they cannot drift apart. */
#ifndef MVC_COMPLETION_H
#define MVC_COMPLETION_H

#include <stdbool.h>
#include <stdio.h>

/* Writes the bash script (zsh: the same function behind zsh's bashcompinit). Returns 0,
 * or -1 when f could not be written. */
int mvc_completion_print(FILE *f, bool zsh);

#endif
