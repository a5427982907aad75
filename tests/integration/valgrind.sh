#!/usr/bin/env bash
# The executor under valgrind's memcheck, over the runs that exercise the most
# of it: every failure kind of the crash corpus two at a time, the API probe
# with an output capture, a short storm, and a fault-injection campaign. Zero errors and no definite
# leaks, or the test fails. Skipped (77) without valgrind.
set -uo pipefail
build=$1
data=$2
source_root=$3
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
exec_bin="$build/executor/expert-exec"
e="$build/tests/experts"
# valgrind does not know seccomp(2); tell libseccomp the kernel's API level
# instead of letting it probe (see executor/profiles/filter.c).
export EXPERT_EXEC_SECCOMP_API=6
# The executor forks only to probe the kernel (executor/kernel/kernel-features.c):
# those children try int $0x80, which valgrind cannot run (it reports the
# child's SIGILL, and the probe says "unknown"). Nothing of the executor's
# runs in them, so their output is left out.
vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite
    --error-exitcode=99 --child-silent-after-fork=yes)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
check() { # name, command...
  local name=$1; shift
  "${vg[@]}" "$@" >"$out/stdout" 2>"$out/stderr"
  local rc=$?
  grep -v "unhandled amd64-linux syscall\|README_MISSING\|Nevertheless\|bug_reports\|own handler" \
    "$out/stderr" | grep "==[0-9]*==" >"$out/errors" || true
  if [ "$rc" -eq 99 ] || [ -s "$out/errors" ]; then
    echo "FAIL $name: valgrind found errors"; cat "$out/errors"; failed=1
  else
    echo "ok   $name (exit $rc)"
  fi
}
corpus=()
for b in well-behaved segfault abort socket fork exhaust-quota overflow-block bogus-free \
         garbage-message oversized-message close-channel flood-status forge-finished \
         ctor-socket ctor-open-write register-refuses abandon-output loop-forever sleep-forever; do
  corpus+=("$e/misbehave-$b.so")
done
check "crash corpus, 2 at a time, with its HTML report" "$exec_bin" run --jobs 2 \
  --profile "$source_root/tests/profiles/crash-test.profile" --html "$out/crashes.html" \
  "$data/wikipedia.pcap" "${corpus[@]}" "$e/missing-run.so" "$e/not-an-object.so" \
  "$e/hostile-text.so"
mkdir "$out/outputs"
check "api probe with an output" "$exec_bin" run --json --output-dir "$out/outputs" \
  --profile "$source_root/tests/profiles/outputs.profile" --filter udp \
  --config api-probe:output=o.pcap "$data/wikipedia.pcap" "$e/api-probe.so"
check "storm of 300, with its HTML report" "$exec_bin" stress --corpus all --iterations 300 \
  --jobs 2 --seed 7 --html "$out/storm.html"
# Every fault class, made by the executor or planned for the child: an
# expert that crashes under them, and one that writes an output.
check "fault injection, with its HTML report" "$exec_bin" stress --inject all --jobs 2 \
  --capture "$data/dns-edns-ecs.pcap" --html "$out/inject.html" "$e/frame-sizes.so" \
  "$build/experts/protocol-coalesce/protocol-coalesce.so"
exit $failed
