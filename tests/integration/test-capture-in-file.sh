#!/usr/bin/env bash
# A pcap file's frames read where they lie (issue 14, point 4): the jobs map
# the file itself after the sealed index, unless --copy-capture asks for a
# sealed copy. Both ways give every job the same frames; a pcapng is
# copied; a file truncated while a job reads it kills that job with SIGBUS,
# and the report puts it down to the truncation, not to the expert; with
# --copy-capture the same truncation changes nothing. TAP, one line per
# check.
set -euo pipefail
exe=$1          # build/executor/expert-exec
experts=$2      # build/tests/experts
data=$3         # tests/data
profiles=$4     # tests/profiles
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

counter=$experts/misbehave-well-behaved.so
slow=$experts/slow-output.so
slow_profile=$profiles/slow-outputs.profile

# json FILE EXPR: a Python expression over the JSON document (bound to r;
# j is its first job) is true.
json() {
	python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
j = r['jobs'][0]
sys.exit(0 if ($2) else 1)" "$1"
}

echo "1..8"

# ---- the same frames either way ----
"$exe" run --json "$data/smtp.pcap" "$counter" >"$work/in-file.json" || true
"$exe" run --json --copy-capture "$data/smtp.pcap" "$counter" >"$work/copied.json" || true
check "a pcap file's frames are read in the file" json "$work/in-file.json" "r['capture']['frames_in'] == 'file'"
check "--copy-capture copies them" json "$work/copied.json" "r['capture']['frames_in'] == 'memfd'"
events() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['jobs'][0]['events'])" "$1"; }
check "both ways, the same job: completed, every frame counted alike" \
	eval "json '$work/in-file.json' \"j['outcome'] == 'completed' and j['frames_read'] == r['capture']['frames'] > 0\" &&
	      [ \"\$(events '$work/in-file.json')\" = \"\$(events '$work/copied.json')\" ]"
"$exe" run --json "$data/http_cooper-grill-dvwa.pcapng" "$counter" >"$work/pcapng.json" || true
check "a pcapng file is copied" json "$work/pcapng.json" "r['capture']['frames_in'] == 'memfd'"

# ---- the file truncated while a job reads it ----
# truncated_run NAME ARGS...: copies smtp.pcap, starts a slow-output job
# that reads every frame 100 times, 50 ms apart, and once its output exists
# (so the capture is loaded and the job runs) truncates the copy to nothing.
truncated_run() {
	local name=$1
	shift
	local capture=$work/$name.pcap outdir=$work/$name.out
	cp "$data/smtp.pcap" "$capture"
	mkdir -p "$outdir"
	"$exe" run --json --profile "$slow_profile" --output-dir "$outdir" "$@" \
		-c slow-output:frames=1 -c slow-output:reread=100 "$capture" "$slow" \
		>"$work/$name.json" 2>"$work/$name.err" &
	local pid=$!
	output_open() {
		local fd
		for fd in /proc/"$pid"/fd/*; do
			case $(readlink "$fd" 2>/dev/null) in
			"$outdir/slow-output/"*) return 0 ;;
			esac
		done
		return 1
	}
	if wait_for 30 output_open; then
		: >"$capture"
		echo "# $name: truncated while the job ran"
	else
		echo "# $name: the job's output never appeared"
	fi
	wait "$pid" || true
	sed -n '1,60s/^/# /p' "$work/$name.json" "$work/$name.err"
}
truncated_run mapped
check "truncated under a job reading it in the file: the job dies of SIGBUS" \
	json "$work/mapped.json" "j['outcome'] == 'crashed' and j.get('signal') == 'SIGBUS'"
check "... and the report says why first: the capture file, not the expert" \
	json "$work/mapped.json" "j['detail'].startswith('the capture file was truncated under the job (its first $(stat -c %s "$data/smtp.pcap") bytes were mapped, it now has 0;')"
truncated_run copied --copy-capture
check "with --copy-capture the same truncation changes nothing: the job completes" \
	json "$work/copied.json" "r['capture']['frames_in'] == 'memfd' and j['outcome'] == 'completed' and j['return_value'] == 0"
check "... and nothing in its report blames the file" \
	json "$work/copied.json" "'truncated' not in j['detail']"
exit $failed
