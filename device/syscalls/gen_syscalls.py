#!/usr/bin/env python3
"""Generates the system-call layer from syscall tables (Python 3 standard library only).

Inputs: the default table (ABI "mv", prototypes from mv_syscalls.h) plus custom tables
(prototypes from the header each names with "#header FILE"; ABI "custom": the app calls
usr_NAME; ABI "common", as ESP-IDF: the same prototype in both worlds, the app calls NAME
and the linker maps it to the stub usr_NAME with --defsym). Outputs, in --out-dir:
syscall_nr.h, mvk_sys_decl.h, mvk_syscall_table.c, mv_stubs_host.c, mv_defsyms.rsp (the
linker options of the common calls, "--defsym=NAME=usr_NAME" per line); with
--stub-entry NAME --stub-out FILE, also user stubs calling the port entry NAME instead of
mvk_host_syscall (e.g. mvk_an505_syscall, the mps2-an505 secure gateway); with
--riscv-stubs FILE, RISC-V stubs (li a7, NR; ecall; ret) and, in the table file, the
register-argument table mvk_syscall_rtable[] the RISC-V trap entry dispatches through.
Every problem is reported as "file:line: error: message" and fails with status 1.
"""
import argparse
import os
import re
import sys

MAX_ARGS = 7
MAX_NR = 4096
CUSTOM_MIN_NR = 1024
STUB_WORDS = "mvk_words_"  # local array in each stub; no parameter may use this name
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Scalar parameter types that fit one 32-bit argument word on every port.
SCALARS = {"uint8_t", "uint16_t", "uint32_t", "int8_t", "int16_t", "int32_t",
           "int", "unsigned", "unsigned int", "_Bool", "bool", "char"}


class GenError(Exception):
    """A diagnostic already formatted as file:line: error: message."""


class Proto:
    def __init__(self, ret, name, params, where):
        self.ret, self.name, self.params, self.where = ret, name, params, where


class Entry:
    def __init__(self, nr, abi, name, entry, where, tbl):
        self.nr, self.abi, self.name, self.entry = nr, abi, name, entry
        self.where, self.tbl = where, tbl
        # The application-side function the generator writes: usr_NAME for a common
        # call (the linker maps NAME to it), NAME otherwise.
        self.stub = f"usr_{name}" if abi == "common" else name
        self.proto = None
        self.defined = True


