#!/usr/bin/env bash
# `expert-exec profile learn` end to end: learn a profile for a real expert
# and for one that uses libc's malloc and stderr, check the rules written,
# run each under what was learned, and check that an expert trying an escape
# (execve, which the learning base kills) ends the learning without a file.
# TAP output, one line per check.
set -euo pipefail
exe=$1          # build/executor/expert-exec
pd=$2           # build/experts/protocol-distribution/protocol-distribution.so
experts=$3      # build/tests/experts
capture=$4
libc=$experts/uses-libc.so
execve=$experts/misbehave-execve.so
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# learn NAME.profile EXPERT...: runs profile learn; its exit status in $rc.
learn() {
	local out=$work/$1
	shift
	rc=0
	"$exe" profile learn --capture "$capture" -o "$out" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
	sed 's/^/# /' "$work/stdout" "$work/stderr"
}

# The rule lines (no comments, no [profile] keys) of a profile.
rules() { grep -vE '^(#|\[|$|description = |inherits = )' "$1" || true; }

# "outcome return_value" of each expert run under a profile, one per line.
outcomes() {
	local profile=$1
	shift
	{ "$exe" run --json --profile "$profile" "$capture" "$@" || true; } |
		python3 -c 'import json, sys
for job in json.load(sys.stdin)["jobs"]:
    print(job["outcome"], job.get("return_value"))'
}

completes() { # profile expert...: every expert completes and returns 0
	local profile=$1
	shift
	local got
	got=$(outcomes "$profile" "$@")
	echo "$got" | sed 's/^/# /'
	[ -n "$got" ] && ! echo "$got" | grep -qv '^completed 0$'
}

fails_under() { ! completes "$@"; }

echo "1..16"

# (a) protocol-distribution needs nothing strict does not allow.
learn pd.profile "$pd"
check "learning protocol-distribution succeeds" [ "$rc" -eq 0 ]
check "its profile inherits strict" grep -qx 'inherits = strict' "$work/pd.profile"
check "and learns nothing beyond strict" [ -z "$(rules "$work/pd.profile")" ]
check "protocol-distribution completes under it" completes "$work/pd.profile" "$pd"

# (b) libc's malloc (brk, and mmap for a large block) and stderr.
learn libc.profile "$libc"
check "learning uses-libc succeeds" [ "$rc" -eq 0 ]
rules "$work/libc.profile" | sed 's/^/# rule: /'
check "brk is learned" grep -qx 'brk = allow' "$work/libc.profile"
check "mmap is learned without PROT_EXEC" \
	grep -qx 'mmap = allow if arg2 & PROT_EXEC == 0' "$work/libc.profile"
check "write is learned on stderr only" grep -qx 'write = allow if arg0 == 2' "$work/libc.profile"
check "every rule has its comment" python3 -c '
import sys
lines = open(sys.argv[1]).read().split("\n")
rules = [i for i, l in enumerate(lines) if l and l[0] not in "#[" and not l.startswith(("description =", "inherits ="))]
sys.exit(not all(lines[i - 1].startswith("#") for i in rules))' "$work/libc.profile"
check "uses-libc does not complete under strict itself" fails_under strict "$libc"
check "uses-libc completes under what was learned" completes "$work/libc.profile" "$libc"

# Both at once: one profile for the two.
learn both.profile "$libc" "$pd"
check "one profile learned for both experts runs both" completes "$work/both.profile" "$libc" "$pd"

# An existing file is kept unless --force.
cp "$work/pd.profile" "$work/pd.before"
learn pd.profile "$pd"
check "an existing output is refused (status 2) and kept" \
	bash -c "[ $rc -eq 2 ] && cmp -s '$work/pd.profile' '$work/pd.before'"
learn pd.profile --force "$libc"
check "--force replaces it" bash -c "[ $rc -eq 0 ] && grep -qx 'brk = allow' '$work/pd.profile'"

# (c) execve is killed by the learning base: the run fails, nothing is written.
learn execve.profile "$execve"
check "learning an expert that calls execve fails (status 1)" [ "$rc" -eq 1 ]
check "and writes no file" bash -c "[ ! -e '$work/execve.profile' ] && \
	grep -q 'sandbox-violation' '$work/stdout' && grep -q 'no profile written' '$work/stderr'"

exit $failed
