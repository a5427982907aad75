#!/usr/bin/env python3
"""The layout check, shown able to pass and to fail.

good/ keeps its rules: the check must pass, printing nothing else. bad/
breaks each rule once: the check must fail, print every finding below, and
nothing else (no finding missed, none made up)."""
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
check = os.path.join(here, "..", "..", "scripts", "check-layout.py")

EXPECTED = {
    "placement (top of the tree)": r"/stray\.c: placement: in the top of the tree",
    "placement (folder with no row)": r"/extra/e\.c: placement: in extra/",
    "form (another folder's header, bare)": r"/top/a\.c:4: form: includes \"b\.h\", which is no header",
    "form (own folder's header, bare)": r"/mid/b\.c:2: form: includes \"b\.h\": write \"mid/b\.h\"",
    "crossing": r"/low/up\.c:2: crossing: includes top/a\.h: low/ may not include top/",
    "library (glib)": r"/low/lib\.c:4: library: includes <glib\.h>: low/ may not use glib",
    "library (libexpert)": r"/low/lib\.c:2: library: includes \"fake\.h\" \(libexpert\): low/ may not",
    "circle": r": circle: mid/x -> mid/y -> mid/x ",
    "types-only": r"/mid/types\.h: types-only: declares helper\(\) but there is no types\.c",
    "rules (row with no folder)": r"rules: row ghost/ names no folder",
    "rules (folder with no row)": r"rules: folder extra/ is in no row",
    "rules (circle)": r"rules: folders may include each other in a circle: p/ -> q/ -> p/",
}


def run(tree):
    d = os.path.join(here, tree)
    return subprocess.run([sys.executable, check, "--root", os.path.join(d, "src"),
                           "--rules", os.path.join(d, "rules.md"),
                           "--libexpert", os.path.join(d, "libexpert")],
                          capture_output=True, text=True)


failed = 0
print("TAP version 13")
print(f"1..{2 + len(EXPECTED) + 1}")
n = 0

good = run("good")
n += 1
ok = good.returncode == 0 and good.stdout.count("\n") == 1 and "keeps the rules" in good.stdout
print(f"{'ok' if ok else 'not ok'} {n} - good/ passes with no finding")
if not ok:
    failed += 1
    print("# " + (good.stdout + good.stderr).replace("\n", "\n# "))

bad = run("bad")
lines = [l for l in bad.stdout.splitlines() if l]
n += 1
ok = bad.returncode == 1
print(f"{'ok' if ok else 'not ok'} {n} - bad/ fails (exit {bad.returncode})")
failed += not ok
matched = set()
for what, pattern in EXPECTED.items():
    n += 1
    hits = [i for i, l in enumerate(lines) if re.search(pattern, l)]
    ok = len(hits) == 1
    matched.update(hits)
    print(f"{'ok' if ok else 'not ok'} {n} - bad/ is found to break: {what}")
    if not ok:
        failed += 1
        print(f"# {len(hits)} lines match {pattern!r}")
n += 1
extra = [l for i, l in enumerate(lines) if i not in matched]
print(f"{'ok' if not extra else 'not ok'} {n} - bad/ gives no other finding")
for l in extra:
    print("# unexpected: " + l)
failed += bool(extra)
sys.exit(1 if failed else 0)
