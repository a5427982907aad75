#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan in
# build-fuzz/, and runs each for SECONDS_PER_TARGET (default 60) from a
# scratch copy of its seed corpus, so the committed corpus never grows.
# A crash's input is kept as fuzz/crashes/<target>/crash-*; then this exits
# non-zero. To keep a fixed crash as a test, move it to fuzz/regressions/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    targets: wire capture profile pcapng
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(wire capture profile pcapng)
case $seconds in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac

scripts/setup.sh || exit 1
# clang, and its sanitizer and libFuzzer runtimes (a recommends of clang's,
# so named: --no-install-recommends would leave them out).
if ! command -v clang >/dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-dev 2>/dev/null |
     grep -q 'install ok installed'; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "Installing: clang libclang-rt-dev" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null ||
    exit 1
fi

if [ ! -d build-fuzz ]; then
  CC=clang meson setup build-fuzz -Dfuzz=true >/dev/null || exit 1
else
  # Targets are compiled by name, which does not regenerate the build first.
  meson setup --reconfigure build-fuzz -Dfuzz=true >/dev/null || exit 1
fi
meson compile -C build-fuzz "${targets[@]/#/fuzz/fuzz-}" || exit 1

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t" fuzz/crashes/$t
  # -L: the capture seeds are symbolic links into tests/data.
  cp -rL fuzz/corpus/$t/. "$scratch/$t/"
  dict=()
  [ -f fuzz/$t.dict ] && dict=(-dict=fuzz/$t.dict)
  echo "== fuzz-$t: ${seconds}s"
  build-fuzz/fuzz/fuzz-$t -max_total_time="$seconds" -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="fuzz/crashes/$t/" "${dict[@]}" \
    "$scratch/$t" >"$scratch/$t.log" 2>&1
  rc=$?
  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$scratch/$t.log"
  if [ $rc -ne 0 ]; then
    # What libFuzzer and the sanitizers said, from the first report on.
    sed -n '/^==[0-9]*==\|property broken\|runtime error\|^SUMMARY/,$p' "$scratch/$t.log" | head -60
    echo "fuzz-$t FAILED (exit $rc); input in fuzz/crashes/$t/:" >&2
    ls fuzz/crashes/$t >&2
    status=1
  fi
  rmdir fuzz/crashes/$t 2>/dev/null
done
rmdir fuzz/crashes 2>/dev/null
exit $status
