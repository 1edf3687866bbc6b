#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 3: a private dockerd (own data-root, exec-root, socket, pid file;
# no iptables, no bridge) with hardened-runc registered as a runtime, then as
# the default runtime. Proves what the kernel reports inside containers that
# docker starts through the shim, that docker's lifecycle verbs still work,
# that a refusal reaches `docker run`'s own error output, and that nothing is
# left behind.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd dockerd containerd docker runc busybox python3 tar
shim=${HR_SHIM:?}

work=$(mktemp -d /tmp/hr-e2e.XXXXXX)
# dockerd and containerd create these fixed paths even with private roots
# (plugin discovery, trust key, shim sockets); remove the ones we caused.
host_paths="/run/containerd /var/run/docker /etc/docker"
created=
for p in $host_paths; do [ -e "$p" ] || created="$created $p"; done
sock=$work/docker.sock
dpid=
D() { docker -H "unix://$sock" "$@"; }

stop_daemon() {
        [ -n "$dpid" ] || return 0
        D ps -aq 2>/dev/null | xargs -r docker -H "unix://$sock" rm -f >/dev/null 2>&1 || true
        kill -TERM "$dpid" 2>/dev/null || true
        for _ in $(seq 1 60); do
                kill -0 "$dpid" 2>/dev/null || break
                sleep 0.5
        done
        kill -KILL "$dpid" 2>/dev/null || true
        wait "$dpid" 2>/dev/null || true
        dpid=
}

leftover_mounts() {
        awk -v w="$work" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo
}

cleanup() {
        stop_daemon
        pkill -KILL -f "$work" 2>/dev/null || true
        leftover_mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
        rm -rf "$work"
        for p in $created; do rm -rf "$p"; done
}
trap cleanup EXIT

write_config() { # DEFAULT-RUNTIME
        cat >"$work/daemon.json" <<JSON
{
  "iptables": false,
  "ip6tables": false,
  "bridge": "none",
  "default-runtime": "$1",
  "runtimes": {
    "hardened": { "path": "$shim" },
    "hardened-deny": { "path": "$shim", "runtimeArgs": ["--profile=$work/deny.json"] }
  }
}
JSON
}

start_daemon() {
        dockerd --config-file "$work/daemon.json" --data-root "$work/data" --exec-root "$work/exec" \
                --pidfile "$work/docker.pid" -H "unix://$sock" >>"$work/dockerd.log" 2>&1 &
        dpid=$!
        for _ in $(seq 1 120); do
                D info >/dev/null 2>&1 && return 0
                kill -0 "$dpid" 2>/dev/null || break
                sleep 0.5
        done
        cat "$work/dockerd.log" >&2
        fail "dockerd did not come up"
}

printf '{"name":"deny-nnp","rules":{"nnp":{"action":"deny"}}}\n' >"$work/deny.json"
write_config runc
start_daemon
pass "private dockerd is up"

make_rootfs "$work/rootfs"
tar -C "$work/rootfs" -c . | D import - hr-busybox:test >/dev/null
rm -rf "$work/rootfs"
img=hr-busybox:test

# --- docker run through the shim: proof from inside ---------------------------
probe='grep NoNewPrivs /proc/self/status; touch /x 2>&1; echo scratch >/tmp/t && cat /tmp/t; grep " / " /proc/self/mounts'
out=$(D run --rm --runtime hardened --network none "$img" sh -c "$probe" 2>&1) || fail "docker run: $out"
expect_contains "$out" "NoNewPrivs:	1" "docker run --runtime hardened: no_new_privs"
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

# --- a refusal is visible in docker run's own error output ------------------
set +e
err=$(D run --rm --runtime hardened-deny --network none "$img" true 2>&1)
rc=$?
set -e
[ "$rc" != 0 ] || fail "refused container ran"
expect_contains "$err" "hardened-runc:" "refusal shown by docker run"
expect_contains "$err" "refused by rule nnp: /process/noNewPrivileges" "docker run shows the reason"
D ps -aq | xargs -r docker -H "unix://$sock" rm -f >/dev/null

# --- the shim as docker's default runtime ---------------------------------------
stop_daemon
write_config hardened
start_daemon
[ "$(D info --format '{{.DefaultRuntime}}')" = hardened ] || fail "default runtime not set"
out=$(D run --rm --network none "$img" sh -c "$probe" 2>&1) || fail "docker run (default runtime): $out"
expect_contains "$out" "NoNewPrivs:	1" "default-runtime hardened: no_new_privs"
expect_contains "$out" "Read-only file system" "default-runtime hardened: / is read-only"
c=$(D run -d --network none "$img" sleep 600)
D exec "$c" true || fail "docker exec (default runtime)"
D rm -f "$c" >/dev/null
pass "default-runtime: run, exec, rm -f"

# --- nothing left behind ---------------------------------------------------------------
stop_daemon
left=$(pgrep -af -- "$work" || true)
[ -z "$left" ] || fail "processes left behind: $left"
[ -z "$(leftover_mounts)" ] || fail "mounts left behind: $(leftover_mounts)"
pass "daemon stopped; no process or mount left"
echo "all e2e checks passed"
