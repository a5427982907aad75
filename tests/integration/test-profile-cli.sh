#!/usr/bin/env bash
# `expert-exec profile list|check|show` on the real binary: the shipped
# profiles list and check clean; a broken profile is reported at its line with
# a hint; a dangerous allow needs acknowledging; show prints every rule with
# where it was written, reads back as a profile, and --bpf prints the filter;
# and the README's "Writing a profile" example checks, shows and runs.
# TAP output, one line per check.
set -euo pipefail
exe=$1          # build/executor/expert-exec
readme=$2       # README.md
pd=$3           # build/experts/protocol-distribution/protocol-distribution.so
capture=$4
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# run_cli ARGS...: runs expert-exec; stdout in $work/out, stderr in
# $work/err (both echoed as TAP comments), exit status in $rc.
run_cli() {
	rc=0
	"$exe" "$@" >"$work/out" 2>"$work/err" || rc=$?
	sed 's/^/# /' "$work/out" "$work/err"
}
has() { grep -qE -- "$1" "$work/out"; }
has_not() { ! grep -qE -- "$1" "$work/out"; }
status_is() { [ "$rc" -eq "$1" ]; }

profile() { # NAME, then the text of NAME.profile on stdin
	cat >"$work/$1.profile"
}

echo "1..29"

# ---- list ----
run_cli profile list
check "list exits 0" status_is 0
check "list shows default with its description and file" \
	has '^default +Ordinary experts.* /.*/sandbox-profiles/default\.profile$'
check "list shows strict with its file" has '^strict +.* /.*/sandbox-profiles/strict\.profile$'

# A broken profile in the search path is listed with its error; of three
# "strict" (two here, the shipped one last) the first wins, the others are
# named as shadowed.
mkdir -p "$work/first" "$work/second"
printf '[profile]\ndescription = x\n[syscalls]\nopn = allow\n' >"$work/first/broken.profile"
printf '[profile]\ndescription = first strict\n' >"$work/first/strict.profile"
printf '[profile]\ndescription = second strict\n' >"$work/second/strict.profile"
EXPERT_EXEC_PROFILE_PATH="$work/first:$work/second" run_cli profile list
check "list shows an unloadable profile with its error, and exits 1" \
	eval 'status_is 1 && has "^broken +\(error: .*broken\.profile:4: unknown syscall \"opn\"" && has "^default "'
check "list: the first file of a name wins, the other is named as shadowed" \
	eval 'has "^strict +first strict +$work/first/strict\.profile$" && has "^  $work/second/strict\.profile$" \
	      && has "^  /.*/sandbox-profiles/strict\.profile$"'

# ---- check ----
run_cli profile check default strict
check "check of both shipped profiles exits 0" status_is 0
check "check says each is usable" eval 'has "^default: usable" && has "^strict: usable"'

profile broken <<'EOF'
[profile]
description = broken on purpose
inherits = default

[syscalls]
opn = allow
mmap = allow if arg2 & PROT_EXCE == 0
EOF
run_cli profile check "$work/broken.profile"
check "check of a broken profile exits 1" status_is 1
check "an unknown syscall is reported at its line with did-you-mean" \
	has "^$work/broken\.profile:6: error: unknown syscall \"opn\" \(did you mean \"open\"\?\)$"
check "the next line's error is reported too" \
	has "^$work/broken\.profile:7: error: mmap: unknown constant \"PROT_EXCE\" \(did you mean \"PROT_EXEC\"\?\)$"
check "the summary counts both" has "broken\.profile: not usable: 2 errors"

profile danger <<'EOF'
[profile]
description = runs other programs
inherits = default

[syscalls]
execve = allow
EOF
run_cli profile check "$work/danger.profile"
check "a dangerous allow without acknowledge fails the check" \
	eval 'status_is 1 && has "^$work/danger\.profile:6: error: execve = allow lets execve through.*\[dangerous-allow\]$"'
check "its hint names the acknowledge key" has '^  hint: .*acknowledge = execve'
sed -i 's/^inherits = default$/inherits = default\nacknowledge = execve/' "$work/danger.profile"
run_cli profile check "$work/danger.profile"
check "with acknowledge = execve it passes" eval 'status_is 0 && has "danger\.profile: usable"'

