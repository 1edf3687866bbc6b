#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): the create latency of the userns staging, two
# shim builds side by side in one run, paired rounds, medians and ratios.
# The rootfs is an overlay assembled as Docker's is (a busybox lower
# layer, an upper and a work directory); each round times `create` (the
# staging and runc's create) of the same container under each build, then
# deletes it. As root:
#   bash bench/staging.sh OTHER-SHIM [build-dir] [rounds]
# e.g. OTHER-SHIM built from the previous main.
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/lib.sh
other=${1:?usage: staging.sh OTHER-SHIM [build-dir] [rounds]}
build=${2:-build}
rounds=${3:-30}
shim=$PWD/$build/shim/hardened-runc
[ -x "$shim" ] && [ -x "$other" ] || { echo "needs $shim and $other" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (starts containers)" >&2; exit 1; }

work=$(mktemp -d /tmp/hr-bench-staging.XXXXXX)
state=$work/state
cleanup() {
        local id
        for id in $(runc --root "$state" list -q 2>/dev/null); do "$shim" --root "$state" delete -f "$id" >/dev/null 2>&1 || true; done
        "$shim" --root "$state" gc >/dev/null 2>&1 || true
        mountpoint -q "$work/merged" && umount "$work/merged"
        rm -rf "$work"
        remove_staging_root
}
trap cleanup EXIT
chmod 0711 "$work"
make_bundle "$work/b" true
mkdir -p "$work/lower" "$work/upper" "$work/work" "$work/merged"
cp -a "$work/b/rootfs/." "$work/lower/"
mount -t overlay overlay -o "lowerdir=$work/lower,upperdir=$work/upper,workdir=$work/work" "$work/merged"
json_edit "$work/b/config.json" "c['root'] = {'path': '$work/merged', 'readonly': False}"
cp "$work/b/config.json" "$work/orig.json"
# writable root: the rootfs rule off (as baseline), strategy shift
printf '{"name":"w","rules":{"rootfs":{"action":"off"},"userns":{"action":"enforce","strategy":"shift"}}}\n' >"$work/w.json"

create() { # SHIM ID: microseconds of one create
        local t0 t1
        cp "$work/orig.json" "$work/b/config.json"
        t0=${EPOCHREALTIME/./}
        "$1" --profile "$work/w.json" --root "$state" create --bundle "$work/b" "$2" </dev/null >/dev/null 2>&1 ||
                { echo "create $2 with $1 failed" >&2; exit 1; }
        t1=${EPOCHREALTIME/./}
        "$1" --root "$state" delete -f "$2" >/dev/null 2>&1
        echo $((t1 - t0))
}
: >"$work/times"
for i in $(seq 1 "$rounds"); do
        echo "$(create "$other" "o$i") $(create "$shim" "n$i")" >>"$work/times"
done
python3 - "$work/times" "$other" "$shim" <<'PY'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1])]
o = statistics.median(r[0] for r in rows) / 1000
n = statistics.median(r[1] for r in rows) / 1000
print(f"create, shift, overlay rootfs, {len(rows)} paired rounds (medians):")
print(f"  {sys.argv[2]}: {o:.1f} ms")
print(f"  {sys.argv[3]}: {n:.1f} ms (ratio {n / o:.2f})")
PY
