#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 3: a private dockerd with hardened-runc registered as a runtime,
# then as the default runtime. Proves that docker's lifecycle verbs work
# through the shim, that a refusal reaches `docker run`'s own error output,
# and that nothing is left behind.
# NOTE: the "hardened" runtime here uses restricted with userns on warn (see
# write_test_profile); "hardened-default" is the real default and is
# checked to refuse Docker bundles until rootfs staging exists.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
. "$HR_SOURCE/tests/e2e/dockerd-lib.sh"

write_test_profile
printf '{"name":"deny-nnp","rules":{"userns":{"action":"warn"},"nnp":{"action":"deny"}}}\n' >"$work/deny.json"
write_config runc hardened "$work/test.json" hardened-deny "$work/deny.json" hardened-default ""
start_daemon
pass "private dockerd is up"
import_busybox hr-busybox:test
img=hr-busybox:test

# --- docker run through the shim: proof from inside ---------------------------
probe='grep -E "^(NoNewPrivs|CapEff|Seccomp):" /proc/self/status; id -u; touch /x 2>&1; echo scratch >/tmp/t && cat /tmp/t'
out=$(D run --rm --runtime hardened --network none "$img" sh -c "$probe" 2>&1) || fail "docker run: $out"
expect_contains "$out" "NoNewPrivs:	1" "docker run --runtime hardened: no_new_privs"
expect_contains "$out" "CapEff:	0000000000000000" "docker run --runtime hardened: no capabilities"
expect_contains "$out" "Seccomp:	2" "docker run --runtime hardened: seccomp filter"
expect_contains "$out" "65534" "docker run --runtime hardened: not root"
expect_contains "$out" "Read-only file system" "docker run --runtime hardened: / is read-only"
expect_contains "$out" "scratch" "docker run --runtime hardened: /tmp is writable"
plain=$(D run --rm --network none "$img" sh -c "$probe" 2>&1)
expect_contains "$plain" "NoNewPrivs:	0" "control: plain runc container is not hardened"

# --- lifecycle verbs through the shim ---------------------------------------------
c=$(D run -d --runtime hardened --network none "$img" sleep 600)
D exec "$c" true || fail "docker exec"
ex=$(D exec "$c" sh -c 'touch /y 2>&1' || true)
expect_contains "$ex" "Read-only file system" "docker exec works and sees the read-only root"
D update --memory 64m --memory-swap 64m "$c" >/dev/null || fail "docker update"
pid=$(D inspect -f '{{.State.Pid}}' "$c")
lim=$(cgroup_read "$pid" memory memory.limit_in_bytes memory.max)
[ "$lim" = 67108864 ] || fail "docker update: memory limit is $lim"
pass "docker update reaches the cgroup"
D pause "$c" >/dev/null
[ "$(D inspect -f '{{.State.Paused}}' "$c")" = true ] || fail "docker pause"
D unpause "$c" >/dev/null
[ "$(D inspect -f '{{.State.Paused}}' "$c")" = false ] || fail "docker unpause"
pass "docker pause and unpause"
D rm -f "$c" >/dev/null
[ -z "$(D ps -aq)" ] || fail "docker rm -f left a container"
pass "docker rm -f"

# --- refusals are visible in docker run's own error output -------------------
expect_refused deny-nnp hardened-deny "refused by rule nnp: /process/noNewPrivileges" --network none
expect_refused default-profile hardened-default "the mapped root cannot reach the rootfs" --network none
D ps -aq | xargs -r docker -H "unix://$sock" rm -f >/dev/null

# --- the shim as docker's default runtime ---------------------------------------
stop_daemon
write_config hardened hardened "$work/test.json"
start_daemon
[ "$(D info --format '{{.DefaultRuntime}}')" = hardened ] || fail "default runtime not set"
out=$(D run --rm --network none "$img" sh -c "$probe" 2>&1) || fail "docker run (default runtime): $out"
expect_contains "$out" "NoNewPrivs:	1" "default-runtime hardened: no_new_privs"
expect_contains "$out" "Read-only file system" "default-runtime hardened: / is read-only"
c=$(D run -d --network none "$img" sleep 600)
D exec "$c" true || fail "docker exec (default runtime)"
D rm -f "$c" >/dev/null
pass "default-runtime: run, exec, rm -f"

assert_no_leftovers
echo "all e2e checks passed"
