#!/usr/bin/env python3
"""Splits one traced null system call into in / handler / out instruction counts.

Usage: an505_trace_split.py TRACE SECURE_NM NS_NM
TRACE is QEMU's `-singlestep -d exec,nochain` log (one line per instruction);
*_NM are `arm-none-eabi-nm` outputs of the two images. Each call is the stretch
between two calls of bench_marker() (the shortest sample is reported: one without
an interrupt inside); the handler is the kernel entry of
mvNoOp (mvk_sys_no_op, or sys_no_op in the bring-up table).
"""
import sys

from trace_split_lib import marker_starts, shortest_split, trace_names


def split(stretch):
    """(in, handler, out) of one stretch, or None without the handler. From the end of
    one marker to the next; main's own instructions (loop, call setup) are dropped at
    both ends."""
    seg = [n for n in stretch if n != "bench_marker"]
    while seg and seg[0] == "main":
        seg.pop(0)
    while seg and seg[-1] == "main":
        seg.pop()
    handler = [i for i, n in enumerate(seg) if n in ("mvk_sys_no_op", "sys_no_op")]
    if not handler:
        return None
    return (handler[0], handler[-1] - handler[0] + 1, len(seg) - handler[-1] - 1)


def main():
    trace, s_nm, ns_nm = sys.argv[1:4]
    names = trace_names(trace, [s_nm, ns_nm])
    if len(marker_starts(names)) < 2:
        sys.exit("fewer than two bench_marker calls in the trace")
    best, samples = shortest_split(names, split)
    if best is None:
        sys.exit("handler not found in the trace")
    n_in, n_h, n_out = best
    print(f"exact trace (shortest of {samples}): in {n_in} + handler {n_h} + "
          f"out {n_out} = {n_in + n_h + n_out} insns")

if __name__ == "__main__":
    main()
