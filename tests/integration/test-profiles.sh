#!/usr/bin/env bash
# Each expert under its own profile, on the real binary (issue 11): the
# installed mapping of the shipped experts, --profile EXPERT=PROFILE,
# --profile-map, what the report says of each job's profile, refusals
# before run with the fix named, the experts' own words on a setting they
# refuse, strings read from a stopped child, the exit status of a capture
# cut short, and JSON even when nothing ran. TAP output, one line per check.
set -euo pipefail
exe=$1          # build/executor/expert-exec
build=$2        # the build directory: build/experts/*/*.so are the shipped experts
experts=$3      # build/tests/experts
data=$4         # tests/data
demo=$5         # scripts/demo.sh
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

capture=$data/smtp.pcap
shipped=("$build"/experts/*/*.so)
coalesce=$build/experts/protocol-coalesce/protocol-coalesce.so
tt=$build/experts/top-talkers/top-talkers.so
notes_expert=$experts/file-notes.so

# run_exe ARGS...: stdout in $work/out, stderr in $work/err (both echoed as
# TAP comments), exit status in $rc.
run_exe() {
	rc=0
	"$exe" "$@" >"$work/out" 2>"$work/err" || rc=$?
	sed 's/^/# /' "$work/out" "$work/err"
}
has() { grep -qE -- "$1" "$work/out"; }
err_has() { grep -qE -- "$1" "$work/err"; }
status_is() { [ "$rc" -eq "$1" ]; }
# json EXPR: evaluates a Python expression over the JSON document in
# $work/out (bound to r); true when it is.
json() { python3 -c "import json, sys; r = json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$work/out"; }
# One job's field, by expert file name.
job() { echo "[j for j in r['jobs'] if j['expert']['path'].endswith('/$1.so')][0]"; }
fresh_dir() { local d; d=$(mktemp -d "$work/out.XXXXXX"); chmod 0755 "$d"; echo "$d"; }

echo "1..43"

# ---- the shipped experts under the installed mapping, no --profile ----
outdir=$(fresh_dir)
run_exe run --json --output-dir "$outdir" "$capture" "${shipped[@]}"
check "five shipped experts, no --profile: exit 0" status_is 0
check "all five completed and returned 0" json "len(r['jobs']) == 5 and all(j['outcome'] == 'completed' and j['return_value'] == 0 for j in r['jobs'])"
check "protocol-coalesce under coalesce, from the installed mapping" \
	json "$(job protocol-coalesce)['profile']['name'] == 'coalesce' and $(job protocol-coalesce)['profile']['chosen_by'].startswith('installed mapping ') and '/experts/profiles.conf:' in $(job protocol-coalesce)['profile']['chosen_by']"
check "the other four under strict, from the installed mapping" \
	json "sorted(j['profile']['name'] for j in r['jobs'] if 'coalesce' not in j['expert']['path']) == ['strict'] * 4 and all(j['profile']['chosen_by'].startswith('installed mapping ') for j in r['jobs'])"
check "each profile loaded once: two, used by 1 and 4 experts" \
	json "sorted((p['name'], p['experts']) for p in r['profiles']) == [('coalesce', 1), ('strict', 4)]"
check "each job names its profile's path and SHA-256, as the run's profiles do" \
	json "all(len(j['profile']['sha256']) == 64 and int(j['profile']['sha256'], 16) >= 0 and any(p['sha256'] == j['profile']['sha256'] and p['path'] == j['profile']['path'] for p in r['profiles']) for j in r['jobs'])"
check "the coalesced capture was written, in protocol-coalesce's own folder" \
	test -s "$outdir/protocol-coalesce/coalesced.pcap"

# The demo is this very command, through the installed mapping.
check "scripts/demo.sh names no profile" bash -c "! grep -q -- '--profile' '$demo'"

# ---- the text report: the mapping before the jobs, a profile column ----
outdir=$(fresh_dir)
run_exe run --output-dir "$outdir" "$capture" "${shipped[@]}"
check "text: each expert's profile and who chose it, before the table" python3 -c '
import re, sys
out = open(sys.argv[1]).read().split("\n")
profiles = [i for i, l in enumerate(out) if re.match(r"profile  protocol-coalesce +coalesce +/\S+/coalesce\.profile +\(installed mapping .*profiles\.conf:\d+\)$", l)]
table = [i for i, l in enumerate(out) if re.match(r"expert +profile +outcome", l)]
sys.exit(not (profiles and table and profiles[0] < table[0]))' "$work/out"
check "text: the table has the profile of each job" \
	eval 'has "^protocol-coalesce +coalesce +completed" && has "^top-talkers +strict +completed"'
# Printed before any job ends: a job that sleeps until its wall-clock
# limit (5 s) is still running when the line is there.
(
	"$exe" run --profile "$data/../profiles/crash-test.profile" "$capture" \
		"$experts/misbehave-sleep-forever.so" >"$work/slow" 2>/dev/null &
	pid=$!
	for _ in $(seq 50); do
		grep -q '^profile  misbehave-sleep-forever ' "$work/slow" && break
		sleep 0.1
	done
	alive=0
	kill -0 "$pid" 2>/dev/null && alive=1
	printed=0
	grep -q '^profile  misbehave-sleep-forever ' "$work/slow" && printed=1
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	[ "$printed" = 1 ] && [ "$alive" = 1 ]
) && ok "the mapping is printed while the jobs still run" ||
	not_ok "the mapping is printed while the jobs still run"

# ---- --profile EXPERT=PROFILE, a plain --profile, --profile-map ----
outdir=$(fresh_dir)
run_exe run --json --output-dir "$outdir" --profile top-talkers=default "$capture" "${shipped[@]}"
check "--profile top-talkers=default: top-talkers under default, said so" \
	json "$(job top-talkers)['profile']['name'] == 'default' and $(job top-talkers)['profile']['chosen_by'] == '--profile top-talkers=default'"
check "and the others still under the installed mapping" \
	json "$(job protocol-coalesce)['profile']['name'] == 'coalesce' and $(job tcp-retransmit)['profile']['name'] == 'strict'"

run_exe run --json --profile default "$capture" "$tt" "$coalesce"
check "a plain --profile is every expert's: the installed mapping is not used" \
	json "all(j['profile']['name'] == 'default' and j['profile']['chosen_by'] == '--profile default' for j in r['jobs'])"

mkdir -p "$work/maps/sub"
cp "$data/../../sandbox-profiles/strict.profile" "$work/maps/sub/mine.profile"
printf '# mine\n[profiles]\ntop-talkers = sub/mine.profile\nprotocol-coalesce = coalesce\n' >"$work/maps/map.conf"
outdir=$(fresh_dir)
run_exe run --json --output-dir "$outdir" --profile-map "$work/maps/map.conf" "$capture" "$tt" "$coalesce" \
	"$build/experts/tcp-retransmit/tcp-retransmit.so"
check "--profile-map: a relative path is from the mapping's directory, the line is named" \
	json "$(job top-talkers)['profile']['path'] == '$work/maps/sub/mine.profile' and $(job top-talkers)['profile']['chosen_by'] == '--profile-map $work/maps/map.conf:3'"
check "--profile-map replaces the installed mapping: an expert it does not name gets default" \
	json "$(job tcp-retransmit)['profile']['name'] == 'default' and $(job tcp-retransmit)['profile']['chosen_by'] == 'the built-in default'"
check "a copy of strict has strict's digest" \
	json "$(job top-talkers)['profile']['sha256'] == [p['sha256'] for p in r['profiles'] if p['name'] == 'strict' or p['path'].endswith('/mine.profile')][0] and len(r['profiles']) == 3"
sed -i 's/^events = 10000$/events = 9999/' "$work/maps/sub/mine.profile"
run_exe run --json --profile-map "$work/maps/map.conf" "$capture" "$tt"
cp "$work/out" "$work/changed.json"
run_exe run --json --profile strict "$capture" "$tt"
check "one limit changed: another digest" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["jobs"][0]["profile"]["sha256"]
b = json.load(open(sys.argv[2]))["jobs"][0]["profile"]["sha256"]
sys.exit(a == b)' "$work/changed.json" "$work/out"

# The installed mapping governs only the experts installed beside it: a
# copy elsewhere is just an object with the same name.
mkdir -p "$work/elsewhere"
cp "$coalesce" "$work/elsewhere/"
outdir=$(fresh_dir)
run_exe run --json --output-dir "$outdir" "$capture" "$work/elsewhere/protocol-coalesce.so"
check "a copy of protocol-coalesce elsewhere gets no profile from the installed mapping" \
	json "r['jobs'][0]['profile']['name'] == 'default' and r['jobs'][0]['profile']['chosen_by'] == 'the built-in default'"

# ---- refused before run, with the fix named (never "completed: run returned 1") ----
outdir=$(fresh_dir)
run_exe run --json --output-dir "$outdir" --profile protocol-coalesce=strict "$capture" "$coalesce"
check "protocol-coalesce under strict: refused before its run, the fix named, exit 1" \
	json "r['jobs'][0]['outcome'] == 'refused' and r['jobs'][0]['detail'] == 'protocol-coalesce writes output captures; its profile strict grants none (output-files = 0): give it --profile protocol-coalesce=coalesce' and r['jobs'][0]['frames_read'] == 0 and r['jobs'][0]['events'] == []"
check "and nothing was written" eval 'status_is 1 && [ -z "$(ls -A "$outdir")" ]'
run_exe run "$capture" "$coalesce"
check "protocol-coalesce without --output-dir: refused, naming --output-dir" \
	eval 'status_is 1 && has "^   outcome   refused: protocol-coalesce writes output captures, and no --output-dir was given: add --output-dir DIR$"'

# ---- what an expert says of a setting it refuses ----
run_exe run --config top-talkers:top=abc "$capture" "$tt"
check "--config top-talkers:top=abc names the key and the value, as the expert's words" \
	eval 'status_is 1 && has "^   outcome   failed-to-load: configure refused: top: expected a count of 1 or more, not \"abc\" \(the expert.s words\)$"'

# ---- strings of a refused call, read from the stopped child ----
mkdir -p "$work/notes"
chmod 0777 "$work/notes"
esc=$(printf '\033')
run_exe run --json --profile strict --config "file-notes:notes=$work/notes/n${esc}[2Jb.txt" "$capture" "$notes_expert"
check "an open for writing under strict is a sandbox violation" \
	json "r['jobs'][0]['outcome'] == 'sandbox-violation' and r['jobs'][0]['violation']['syscall'] == 'openat'"
if [ "$(id -u)" -eq 0 ]; then
	check "as root: the path is shown, escaped, marked as read at the time of the call" \
		json "r['jobs'][0]['violation']['call'] == 'openat(AT_FDCWD, \"$work/notes/n\\\\x1b[2Jb.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0666)' and r['jobs'][0]['violation']['strings_read_at_call'] and r['jobs'][0]['detail'].endswith('(strings as read at the time of the call)')"
	echo "ok $((n + 1)) - as an ordinary user no string is claimed # SKIP run as root: the executor may read the child (CAP_SYS_PTRACE)"
	n=$((n + 1))
else
	echo "ok $((n + 1)) - as root: the path is shown # SKIP not root: the children are not dumpable and reading their memory needs CAP_SYS_PTRACE"
	n=$((n + 1))
	check "as an ordinary user no string is claimed: the address is shown" \
		json "r['jobs'][0]['violation']['call'].startswith('openat(AT_FDCWD, 0x') and not r['jobs'][0]['violation']['strings_read_at_call'] and 'as read' not in r['jobs'][0]['detail']"
fi
run_exe run --profile strict --config "file-notes:notes=$work/notes/n${esc}[2Jb.txt" "$capture" "$notes_expert"
check "the text report carries no escape character of the child's" bash -c "! grep -q \$'\\033' '$work/out'"

# ---- exit status of a capture cut short; JSON even on a fatal error ----
cut=$data/truncated/pcap-cut-in-frame-data.pcap
run_exe run --json --profile strict "$cut" "$tt"
check "a capture cut short: exit 3, every expert completed, the capture marked partial" \
	json "r['capture']['partial'] and all(j['outcome'] == 'completed' for j in r['jobs'])"
check "(its exit status is 3)" status_is 3
run_exe run --profile strict --config top-talkers:top=0 "$cut" "$tt"
check "a capture cut short and an expert that failed: exit 1" status_is 1
run_exe run --json "$data/no-such.pcap" "$tt"
check "--json, a capture that does not exist: exit 2 and a JSON error" \
	eval 'status_is 2 && json "r[\"error\"].startswith(\"$data/no-such.pcap\") or \"no-such.pcap\" in r[\"error\"]"'
run_exe run --json --jobs 0 "$capture" "$tt"
check "--json, a bad option: a JSON error naming it" \
	eval 'status_is 2 && json "\"--jobs\" in r[\"error\"] and r[\"exit_status\"] == 2 and r[\"command\"] == \"run\""'
run_exe run --json --no-such-option "$capture" "$tt"
check "--json, an unknown option: still a JSON document" eval 'status_is 2 && json "\"no-such-option\" in r[\"error\"]"'
run_exe list --json --profile nobody=strict "$tt"
check "list --json: a JSON error too" eval 'status_is 2 && json "r[\"command\"] == \"list\""'
run_exe stress --json --jobs 0 --corpus all
check "stress --json: a JSON error too" eval 'status_is 2 && json "r[\"command\"] == \"stress\" and \"--jobs\" in r[\"error\"]"'

# ---- command lines and mappings refused, naming what is wrong ----
run_exe run --profile nobody=strict "$capture" "$tt"
check "--profile for an expert not given: exit 2, naming it" \
	eval 'status_is 2 && err_has "--profile nobody=strict: no expert is called \"nobody\" \(the experts given are: top-talkers\)"'
run_exe run --profile strict --profile default "$capture" "$tt"
check "two plain --profile: exit 2" eval 'status_is 2 && err_has "a profile for every expert was given already \(--profile strict\)"'
run_exe run --profile top-talkers=strict --profile top-talkers=default "$capture" "$tt"
check "one expert given two profiles: exit 2" eval 'status_is 2 && err_has "top-talkers has a profile already"'
run_exe run --profile top-talkers=nonesuch "$capture" "$tt"
check "a profile that does not exist: exit 2, naming the expert and who chose it" \
	eval 'status_is 2 && err_has "the profile of top-talkers \(--profile top-talkers=nonesuch\): no profile \"nonesuch\""'
printf '[profiles]\ntop-talkers = strict\n[other]\nx = y\n' >"$work/bad1.conf"
run_exe run --profile-map "$work/bad1.conf" "$capture" "$tt"
check "a mapping with another group: exit 2 at its line" \
	eval 'status_is 2 && err_has "^expert-exec run: --profile-map: $work/bad1\.conf:3: unknown group \[other\]"'
printf '[profiles]\ntop talkers = strict\n' >"$work/bad2.conf"
run_exe run --profile-map "$work/bad2.conf" "$capture" "$tt"
check "a mapping naming no expert: exit 2 at its line" \
	eval 'status_is 2 && err_has "bad2\.conf:2: \"top talkers\" is not an expert name"'
printf '[profiles]\ntop-talkers = strict\ntop-talkers = default\n' >"$work/bad3.conf"
run_exe run --profile-map "$work/bad3.conf" "$capture" "$tt"
check "a mapping setting an expert twice: exit 2 at its line" \
	eval 'status_is 2 && err_has "bad3\.conf:3: \"top-talkers\" is set twice"'
printf 'top-talkers = strict\n' >"$work/bad4.conf"
run_exe run --profile-map "$work/bad4.conf" "$capture" "$tt"
check "a mapping without [profiles]: exit 2" eval 'status_is 2 && err_has "bad4\.conf"'

exit $failed
