#!/usr/bin/env bash
# Runs every benchmark in bench/ on a release build and prints, on standard
# output, markdown ready for README's Performance section: the machine, the
# date, a table of ratios (ours against the comparison, each measured side
# by side in one process, median of repetitions), a table of how a run
# scales, and each target of issue 14 with "met" or "not met" as measured
# (the benchmarks print them as "@target" lines). The load average is taken
# before each benchmark: the machine may be shared. Each benchmark's full
# output goes to build-bench/bench-logs/.
#
#   scripts/bench.sh [FRAMES_MB]    # size of bench-frames' capture, default 300
#
# Installs what it needs (scripts/setup.sh, and tcpdump for the capture-load
# comparison), configures build-bench/ with --buildtype=release if it is
# absent, and builds what the benchmarks run. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

frames_mb=${1:-300}
case $frames_mb in
  ''|*[!0-9]*) echo "usage: scripts/bench.sh [FRAMES_MB]" >&2; exit 2 ;;
esac

./scripts/setup.sh
if ! dpkg-query -W -f='${Status}' tcpdump 2>/dev/null | grep -q 'install ok installed'; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "Installing: tcpdump" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends tcpdump >/dev/null
fi

build=build-bench
[ -d "$build" ] || meson setup "$build" --buildtype=release >/dev/null
# Only what the benchmarks run: the rest of the tree is not needed here.
ninja -C "$build" executor/expert-exec executor/expert-zygote \
  bench/bench-heap bench/bench-spawn bench/bench-throughput bench/bench-frames \
  bench/bench-scaling bench/bench-memfd bench/bench-layers bench/bench-fork-floor \
  bench/trivial.so bench/touch-bytes.so >/dev/null
logs=$build/bench-logs
mkdir -p "$logs"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
loads=()
run() { # NAME COMMAND...: full output to the log, progress to the terminal
  local name=$1
  shift
  loads+=("$name $(cut -d' ' -f1 /proc/loadavg)")
  echo "running $name..." >&2
  "$@" >"$logs/$name.txt" 2>"$logs/$name.err" || {
    cat "$logs/$name.err" >&2
    echo "scripts/bench.sh: $name failed" >&2
    exit 1
  }
}
run spawn "$build/bench/bench-spawn"
run layers "$build/bench/bench-layers"
run throughput "$build/bench/bench-throughput"
run heap "$build/bench/bench-heap"
run frames "$build/bench/bench-frames" "$frames_mb"
run memfd "$build/bench/bench-memfd" "$frames_mb"
run scaling "$build/bench/bench-scaling"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`scripts/bench.sh${1:+ $1}\` on $(nproc) cores ($cpu),"
echo "$(free -g | awk '/^Mem:/ { print $2 }') GiB of memory, Linux $(uname -r); load average $load_start at the start,"
echo "$load_end at the end (other work on the machine shares the cores: the ratios hold up, the absolute times less so)."
echo
echo "| benchmark | ours | comparison | ours / comparison | target | met |"
echo "|---|---|---|---|---|---|"
grep -h '^| ' "$logs/spawn.txt" "$logs/layers.txt" "$logs/throughput.txt"
# bench-heap prints "pattern heap_ns glibc_ns ratio" lines.
awk 'NR > 1 && NF == 4 && $1 !~ /^@/ {
  printf "| memory: heap_alloc/realloc/free, pattern %s, per call | %s ns | glibc malloc/realloc/free: %s ns | %s | <= 1.0 | %s |\n", $1, $2, $3, $4, ($4 + 0 <= 1.0 ? "**met**" : "**not met**")
}' "$logs/heap.txt"
grep -h '^| ' "$logs/frames.txt"
echo
echo "| one \`expert-exec run\` | wall time | per unit | per unit beyond the first of its kind |"
echo "|---|---|---|---|"
grep -h '^| ' "$logs/scaling.txt"
echo
echo "The targets of issue 14, as measured in this run:"
echo
echo "| # | target | measured | met |"
echo "|---|---|---|---|"
for id in 1 2 3 4 5 6 7; do
  line=$(cat "$logs"/{spawn,throughput,heap,frames,scaling}.txt | grep -m1 "^@target $id|" || true)
  if [ -n "$line" ]; then
    echo "${line#@target }" | awk -F'|' '{ printf "| %s | %s | %s | **%s** |\n", $1, $2, $3, $4 }'
  else
    echo "| $id | (no benchmark printed a verdict) | — | **not measured** |"
  fi
done
echo
echo "Details printed by the benchmarks:"
echo
for name in spawn layers throughput frames memfd scaling; do
  grep -hv '^| \|^@target ' "$logs/$name.txt" | sed 's/^## //; s/^/- /'
done
echo "- load average (1 min) as each benchmark started: $(IFS=,; echo "${loads[*]}" | sed 's/,/, /g')"
