#!/usr/bin/env bash
# A real single-node Slurm runs a batch's shards (issue 15): Debian's
# slurm-wlm and munge, a slurm.conf this test writes into a temporary
# directory (ports, state, spool, logs and munge's socket of its own, so
# nothing clashes with a system Slurm or munged), slurmctld and slurmd
# started here and stopped on the way out, whatever happens. The README's
# own sbatch script (the block after "<!-- slurm-script -->") is submitted
# as a 4-task array over the bundled captures; the shards' results are
# merged and must equal one single-machine run of the same batch, pair for
# pair: outcome, return value and every event (not timings).
#
# Slurm runs jobs as the user who submits them only when its daemons run as
# root: not root, no Slurm or munge installed, no host name, or daemons
# that do not come up, and the test says why and is skipped (exit 77),
# never passed. TAP output, one line per check, and the exit status says
# it all (meson runs it by exit status: 0 passed, 77 skipped, else failed).
set -uo pipefail
# shellcheck source=../integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"
exe=$1          # build/executor/expert-exec
build=$2        # the build directory: build/experts/*/*.so
data=$3         # tests/data
readme=$4       # README.md
# Bounds, so the test stays well under a minute.
START_SECONDS=20   # for the daemons to answer and the node to be idle
JOB_SECONDS=60     # for the array to end

skip() {
	echo "1..0 # SKIP $1"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "Slurm's daemons must run as root to run jobs as the submitting user; run as root"
for tool in slurmctld slurmd sbatch squeue scontrol sinfo munged mungekey munge unmunge; do
	command -v "$tool" >/dev/null || skip "$tool is not installed (Debian: slurm-wlm, munge; scripts/setup.sh installs them)"
done
host=$(hostname -s 2>/dev/null || true)
[ -n "$host" ] || skip "this machine has no short host name (hostname -s) for the node"

tmp=$(mktemp -d /tmp/expert-exec-slurm.XXXXXX)
# munged wants its socket's directory searchable by all.
chmod 0755 "$tmp"
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/results" "$tmp/single"
chmod 0755 "$tmp/munge"
pids=()
jobid=
export SLURM_CONF=$tmp/slurm.conf

# Every daemon started here is stopped, on any exit: jobs cancelled
# first, then slurmd and slurmctld, then munged; SIGKILL for any that
# does not leave within five seconds.
stop_all() {
	[ -n "$jobid" ] && scancel "$jobid" 2>/dev/null
	local p
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ -f "$tmp/munge/munged.pid" ]; then
		p=$(cat "$tmp/munge/munged.pid")
		kill -TERM "$p" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
	fi
	rm -rf "$tmp" "$work"
}
trap stop_all EXIT

