/* `mvcli completion bash|zsh`: a completion function built from the command and option
 * tables of args.c. It completes commands, subcommands and the options each one accepts,
 * file names after --cacert/--csr/--file, directories after --out, and device ids (asked
 * of the relay with `mvcli --json devices list`, bounded by a timeout) where a device is
 * expected. */
#include "mvc/completion.h"

#include <string.h>

#include "mvc/args.h"

/* What the word after an option is: a file, a directory, a device id, or free text. */
static char value_kind(const char *opt)
{
    static const char *const files[] = {"cacert", "csr", "file"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (!strcmp(opt, files[i]))
            return 'f';
    if (!strcmp(opt, "out"))
        return 'd';
    if (!strcmp(opt, "device"))
        return 'D';
    return 0;
}

/* "logs config ..." in table order, each group once. */
static void groups(FILE *f)
{
    const char *g, *prev = NULL;
    for (size_t i = 0; mvc_args_cmd_name(i, &g); i++) {
        if (!prev || strcmp(prev, g))
            fprintf(f, "%s%s", prev ? " " : "", g);
        prev = g;
    }
}

/* case arms: group) subcommands;; */
static void subcommands(FILE *f)
{
    const char *g, *prev = NULL, *name;
    for (size_t i = 0; (name = mvc_args_cmd_name(i, &g)); i++) {
        if (!prev || strcmp(prev, g))
            fprintf(f, "%s        %s) subs=\"%s", prev ? "\" ;;\n" : "", g, name);
        else
            fprintf(f, " %s", name);
        prev = g;
    }
    fputs("\" ;;\n", f);
}

/* case arms: "group sub") opts="--a --b" ;; */
static void command_opts(FILE *f)
{
    const char *g, *name, *o;
    bool v;
    for (size_t i = 0; (name = mvc_args_cmd_name(i, &g)); i++) {
        fprintf(f, "        \"%s %s\") opts=\"", g, name);
        for (size_t j = 0; (o = mvc_args_opt_name(j, &v)); j++)
            if (mvc_args_opt_applies(j, i))
                fprintf(f, "--%s ", o);
        fputs("-h\" ;;\n", f);
    }
}

static void option_lists(FILE *f)
{
    const char *o;
    bool v;
    fputs("    local global=\"", f);
    for (size_t j = 0; (o = mvc_args_opt_name(j, &v)); j++)
        if (mvc_args_opt_global(j))
            fprintf(f, "--%s ", o);
    fputs("-h\"\n    local valued=\" -n ", f);
    for (size_t j = 0; (o = mvc_args_opt_name(j, &v)); j++)
        if (v)
            fprintf(f, "--%s ", o);
    fputs("\"\n", f);
}

static void value_arms(FILE *f)
{
    const char *o;
    bool v;
    for (size_t j = 0; (o = mvc_args_opt_name(j, &v)); j++) {
        if (!v)
            continue;
        switch (value_kind(o)) {
        case 'f': fprintf(f, "        --%s) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n", o); break;
        case 'd': fprintf(f, "        --%s) COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n", o); break;
        case 'D':
            fprintf(f, "        --%s) COMPREPLY=($(compgen -W \"$(_mvcli_devices)\" -- \"$cur\")) "
                       ";;\n", o);
            break;
        default: fprintf(f, "        --%s) COMPREPLY=() ;;\n", o); break;
        }
    }
}

static const char devices_fn[] =
    "# Device ids from the relay that mvcli is configured for (environment or config file).\n"
    "_mvcli_devices() {\n"
    "    timeout 3 \"${COMP_WORDS[0]}\" --json devices list 2>/dev/null |\n"
    "        sed -n 's/^ *\"id\": *\"\\(UV[0-9a-f]*\\)\".*/\\1/p'\n"
    "}\n";

static const char scan_words[] =
    "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
    "    local words=() w i skip=0 subs opts\n"
    "    COMPREPLY=()\n"
    "    # The command's words so far, without options and their values.\n"
    "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
    "        w=${COMP_WORDS[i]}\n"
    "        if ((skip)); then skip=0; continue; fi\n"
    "        case $w in\n"
    "            --*=*) ;;\n"
    "            -*) [[ $valued == *\" $w \"* ]] && skip=1 ;;\n"
    "            *) words+=(\"$w\") ;;\n"
    "        esac\n"
    "    done\n";

static const char tail_part[] =
    "    if [[ $cur == -* ]]; then\n"
    "        opts=$global\n"
    "        case \"${words[0]} ${words[1]}\" in\n";

static const char operands[] =
    "        esac\n"
    "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
    "        return 0\n"
    "    fi\n"
    "    if [ ${#words[@]} -eq 0 ]; then\n"
    "        COMPREPLY=($(compgen -W \"$groups\" -- \"$cur\"))\n"
    "    elif [ ${#words[@]} -eq 1 ]; then\n"
    "        case ${words[0]} in\n";

static const char device_operand[] =
    "        esac\n"
    "        COMPREPLY=($(compgen -W \"$subs\" -- \"$cur\"))\n"
    "    elif [ ${#words[@]} -eq 2 ]; then\n"
    "        case \"${words[0]} ${words[1]}\" in\n"
    "        \"logs get\" | \"logs stream\" | \"devices show\")\n"
    "            COMPREPLY=($(compgen -W \"$(_mvcli_devices)\" -- \"$cur\")) ;;\n"
    "        esac\n"
    "    fi\n"
    "    return 0\n"
    "}\n";

int mvc_completion_print(FILE *f, bool zsh)
{
    if (zsh)
        fputs("#compdef mvcli\n# zsh completion for mvcli (mvcli completion zsh), through "
              "zsh's bash emulation.\nautoload -U +X bashcompinit && bashcompinit\n",
              f);
    else
        fputs("# bash completion for mvcli (generated by mvcli completion bash)\n", f);
    fputs(devices_fn, f);
    fputs("_mvcli() {\n    local groups=\"", f);
    groups(f);
    fputs("\"\n", f);
    option_lists(f);
    fputs(scan_words, f);
    fputs("    case $prev in\n", f);
    value_arms(f);
    fputs("        -n) return 0 ;;\n        *) prev= ;;\n    esac\n"
          "    [ -n \"$prev\" ] && return 0\n",
          f);
    fputs(tail_part, f);
    command_opts(f);
    fputs(operands, f);
    subcommands(f);
    fputs(device_operand, f);
    fputs("complete -F _mvcli mvcli\n", f);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
