#!/usr/bin/env python3
"""Counts the checks in meson's test logs (BUILD/meson-logs/testlog*.json).

A TAP test (the GTest programs, the TAP shell tests) counts each of its
subtests, so a check skipped inside a suite shows in the count:
  "ok N ..."                passed
  "ok N ... # SKIP reason"  skipped (and listed below with its reason)
  "not ok N ..."            failed
  "not ok N ... # TODO ..." incomplete: a known hole (g_test_incomplete),
                            listed, counted apart, never as passed
A test meson calls failed (a crash, a timeout, a bad plan) without a failing
subtest counts one failure more. Any other test counts once: passed, skipped
(exit status 77) or failed.

Usage: count-tests.py [--label TEXT] TESTLOG.json...
Prints each skipped and incomplete check to stderr, then the four counts on
stdout: "PASSED FAILED SKIPPED INCOMPLETE".
"""
import json
import re
import sys

PLAN = re.compile(r"^1\.\.(\d+)")
RESULT = re.compile(r"^(not ok|ok)\b\s*\d*\s*(?:-\s*)?(.*?)(?:\s+#\s*(SKIP|TODO)\b\s*(.*))?$",
                    re.IGNORECASE)
MESON_PASSED = ("OK", "EXPECTEDFAIL")


def count(path, label, totals):
    with open(path) as log:
        for line in log:
            test = json.loads(line)
            name, result = test["name"], test["result"]
            stdout = test.get("stdout") or ""
            lines = stdout.splitlines()
            if not any(PLAN.match(l) for l in lines):
                key = "passed" if result in MESON_PASSED else \
                      "skipped" if result == "SKIP" else "failed"
                totals[key] += 1
                if key == "skipped":
                    print(f"skipped{label}: {name}", file=sys.stderr)
                continue
            failed_here = 0
            for l in lines:
                m = RESULT.match(l)
                if not m:
                    continue
                ok = m.group(1).lower() == "ok"
                directive = (m.group(3) or "").upper()
                what = f"{name}: {m.group(2)}: {m.group(4) or ''}".rstrip(": ")
                if directive == "SKIP":
                    totals["skipped"] += 1
                    print(f"skipped{label}: {what}", file=sys.stderr)
                elif directive == "TODO":
                    totals["incomplete"] += 1
                    print(f"incomplete{label}: {what}", file=sys.stderr)
                elif ok:
                    totals["passed"] += 1
                else:
                    totals["failed"] += 1
                    failed_here += 1
            whole_skip = any(PLAN.match(l) and "# SKIP" in l.upper() for l in lines)
            if whole_skip and result == "SKIP":
                totals["skipped"] += 1
                print(f"skipped{label}: {name}", file=sys.stderr)
            elif result not in MESON_PASSED and result != "SKIP" and failed_here == 0:
                totals["failed"] += 1


def main(argv):
    label = ""
    if len(argv) > 2 and argv[1] == "--label":
        label = f" ({argv[2]})"
        argv = argv[2:]
    totals = {"passed": 0, "failed": 0, "skipped": 0, "incomplete": 0}
    for path in argv[1:]:
        count(path, label, totals)
    print(totals["passed"], totals["failed"], totals["skipped"], totals["incomplete"])


if __name__ == "__main__":
    main(sys.argv)
