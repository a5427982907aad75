#!/usr/bin/env bash
# A short storm in CI (the long one is a documented command): thousands of
# runs of the whole crash corpus, two at a time, must leave the executor with
# exactly the descriptors, pool and children it started with, and give every
# corpus entry its expected outcome.
set -euo pipefail
exec_bin=$1
capture=$2
iterations=${3:-3000}
# In the sanitizer build, ASan keeps freed memory in a quarantine (256 MiB by
# default) to catch use after free: resident memory grows by design, which
# the leak check would take for a leak. Without the quarantine it still
# checks every access; no effect on an uninstrumented build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
out=$("$exec_bin" stress --corpus all --iterations "$iterations" --jobs 2 --capture "$capture" --json)
status=$?
echo "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
runs = int(sys.argv[1])
print("runs %d, %.0f runs/s, p50 %.2f ms, p99 %.2f ms" % (r["runs"], r["runs_per_second"],
      r["latency_ms"]["p50"], r["latency_ms"]["p99"]))
for what, v in r["executor"].items():
    print("  %-13s start %d end %d largest %d%s" % (what, v["start"], v["end"], v["largest"],
          " LEAKED" if v["leaked"] else ""))
assert r["runs"] == runs, r["runs"]
assert r["leaks"] == 0, "leaks"
assert r["unexpected_outcomes"] == 0, [e for e in r["experts"] if e.get("unexpected")]
# Every kind of ending happened, so the storm really exercised each path.
for kind in ("completed", "crashed", "sandbox-violation", "out-of-memory",
             "protocol-violation", "failed-to-load"):
    assert r["outcomes"][kind] > 0, kind
assert r["outcomes"]["not-started"] == 0
assert r["executor"]["pool_regions"]["end"] == 0 and r["executor"]["children"]["end"] == 0
' "$iterations"
exit $status
