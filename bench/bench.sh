#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks (not tests): hardened-runc against plain runc, side by side in
# one run, medians and ratios. As root, after a build:
#   bash bench/bench.sh [build-dir] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/lib.sh
build=${1:-build}
rounds=${2:-30}
shim=$PWD/$build/shim/hardened-runc
[ -x "$shim" ] || { echo "build first: meson setup $build && ninja -C $build" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (starts containers)" >&2; exit 1; }
for c in runc busybox python3 valgrind /usr/bin/time; do command -v "$c" >/dev/null || { echo "needs $c" >&2; exit 1; }; done

work=$(mktemp -d /tmp/hr-bench.XXXXXX)
trap 'for id in $(runc --root "$work/state" list -q 2>/dev/null); do "$shim" --root "$work/state" delete -f "$id"; done; rm -rf "$work"; remove_staging_root' EXIT
chmod 0711 "$work" # the container's mapped root must reach the rootfs
make_bundle "$work/b" true
cp "$work/b/config.json" "$work/orig.json"
# The shim with /bin/true as its "runtime": its own cost, exec included, on
# Docker's default spec under the profile Docker runs with until rootfs
# staging lands (restricted, userns on warn): every other rule applies.
printf '{"runtime":"/bin/true"}\n' >"$work/true.json"
printf '{"name":"docker","rules":{"userns":{"action":"warn"}}}\n' >"$work/docker.json"
# The captured spec names the capturing host's paths, dockerd and cgroup:
# made to fit this host (rootfs, the three per-container files), its hook
# (no dockerd here) and cgroupsPath (made for another id) left out.
mkdir -p "$work/fx" && ln -s "$work/b/rootfs" "$work/fx/rootfs"
fixture=$work/docker-default.json
python3 - "$PWD/tests/fixtures/default.config.json" "$fixture" "$work/fx" <<'PY'
import json, os, sys
c = json.load(open(sys.argv[1]))
fx = sys.argv[3]
c["root"]["path"] = "rootfs"
for m in c["mounts"]:
    if m.get("type") == "bind":
        m["source"] = os.path.join(fx, os.path.basename(m["source"]))
        open(m["source"], "w").close()
c.pop("hooks", None)
c["linux"].pop("cgroupsPath", None)
json.dump(c, open(sys.argv[2], "w"))
PY

# Timestamps in microseconds from bash 5's clock: no fork per reading (a
# `date` per sample would add about a millisecond to every figure).
: >"$work/times"
for i in $(seq 1 "$rounds"); do
        t0=${EPOCHREALTIME/./}; runc --root "$work/state" run --bundle "$work/b" "r$i" >/dev/null; t1=${EPOCHREALTIME/./}
        cp "$work/orig.json" "$work/b/config.json"
        t2=${EPOCHREALTIME/./}; "$shim" --root "$work/state" run --bundle "$work/b" "h$i" >/dev/null; t3=${EPOCHREALTIME/./}
        cp "$work/orig.json" "$work/b/config.json"
        cp "$fixture" "$work/fx/config.json"
        t4=${EPOCHREALTIME/./}; "$shim" --config "$work/true.json" --profile "$work/docker.json" create --bundle "$work/fx" "s$i"; t5=${EPOCHREALTIME/./}
        t6=${EPOCHREALTIME/./}; "$shim" --dry-run=report --profile "$work/docker.json" create --bundle "$work/fx" "s$i" >/dev/null; t7=${EPOCHREALTIME/./}
        echo "$((t1 - t0)) $((t3 - t2)) $((t5 - t4)) $((t7 - t6))" >>"$work/times"
        "$shim" --config "$work/true.json" delete "s$i" # its state file
        runc --root "$work/state" delete "r$i" >/dev/null 2>&1 || true
        runc --root "$work/state" delete "h$i" >/dev/null 2>&1 || true
done

# exec and update in a running container (created through the shim): runc
# alone against the shim then runc, interleaved. The exec is Docker's own
# process file (tests/fixtures/exec-default.process.json runs `true`).
make_bundle "$work/e" sleep 3600
"$shim" --root "$work/state" run -d --bundle "$work/e" ex </dev/null >/dev/null 2>&1
proc=$PWD/tests/fixtures/exec-default.process.json
# the same process as the shim hands runc, so that runc starts the same
# thing in both rows (Docker's root process with 14 capabilities is not)
"$shim" --dry-run=spec --root "$work/state" exec --process "$proc" ex >"$work/hardened.json"
: >"$work/times-exec"
for i in $(seq 1 "$rounds"); do
        # each pair alternates which goes first, so neither always follows
        # the same predecessor
        if [ $((i % 2)) = 0 ]; then
                t0=${EPOCHREALTIME/./}; runc --root "$work/state" exec --process "$work/hardened.json" ex >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
                t2=${EPOCHREALTIME/./}; "$shim" --root "$work/state" exec --process "$proc" ex >/dev/null 2>&1; t3=${EPOCHREALTIME/./}
                t4=${EPOCHREALTIME/./}; runc --root "$work/state" update --pids-limit 300 ex; t5=${EPOCHREALTIME/./}
                t6=${EPOCHREALTIME/./}; "$shim" --root "$work/state" update --pids-limit 300 ex; t7=${EPOCHREALTIME/./}
        else
                t2=${EPOCHREALTIME/./}; "$shim" --root "$work/state" exec --process "$proc" ex >/dev/null 2>&1; t3=${EPOCHREALTIME/./}
                t0=${EPOCHREALTIME/./}; runc --root "$work/state" exec --process "$work/hardened.json" ex >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
                t6=${EPOCHREALTIME/./}; "$shim" --root "$work/state" update --pids-limit 300 ex; t7=${EPOCHREALTIME/./}
                t4=${EPOCHREALTIME/./}; runc --root "$work/state" update --pids-limit 300 ex; t5=${EPOCHREALTIME/./}
        fi
        t8=${EPOCHREALTIME/./}; "$shim" --config "$work/true.json" --root "$work/state" exec --process "$proc" ex; t9=${EPOCHREALTIME/./}
        echo "$((t1 - t0)) $((t3 - t2)) $((t5 - t4)) $((t7 - t6)) $((t9 - t8))" >>"$work/times-exec"
done
"$shim" --root "$work/state" delete -f ex >/dev/null 2>&1

cp "$fixture" "$work/fx/config.json"
# valgrind stops counting at exec, so count a dry run: parse, rules, emit.
valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$shim" --dry-run=report --profile "$work/docker.json" \
        create --bundle "$work/fx" cg 2>"$work/cg.log" >/dev/null
# (the userns rule's probe child, forked without exec, is counted too)
instr=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.log" | awk '{s += $1} END {print s}')
cp "$fixture" "$work/fx/config.json"
rss_shim=$(/usr/bin/time -f %M "$shim" --config "$work/true.json" --profile "$work/docker.json" create --bundle "$work/fx" m 2>&1 >/dev/null | tail -1)
"$shim" --config "$work/true.json" delete m
rss_runc=$(/usr/bin/time -f %M runc --root "$work/state" run --bundle "$work/b" m 2>&1 >/dev/null | tail -1)
runc --root "$work/state" delete m >/dev/null 2>&1 || true

# Scaling with spec size: N extra annotations, dry run (parse, rules, emit).
scale=""
for n in 1000 10000 90000; do
        python3 - "$fixture" "$work/fx/config.json" "$n" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("annotations", {}).update({f"org.example.k{i}": "v" * 16 for i in range(int(sys.argv[3]))})
json.dump(c, open(sys.argv[2], "w"))
PY
        size=$(stat -c %s "$work/fx/config.json")
        t0=${EPOCHREALTIME/./}; "$shim" --dry-run=report --profile "$work/docker.json" create --bundle "$work/fx" x >/dev/null; t1=${EPOCHREALTIME/./}
        rss=$(/usr/bin/time -f %M "$shim" --dry-run=report --profile "$work/docker.json" create --bundle "$work/fx" x 2>&1 >/dev/null | tail -1)
        scale="$scale$n $size $((t1 - t0)) $rss
"
done

python3 - "$work/times" "$rounds" "$instr" "$rss_shim" "$rss_runc" "$scale" "$work/times-exec" <<'PY'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1])]
ex = [list(map(int, l.split())) for l in open(sys.argv[7])]
runc = statistics.median(r[0] for r in rows) / 1e3
shim = statistics.median(r[1] for r in rows) / 1e3
own = statistics.median(r[2] for r in rows) / 1e3
dry = statistics.median(r[3] for r in rows) / 1e3
print(f"rounds: {sys.argv[2]} (interleaved); container: busybox `true`; spec for the shim-alone rows: tests/fixtures/default.config.json")
print(f"{'':40} {'median ms':>10}")
print(f"{'runc run':40} {runc:10.2f}")
print(f"{'hardened-runc run (then runc)':40} {shim:10.2f}   ratio {shim / runc:.3f}")
print(f"{'hardened-runc alone (runtime=/bin/true)':40} {own:10.2f}   ({own / runc * 100:.1f}% of runc run)")
print(f"{'hardened-runc --dry-run=report (no I/O)':40} {dry:10.2f}")
med = [statistics.median(r[k] for r in ex) / 1e3 for k in range(5)]
print(f"{'runc exec --process (the hardened one)':40} {med[0]:10.2f}")
print(f"{'hardened-runc exec --process (then runc)':40} {med[1]:10.2f}   ratio {med[1] / med[0]:.3f}")
print(f"{'hardened-runc exec alone (runtime=/bin/true)':40} {med[4]:10.2f}")
print(f"{'runc update --pids-limit 300':40} {med[2]:10.2f}")
print(f"{'hardened-runc update --pids-limit 300':40} {med[3]:10.2f}   ratio {med[3] / med[2]:.3f}")
print(f"instructions, hardened-runc --dry-run=report on docker default spec: {int(sys.argv[3]):,}")
print(f"peak RSS KiB: hardened-runc {sys.argv[4]}, runc run {sys.argv[5]}")
print("spec size scaling (dry-run=report):")
print(f"  {'annotations':>11} {'bytes':>9} {'us':>8} {'RSS KiB':>8}")
for line in sys.argv[6].strip().splitlines():
    n, size, us, rss = line.split()
    print(f"  {n:>11} {size:>9} {us:>8} {rss:>8}")
PY
