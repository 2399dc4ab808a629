#!/usr/bin/env python3
"""Splits traced null system calls on the riscv-virt port into in / handler / out.

Usage: riscv_trace_split.py TRACE KERNEL_NM APP_NM
TRACE is QEMU's `-singlestep -d exec,nochain` log (one line per instruction); *_NM are
`riscv64-unknown-elf-nm` outputs of the kernel and application images. In each stretch
between two bench_marker() calls: "in" counts from the stub's first instruction (mvNoOp)
to the handler's first (mvk_sys_no_op), "handler" the handler's, "out" the rest up to
and including the stub's ret. The shortest sample is reported (one without a timer
interrupt inside).
"""
import sys

from trace_split_lib import shortest_split, trace_names


def split(seg):
    """(in, handler, out) of one stretch, or None without a traced mvNoOp call."""
    if "mvNoOp" not in seg or "mvk_sys_no_op" not in seg:
        return None
    first = seg.index("mvNoOp")
    h0 = seg.index("mvk_sys_no_op")
    h1 = h0
    while h1 < len(seg) and seg[h1] == "mvk_sys_no_op":
        h1 += 1
    # The stub ends with ret: the last mvNoOp instruction of the stretch.
    last = max(i for i, n in enumerate(seg) if n == "mvNoOp")
    return (h0 - first, h1 - h0, last + 1 - h1)


def main():
    trace, k_nm, a_nm = sys.argv[1:4]
    names = trace_names(trace, [k_nm, a_nm])
    best, _ = shortest_split(names, split)
    if best is None:
        sys.exit("no traced mvNoOp call between two bench_marker calls")
    i, h, o = best
    print(f"mvNoOp exact trace: in {i} + handler {h} + out {o} = {i + h + o} insns "
          f"(in: stub, trap entry, table dispatch; out: return path, register clearing, mret, ret)")
    print(f"split as ESP reports it (handler counted in 'in'): in {i + h}, out {o}")


if __name__ == "__main__":
    main()
