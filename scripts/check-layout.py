#!/usr/bin/env python3
"""check-layout.py: the executor's folders and what they may include.

The rules are the table between the layout-rules markers of
docs/architecture.md: which folder may include which, and which libraries'
headers each may use. This script reads that table and every #include line
under the root, and fails (exit 1, one line per finding) when:

  placement   a source file is not inside a folder of the table;
  form        an include of an executor header does not name its folder
              ("jobs/job.h"), or names no header that exists;
  crossing    a file includes a header of a folder its own may not use;
  library     a file includes a header of a library its folder may not use;
  circle      files include each other in a circle (a file and its header
              are one module: a.c includes b.h and b.c includes a.h);
  types-only  a header with no .c of its name declares functions (it would
              hide who implements them, and so a circle, from this check);
  rules       the table itself names an unknown folder, leaves one out, or
              lets folders include each other in a circle.

Only the standard library: no new dependency for a build.
"""
import argparse
import os
import re
import sys

BEGIN, END = "<!-- layout-rules:begin -->", "<!-- layout-rules:end -->"

# The headers of each library a folder may be allowed; any other <...>
# header is libc's or the kernel's, which every folder may use. libexpert
# is a quoted include found in the libexpert directory.
LIBRARIES = {
    "glib": ("glib.h", "glib/", "glib-unix.h", "glib-object.h", "gmodule.h"),
    "gio": ("gio/",),
    "json-glib": ("json-glib/",),
    "pcap": ("pcap.h", "pcap/"),
    "seccomp": ("seccomp.h",),
}
KNOWN_LIBRARIES = set(LIBRARIES) | {"libc", "libexpert"}

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^">]+)[">]', re.M)


class Finding(Exception):
    pass


def parse_rules(path):
    """{folder: (set of folders it may include, set of libraries)}"""
    text = open(path, encoding="utf-8").read()
    if BEGIN not in text or END not in text:
        raise Finding(f"{path}: rules: no table between {BEGIN} and {END}")
    block = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    rows = [l.strip() for l in block.splitlines() if l.strip().startswith("|")]
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
    header = [c.lower() for c in cells[0]]
    try:
        col_folder = header.index("folder")
        col_uses = header.index("may include")
        col_libs = header.index("libraries")
    except ValueError:
        raise Finding(f"{path}: rules: the table needs the columns Folder, May include, Libraries")
    rules = {}
    for row in cells[2:]:  # past the header and its |---| line
        name = row[col_folder].strip("`/ ")
        uses = {u.strip("`/ ") for u in row[col_uses].split(",")} - {"", "—", "-", "nothing"}
        libs = {l.strip("` ") for l in row[col_libs].split(",")} - {"", "—", "-"}
        rules[name] = (uses, libs)
    return rules


def library_of(header):
    for lib, prefixes in LIBRARIES.items():
        if any(header == p or (p.endswith("/") and header.startswith(p)) for p in prefixes):
            return lib
    return "libc"


