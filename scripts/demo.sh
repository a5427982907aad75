#!/usr/bin/env bash
# Sets everything up and runs the main job: the shipped experts over a bundled
# capture, each in its own sandboxed child, under the strict profile.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null
capture=${1:-tests/data/wikipedia.pcap}
exec build/executor/expert-exec run --profile strict "$capture" \
  build/experts/protocol-distribution/protocol-distribution.so
