#!/usr/bin/env bash
# Sets everything up and runs every test suite twice: in a -Werror build, and
# in a -Werror build with ASan + UBSan (see meson_options.txt); then a bounded
# fuzzing pass (scripts/fuzz.sh). Ends with the line "N passed, N failed,
# N skipped" and a non-zero exit if anything failed.
#
# What is counted (scripts/count-tests.py): every check that ran. A TAP
# suite counts each of its subtests, so a check that cannot apply here (a
# kernel without the ABI it is about, a user who is not root) shows as
# skipped, with its reason listed before the closing line; it never counts
# as passed. Other tests, and the fuzzing pass, count once each.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
skipped=0
incomplete=0
run_build() { # dir, meson options...
  local dir=$1; shift
  if ! { [ -d "$dir" ] || meson setup "$dir" -Dwerror=true "$@" >/dev/null; } ||
     ! meson compile -C "$dir"; then
    echo "build $dir failed" >&2
    failed=$((failed + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2
  local counts
  counts=$(scripts/count-tests.py --label "$dir" "$dir/meson-logs/testlog.json") ||
    counts="0 1 0 0"
  read -r ok bad skip todo <<<"$counts"
  passed=$((passed + ok))
  failed=$((failed + bad))
  skipped=$((skipped + skip))
  incomplete=$((incomplete + todo))
}

run_build build-test
run_build build-sanitize -Dsanitize=true

# A bounded fuzzing pass over every parser of untrusted input (libFuzzer,
# clang, ASan+UBSan): FUZZ_SECONDS per target, 0 to skip. Counted as one test.
fuzz_seconds=${FUZZ_SECONDS:-20}
if [ "$fuzz_seconds" -gt 0 ]; then
  if scripts/fuzz.sh "$fuzz_seconds"; then
    passed=$((passed + 1))
  else
    echo "fuzzing found a crash: see fuzz/crashes/" >&2
    failed=$((failed + 1))
  fi
fi

echo "$passed passed, $failed failed, $skipped skipped$( [ "$incomplete" -eq 0 ] ||
  echo ", $incomplete incomplete")"
[ "$failed" -eq 0 ]
