#!/usr/bin/env bash
# Runs a command as the terminal's foreground process group, so that Ctrl-C is delivered
# to it alone and not to the make that started it (make would print "Interrupt" and exit
# 2 whatever the command does with the signal). Without a terminal it just runs it.
# Usage: scripts/demo-fg.sh COMMAND [ARGS...]; exits with the command's status.
set -uo pipefail
if ! [ -t 0 ] || ! [ -t 1 ]; then
    exec "$@"
fi
# Job control in this non-interactive shell: the job gets its own process group, and
# `fg` hands it the terminal (and takes it back when the job ends).
set -m
"$@" &
fg %1 >/dev/null
