# lib.sh — what the shell integration tests share, sourced by each: a
# scratch directory removed on exit, and TAP output, one line per check.
# The test prints its plan ("1..N") and ends with `exit $failed`.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() { # description, then a command
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
# wait_for SECONDS COMMAND...: polls every 50 ms.
wait_for() {
	local tries=$(($1 * 20))
	shift
	for _ in $(seq "$tries"); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
