"""What the null-call trace splitters (an505_trace_split.py, riscv_trace_split.py)
share: reading `nm` symbol tables, naming each traced instruction by the function it
lies in, the bench_marker() calls that bound each sample, and keeping the shortest
sample. How one sample splits into in / handler / out is each port's: the call paths
differ.

TRACE is QEMU's `-singlestep -d exec,nochain` log (one line per instruction).
"""
import bisect
import re


def load_syms(paths):
    """(address, name) of every text symbol in the nm outputs, sorted by address.
    Bit 0 is cleared: Thumb function symbols carry it, instructions never do (and
    RISC-V code is at least 2-byte aligned, so it changes nothing there)."""
    syms = []
    for path in paths:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[1] in "tTwW":
                    syms.append((int(parts[0], 16) & ~1, parts[2]))
    syms.sort()
    return syms


def trace_names(trace, nm_paths):
    """The function name of each instruction in TRACE, in execution order."""
    syms = load_syms(nm_paths)
    addrs = [a for a, _ in syms]

    def name(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 else "?"

    names = []
    with open(trace) as f:
        for line in f:
            m = re.search(r"\[[0-9a-f]+/([0-9a-f]+)/", line)
            if m:
                names.append(name(int(m.group(1), 16)))
    return names


def marker_starts(names):
    """Indexes where a bench_marker() call begins: the samples lie between them."""
    return [i for i, n in enumerate(names)
            if n == "bench_marker" and (i == 0 or names[i - 1] != "bench_marker")]


def shortest_split(names, split):
    """The shortest of split(segment) over the stretches between two bench_marker()
    calls, skipping those split() returns None for; None if there is none. The
    shortest is a sample without an interrupt inside. Returns (split, samples)."""
    marks = marker_starts(names)
    best = None
    for start, end in zip(marks, marks[1:]):
        sample = split(names[start:end])
        if sample is not None and (best is None or sum(sample) < sum(best)):
            best = sample
    return best, max(len(marks) - 1, 0)
