#!/usr/bin/env bash
# Runs the plain build's integration (with the crash suite), security,
# stress and report (the HTML pages in a browser) suites again as an
# ordinary user, and ends with the line "N passed,
# N failed, N skipped" counted as scripts/test.sh counts (count-tests.py).
# Run as root after scripts/test.sh (CI's .ci/run does):
#
#   scripts/test-as-user.sh [BUILD_DIR]      # default build-test
#
# Not as root, every job shares the user's uid: the suites assert what the
# README's "not promised" list says for that case (a job can signal a
# sibling, no code locations), and skip, with the reason, what cannot apply.
# The user is $EXPERT_TEST_USER, created if absent (default expert-exec-test,
# a system account without a home or a login shell).
#
# The user runs the tests of the build root made, without rebuilding: it
# needs to read the tree and write only the test logs, which go to
# meson-logs/testlog-user.* in the build (handed over for the run and given
# back after). Where it cannot read the tree (a checkout under /root), it
# gets a copy of the sources and builds its own, which costs a build.
set -uo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${1:-build-test}
user=${EXPERT_TEST_USER:-expert-exec-test}
suites=(--suite integration --suite security --suite stress --suite inject --suite report)

if [ "$(id -u)" -ne 0 ]; then
  echo "test-as-user.sh: not root, so the suites already ran as an ordinary user" >&2
  echo "0 passed, 0 failed, 0 skipped"
  exit 0
fi
[ -f "$build/build.ninja" ] || { echo "test-as-user.sh: build $build first (scripts/test.sh)" >&2
                                  echo "0 passed, 1 failed, 0 skipped"; exit 1; }
if ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$user" || {
    echo "test-as-user.sh: cannot create user $user" >&2
    echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi

scratch=$(mktemp -d)
restore=()
cleanup() {
  for r in "${restore[@]}"; do eval "$r"; done
  rm -rf "$scratch"
}
trap cleanup EXIT
chown "$user:" "$scratch"
# From the scratch directory: the user may not be able to read this one.
as_user() {
  (cd "$scratch" &&
   runuser -u "$user" -- "$(command -v env)" PATH="$PATH" HOME="$scratch" TMPDIR=/tmp "$@")
}

if as_user test -r "$src/tests/data/wikipedia.pcap" -a -x "$src/$build/executor/expert-exec"; then
  logs="$src/$build/meson-logs"
  restore+=("chown -R $(stat -c %u:%g "$logs") '$logs'")
  chown -R "$user:" "$logs"
  dir="$src/$build"
else
  echo "test-as-user.sh: $user cannot read $src; building a copy as $user" >&2
  mkdir "$scratch/src"
  git -C "$src" ls-files -z | (cd "$src" && xargs -0 cp --parents -t "$scratch/src") ||
    { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
  chown -R "$user:" "$scratch/src"
  dir="$scratch/src/build-user"
  if ! as_user meson setup "$dir" "$scratch/src" -Dwerror=true >/dev/null ||
     ! as_user meson compile -C "$dir"; then
    echo "test-as-user.sh: the build as $user failed" >&2
    echo "0 passed, 1 failed, 0 skipped"; exit 1
  fi
fi

echo "== as $user (uid $(id -u "$user")): ${suites[*]}"
as_user meson test -C "$dir" --no-rebuild "${suites[@]}" --logbase testlog-user \
  --print-errorlogs --num-processes 2
counts=$(scripts/count-tests.py --label "as $user" "$dir/meson-logs/testlog-user.json") ||
  counts="0 1 0 0"
read -r ok bad skip todo <<<"$counts"
echo "$ok passed, $bad failed, $skip skipped$( [ "$todo" -eq 0 ] || echo ", $todo incomplete")"
[ "$bad" -eq 0 ]
