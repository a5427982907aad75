#!/usr/bin/env bash
# `expert-exec profile learn` end to end: learn a profile for a real expert
# and for one that uses libc's malloc and stderr, check the rules written,
# run each under what was learned, and check that an expert trying an escape
# (execve, which the learning base kills) ends the learning without a file.
# Then the least, not the most (issue 11): an expert that writes notes it
# can do without gets a refusal, one that needs to read a file an allow
# narrowed to reading; and -o DIR learns the five shipped experts one
# profile each, inheriting coalesce or strict, with the mapping that uses
# them. TAP output, one line per check.
set -euo pipefail
exe=$1          # build/executor/expert-exec
pd=$2           # build/experts/protocol-distribution/protocol-distribution.so
experts=$3      # build/tests/experts
capture=$4
libc=$experts/uses-libc.so
execve=$experts/misbehave-execve.so
notes=$experts/file-notes.so
shipped=("$(dirname "$(dirname "$pd")")"/*/*.so)
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

# completes_with PROFILE SETTING EXPERT: as completes, with --config SETTING.
completes_with() {
	local got
	got=$({ "$exe" run --json --profile "$1" --config "$2" "$capture" "$3" || true; } |
		python3 -c 'import json, sys
for job in json.load(sys.stdin)["jobs"]:
    print(job["outcome"], job.get("return_value"))')
	echo "$got" | sed 's/^/# /'
	[ "$got" = "completed 0" ]
}

echo "1..35"

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
# malloc needs memory from one of brk and mmap; glibc falls back from one
# to the other, so a trial may find either done without (strict's ENOMEM
# then stands, and the file says so).
allowed_or_refused() { # syscall, its allow
	grep -qx "$2" "$work/libc.profile" ||
		grep -qx "# (no rule: $1)" "$work/libc.profile"
}
check "brk is allowed, or refused by a trial as strict refuses it" allowed_or_refused brk 'brk = allow'
check "mmap is allowed without PROT_EXEC, or refused by a trial as strict refuses it" \
	allowed_or_refused mmap 'mmap = allow if arg2 & PROT_EXEC == 0'
check "at least one of them is allowed" \
	grep -qxE 'brk = allow|mmap = allow if arg2 & PROT_EXEC == 0' "$work/libc.profile"
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

# (d) The least, not the most: notes written to a file the expert can do
# without are refused, not allowed.
# Run as root, each job has a uid of its own: the files must be reachable.
chmod 0755 "$work"
mkdir -p "$work/files"
chmod 0777 "$work/files"
echo data >"$work/files/needed.txt"
chmod 0644 "$work/files/needed.txt"
learn notes.profile --config "file-notes:notes=$work/files/notes.txt" "$notes"
check "learning file-notes succeeds" [ "$rc" -eq 0 ]
check "its open for writing is tried as a refusal first, and refused" \
	eval 'grep -q "trial: openat *refused (errno EACCES)" "$work/stdout" && grep -qx "openat = errno EACCES" "$work/notes.profile"'
check "the comment says a trial run refused it and the expert still completed" \
	grep -q '^# a trial run refused it (errno EACCES), and every expert still completed' "$work/notes.profile"
if [ "$(id -u)" -eq 0 ]; then
	check "the comment shows the path, as read at the time of the call" \
		grep -qF "e.g. openat(AT_FDCWD, \"$work/files/notes.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0666) (strings as read at the time of the call)" "$work/notes.profile"
else
	n=$((n + 1))
	echo "ok $n - the comment shows the path # SKIP not root: the children are not dumpable and reading their memory needs CAP_SYS_PTRACE"
fi
check "profile check calls it usable" \
	eval '"$exe" profile check "$work/notes.profile" | grep -q "usable, 0 warnings"'
rm -f "$work/files/notes.txt"
check "file-notes completes under it, and writes no notes" \
	eval 'completes_with "$work/notes.profile" "file-notes:notes=$work/files/notes.txt" "$notes" && [ ! -e "$work/files/notes.txt" ]'

# What it cannot do without is allowed, narrowed on the flags seen: where
# a file outside can be reached at all. Where the job's root is empty or
# Landlock allows no file after loading (the run's isolation line says so),
# no profile can give the expert its file: learning says it failed, and
# writes nothing.
learn needs.profile --config "file-notes:needs=$work/files/needed.txt" "$notes"
isolation=$(grep -m1 '^isolation ' "$work/stdout" | sed 's/; missing:.*//')
case $isolation in
*mountns*|*landlock*)
	check "a file it needs is out of reach of every profile: learning fails" [ "$rc" -eq 1 ]
	check "it says the expert failed under the learning base" \
		grep -q 'file-notes.so returned 3 under learn; no profile written' "$work/stderr"
	check "and writes no profile" [ ! -e "$work/needs.profile" ]
	printf '[profile]\ndescription = default, plus reading files\ninherits = default\n[syscalls]\nopenat = allow if arg2 & O_ACCMODE == O_RDONLY\nread = allow\nclose = allow\n' \
		>"$work/open.profile"
	check "nor does a profile that allows opening and reading files: run returns 3" \
		eval '[ "$(outcomes "$work/open.profile" --config "file-notes:needs=$work/files/needed.txt" "$notes")" = "completed 3" ]'
	;;
