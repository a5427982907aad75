#!/usr/bin/env bash
# Sets everything up and runs the main job: the five shipped experts over a
# bundled capture (or the one given), each in its own sandboxed child, two at
# a time, under the coalesce profile (strict, plus the output capture that
# protocol-coalesce writes into demo-output/protocol-coalesce/: each expert's
# outputs go to a folder of its own).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null
capture=${1:-tests/data/smtp.pcap}
# A fresh directory each time: the executor never replaces an existing file.
rm -rf demo-output
mkdir demo-output
[ "$(id -u)" -ne 0 ] || chmod 0777 demo-output
exec build/executor/expert-exec run --profile coalesce --output-dir demo-output --jobs 2 \
  "$capture" build/experts/*/*.so
