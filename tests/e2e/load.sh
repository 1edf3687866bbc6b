#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Load: on a private dockerd, HR_LOAD_RUNS `docker run --rm` through the
# shim (300 for the full run, 100 in the suite), HR_LOAD_PARALLEL (8) at a
# time, while a stream of `docker exec` and `docker update` goes into two
# long-running hardened containers. Every command succeeds; afterwards no
# staging, state, id block, mount, memfd or temporary file is left.
# The full size:  HR_LOAD_RUNS=300 meson test -C build load
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
. "$HR_SOURCE/tests/e2e/dockerd-lib.sh"
runs=${HR_LOAD_RUNS:-100}
par=${HR_LOAD_PARALLEL:-8}

write_config runc hardened ""
start_daemon
import_busybox hr-busybox:test
img=hr-busybox:test
claims_before=$({ ls /run/hardened-runc/ids 2>/dev/null || true; } | wc -l)

l1=$(D run -d --runtime hardened --network none "$img" sleep 3600)
l2=$(D run -d --runtime hardened --network none "$img" sleep 3600)
# the stream: exec and update, alternately, into both, until told to stop
stream() {
        local n=0 bad=0
        while [ ! -e "$work/stop" ]; do
                for c in "$l1" "$l2"; do
                        D exec "$c" id -u >/dev/null 2>>"$work/stream.err" || bad=$((bad + 1))
                        D update --memory $(((n % 4 + 1) * 64))m --memory-swap $(((n % 4 + 1) * 64))m \
                                --pids-limit $((100 + n % 50)) "$c" >/dev/null 2>>"$work/stream.err" ||
                                bad=$((bad + 1))
                        n=$((n + 2))
                done
        done
        echo "$n $bad" >"$work/stream.result"
}
# the peak number of creates the shim was judging at once
sampler() {
        local peak=0 now
        while [ ! -e "$work/stop" ]; do
                now=$(pgrep -fc -- "^$shim .* create " || true)
                [ "$now" -le "$peak" ] || peak=$now
                sleep 0.05
        done
        echo "$peak" >"$work/peak"
}
stream &
spid=$!
sampler &
ppid_=$!

start=$(date +%s)
seq 1 "$runs" | xargs -P "$par" -I{} sh -c \
        'docker -H "unix://$1" run --rm --runtime hardened --network none "$2" sh -c "test \$(id -u) = 65534" >/dev/null 2>>"$3/runs.err" || echo {} >>"$3/runs.failed"' \
        _ "$sock" "$img" "$work"
elapsed=$(($(date +%s) - start))
touch "$work/stop"
wait "$spid" "$ppid_"
read -r streamed stream_bad <"$work/stream.result"
[ ! -s "$work/runs.failed" ] ||
        fail "$(wc -l <"$work/runs.failed") of $runs docker runs failed: $(head -5 "$work/runs.err")"
pass "$runs docker run --rm through the shim, $par at a time, in ${elapsed}s: every one ran hardened (uid 65534)"
[ "$stream_bad" = 0 ] || fail "$stream_bad of $streamed docker exec/update failed: $(head -5 "$work/stream.err")"
pass "meanwhile $streamed docker exec and docker update into two long-running containers: every one succeeded"
echo "# peak concurrent creates in the shim: $(cat "$work/peak")"
pids=$(cgroup_read "$(D inspect -f '{{.State.Pid}}' "$l1")" pids pids.max pids.max)
[ "$pids" -ge 100 ] && [ "$pids" -le 149 ] || fail "the last update did not reach the cgroup: pids.max $pids"

D rm -f "$l1" "$l2" >/dev/null
[ "$(staging_count)" = "0 0" ] || fail "staging left: $(ls /run/hardened-runc)"
claims=$({ ls /run/hardened-runc/ids 2>/dev/null || true; } | wc -l)
[ "$claims" = "$claims_before" ] || fail "id block claims: $claims_before before, $claims after"
left=$(find /proc/[0-9]*/fd -lname 'memfd:hardened-runc*' 2>/dev/null | head -3 || true)
[ -z "$left" ] || fail "memfds of the shim still open: $left"
tmps=$(find "$work" /run/hardened-runc /tmp -maxdepth 8 -name '.*.hardened-runc-*' 2>/dev/null | head -3 || true)
[ -z "$tmps" ] || fail "temporary files left: $tmps"
pass "afterwards: no staging, state, id block, memfd or temporary file left"
assert_no_leftovers