*)
	check "a file it needs: openat is needed" grep -q "trial: openat *needed: allowed" "$work/stdout"
	check "and allowed for reading only" \
		grep -qx 'openat = allow if arg2 & O_ACCMODE|O_CREAT|O_TRUNC|O_APPEND == O_RDONLY' "$work/needs.profile"
	check "file-notes completes under it" \
		completes_with "$work/needs.profile" "file-notes:needs=$work/files/needed.txt" "$notes"
	check "profile check calls it usable" \
		eval '"$exe" profile check "$work/needs.profile" | grep -q "usable, 0 warnings"'
	;;
esac

# (e) One least profile per expert, and the mapping that uses them.
learn per-expert "${shipped[@]}"
check "learning the five shipped experts into a directory succeeds" [ "$rc" -eq 0 ]
check "five profiles and a mapping are written" \
	eval '[ "$(ls "$work/per-expert" | sort | tr "\n" " ")" = "profiles.conf protocol-coalesce.profile protocol-distribution.profile server-response-time.profile tcp-retransmit.profile top-talkers.profile " ]'
check "protocol-coalesce inherits coalesce, learning nothing beyond it" \
	eval 'grep -qx "inherits = coalesce" "$work/per-expert/protocol-coalesce.profile" && [ -z "$(rules "$work/per-expert/protocol-coalesce.profile")" ]'
check "the other four inherit strict, learning nothing beyond it" \
	eval 'for p in protocol-distribution server-response-time tcp-retransmit top-talkers; do grep -qx "inherits = strict" "$work/per-expert/$p.profile" && [ -z "$(rules "$work/per-expert/$p.profile")" ] || exit 1; done'
check "the mapping is printed and names each expert's own" \
	eval 'grep -qx "top-talkers = $(realpath "$work/per-expert")/top-talkers.profile" "$work/stdout" && grep -qx "\[profiles\]" "$work/per-expert/profiles.conf"'
mkdir -p "$work/outputs"
chmod 0777 "$work/outputs"
rc=0
"$exe" run --json --output-dir "$work/outputs" --profile-map "$work/per-expert/profiles.conf" \
	"$capture" "${shipped[@]}" >"$work/run.json" 2>"$work/stderr" || rc=$?
check "all five complete under the mapping learned" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(not (int(sys.argv[2]) == 0 and len(r["jobs"]) == 5 and
              all(j["outcome"] == "completed" and j["return_value"] == 0 and
                  j["profile"]["chosen_by"].startswith("--profile-map ") for j in r["jobs"])))' \
	"$work/run.json" "$rc"
learn per-expert "$pd"
check "an existing profile in the directory is kept unless --force (status 2)" [ "$rc" -eq 2 ]
learn per-expert --force "$pd"
check "--force replaces it" [ "$rc" -eq 0 ]

exit $failed