def strip_comments(text):
    """Blanks comments but keeps newlines so line numbers stay right."""
    def keep_lines(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    text = re.sub(r"/\*.*?\*/", keep_lines, text, flags=re.S)
    return re.sub(r"//[^\n]*", keep_lines, text)


def parse_header(path):
    """Returns ({name: Proto}, {handle typedef names}) for a C header."""
    try:
        raw = open(path, encoding="utf-8").read()
    except OSError as e:
        raise GenError(f"{path}:1: error: cannot read header: {e.strerror}")
    text = strip_comments(raw)
    handles = set(re.findall(r"typedef\s+struct\s+\w+\s*\*\s*(\w+)\s*;", text))
    protos = {}
    pat = re.compile(r"(^|[;}{])\s*((?:const\s+)?(?:enum\s+|struct\s+)?\w+(?:\s*\*)*)\s*"
                     r"\b(\w+)\s*\(([^()]*)\)\s*;", re.M)
    for m in pat.finditer(text):
        ret, name, params = m.group(2).strip(), m.group(3), m.group(4)
        if ret.startswith("typedef") or name in ("if", "while", "return"):
            continue
        line = text.count("\n", 0, m.start(3)) + 1
        protos[name] = Proto(" ".join(ret.split()), name, split_params(params),
                             f"{path}:{line}")
    return protos, handles


def split_params(params):
    """[(type, name)] from a parameter list; unnamed parameters get argN."""
    params = " ".join(params.split())
    if params in ("", "void"):
        return []
    out = []
    for i, p in enumerate(x.strip() for x in params.split(",")):
        m = re.match(r"^(.*?[\s\*])(\w+)$", p)
        if m and m.group(1).strip() not in ("", "const", "enum", "struct"):
            typ, name = m.group(1), m.group(2)
        else:
            typ, name = p, f"arg{i}"
        out.append((" ".join(typ.replace("*", " * ").split()).replace("* *", "**"), name))
    return out


def is_pointer(typ, handles):
    base = typ.replace("const ", "").strip()
    return "*" in typ or base in handles


def check_scalar(typ, where, name):
    base = typ.replace("const ", "").strip()
    if base in SCALARS or re.match(r"^enum \w+$", base):
        return
    raise GenError(f"{where}: error: parameter type '{typ}' of {name} does not fit one "
                   f"argument word")


def parse_table(path, is_default):
    """Returns ([Entry], [header paths]) for one table file."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        raise GenError(f"{path}:1: error: cannot read table: {e.strerror}")
    entries, headers = [], []
    for no, line in enumerate(lines, 1):
        where = f"{path}:{no}"
        s = line.strip()
        if s.startswith("#header"):
            arg = s[len("#header"):].strip()
            if not arg or len(arg.split()) != 1:
                raise GenError(f"{where}: error: '#header' needs exactly one file name")
            hdr = os.path.normpath(os.path.join(os.path.dirname(path), arg))
            if not os.path.isfile(hdr):
                raise GenError(f"{where}: error: header '{arg}' not found ({hdr})")
            headers.append(hdr)
            continue
        if not s or s.startswith("#"):
            continue
        f = s.split()
        if len(f) != 4:
            raise GenError(f"{where}: error: malformed line: expected 'NR ABI NAME ENTRY', "
                           f"got {len(f)} fields")
        nr, abi, name, entry = f
        if not re.match(r"^[0-9]+$", nr) or int(nr) >= MAX_NR:
            raise GenError(f"{where}: error: malformed number '{nr}' (decimal, < {MAX_NR})")
        if abi not in ("mv", "custom", "common"):
            raise GenError(f"{where}: error: unknown ABI '{abi}' (mv, custom or common)")
        for what, ident in (("NAME", name), ("ENTRY", entry)):
            if not IDENT.match(ident):
                raise GenError(f"{where}: error: {what} '{ident}' is not a C identifier")
        if abi == "mv" and not is_default:
            raise GenError(f"{where}: error: ABI mv is only for the default table")
        if abi in ("custom", "common") and is_default:
            raise GenError(f"{where}: error: ABI {abi} belongs in a custom table")
        if abi == "mv" and not name.startswith("mv"):
            raise GenError(f"{where}: error: mv call '{name}' must start with 'mv'")
        if abi == "custom" and not name.startswith("usr_"):
            raise GenError(f"{where}: error: custom call '{name}' must start with 'usr_'")
        if abi == "common" and (name.startswith("usr_") or name.startswith("mv")):
            raise GenError(f"{where}: error: common call '{name}' must not start with "
                           f"'usr_' or 'mv' (its stub is usr_{name})")
        if abi != "mv" and int(nr) < CUSTOM_MIN_NR:
            raise GenError(f"{where}: error: {abi} call numbers start at {CUSTOM_MIN_NR}")
        if abi != "mv" and not headers:
            raise GenError(f"{where}: error: {abi} call before any '#header' line")
        entries.append(Entry(int(nr), abi, name, entry, where, path))
    return entries, headers


def check_unique(entries):
    for attr, what in (("nr", "number"), ("stub", "NAME"), ("entry", "ENTRY")):
        seen = {}
        for e in entries:
            key = getattr(e, attr)
            if key in seen:
                raise GenError(f"{e.where}: error: duplicate {what} '{key}' "
                               f"(first at {seen[key].where})")
            seen[key] = e


def kernel_definitions(sources):
    """Names of functions defined (with a body) in the given C sources."""
    names = set()
    for src in sources:
        try:
            text = strip_comments(open(src, encoding="utf-8").read())
        except OSError as e:
            raise GenError(f"{src}:1: error: cannot read kernel source: {e.strerror}")
        names.update(re.findall(r"\b(\w+)\s*\([^;{}()]*\)\s*\{", text))
    return names


def bind(entries, api_protos, custom_protos, handles, api_header, defined, allow_missing):
    warnings = []
    for e in entries:
        protos = api_protos if e.abi == "mv" else custom_protos
        p = protos.get(e.name)
        if p is None:
            src = api_header if e.abi == "mv" else "the table's #header files"
            raise GenError(f"{e.where}: error: no prototype for '{e.name}' in {src}")
        if len(p.params) > MAX_ARGS:
            raise GenError(f"{p.where}: error: {e.name} has {len(p.params)} parameters "
                           f"(at most {MAX_ARGS})")
        if e.abi == "mv" and p.ret != "enum MvStatus":
            raise GenError(f"{p.where}: error: {e.name} must return enum MvStatus")
        if is_pointer(p.ret, handles) or p.ret == "void":
            raise GenError(f"{p.where}: error: {e.name} must return a 32-bit status")
        check_scalar(p.ret, p.where, e.name)
        for typ, pname in p.params:
            if pname == STUB_WORDS:
                raise GenError(f"{p.where}: error: parameter name '{pname}' is reserved")
            if not is_pointer(typ, handles):
                check_scalar(typ, p.where, e.name)
        e.proto = p
        if e.entry not in defined:
            if not allow_missing:
                raise GenError(f"{e.where}: error: ENTRY '{e.entry}' is not defined in any "
                               f"kernel source")
            e.defined = False
            warnings.append(f"{e.where}: warning: ENTRY '{e.entry}' not defined yet; "
                            f"{e.name} returns MV_STATUS_UNAVAILABLE")
    return warnings


def check_api_complete(entries, api_protos, api_header):
    listed = {e.name for e in entries if e.abi == "mv"}
    for name, p in sorted(api_protos.items(), key=lambda kv: kv[1].where):
        if name.startswith("mv") and p.ret == "enum MvStatus" and name not in listed:
            raise GenError(f"{p.where}: error: API function '{name}' has no line in the "
                           f"default table")


def include_lines(headers, out_dir):
    return "".join(f'#include "{os.path.relpath(h, out_dir)}"\n' for h in headers)


def params_decl(p):
    return ", ".join(f"{t} {n}".replace("* ", "*") for t, n in p.params) or "void"


def gen_nr(entries, banner):
    body = "".join(f"#define __NR_{e.name} {e.nr}\n" for e in entries)
    top = max(e.nr for e in entries) + 1
    return (f"{banner}#ifndef MVK_SYSCALL_NR_H\n#define MVK_SYSCALL_NR_H\n\n{body}\n"
            f"#define MVK_NR_SYSCALLS {top}\n\n#endif\n")


def gen_decl(entries, headers, out_dir, banner):
    decls = "".join(f"{e.proto.ret} {e.entry}({params_decl(e.proto)});\n" for e in entries)
    return (f"{banner}#ifndef MVK_SYS_DECL_H\n#define MVK_SYS_DECL_H\n\n#include <stdint.h>\n\n"
            f'#include "mv_syscalls.h"\n{include_lines(headers, out_dir)}\n'
            f"#define MVK_SYSCALL_MAX_ARGS {MAX_ARGS}\n\n"
            f"/* Kernel entry points: same parameters and return type as the API call. */\n"
            f"{decls}\n/* Dispatch: argument words in, status out; holes are NULL. */\n"
            f"typedef uint32_t (*mvk_syscall_fn)(const uintptr_t args[MVK_SYSCALL_MAX_ARGS]);\n"
            f"extern const mvk_syscall_fn mvk_syscall_table[];\n"
            f"extern const uint32_t mvk_syscall_table_size;\n\n#endif\n")


def gen_table(entries, banner):
    thunks, rows = [], []
    for e in entries:
        p = e.proto
        if e.defined:
            args = ", ".join(f"({t})a[{i}]" for i, (t, _) in enumerate(p.params))
            body = ("    (void)a;\n" if not p.params else "") + \
                   f"    return (uint32_t){e.entry}({args});\n"
        else:
            body = "    (void)a;\n    return (uint32_t)MV_STATUS_UNAVAILABLE; /* not yet */\n"
        thunks.append(f"static uint32_t t_{e.name}(const uintptr_t a[MVK_SYSCALL_MAX_ARGS])\n"
                      f"{{\n{body}}}\n\n")
        rows.append(f"    [{e.nr}] = t_{e.name},\n")
    return (f"{banner}#include <stddef.h>\n#include <stdint.h>\n\n#include \"mvk_sys_decl.h\"\n\n"
            f"{''.join(thunks)}const mvk_syscall_fn mvk_syscall_table[] = {{\n{''.join(rows)}}};\n"
            f"const uint32_t mvk_syscall_table_size =\n"
            f"    (uint32_t)(sizeof mvk_syscall_table / sizeof mvk_syscall_table[0]);\n")


HOST_ENTRY = "mvk_host_syscall"


def gen_stubs(entries, headers, out_dir, banner, entry=HOST_ENTRY):
    """User-side stubs packing the arguments into words for the port's kernel entry.
    out_dir is where the file goes (custom headers are included relative to it)."""
    what = ("Host port: the kernel entry (device/port/host/syscall_host.c)"
            if entry == HOST_ENTRY else f"The port's kernel entry {entry}")
    out = [f"{banner}#include <stdint.h>\n\n#include \"mv_syscalls.h\"\n"
           f"{include_lines(headers, out_dir)}#include \"syscall_nr.h\"\n\n"
           f"/* {what}. */\n"
           f"uint32_t {entry}(uint32_t nr, const uintptr_t args[{MAX_ARGS}]);\n\n"]
    for e in entries:
        p = e.proto
        words = ", ".join(f"(uintptr_t){n}" for _, n in p.params) or "0"
        if e.stub != e.name:  # common call: the header declares NAME, not usr_NAME
            out.append(f"{p.ret} {e.stub}({params_decl(p)});\n")
        out.append(f"{p.ret} {e.stub}({params_decl(p)})\n{{\n"
                   f"    const uintptr_t {STUB_WORDS}[{MAX_ARGS}] = {{{words}}};\n"
                   f"    return ({p.ret}){entry}(__NR_{e.name}, {STUB_WORDS});\n}}\n\n")
    return "".join(out)


def gen_rtable(entries):
    """The register-argument table for ports whose trap entry passes the caller's
    argument registers straight through (RISC-V: a0-a6): no argument block in memory,
    so nothing for the kernel to fetch twice."""
    regs = ", ".join(f"uintptr_t r{i}" for i in range(MAX_ARGS))
    thunks, rows = [], []
    for e in entries:
        p = e.proto
        n = len(p.params) if e.defined else 0
        unused = "".join(f"    (void)r{i};\n" for i in range(n, MAX_ARGS))
        if e.defined:
            args = ", ".join(f"({t})r{i}" for i, (t, _) in enumerate(p.params))
            call = f"    return (uint32_t){e.entry}({args});\n"
        else:
            call = "    return (uint32_t)MV_STATUS_UNAVAILABLE; /* not yet */\n"
        thunks.append(f"static uint32_t r_{e.name}({regs})\n{{\n{unused}{call}}}\n\n")
        rows.append(f"    [{e.nr}] = r_{e.name},\n")
    return (f"\n/* Register-argument table (--riscv-stubs): the trap entry calls\n"
            f" * mvk_syscall_rtable[a7](a0, ..., a6). */\n{''.join(thunks)}"
            f"const mvk_syscall_rfn mvk_syscall_rtable[] = {{\n{''.join(rows)}}};\n"
            f"const uint32_t mvk_syscall_rtable_size =\n"
            f"    (uint32_t)(sizeof mvk_syscall_rtable / sizeof mvk_syscall_rtable[0]);\n")


RTABLE_DECL = ("\n/* Register-argument dispatch (RISC-V trap entry): a0-a6 in, status out. */\n"
               "typedef uint32_t (*mvk_syscall_rfn)(uintptr_t, uintptr_t, uintptr_t, uintptr_t,\n"
               "                                    uintptr_t, uintptr_t, uintptr_t);\n"
               "extern const mvk_syscall_rfn mvk_syscall_rtable[];\n"
               "extern const uint32_t mvk_syscall_rtable_size;\n")


def gen_riscv_stubs(entries, banner):
    """ESP-IDF's user-side wrappers: the arguments are already in a0-a6 by the C calling
    convention (every parameter fits one register, checked in bind()), so each stub
    only loads its number into a7 and traps; the status comes back in a0."""
    out = [banner.replace("/*", "/*", 1),
           "/* RISC-V user stubs: li a7, NR; ecall; ret. One section per stub so that\n"
           " * --gc-sections keeps only the calls an application makes. */\n"]
    for e in entries:
        out.append(f"    .section .text.{e.stub},\"ax\",@progbits\n"
                   f"    .globl {e.stub}\n    .type {e.stub}, @function\n    .balign 2\n"
                   f"{e.stub}:\n    li a7, {e.nr}\n    ecall\n    ret\n"
                   f"    .size {e.stub}, . - {e.stub}\n")
    return "".join(out)


def gen_defsyms(entries):
    """Linker options mapping each common call's name to its stub (ESP-IDF's
    --defsym=NAME=usr_NAME), for the application link: gcc ... -Wl,@mv_defsyms.rsp."""
    return "".join(f"--defsym={e.name}={e.stub}\n" for e in entries if e.abi == "common")


def write_if_changed(path, text):
    try:
        if open(path, encoding="utf-8").read() == text:
            return
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def run(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--api-header", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--kernel-src", action="append", default=[])
    ap.add_argument("--allow-missing", action="store_true",
                    help="undefined ENTRY: warn and return MV_STATUS_UNAVAILABLE")
    ap.add_argument("--stub-entry", metavar="NAME",
                    help="also write user stubs calling NAME(nr, args[7]) (needs --stub-out)")
    ap.add_argument("--stub-out", metavar="FILE", help="where the --stub-entry stubs go")
    ap.add_argument("--riscv-stubs", metavar="FILE",
                    help="also write RISC-V ecall stubs (assembler) to FILE and the "
                         "register-argument table mvk_syscall_rtable[]")
    ap.add_argument("tables", nargs="+", help="default table first, then custom tables")
    a = ap.parse_args(argv)
    if (a.stub_entry is None) != (a.stub_out is None):
        ap.error("--stub-entry and --stub-out go together")
    if a.stub_entry is not None and (not IDENT.match(a.stub_entry) or a.stub_entry == STUB_WORDS):
        ap.error(f"--stub-entry '{a.stub_entry}' is not a usable C identifier")

    entries, headers = [], []
    for i, tbl in enumerate(a.tables):
        es, hs = parse_table(tbl, i == 0)
        entries += es
        headers += [h for h in hs if h not in headers]
    if not entries:
        raise GenError(f"{a.tables[0]}:1: error: no system calls in table")
    check_unique(entries)
    api_protos, handles = parse_header(a.api_header)
    custom_protos = {}
    for h in headers:
        protos, hh = parse_header(h)
        custom_protos.update(protos)
        handles |= hh
    check_api_complete(entries, api_protos, a.api_header)
    defined = kernel_definitions(a.kernel_src)
    warnings = bind(entries, api_protos, custom_protos, handles, a.api_header, defined,
                    a.allow_missing)
    entries.sort(key=lambda e: e.nr)

    banner = ("/* Generated by device/syscalls/gen_syscalls.py from "
              f"{', '.join(a.tables)}. Do not edit. */\n")
    os.makedirs(a.out_dir, exist_ok=True)
    outputs = {
        "syscall_nr.h": gen_nr(entries, banner),
        "mvk_sys_decl.h": gen_decl(entries, headers, a.out_dir, banner),
        "mvk_syscall_table.c": gen_table(entries, banner),
        "mv_stubs_host.c": gen_stubs(entries, headers, a.out_dir, banner),
        "mv_defsyms.rsp": gen_defsyms(entries),
    }
    if a.riscv_stubs is not None:
        outputs["mvk_sys_decl.h"] = outputs["mvk_sys_decl.h"].replace(
            "\n#endif\n", RTABLE_DECL + "\n#endif\n")
        outputs["mvk_syscall_table.c"] += gen_rtable(entries)
    for name, text in outputs.items():
        write_if_changed(os.path.join(a.out_dir, name), text)
    if a.stub_out is not None:
        stub_dir = os.path.dirname(a.stub_out) or "."
        os.makedirs(stub_dir, exist_ok=True)
        write_if_changed(a.stub_out, gen_stubs(entries, headers, stub_dir, banner,
                                               a.stub_entry))
    if a.riscv_stubs is not None:
        os.makedirs(os.path.dirname(a.riscv_stubs) or ".", exist_ok=True)
        write_if_changed(a.riscv_stubs, gen_riscv_stubs(entries, banner))
    return warnings


def main():
    try:
        warnings = run(sys.argv[1:])
        # One line for the lot: the full list would drown every build log.
        if len(warnings) > 3:
            names = [w.split("'")[1] for w in warnings]
            print(f"{warnings[0].split(': warning')[0]}: warning: {len(names)} ENTRY "
                  f"functions not defined yet (calls return MV_STATUS_UNAVAILABLE): "
                  f"{' '.join(names)}", file=sys.stderr)
        else:
            for w in warnings:
                print(w, file=sys.stderr)
    except GenError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
