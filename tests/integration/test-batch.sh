#!/usr/bin/env bash
# Many captures in one command, on the real binary (issue 15): the command
# line's grammar and its refusals; a batch over several captures, a
# directory and a list file; outputs in a folder per capture, then per job;
# the results file (every line valid against docs/results.schema.json);
# outcomes counted per expert; exit statuses; a batch killed mid-run and
# resumed, a torn last line ignored with a warning, every pair once; shards
# that together run each pair exactly once, merged into the single run's
# results pair for pair; merge refusing overlaps, gaps and other batches;
# the HTML pages. TAP output, one line per check.
set -euo pipefail
exe=$1          # build/executor/expert-exec
build=$2        # the build directory: build/experts/*/*.so are the shipped experts
experts=$3      # build/tests/experts
data=$4         # tests/data
source_root=$5  # the source tree: docs/results.schema.json, tests/profiles
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

shipped=("$build"/experts/*/*.so)
pd=$build/experts/protocol-distribution/protocol-distribution.so
tt=$build/experts/top-talkers/top-talkers.so
slow=$experts/slow-output.so
schema=$source_root/docs/results.schema.json
checker=$(dirname "$0")/check-results-schema.py

run_exe() {
	rc=0
	"$exe" "$@" >"$work/out" 2>"$work/err" || rc=$?
	{ sed 's/^/# /' "$work/out" "$work/err" | head -c 20000; echo; } || true
}
status_is() { [ "$rc" -eq "$1" ]; }
has() { grep -qE -- "$1" "$work/out"; }
err_has() { grep -qE -- "$1" "$work/err"; }
# json EXPR [FILE]: a Python expression over a JSON document (bound to r).
json() { python3 -c "import json, sys; r = json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "${2:-$work/out}"; }
# lines EXPR FILE: over the records of a results file (h the header, p
# the pair records, each a dict).
lines() {
	python3 -c "
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().split('\n')[:-1]]
h = recs[0]; p = recs[1:]
sys.exit(0 if ($1) else 1)" "$2"
}
fresh_dir() { local d; d=$(mktemp -d "$work/out.XXXXXX"); chmod 0755 "$d"; echo "$d"; }
schema_ok() { # ARGS for check-results-schema.py; skips where jsonschema is missing
	local out r=0
	out=$(python3 "$checker" "$schema" "$@" 2>&1) || r=$?
	echo "$out" | sed 's/^/# /'
	return $r
}
check_schema() { # DESCRIPTION, ARGS...
	local what=$1 r=0
	shift
	schema_ok "$@" || r=$?
	if [ $r -eq 77 ]; then ok "$what # SKIP python3-jsonschema is not installed"
	elif [ $r -eq 0 ]; then ok "$what"
	else not_ok "$what"; fi
}

echo "1..50"

# ---- the grammar ----
run_exe run "$data/smtp.pcap" "$data/wikipedia.pcap" "$pd"
check "two captures without --: refused, the fix named" \
	eval 'status_is 2 && err_has "wikipedia.pcap is a capture, not an expert: several captures take a -- before the experts"'
run_exe run "$data/smtp.pcap" "$data/wikipedia.pcap" --
check "captures and -- but no expert: refused" eval 'status_is 2 && err_has "give at least one expert after the --"'
run_exe run --resume "$data/smtp.pcap" "$data/wikipedia.pcap" -- "$pd"
check "--resume without --results: refused" eval 'status_is 2 && err_has "--resume needs --results FILE"'
run_exe run --shard 4/4 "$data/smtp.pcap" -- "$pd"
check "--shard 4/4: refused, shards numbered from 0" \
	eval 'status_is 2 && err_has "numbered from 0 to 3"'
run_exe run --json --shard x "$data/smtp.pcap" -- "$pd"
check "--shard x with --json: refused as a JSON document" \
	eval 'status_is 2 && json "r[\"exit_status\"] == 2 and \"not I/N\" in r[\"error\"]"'
printf '# the bundled captures\nsmtp.pcap\n\nmissing.pcap\n' >"$work/list"
cp "$data/smtp.pcap" "$work/"
run_exe run --captures-from "$work/list" "$pd"
check "a missing capture in --captures-from: refused with FILE:LINE" \
	eval 'status_is 2 && err_has "list:4: missing.pcap: No such file or directory"'
run_exe run "$data/smtp.pcap" "$work/smtp.pcap" "$data/smtp.pcap" -- "$pd"
check "the same capture twice: refused" \
	eval 'status_is 2 && err_has "the same capture as"'
run_exe run "$data/smtp.pcap" "$work/smtp.pcap" -- "$pd" "$pd"
check "an expert twice in a batch: refused" eval 'status_is 2 && err_has "is given twice"'
run_exe run --json "$data/smtp.pcap" "$pd"
check "one capture and no batch option: run as ever (the jobs document)" \
	eval 'status_is 0 && json "\"jobs\" in r and \"results\" not in r and r[\"capture\"][\"path\"].endswith(\"smtp.pcap\")"'

# ---- a batch: captures, a directory, a list ----
caps="$work/caps"
mkdir "$caps"
for c in smtp.pcap wikipedia.pcap dns-edns-ecs.pcap http_cooper-grill-dvwa.pcapng tcp_ssh-dups.pcap \
         tunnels_vxlan.pcap; do
	cp "$data/$c" "$caps/"
done
echo "not a capture" >"$caps/README"
out1=$(fresh_dir)
run_exe run --results "$work/r1.jsonl" --output-dir "$out1" "$caps" -- "${shipped[@]}"
check "a directory: exit 0" status_is 0
check "a directory: the file that is no capture skipped, said on stderr" \
	err_has "README: not a pcap or pcapng file, skipped"
check "text: a line per capture as it ends" \
	eval 'has "^capture  $caps/smtp.pcap \\(pcap, 125 frames\\): 5 of 5 completed and returned 0$" && [ "$(grep -c "^capture  " "$work/out")" -eq 6 ]'
check "text: the summary counts outcomes per expert across the captures" \
	eval 'has "^summary  30 pair\\(s\\) of 6 capture\\(s\\) x 5 expert\\(s\\)$" && has "^protocol-coalesce +6 +6$" && has "^top-talkers +6 +6$"'
check "results: a header, then one line per pair" \
	lines "h['record'] == 'batch' and h['pairs'] == 30 and len(p) == 30 and sorted(x['pair']['index'] for x in p) == list(range(30))" "$work/r1.jsonl"
check "results: each pair's capture and expert as the pair list numbers them" \
	lines "all(x['pair']['capture'] == h['captures'][x['pair']['index'] // 5]['path'] and x['pair']['expert'] == h['experts'][x['pair']['index'] % 5] for x in p)" "$work/r1.jsonl"
check "results: the captures sorted by path, with their sizes" \
	lines "[c['path'] for c in h['captures']] == sorted(c['path'] for c in h['captures']) and all(c['bytes'] > 0 for c in h['captures'])" "$work/r1.jsonl"
check_schema "results: every line valid against docs/results.schema.json" --lines "$work/r1.jsonl"
check "outputs: a folder per capture, then per job" \
	eval 'test -s "$out1/smtp/protocol-coalesce/coalesced.pcap" && test -s "$out1/http_cooper-grill-dvwa/protocol-coalesce/coalesced.pcap" && [ "$(ls "$out1" | wc -l)" -eq 6 ]'
check "outputs: each pair's record names its output's path" \
	lines "all(x['job']['outputs'][0]['path'].startswith('$out1/') and x['job']['outputs'][0]['state'] == 'written' for x in p if 'coalesce' in x['pair']['expert'])" "$work/r1.jsonl"

printf '%s\n' smtp.pcap wikipedia.pcap dns-edns-ecs.pcap http_cooper-grill-dvwa.pcapng \
	tcp_ssh-dups.pcap tunnels_vxlan.pcap >"$caps/list"
run_exe run --json --output-dir "$(fresh_dir)" --captures-from "$caps/list" "${shipped[@]}"
digest1=$(head -n 1 "$work/r1.jsonl" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pairs_digest"])')
check "--captures-from: the same pairs as the directory (one digest)" \
	eval 'status_is 0 && json "r[\"pairs_digest\"] == \"$digest1\""'
cp "$work/out" "$work/list.json"
check "--json: the batch document, its summary per expert" \
	json "r['command'] == 'run' and r['pairs']['total'] == 30 and [s['pairs'] for s in r['summary']] == [6] * 5 and all(s['outcomes']['completed'] == 6 for s in r['summary']) and len(r['results']) == 30 and r['exit_status'] == 0"
check_schema "--json: the batch document valid against the schema" --document "$work/list.json"
run_exe run --json --output-dir "$(fresh_dir)" "$caps/smtp.pcap" "$caps/wikipedia.pcap" "$caps/dns-edns-ecs.pcap" \
	"$caps/http_cooper-grill-dvwa.pcapng" "$caps/tcp_ssh-dups.pcap" "$caps/tunnels_vxlan.pcap" -- \
	"${shipped[@]}"
check "several captures given one by one: the same digest and outcomes as the list" \
	python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
sys.exit(not (a["pairs_digest"] == b["pairs_digest"] and
              [(x["pair"]["index"], x["job"]["outcome"], x["job"]["events"]) for x in a["results"]] ==
              [(x["pair"]["index"], x["job"]["outcome"], x["job"]["events"]) for x in b["results"]]))' \
	"$work/out" "$work/list.json"

# ---- exit statuses of a batch ----
run_exe run "$data/truncated/pcap-cut-in-frame-data.pcap" "$caps/smtp.pcap" -- "$pd" "$tt"
check "a batch with a capture cut short, all else well: exit 3" \
	eval 'status_is 3 && has "PARTIAL: stopped after frame 5"'
run_exe run --json "$data/truncated/pcap-header-short.pcap" "$caps/smtp.pcap" -- "$pd" "$tt"
check "a capture that does not load: its pairs not-started, the others run, exit 1" \
	eval 'status_is 1 && json "sorted((x[\"pair\"][\"capture\"].endswith(\"short.pcap\"), x[\"job\"][\"outcome\"]) for x in r[\"results\"]) == [(False, \"completed\")] * 2 + [(True, \"not-started\")] * 2 and all(\"truncated dump file\" in x[\"capture\"][\"error\"] for x in r[\"results\"] if \"error\" in x[\"capture\"])"'
run_exe run --json --html "$work/batch.html" "$caps/smtp.pcap" "$caps/wikipedia.pcap" -- \
	"$experts/misbehave-segfault.so" "$pd"
check "an expert crashing on every capture: exit 1, counted per expert" \
	eval 'status_is 1 && json "r[\"summary\"][0][\"outcomes\"][\"crashed\"] == 2 and r[\"summary\"][1][\"outcomes\"][\"completed\"] == 2"'
check "--html: the batch's page, each failed pair listed" \
	eval 'grep -q "Outcomes per expert" "$work/batch.html" && [ "$(grep -o "misbehave-segfault.so</td><td>crashed" "$work/batch.html" | wc -l)" -eq 2 ]'

# ---- killed mid-batch, then --resume ----
# slow-output holds its output 300 ms: the batch takes a few seconds, and
# is killed with SIGKILL once some pairs are recorded.
slow_args=(--profile "slow-output=$source_root/tests/profiles/slow-outputs.profile"
           -c slow-output:hold_ms=300 -c slow-output:frames=50)
out2=$(fresh_dir)
"$exe" run --results "$work/r2.jsonl" --output-dir "$out2" "${slow_args[@]}" "$caps" -- "$slow" "$pd" \
	>"$work/killed.out" 2>&1 &
pid=$!
recorded() { [ -f "$work/r2.jsonl" ] && [ "$(wc -l <"$work/r2.jsonl")" -ge 4 ]; }
for _ in $(seq 400); do recorded && break; sleep 0.05; done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
before=$(($(wc -l <"$work/r2.jsonl") - 1))
echo "# killed with $before pair(s) recorded"
check "killed mid-batch: only whole lines, some pairs but not all" \
	eval '[ "$before" -ge 3 ] && [ "$before" -lt 12 ] && [ "$(tail -c 1 "$work/r2.jsonl" | od -An -c | tr -d " ")" = "\\n" ]'
# Every file under a final name: a pcap header, then whole records to the
# end (slow-output writes pcap in this host's order).
whole_captures() {
	python3 -c '
import glob, struct, sys
files = glob.glob(sys.argv[1] + "/*/*/*")
for f in files:
    b = open(f, "rb").read()
    at = 24
    while len(b) >= 24 and at + 16 <= len(b):
        at += 16 + struct.unpack_from("=I", b, at + 8)[0]
    if len(b) < 24 or at != len(b):
        print("# not whole:", f); sys.exit(1)
print("#", len(files), "whole")' "$1"
}
check "killed mid-batch: every output under a final name is a whole capture" whole_captures "$out2"
# As if it had died mid-write, too: a torn last line.
printf '{"schema":"expert-exec/results/1","record":"pair","pairs_dig' >>"$work/r2.jsonl"
run_exe run --results "$work/r2.jsonl" --output-dir "$out2" "${slow_args[@]}" "$caps" -- "$slow" "$pd"
check "--resume without --resume: refused, the file kept" \
	eval 'status_is 2 && err_has "give --resume"'
run_exe run --resume --results "$work/r2.jsonl" --output-dir "$out2" "${slow_args[@]}" "$caps" -- \
	"$slow" "$pd"
check "--resume: exit 0, the torn last line ignored with a warning" \
	eval 'status_is 0 && err_has "r2.jsonl:$((before + 2)): a torn last line"'
check "--resume: only the pairs not recorded were run" \
	eval 'has "\\($((12 - before)) run now, $before done before, from the results file\\)"'
check "--resume: every pair exactly once, the file whole lines only" \
	lines "len(p) == 12 and sorted(x['pair']['index'] for x in p) == list(range(12))" "$work/r2.jsonl"
check "--resume: every output whole, in its folder per capture and job" \
	eval '[ "$(ls "$out2"/*/slow-output/slow.pcap | wc -l)" -eq 6 ] && whole_captures "$out2"'
