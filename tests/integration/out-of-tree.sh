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
	return true;
}

int expert_run(ExpertKey *key)
{
	ExpertFrame frame;
	unsigned n = 0;
	while (expert_get_next_frame(key, &frame) == EXPERT_OK)
		n++;
	return n > 0 ? 0 : 1;
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
