#!/usr/bin/env bash
# An expert built outside the tree, the way the README says: stage an install
# of this build, compile a small expert with `pkg-config --cflags --libs
# libexpert` against it, and run it with the staged executor.
set -euo pipefail
build_root=$1
capture=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

DESTDIR="$work/stage" meson install -C "$build_root" --no-rebuild --quiet >/dev/null
prefix=$(meson introspect "$build_root" --buildoptions |
         python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
root="$work/stage$prefix"
pc_dir=$(dirname "$(find "$root" -name libexpert.pc | head -n1)")
# The .pc file names the final prefix; point pkg-config at the staged one.
export PKG_CONFIG_PATH="$pc_dir"
export PKG_CONFIG_SYSROOT_DIR="$work/stage"

cat >"$work/counter.c" <<'C'
#include <expert.h>
#include <string.h>

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "Out-of-tree counter");
	info->version = EXPERT_VERSION(1, 0);
	info->flags = EXPERT_FLAG_CONFIGURABLE;
	return true;
}

static unsigned least = 1;

ExpertError expert_configure(ExpertKey *key)
{
	const char *text = expert_config_get(key, "least");
	if (text && strcmp(text, "0") != 0 && strcmp(text, "1") != 0)
		return expert_fail(key, "least: expected 0 or 1");
	least = text ? (unsigned)(text[0] - '0') : 1;
	return EXPERT_OK;
}

int expert_run(ExpertKey *key)
{
	ExpertFrame frame;
	unsigned n = 0;
	while (expert_get_next_frame(key, &frame) == EXPERT_OK)
		n++;
	return n >= least ? 0 : 1;
}
C
cc -std=gnu11 -Wall -Wextra -Werror -shared -fPIC -o "$work/counter.so" "$work/counter.c" \
   $(pkg-config --cflags --libs libexpert)

libdir=$(dirname "$(find "$root" -name 'libexpert.so.0' | head -n1)")
out=$(LD_LIBRARY_PATH="$libdir" "$root/bin/expert-exec" run --json "$capture" "$work/counter.so")
echo "$out" | python3 -c '
import json, sys
job = json.load(sys.stdin)["jobs"][0]
assert job["outcome"] == "completed", job
assert job["return_value"] == 0, job
assert job["expert"]["name"] == "Out-of-tree counter", job
print("out-of-tree expert completed:", job["frames_read"], "frames")'
# A setting it refuses, in its own words, through the installed header.
out=$(LD_LIBRARY_PATH="$libdir" "$root/bin/expert-exec" run --json --config counter:least=7 \
      "$capture" "$work/counter.so" || true)
echo "$out" | python3 -c '
import json, sys
job = json.load(sys.stdin)["jobs"][0]
assert job["outcome"] == "failed-to-load", job
assert job["detail"] == "configure refused: least: expected 0 or 1 (the expert\x27s words)", job
assert job["reason"] == {"text": "least: expected 0 or 1", "reported_by": "expert"}, job
print("its refusal:", job["detail"])'
# An install has the shipped experts' mapping beside them: the staged (moved)
# install finds its own, and each shipped expert runs under its least profile
# with no --profile.
experts_dir=$(dirname "$(find "$root" -name profiles.conf -path '*expert-exec/experts/*' | head -n1)")
outputs="$work/outputs"
mkdir -p "$outputs"
chmod 0777 "$outputs"
out=$(LD_LIBRARY_PATH="$libdir" "$root/bin/expert-exec" run --json --output-dir "$outputs" \
      "$capture" "$experts_dir"/*.so)
echo "$out" | python3 -c '
import json, sys
jobs = json.load(sys.stdin)["jobs"]
want = {"protocol-coalesce": "coalesce", "protocol-distribution": "strict",
        "server-response-time": "strict", "tcp-retransmit": "strict", "top-talkers": "strict"}
got = {j["expert"]["path"].rsplit("/", 1)[1][:-3]: j["profile"]["name"] for j in jobs}
assert got == want, got
for j in jobs:
    assert j["outcome"] == "completed" and j["return_value"] == 0, j
    assert j["profile"]["chosen_by"].startswith("installed mapping " + sys.argv[1] + "/profiles.conf:"), j
print("installed: each shipped expert under its own profile:", got)' "$experts_dir"