check_schema "--resume: the results file valid against the schema" --lines "$work/r2.jsonl"
run_exe run --resume --results "$work/r2.jsonl" "$caps/smtp.pcap" "$caps/wikipedia.pcap" -- "$slow" "$pd"
check "--resume over other captures: refused, another batch's results" \
	eval 'status_is 2 && err_has "holds the results of another batch"'
run_exe run --resume --shard 1/2 --results "$work/r2.jsonl" --output-dir "$out2" "${slow_args[@]}" \
	"$caps" -- "$slow" "$pd"
check "--resume as another shard: refused" \
	eval 'status_is 2 && err_has "holds (the results of another batch|shard 0/1)"'

# ---- shards, and merge ----
for i in 0 1 2; do
	run_exe run --shard "$i/3" --results "$work/s$i.jsonl" --output-dir "$(fresh_dir)" "$caps" -- \
		"${shipped[@]}"
	check "shard $i/3: exit 0" status_is 0
done
check "the shards together: every pair exactly once, none twice" \
	python3 -c '
import json, sys
seen = []
for f in sys.argv[1:]:
    recs = [json.loads(l) for l in open(f).read().split("\n")[:-1]]
    shard = recs[0]["shard"]
    assert all(r["shard"] == shard for r in recs)
    seen += [r["pair"]["index"] for r in recs[1:]]
