#!/usr/bin/env bash
# Sets everything up and runs every test suite twice: in a -Werror build, and
# in a -Werror build with ASan + UBSan (see meson_options.txt); then a bounded
# fuzzing pass (scripts/fuzz.sh). Ends with the line "N passed, N failed" and
# a non-zero exit if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
skipped=0
run_build() { # dir, meson options...
  local dir=$1; shift
  if ! { [ -d "$dir" ] || meson setup "$dir" -Dwerror=true "$@" >/dev/null; } ||
     ! meson compile -C "$dir"; then
    echo "build $dir failed" >&2
    failed=$((failed + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2
  # Count from meson's own log, one line per test.
  local counts
  counts=$(python3 - "$dir/meson-logs/testlog.json" <<'PY'
import json, sys
ok = bad = skip = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"):
        ok += 1
    elif r == "SKIP":
        skip += 1
    else:
        bad += 1
print(ok, bad, skip)
PY
)
  read -r ok bad skip <<<"$counts"
  passed=$((passed + ok))
  failed=$((failed + bad))
  skipped=$((skipped + skip))
}

run_build build-test
run_build build-sanitize -Dsanitize=true

# A bounded fuzzing pass over every parser of untrusted input (libFuzzer,
# clang, ASan+UBSan): FUZZ_SECONDS per target, 0 to skip. Counted as one test.
fuzz_seconds=${FUZZ_SECONDS:-30}
if [ "$fuzz_seconds" -gt 0 ]; then
  if scripts/fuzz.sh "$fuzz_seconds"; then
    passed=$((passed + 1))
  else
    echo "fuzzing found a crash: see fuzz/crashes/" >&2
    failed=$((failed + 1))
  fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
