/* Values that do not come from argv: standard input ('-'), a file (--file), or a prompt
 * without echo on a terminal. All keep the value out of the process list. */
#include "value_in.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "mvc/args.h"

int mvc_value_from(FILE *f, const char *name, char *buf, size_t len)
{
    size_t n = fread(buf, 1, len - 1, f);
    if (ferror(f)) {
        fprintf(stderr, "mvcli: cannot read the value from %s\n", name);
        return -1;
    }
    if (n == len - 1 && fgetc(f) != EOF) {
        fprintf(stderr, "mvcli: the value in %s is too long (at most %d bytes)\n", name,
                MVC_VALUE_MAX);
        return -1;
    }
    /* One trailing newline (from echo, an editor or a terminal) is not part of it. */
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        fprintf(stderr, "mvcli: the value in %s contains a NUL byte\n", name);
        return -1;
    }
    return 0;
}

int mvc_value_file(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    int rc = mvc_value_from(f, path, buf, len);
    fclose(f);
    return rc;
}

int mvc_value_prompt(const char *prompt, char *buf, size_t len)
{
    struct termios old, quiet;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) != 0) {
        fprintf(stderr, "mvcli: no value given and standard input is not a terminal "
                        "(give VALUE, '-' to read standard input, or --file F)\n");
        return -1;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    /* Echo off before the prompt shows: whatever is typed once it is visible stays hidden. */
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    fputs(prompt, stderr);
    fflush(stderr);
    char *got = fgets(buf, (int)len, stdin);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    fputc('\n', stderr);
    if (!got) {
        fprintf(stderr, "mvcli: no value read\n");
        return -1;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

int mvc_value_resolve(const struct mvc_args *a, const char *what, char *buf, size_t len,
                      const char **value)
{
    int rc = 0;
    if (a->file)
        rc = mvc_value_file(a->file, buf, len);
    else if (!a->value)
        rc = mvc_value_prompt(what, buf, len);
    else if (!strcmp(a->value, "-"))
        rc = mvc_value_from(stdin, "standard input", buf, len);
    else {
        *value = a->value;
        return 0;
    }
    *value = buf;
    return rc;
}