def declares_functions(text):
    """Names of the functions a header's top level declares."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"\\\n", " ", text)                      # continued lines
    text = re.sub(r"^[ \t]*#[^\n]*", " ", text, flags=re.M)  # preprocessor lines
    # Macro calls that stand alone (G_DEFINE_AUTOPTR_CLEANUP_FUNC(...)).
    text = re.sub(r"^[ \t]*[A-Z][A-Z0-9_]*\([^;{}]*\)[ \t]*$", " ", text, flags=re.M)
    # Bodies (of structs, enums, inline functions) say nothing here.
    while True:
        collapsed = re.sub(r"\{[^{}]*\}", "@", text)
        if collapsed == text:
            break
        text = collapsed
    names = []
    for statement in re.split(r"[;@]", text):
        s = " ".join(statement.split())
        if not s or s.startswith(("typedef", "extern")) or "(*" in s:
            continue
        m = re.search(r"\b([A-Za-z_]\w*)\s*\((?:[^()]|\([^()]*\))*\)\s*"
                      r"(?:G_GNUC_\w+(?:\([^)]*\))?\s*)*$", s)
        if m:
            names.append(m.group(1))
    return names


def check(root, rules_path, libexpert):
    findings = []
    try:
        rules = parse_rules(rules_path)
    except Finding as f:
        return [str(f)]
    rel_rules = os.path.relpath(rules_path)

    folders = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    for f in folders:
        if f not in rules:
            findings.append(f"{rel_rules}: rules: folder {f}/ is in no row of the table")
    for name, (uses, libs) in rules.items():
        if name not in folders:
            findings.append(f"{rel_rules}: rules: row {name}/ names no folder of {root}")
        for u in uses:
            if u not in rules:
                findings.append(f"{rel_rules}: rules: {name}/ may include {u}/, which has no row")
        for l in libs - KNOWN_LIBRARIES:
            findings.append(f"{rel_rules}: rules: {name}/ lists unknown library {l}")
    cycle = find_cycle({n: set(u) & set(rules) for n, (u, _) in rules.items()})
    if cycle:
        findings.append(f"{rel_rules}: rules: folders may include each other in a circle: "
                        + " -> ".join(c + "/" for c in cycle))

    sources = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith((".c", ".h")):
                sources.append(os.path.relpath(os.path.join(d, f), root))
    sources.sort()
    source_set = set(sources)
    libexpert_headers = set(os.listdir(libexpert)) if libexpert and os.path.isdir(libexpert) else set()

    graph = {}
    for src in sources:
        shown = os.path.join(os.path.relpath(root), src)
        parts = src.split(os.sep)
        if len(parts) != 2 or parts[0] not in rules:
            where = "the top of the tree" if len(parts) == 1 else parts[0] + "/"
            findings.append(f"{shown}: placement: in {where}, not in a folder of the layout rules "
                            f"({rel_rules})")
            continue
        folder = parts[0]
        uses, libs = rules[folder]
        text = open(os.path.join(root, src), encoding="utf-8", errors="replace").read()
        module = src[:-2]
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            kind, name = m.group(1), m.group(2)
            at = f"{shown}:{line}"
            if kind == "<":
                lib = library_of(name)
                if lib != "libc" and lib not in libs:
                    findings.append(f"{at}: library: includes <{name}>: {folder}/ may not use {lib} "
                                    f"(it may use: {', '.join(sorted(libs | {'libc'}))})")
                continue
            if name in source_set:
                target = name.split("/")[0]
                if target != folder and target not in uses:
                    findings.append(f"{at}: crossing: includes {name}: {folder}/ may not include "
                                    f"{target}/ (it may include: "
                                    f"{', '.join(sorted(u + '/' for u in uses)) or 'nothing'})")
                graph.setdefault(module, set()).add(name[:-2])
                continue
            if "/" not in name and name in libexpert_headers:
                if "libexpert" not in libs:
                    findings.append(f"{at}: library: includes \"{name}\" (libexpert): {folder}/ may "
                                    "not use libexpert")
                continue
            same_folder = os.path.join(folder, name)
            if same_folder in source_set:
                findings.append(f"{at}: form: includes \"{name}\": write \"{folder}/{name}\", "
                                "so that the line names its folder")
            else:
                findings.append(f"{at}: form: includes \"{name}\", which is no header of "
                                f"{os.path.relpath(root)}/ (as folder/file.h) nor of libexpert")
        if src.endswith(".h") and module + ".c" not in source_set:
            functions = declares_functions(text)
            if functions:
                findings.append(f"{shown}: types-only: declares "
                                f"{', '.join(f + '()' for f in functions)} but there is no "
                                f"{os.path.basename(module)}.c: a header without a .c holds only "
                                "types; declare functions in the header of the .c that defines them")

    for cycle in find_cycles(graph):
        findings.append(f"{os.path.relpath(root)}: circle: " + " -> ".join(cycle)
                        + " (each includes the next's header)")
    return findings


def find_cycle(graph):
    cycles = find_cycles(graph)
    return cycles[0] if cycles else None


def find_cycles(graph):
    """One circle per strongly connected component of more than one node,
    each as a path that ends where it starts."""
    index, low, stack, on, comps = {}, {}, [], set(), []
    counter = [0]

    def strongconnect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w == v:
                continue
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(set(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    cycles = []
    for comp in comps:
        start = min(comp)
        # A shortest way back to start, within the component.
        prev, frontier, seen = {}, [start], {start}
        while frontier:
            nxt = []
            for v in frontier:
                for w in sorted(graph.get(v, ())):
                    if w == start and v != start:
                        path = [v]
                        while path[-1] != start:
                            path.append(prev[path[-1]])
                        cycles.append(list(reversed(path)) + [start])
                        frontier, nxt = [], []
                        break
                    if w in comp and w not in seen:
                        seen.add(w)
                        prev[w] = v
                        nxt.append(w)
                else:
                    continue
                break
            frontier = nxt
    return cycles


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", required=True, help="the tree to check (executor/)")
    ap.add_argument("--rules", required=True, help="the Markdown file holding the rules table")
    ap.add_argument("--libexpert", help="libexpert's directory (its headers are included bare)")
    args = ap.parse_args()
    findings = check(args.root, args.rules, args.libexpert)
    for f in findings:
        print(f)
    if findings:
        print(f"{len(findings)} layout finding(s); the rules are in {args.rules}", file=sys.stderr)
        return 1
    print(f"layout: {args.root} keeps the rules of {args.rules}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