sys.exit(not (sorted(seen) == list(range(30))))' "$work/s0.jsonl" "$work/s1.jsonl" "$work/s2.jsonl"
check "the shards: each loads its captures whole (no capture split over two)" \
	python3 -c '
import json, sys
owner = {}
for f in sys.argv[1:]:
    for l in open(f).read().split("\n")[2 - 1:-1]:
        r = json.loads(l)
        if r["record"] != "pair": continue
        owner.setdefault(r["pair"]["capture"], set()).add(f)
sys.exit(not all(len(v) == 1 for v in owner.values()))' "$work/s0.jsonl" "$work/s1.jsonl" "$work/s2.jsonl"
run_exe merge --json --html "$work/merge.html" "$work/s2.jsonl" "$work/s0.jsonl" "$work/s1.jsonl"
check "merge: exit 0, 30 pairs from 3 shards" \
	eval 'status_is 0 && json "r[\"command\"] == \"merge\" and r[\"shards\"] == 3 and r[\"pairs\"][\"results\"] == 30"'
check "merge: equal to the single run, pair for pair (outcomes and events)" \
	python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
single = [json.loads(l) for l in open(sys.argv[2]).read().split("\n")[1:-1]]
key = lambda x: (x["pair"]["index"], x["pair"]["capture"], x["pair"]["expert"], x["job"]["outcome"],
                 x["job"].get("return_value"), x["job"]["events"])
