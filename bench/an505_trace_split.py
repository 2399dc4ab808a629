#!/usr/bin/env python3
"""Splits one traced null system call into in / handler / out instruction counts.

Usage: an505_trace_split.py TRACE SECURE_NM NS_NM
TRACE is QEMU's `-singlestep -d exec,nochain` log (one line per instruction);
*_NM are `arm-none-eabi-nm` outputs of the two images. The call is the stretch
between the two calls of bench_marker(); the handler is the kernel entry of
mvNoOp (mvk_sys_no_op, or sys_no_op in the bring-up table).
"""
import bisect
import re
import sys


def load_syms(paths):
    syms = []
    for path in paths:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[1] in "tTwW":
                    syms.append((int(parts[0], 16) & ~1, parts[2]))
    syms.sort()
    return syms


def main():
    trace, s_nm, ns_nm = sys.argv[1:4]
    syms = load_syms([s_nm, ns_nm])
    addrs = [a for a, _ in syms]

    def name(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 else "?"

    pcs = []
    with open(trace) as f:
        for line in f:
            m = re.search(r"\[[0-9a-f]+/([0-9a-f]+)/", line)
            if m:
                pcs.append(int(m.group(1), 16))
    names = [name(pc) for pc in pcs]
    marks = [i for i, n in enumerate(names) if n == "bench_marker"]
    if not marks:
        sys.exit("no bench_marker in the trace")
    # The call runs from the first instruction after the first marker returns to
    # main, until the second marker; drop main's own instructions at both ends.
    first_end = next(i for i in range(marks[0], len(names)) if names[i] != "bench_marker")
    second = next(i for i in range(first_end, len(names)) if names[i] == "bench_marker")
    seg = names[first_end:second]
    while seg and seg[0] == "main":
        seg.pop(0)
    while seg and seg[-1] == "main":
        seg.pop()
    handler = [i for i, n in enumerate(seg) if n in ("mvk_sys_no_op", "sys_no_op")]
    if not handler:
        sys.exit("handler not found in the trace")
    n_in, n_h = handler[0], handler[-1] - handler[0] + 1
    n_out = len(seg) - handler[-1] - 1
    print(f"exact trace: in {n_in} + handler {n_h} + out {n_out} = {len(seg)} insns")


if __name__ == "__main__":
    main()