logs() { tail -n 5 "$tmp"/log/* "$tmp/munge/munged.log" 2>/dev/null | sed 's/^/# /'; }

# ---- munge, with a key and a socket of its own ----
mungekey -c -k "$tmp/munge/munge.key" || skip "mungekey cannot create a key"
munged -S "$tmp/munge/munge.socket" --key-file="$tmp/munge/munge.key" \
	--pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" \
	--seed-file="$tmp/munge/munged.seed" 2>"$tmp/log/munged.err" ||
	{ logs; skip "munged does not start: $(head -n 1 "$tmp/log/munged.err")"; }
munge -n -S "$tmp/munge/munge.socket" | unmunge -S "$tmp/munge/munge.socket" >/dev/null ||
	{ logs; skip "munged does not answer on its socket"; }

# ---- slurm.conf: two free ports, this host as controller and node ----
read -r ctld_port d_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("", 0))
print(*[x.getsockname()[1] for x in s])')
cat >"$SLURM_CONF" <<EOF
ClusterName=expertexec
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
idle=
for _ in $(seq $((START_SECONDS * 5))); do
	idle=$(sinfo -h -n "$host" -o %T 2>/dev/null)
	[ "$idle" = idle ] && break
	sleep 0.2
done
[ "$idle" = idle ] || { logs; skip "slurmctld and slurmd did not bring node $host up within ${START_SECONDS}s (state: ${idle:-none})"; }

# From here on, Slurm works: anything wrong is a failure.
echo "1..8"

# ---- the README's script, submitted as it is ----
awk '$0 == "<!-- slurm-script -->" { found = 1; next }
     found && /^```/ { if (inside) exit; inside = 1; next }
     inside { print }' "$readme" >"$tmp/expert-exec.sbatch"
sed 's/^/# /' "$tmp/expert-exec.sbatch"
check "the README has the sbatch script, an array of 4 over --shard" \
	grep -q -- '--shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT"' "$tmp/expert-exec.sbatch"
# What the README's script takes from the environment (sbatch passes it).
export EXPERT_EXEC=$exe CAPTURES=$data EXPERTS="$build/experts/*/*.so" RESULTS=$tmp/results
start=$(date +%s)
# One CPU a task, whatever the script asks: a node of any size runs it.
jobid=$(sbatch --parsable --chdir="$tmp" --cpus-per-task=1 --output="$tmp/log/task-%a.out" \
	"$tmp/expert-exec.sbatch")
echo "# submitted job $jobid"
for _ in $(seq $((JOB_SECONDS * 5))); do
	[ -z "$(squeue -h -j "$jobid" 2>/dev/null)" ] && break
	sleep 0.2
done
echo "# the array ended in $(($(date +%s) - start)) s"
states=$(scontrol -o show job "$jobid" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ')
echo "# tasks: $states"
check "all 4 array tasks completed (within ${JOB_SECONDS}s)" \
	eval '[ -z "$(squeue -h -j "$jobid")" ] && [ "$(scontrol -o show job "$jobid" | grep -c "JobState=COMPLETED")" -eq 4 ]'
jobid=
sed 's/^/# task: /' "$tmp"/log/task-*.out | head -n 80
check "each task wrote its shard's results file" \
	eval '[ "$(ls "$tmp"/results/shard-*.jsonl | wc -l)" -eq 4 ]'

# ---- merged, against one run on this machine ----
rc=0
"$exe" merge --json "$tmp"/results/shard-*.jsonl >"$tmp/merged.json" 2>"$tmp/merge.err" || rc=$?
sed 's/^/# /' "$tmp/merge.err"
check "merge: the 4 shards make the whole batch (no overlap, no gap)" \
	eval '[ "$rc" -ne 2 ] && python3 -c "import json,sys; r=json.load(open(sys.argv[1])); sys.exit(not (r[\"shards\"] == 4 and r[\"pairs\"][\"results\"] == r[\"pairs\"][\"total\"] > 0))" "$tmp/merged.json"'
single_rc=0
# shellcheck disable=SC2086 # EXPERTS is a glob, as in the README's script
"$exe" run --results "$tmp/single/results.jsonl" --output-dir "$tmp/single" "$CAPTURES" -- $EXPERTS \
	>"$tmp/single.out" 2>&1 || single_rc=$?
tail -n 8 "$tmp/single.out" | sed 's/^/# /'
check "merge's exit status is the single run's" eval '[ "$rc" -eq "$single_rc" ]'
check "merged results equal the single run, pair for pair (outcomes, return values, events)" \
	python3 -c '
import json, sys
merged = json.load(open(sys.argv[1]))["results"]
single = [json.loads(l) for l in open(sys.argv[2]).read().split("\n")[1:-1]]
key = lambda x: (x["pair"]["index"], x["pair"]["capture"], x["pair"]["expert"],
                 x["job"]["outcome"], x["job"].get("return_value"), x["job"]["events"])
a, b = sorted(map(key, merged)), sorted(map(key, single))
print("#", len(a), "merged,", len(b), "single")
for x, y in zip(a, b):
    if x != y:
        print("# first difference: pair", x[0]); break
sys.exit(not (a == b and len(a) > 0))' "$tmp/merged.json" "$tmp/single/results.jsonl"
check "the shards ran every pair once, each under its own shard" \
	python3 -c '
import json, sys
seen = []
for f in sys.argv[1:]:
    recs = [json.loads(l) for l in open(f).read().split("\n")[:-1]]
    seen += [(r["pair"]["index"], r["shard"]["index"], recs[0]["shard"]["index"]) for r in recs[1:]]
sys.exit(not (sorted(i for i, _, _ in seen) == list(range(len(seen))) and
              all(s == h for _, s, h in seen) and sorted({h for _, _, h in seen}) == [0, 1, 2, 3]))' \
	"$tmp"/results/shard-*.jsonl
check "the shards' outputs: in a folder per capture, then per job, as the single run's" \
	eval 'diff <(cd "$tmp/results/outputs" && find . -type f | sort) <(cd "$tmp/single" && find . -type f -name "*.pcap*" | sort)'
exit $failed