profile cut <<'EOF'
[profile]
description = cuts the channel
[syscalls]
sendmsg = kill
EOF
run_cli profile check "$work/cut.profile"
check "a rule that would cut the channel is a filter error at its line" \
	eval 'status_is 1 && has "^$work/cut\.profile:4: error: the rule \"sendmsg = kill\" would cut the channel.*\[filter\]$"'

run_cli profile check
check "check without a profile is a usage error (2)" status_is 2

# ---- show ----
run_cli profile show default
check "show exits 0" status_is 0
check "show prints the default action with file:line" \
	has '^default-action = notify +# /.*/default\.profile:[0-9]+$'
check "show prints limits with units" eval 'has "^memory = 64M$" && has "^cpu-time = 10s$" && has "^wall-time = 30s$"'
check "show prints a rule with its condition and constant, and file:line" \
	has '^mmap = allow if arg2 & PROT_EXEC == 0 && arg3 & MAP_SHARED\|MAP_GROWSDOWN == 0 +# /.*/default\.profile:[0-9]+$'
check "show names the group a rule came from" \
	has '^exit_group = allow +# /.*/default\.profile:[0-9]+ via @expert-runtime$'
check "show sorts rules by syscall" \
	eval 'diff <(sed -n "/^\[syscalls\]/,\$p" "$work/out" | grep " = " | cut -d" " -f1) \
	           <(sed -n "/^\[syscalls\]/,\$p" "$work/out" | grep " = " | cut -d" " -f1 | LC_ALL=C sort)'
# What show prints is a profile: loaded again, it resolves to the same rules.
cp "$work/out" "$work/flat.profile"
sed 's/ *#.*//' "$work/out" | grep -E '^[a-z_0-9]+ = ' >"$work/rules.first"
run_cli profile show "$work/flat.profile"
sed 's/ *#.*//' "$work/out" | grep -E '^[a-z_0-9]+ = ' >"$work/rules.again"
check "show's output reads back as the same profile" \
	eval 'status_is 0 && [ -s "$work/rules.first" ] && diff "$work/rules.first" "$work/rules.again"'

run_cli profile show --bpf strict
check "show --bpf prints libseccomp's pseudo filter code" \
	eval 'status_is 0 && has "^ *if \(\\\$syscall == [0-9]+\)" && has "action KILL_PROCESS"'
check "show --bpf ends with the instruction count" \
	has '^# [0-9]+ BPF instructions \([0-9]+ bytes\)'

# ---- the README's worked example ----
# readme_block NAME: the block after the line "<!-- writing-a-profile: NAME -->",
# written to $work/NAME.
readme_block() {
	awk -v mark="<!-- writing-a-profile: $1 -->" '$0 == mark { found = 1; next }
	     found && /^```/ { if (inside) exit; inside = 1; next }
	     inside { print }' "$readme" >"$work/$1"
	sed 's/^/# /' "$work/$1"
}
readme_block mine.profile
run_cli profile check "$work/mine.profile"
check "the README's example profile checks clean" eval '[ -s "$work/mine.profile" ] && status_is 0 && has "usable, 0 warnings"'
run_cli profile show "$work/mine.profile"
check "show of the README's example has its own rule and limit" \
	eval 'has "^fcntl = allow if arg1 == F_GETFD \|\| arg1 == F_GETFL +# $work/mine\.profile:[0-9]+$" && has "^memory = 16M$"'
rc=0
"$exe" run --profile "protocol-distribution=$work/mine.profile" "$capture" "$pd" >"$work/out" 2>"$work/err" || rc=$?
sed 's/^/# /' "$work/out" "$work/err"
check "an expert runs to completion under the README's example, given to it alone" \
	eval 'status_is 0 && has "^profile  protocol-distribution  mine  " && has "^protocol-distribution +mine +completed"'
# The README's mapping file, beside the profile it names.
readme_block experts.conf
rc=0
(cd / && "$exe" run --profile-map "$work/experts.conf" "$capture" "$pd") >"$work/out" 2>"$work/err" || rc=$?
sed 's/^/# /' "$work/out" "$work/err"
check "and through the README's mapping file, from another directory" \
	eval '[ -s "$work/experts.conf" ] && status_is 0 && has "^profile  protocol-distribution  mine  $work/mine\.profile  \(--profile-map $work/experts\.conf:3\)$" && has "completed"'

exit $failed
