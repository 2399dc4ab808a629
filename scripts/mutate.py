#!/usr/bin/env python3
"""Mutation pass: breaks the sources one way at a time and runs the tests that should notice.

Two kinds of mutants:
- function mutants: for each function defined in a group's source files, the function
  returns at once with a harmless-looking value (a system call MV_STATUS_OKAY, int/enum
  functions 0, pointer functions NULL, void functions nothing) while the original body
  stays behind it as dead code (so the mutant still compiles under -Werror);
- effect mutants: the group's hand-written list below, each one edit that keeps the call
  succeeding but drops its effect or one of its checks (the old text is matched with
  its indentation ignored; an entry whose text is not in the tree is NOT-APPLICABLE, so
  the same list can be run on an older tree for a "before" score).
The group's tests are built and run; a mutant is KILLED if any test fails, SURVIVED if
all pass, STILLBORN if it does not build (not counted). The source is always restored.

  scripts/mutate.py GROUP [--only REGEX] [--effects-only | --functions-only] [--list]
                         [--all-tests]  (run every test per mutant; names the killers)
Groups: kernel-misc (the device-management calls of sys_misc.c and sys_clock.c),
kernel-sys (every device/kernel/sys_*.c), host-port (fast IRQ, LED, peek/poke, NVIC of
the host port), an505 (the board's fast interrupts, LED, allow list and gateway, tested
by tests/e2e/an505_sys.sh), relay-session (cloud/src/device/session*.c). A report goes
to stdout and to build/host/mutation-GROUP.txt; the exit status is 0 (the score is
information, not a gate). Run it on an otherwise idle tree: it edits sources in place.
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = "build/host"
UNIT_DEVICE = [f"{B}/tests/device_api_tests", f"{B}/tests/device_tests",
               f"{B}/tests/host_port_tests"]

GROUPS = {
    "kernel-misc": {
        "files": ["device/kernel/sys_misc.c", "device/kernel/sys_clock.c"],
        "build": UNIT_DEVICE,
        "tests": UNIT_DEVICE,
    },
    "kernel-sys": {
        "files": sorted(f"device/kernel/{f}" for f in os.listdir(os.path.join(ROOT, "device/kernel"))
                        if f.startswith("sys_") and f.endswith(".c")),
        "build": UNIT_DEVICE,
        "tests": UNIT_DEVICE,
    },
    "host-port": {
        "files": ["device/port/host/nvic.c", "device/port/host/fastirq.c",
                  "device/port/host/led.c", "device/port/host/periph.c",
                  "device/port/host/syscall_host.c", "device/port/host/kernel_lock.c"],
        "build": UNIT_DEVICE + [f"{B}/mvdevice"],
        "tests": UNIT_DEVICE,
    },
    "an505": {
        "files": [],
        "build": ["build/an505/s_kernel.elf", "build/an505/sys_test.elf"],
        "tests": ["tests/e2e/an505_sys.sh"],
    },
    "relay-session": {
        "files": ["cloud/src/device/session.c", "cloud/src/device/session_chan.c",
                  "cloud/src/device/session_log.c"],
        "build": [f"{B}/mvrelay", f"{B}/mvcli", f"{B}/tests/mvtdev", f"{B}/tests/relay_tests"],
        "tests": [f"{B}/tests/relay_tests", "cloud/tests/integ_logs.sh",
                  "cloud/tests/integ_config.sh", "cloud/tests/integ_spec_capture.sh"],
    },
}

# Effect mutants: (label, file, old text, new text). Several entries may share a label
# (the same defect written against different versions of the code).
EFFECTS = {
    "kernel-misc": [
        ("clock value wrong", "device/kernel/sys_misc.c",
         "return put_hz(hz, MVK_PORT_SYSCLK_HZ);", "return put_hz(hz, 1u);"),
        ("peek writes no value", "device/kernel/sys_misc.c",
         "memcpy(output, &v, sizeof v);", "(void)v;"),
        ("poke ignores the writable mask", "device/kernel/sys_misc.c",
         "*r = (cur & ~allowed) | (want & allowed);", "*r = want;"),
        # Equivalent while every port's list matches whole aligned addresses only.
        ("alignment check dropped", "device/kernel/sys_misc.c",
         "if ((reg & 3u) != 0 || (r = mvk_port_periph_reg(reg, &mask)) == NULL)",
         "if ((r = mvk_port_periph_reg(reg, &mask)) == NULL)"),
        ("set-fast records nothing", "device/kernel/sys_misc.c",
         "fastirq.fast[irqn / 32u] |= bit(irqn);", "(void)bit(irqn);"),
        ("enable-fast enables nothing", "device/kernel/sys_misc.c",
         "fastirq.enabled[irqn / 32u] |= bit(irqn);", "(void)bit(irqn);"),
        ("disable-all disables nothing", "device/kernel/sys_misc.c",
         "fastirq.all_disabled = 1;", "fastirq.all_disabled = 0;"),
        ("fast-interrupt state never reaches the port", "device/kernel/sys_misc.c",
         "mvk_port_fastirq(irq, mvk_fastirq_is_fast(irq), fastirq_live(irq)) != 0",
         "mvk_fastirq_is_fast(irq) + fastirq_live(irq) < 0"),
        ("LED call has no effect", "device/kernel/sys_misc.c",
         "led_enabled = enable;", "(void)enable;"),
        ("LED call has no effect", "device/kernel/sys_misc.c",
         "return mvk_port_system_led(enable == 1u) == 0 ? MV_STATUS_OKAY : MV_STATUS_UNAVAILABLE;",
         "return MV_STATUS_OKAY;"),
        ("wake reason stays COLDBOOT after a crash", "device/kernel/sys_misc.c",
         "wake_reason = MV_WAKEREASON_APPLICATIONCRASH;", "wake_reason = MV_WAKEREASON_COLDBOOT;"),
        ("erase does not erase", "device/kernel/sys_misc.c",
         "memset(&xflash[address], 0xff, length);", "(void)address;"),
    ],
    "host-port": [
        ("fast IRQ held back inside the kernel", "device/port/host/nvic.c",
         "(void)dispatch(1);", "(void)0;"),
        ("fast bit never set", "device/port/host/nvic.c",
         "atomic_fetch_or(&fast[n / 32u], bit(n));", "(void)bit(n);"),
        ("fast IRQ not enabled by the port", "device/port/host/fastirq.c",
         "mvk_host_nvic_enable(irq);", "(void)irq;"),
        ("fast IRQ not disabled by the port", "device/port/host/fastirq.c",
         "mvk_host_nvic_disable(irq);", "(void)irq;"),
        ("system call from inside the kernel allowed", "device/port/host/syscall_host.c",
         "if (mvk_host_in_kernel())", "if (0)"),
        ("ordinary IRQ not held back", "device/port/host/nvic.c",
         "deferred = 1;\n    } else {", "(void)dispatch(0);\n    } else {"),
        ("RCC writable mask lost", "device/port/host/periph.c",
         "*writable_mask = rcc_regs[i].writable;", "*writable_mask = 0xffffffffu;"),
    ],
    "an505": [
        ("fast IRQ keeps the ordinary priority", "device/port/mps2-an505/secure/irq.c",
         "IPR(irq) = fast ? AN505_FAST_IRQ_PRIO : AN505_APP_IRQ_PRIO;",
         "IPR(irq) = fast ? AN505_APP_IRQ_PRIO : AN505_APP_IRQ_PRIO;"),
        ("fast IRQ never enabled in the NVIC", "device/port/mps2-an505/secure/irq.c",
         "if (live)\n        REG32(NVIC_ISER(irq / 32u)) = 1u << (irq % 32u);", "(void)live;"),
        ("disabled fast IRQ stays enabled", "device/port/mps2-an505/secure/irq.c",
         "if (!live)\n        REG32(NVIC_ICER(irq / 32u)) = 1u << (irq % 32u);", "(void)live;"),
        ("gateway masks every application IRQ", "device/port/mps2-an505/secure/an505.h",
         "#define AN505_KERNEL_BASEPRI 0xA0u", "#define AN505_KERNEL_BASEPRI 0x80u"),
        ("nested system call not refused", "device/port/mps2-an505/secure/gateway.c",
         "if ((REG32(SCB_SHCSR) & SHCSR_PENDSVACT) || in_call)", "if (REG32(SCB_SHCSR) & SHCSR_PENDSVACT)"),
        ("system LED not driven", "device/port/mps2-an505/secure/led.c",
         "REG32(FPGAIO_S_BASE + FPGAIO_LED0) = v;", "(void)v;"),
        ("system LED bit not masked for the app", "device/port/mps2-an505/secure/periph.c",
         "{FPGAIO_LED0, 0x2u},", "{FPGAIO_LED0, 0x3u},"),
        ("clocks left at the generic default", "device/port/mps2-an505/port.mk",
         "-I$(AN505_B)/src/mbedtls/include $(AN505_CLOCKS)", "-I$(AN505_B)/src/mbedtls/include"),
        ("ordinary IRQs start at NS priority 0", "device/port/mps2-an505/secure/irq.c",
         "IPR(irq) = AN505_APP_IRQ_PRIO;\n        }", "IPR(irq) = 0;\n        }"),
    ],
}

SIG_END = re.compile(r"\)\s*$")


def functions(lines):
    """(name, return kind, index of the opening brace line) of each top-level function
    definition: the project's style puts the opening brace alone in column 0."""
    out = []
    for i, line in enumerate(lines):
        if line.rstrip("\n") != "{" or i == 0:
            continue
        j = i - 1
        sig = lines[j].strip()
        while j > 0 and not re.match(r"^[A-Za-z_]", lines[j]):
            j -= 1
            sig = lines[j].strip() + " " + sig
        if not SIG_END.search(sig) or sig.startswith(("struct ", "static const", "typedef")) and "(" not in sig:
            continue
        m = re.match(r"^(.*?)\b([A-Za-z_][A-Za-z0-9_]*)\s*\(", sig)
        if not m or m.group(2) in ("if", "for", "while", "switch"):
            continue
        ret, name = m.group(1), m.group(2)
        ret = re.sub(r"__attribute__\(\(.*?\)\)", "", ret).replace("static", "").replace(
            "inline", "").strip()
        if "MvStatus" in ret:
            kind = "return MV_STATUS_OKAY;"
        elif ret.endswith("*"):
            kind = "return NULL;"
        elif ret == "void":
            kind = "return;"
        elif ret.startswith("struct") or not ret:
            continue  # returned by value: no neutral value to make up
        else:
            kind = "return 0;"
        out.append((name, kind, i))
    return out


