#!/usr/bin/env bash
# Installs the Debian packages expert-exec builds and tests with, if any is
# missing. Uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential pkg-config meson ninja-build
  libglib2.0-dev libjson-glib-dev libpcap-dev libseccomp-dev
  libelf-dev  # an expert object's needed libraries and W^X needs (executor/objects/)
  python3
  python3-jsonschema  # the results file's schema, docs/results.schema.json (tests/integration)
  tshark    # the test oracle: figures computed live (tests/integration)
  valgrind  # memcheck over the executor (tests/integration/valgrind.sh)
  chromium  # the HTML reports in a real browser (tests/report)
  fonts-dejavu-core  # a font for its pages (chromium only recommends one)
  slurm-wlm munge    # a real single-node Slurm for the batch shards (tests/slurm)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
