#!/usr/bin/env bash
# Integration: mvdevice's command line — clear errors and meaningful exit codes
# (1 for usage errors, an unknown app or an unloadable identity, as mvcli and mvrelay;
# 0 for --help, --version and --list-apps); --opt=value as well as --opt value.
set -uo pipefail
B=${B:-build/host}
D="$B/mvdevice"
T=$(mktemp -d /tmp/mvk-args.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
expect() { # expect RC PATTERN -- ARGS...
  local want=$1 pat=$2; shift 3
  timeout 10 "$D" "$@" >"$T/out" 2>&1; local rc=$?
  if [ "$rc" != "$want" ] || ! grep -q -- "$pat" "$T/out"; then
    echo "FAIL: mvdevice $* -> rc $rc (want $want, pattern '$pat')"; cat "$T/out"; fail=1
  fi
}
expect 1 'required' -- 
expect 1 'usage' -- --bogus
expect 1 'unknown app' -- --relay wss://localhost:1 --identity "$T" --app nosuchapp
expect 1 'unknown app' -- --relay=wss://localhost:1 --identity="$T" --app=nosuchapp
expect 1 'identity' -- --relay wss://localhost:1 --identity "$T/missing"
expect 0 'demo' -- --list-apps
expect 0 'mvstyle' -- --list-apps
# An application object by path; one that is not a loadable object is refused clearly.
printf 'not an ELF file' >"$T/broken.so"
expect 1 'broken.so' -- --relay wss://localhost:1 --identity "$T" --app "$T/broken.so"
expect 1 'identity' -- --relay wss://localhost:1 --identity "$T/missing" --app "$B/apps/demo.so"
expect 0 'usage' -- --help
expect 0 "^mvdevice $(cat VERSION)$" -- --version
exit $fail