def run(cmd, env=None, timeout=600):
    try:
        p = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return p.returncode, p.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return 124, "timeout"


def build(group):
    return run(["nice", "make", "-j2", "TARGET=host"] + group["build"])[0] == 0


def failing_tests(group, all_tests=False):
    """The group's tests that fail (the first one only, unless all_tests)."""
    env, failed = dict(os.environ, B=B), []
    for t in group["tests"]:
        if t.endswith(".sh") and not os.path.exists(os.path.join(ROOT, t)):
            continue
        cmd = ["nice", t] if t.endswith(".sh") else ["nice", t, "--jobs=2"]
        if run(cmd, env=env, timeout=180)[0] != 0:  # a hang counts as a failure
            failed.append(os.path.basename(t))
            if not all_tests:
                break
    return failed


def tests_pass(group):
    return not failing_tests(group)


def loose(text):
    """A regex for text with any indentation and line breaks inside it."""
    return re.compile(r"\s+".join(re.escape(w) for w in text.split()))


def function_mutant(lines, brace, kind):
    out = list(lines)
    out[brace] = "{\n    " + kind + " /* mutant */\n"
    return "".join(out)


def collect(a, group):
    """[(label, file, apply(original) -> mutated text or None)]"""
    mutants = []
    if not a.effects_only:
        for f in group["files"]:
            if not os.path.exists(os.path.join(ROOT, f)):
                continue  # an older tree (for a "before" score) may lack a file
            lines = open(os.path.join(ROOT, f)).readlines()
            for name, kind, brace in functions(lines):
                if a.only and not re.search(a.only, name):
                    continue
                mutants.append((f"{name} returns at once ({kind})", f,
                                lambda orig, b=brace, k=kind: function_mutant(
                                    orig.splitlines(keepends=True), b, k)))
    if not a.functions_only:
        for label, f, old, new in EFFECTS.get(a.group, []):
            if a.only and not re.search(a.only, label):
                continue

            def apply(orig, old=old, new=new):
                m = loose(old.replace("\\n", " ")).search(orig)
                return None if not m else orig[:m.start()] + new.replace("\\n", "\n") + orig[m.end():]
            mutants.append((label, f, apply))
    return mutants


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("group", choices=sorted(GROUPS))
    ap.add_argument("--only", help="only mutants whose function name or label matches this regex")
    ap.add_argument("--effects-only", action="store_true")
    ap.add_argument("--functions-only", action="store_true")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--all-tests", action="store_true",
                    help="run every test on each mutant and report which ones killed it")
    a = ap.parse_args()
    group = GROUPS[a.group]
    mutants = collect(a, group)
    if a.list:
        for label, f, apply in mutants:
            path = os.path.join(ROOT, f)
            ok = os.path.exists(path) and apply(open(path).read()) is not None
            print(f"{f}: {label}{'' if ok else ' (NOT-APPLICABLE)'}")
        return 0
    if not build(group) or not tests_pass(group):
        print("the unmutated tree does not build or its tests fail: nothing to measure")
        return 1
    results, start = [], time.time()
    for label, f, apply in mutants:
        path = os.path.join(ROOT, f)
        orig = open(path).read() if os.path.exists(path) else ""
        mutated = apply(orig) if orig else None
        killers = []
        if mutated is None:
            verdict = "N/A"
        else:
            try:
                open(path, "w").write(mutated)
                if not build(group):
                    verdict = "STILLBORN"
                else:
                    killers = failing_tests(group, a.all_tests)
                    verdict = "KILLED" if killers else "SURVIVED"
            finally:
                open(path, "w").write(orig)
        if killers:
            label += f" [{', '.join(killers)}]"
        results.append((verdict, f, label))
        print(f"{verdict:9} {f}: {label}", flush=True)
    build(group)
    killed = sum(v == "KILLED" for v, _, _ in results)
    survived = sum(v == "SURVIVED" for v, _, _ in results)
    stillborn = sum(v == "STILLBORN" for v, _, _ in results)
    na = sum(v == "N/A" for v, _, _ in results)
    score = 100.0 * killed / (killed + survived) if killed + survived else 0.0
    summary = (f"mutation score {a.group}: {killed} killed, {survived} survived, "
               f"{stillborn} stillborn, {na} not applicable: {score:.0f}% "
               f"({time.time() - start:.0f} s)")
    print(summary)
    os.makedirs(os.path.join(ROOT, B), exist_ok=True)
    with open(os.path.join(ROOT, B, f"mutation-{a.group}.txt"), "w") as out:
        for v, f, label in results:
            out.write(f"{v:9} {f}: {label}\n")
        out.write(summary + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