sys.exit(not (sorted(map(key, m["results"])) == sorted(map(key, single))))' "$work/out" "$work/r1.jsonl"
check_schema "merge --json: valid against the schema" --document "$work/out"
check "merge --html: the page" grep -q "merged from 3 shard" "$work/merge.html"
run_exe merge "$work/s0.jsonl" "$work/s1.jsonl"
check "merge: a shard missing is refused, its gaps and shard named" \
	eval 'status_is 2 && err_has "pair\\(s\\) in no file \\(gaps\\)" && err_has "shard 2/3: [0-9]+ pair\\(s\\) missing"'
cp "$work/s1.jsonl" "$work/s1-again.jsonl"
run_exe merge "$work/s0.jsonl" "$work/s1.jsonl" "$work/s2.jsonl" "$work/s1-again.jsonl"
check "merge: a shard's results twice is refused, the overlaps named" \
	eval 'status_is 2 && err_has "in more than one place \\(overlaps\\)" && err_has "in .*s1.jsonl:2 and in .*s1-again.jsonl:2"'
run_exe merge "$work/s0.jsonl" "$work/s1.jsonl" "$work/r2.jsonl"
check "merge: results of another batch are refused" \
	eval 'status_is 2 && err_has "are results of different batches"'
run_exe merge "$work/r1.jsonl"
check "merge of one unsharded results file: its summary" \
	eval 'status_is 0 && has "^summary  30 pair\\(s\\) of 6 capture\\(s\\) x 5 expert\\(s\\), merged from 1 shard\\(s\\)$"'
exit $failed
