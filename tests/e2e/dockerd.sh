#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 3: a private dockerd with hardened-runc registered as a runtime,
# then as the default runtime. Proves that docker's lifecycle verbs work
# through the shim, that a refusal reaches `docker run`'s own error output,
# and that nothing is left behind.
# The "hardened" runtime is the default profile, user namespace included
# (the rootfs is staged under /run/hardened-runc, see shim/staging.h).
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
. "$HR_SOURCE/tests/e2e/dockerd-lib.sh"

printf '{"name":"deny-nnp","rules":{"nnp":{"action":"deny"}}}\n' >"$work/deny.json"
write_config runc hardened "" hardened-deny "$work/deny.json"
start_daemon
pass "private dockerd is up"
import_busybox hr-busybox:test
img=hr-busybox:test

# --- docker run through the shim: proof from inside ---------------------------
probe='grep -E "^(NoNewPrivs|CapEff|Seccomp):" /proc/self/status; id -u; touch /x 2>&1; echo scratch >/tmp/t && cat /tmp/t
echo "uid_map $(cat /proc/self/uid_map | tr -s " ")"; echo "hostname $(cat /etc/hostname)"; grep -c localhost /etc/hosts | sed "s/^/hosts /"
test -r /etc/resolv.conf && echo "resolv.conf readable"; ls -ldn /etc | awk "{print \"etc owner \" \$3}"'
out=$(D run --rm --runtime hardened --network none "$img" sh -c "$probe" 2>&1) || fail "docker run: $out"
expect_contains "$out" "NoNewPrivs:	1" "docker run --runtime hardened: no_new_privs"
expect_contains "$out" "CapEff:	0000000000000000" "docker run --runtime hardened: no capabilities"
expect_contains "$out" "Seccomp:	2" "docker run --runtime hardened: seccomp filter"
expect_contains "$out" "65534" "docker run --runtime hardened: not root"
expect_contains "$out" "Read-only file system" "docker run --runtime hardened: / is read-only"
expect_contains "$out" "scratch" "docker run --runtime hardened: /tmp is writable"
own_block_map "$out" >/dev/null || fail "no uid_map of a block of its own: $out"
pass "docker run --runtime hardened: a user namespace of an id block of its own, not the identity map"
expect_contains "$out" "hostname " "docker run --runtime hardened: Docker's /etc/hostname visible"
expect_not_contains "$out" "hosts 0" "docker run --runtime hardened: Docker's /etc/hosts visible"
expect_contains "$out" "resolv.conf readable" "docker run --runtime hardened: Docker's /etc/resolv.conf visible"
expect_contains "$out" "etc owner 0" "docker run --runtime hardened: image files keep their owners (idmapped layers)"
[ "$(staging_count)" = "0 0" ] || fail "docker run --rm left staging: $(staging_count)"
pass "docker run --rm leaves no staging directory or mount"
plain=$(D run --rm --network none "$img" sh -c "$probe" 2>&1)
expect_contains "$plain" "NoNewPrivs:	0" "control: plain runc container is not hardened"

# --- lifecycle verbs through the shim ---------------------------------------------
c=$(D run -d --runtime hardened --network none "$img" sleep 600)
[ "$(staging_count)" != "0 0" ] || fail "a running container has no staging"
D exec "$c" true || fail "docker exec"
ex=$(D exec "$c" sh -c 'touch /y 2>&1' || true)
expect_contains "$ex" "Read-only file system" "docker exec works and sees the read-only root"
D update --memory 64m --memory-swap 64m "$c" >/dev/null || fail "docker update"
pid=$(D inspect -f '{{.State.Pid}}' "$c")
lim=$(cgroup_read "$pid" memory memory.limit_in_bytes memory.max)
[ "$lim" = 67108864 ] || fail "docker update: memory limit is $lim"
pass "docker update reaches the cgroup"

# --- check: the live container's bundle and dockerd's runtime root -----------
# dockerd 20.10 gives every runtime, hardened too, the root
# EXEC-ROOT/runtime-runc, and containerd's shim adds the namespace (measured)
root=$work/exec/runtime-runc/moby
[ -d "$root/$c" ] || fail "no runtime root with $c at $root: $(ls "$work/exec")"
bundle=$(find "$work/exec" -maxdepth 6 -type d -name "$c" -path '*io.containerd.runtime.v2.task/moby/*' | head -1)
[ -n "$bundle" ] || fail "no containerd task bundle for $c under $work/exec"
rc=0
out=$("$HR_SHIM" check --bundle "$bundle" 2>&1) || rc=$?
[ "$rc" = 0 ] || fail "check --bundle of the running container exited $rc: $out"
expect_contains "$out" "$bundle/config.json: profile restricted: compliant" "check --bundle: a live container's rewritten bundle complies"
p=$(D run -d --network none "$img" sleep 600)
rc=0
out=$("$HR_SHIM" --root "$root" check --running 2>&1) || rc=$?
grep -qE "^$c +running +compliant +profile restricted, 0 findings$" <<<"$out" ||
        fail "check --running, the hardened container: $out"
if [ "${HR_VM_RUNTIME:-runc}" = crun ]; then
        # check --running asks the configured runtime: crun lists the
        # containers it made, not plain runc's beside them in the same root
        [ "$rc" = 0 ] || fail "check --running (crun) exited $rc: $out"
        expect_not_contains "$out" "$p" "check --running under crun lists only crun's containers"
else
        [ "$rc" = 1 ] || fail "check --running over a hardened and a plain container exited $rc: $out"
        grep -qE "^$p +running +not compliant +profile restricted, [0-9]+ findings$" <<<"$out" ||
                fail "check --running, the plain container: $out"
fi
D rm -f "$p" >/dev/null
pass "check --running over dockerd's runtime root: the hardened container complies, a plain runc one (where the runtime lists it) does not"

# --- exec and update are judged too ----------------------------------------------
out=$(D exec -u 0 "$c" id -u 2>&1) || fail "docker exec -u 0: $out"
[ "$out" = 65534 ] || fail "docker exec -u 0 C id -u printed '$out'"
pass "docker exec -u 0: the profile's uid ($out)"
out=$(D exec -t -u 0 "$c" id -u 2>&1 | tr -d '\r') || fail "docker exec -t: $out"
[ "$out" = 65534 ] || fail "docker exec -t -u 0 C id -u printed '$out'"
pass "docker exec -t (a terminal through the console socket): uid $out"
out=$(D exec --privileged "$c" grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status 2>&1) ||
        fail "docker exec --privileged: $out"
expect_contains "$out" "CapEff:	0000000000000000" "docker exec --privileged: CapEff zero"
expect_contains "$out" "CapBnd:	0000000000000000" "docker exec --privileged: CapBnd zero"
expect_contains "$out" "NoNewPrivs:	1" "docker exec --privileged: no_new_privs"
expect_contains "$out" "Seccomp:	2" "docker exec --privileged: seccomp filter"
if out=$(D exec -w /proc/self/fd/7 "$c" true 2>&1); then
        fail "docker exec -w /proc/self/fd/7 ran"
fi
expect_contains "$out" "CVE-2024-21626" "docker exec -w /proc/self/fd/7: refused, the reason in docker's output"
D update --memory 0 --pids-limit -1 "$c" >/dev/null || fail "docker update --memory 0 --pids-limit -1"
pids=$(cgroup_read "$pid" pids pids.max pids.max)
lim=$(cgroup_read "$pid" memory memory.limit_in_bytes memory.max)
[ "$pids:$lim" = 4096:67108864 ] || fail "after docker update --memory 0 --pids-limit -1: pids $pids, memory $lim"
pass "docker update --memory 0 --pids-limit -1: pids at the maximum (4096), memory unchanged (64 MiB)"
D update --memory 8g --memory-swap 16g "$c" >/dev/null || fail "docker update --memory 8g"
lim=$(cgroup_read "$pid" memory memory.limit_in_bytes memory.max)
[ "$lim" = 4294967296 ] || fail "docker update --memory 8g: memory limit $lim"
usage=$(D stats --no-stream --format '{{.MemUsage}}' "$c")
expect_contains "$usage" "/ 4GiB" "docker update --memory 8g: clamped to 4 GiB, as docker stats shows"
ctl=$(D run -d --network none "$img" sleep 600)
out=$(D exec -u 0 "$ctl" id -u 2>&1)
[ "$out" = 0 ] || fail "control: docker exec -u 0 with plain runc printed '$out'"
pass "control: with plain runc, docker exec -u 0 is root"
D rm -f "$ctl" >/dev/null
D pause "$c" >/dev/null
[ "$(D inspect -f '{{.State.Paused}}' "$c")" = true ] || fail "docker pause"
D unpause "$c" >/dev/null
[ "$(D inspect -f '{{.State.Paused}}' "$c")" = false ] || fail "docker unpause"
pass "docker pause and unpause"
D rm -f "$c" >/dev/null
[ -z "$(D ps -aq)" ] || fail "docker rm -f left a container"
[ "$(staging_count)" = "0 0" ] || fail "docker rm -f left staging: $(staging_count)"
pass "docker rm -f, and its staging is gone"

# --- sidecars: --network, --pid and --ipc container:X, X under the shim ------------
x=$(D run -d --runtime hardened --network none --ipc shareable "$img" sleep 600)
xpid=$(D inspect -f '{{.State.Pid}}' "$x")
side='cat /proc/self/uid_map | tr -s " "; grep -E "^(NoNewPrivs|CapEff|Seccomp):" /proc/self/status; id -u
ls /sys/class/net | sed "s/^/net: /"; ps -o args | grep -c "^sleep 600" | sed "s/^/sleeps: /"
for n in net pid ipc; do echo "ns $n $(readlink /proc/self/ns/$n)"; done; touch /x 2>&1 || true'
out=$(D run --rm --runtime hardened --network container:"$x" --pid container:"$x" --ipc container:"$x" \
        "$img" sh -c "$side" 2>&1) || fail "a sidecar of a hardened container: $out"
expect_contains "$out" "$(tr -s ' ' </proc/"$xpid"/uid_map)" "sidecar: the uid_map of the container it joins"
expect_contains "$out" "NoNewPrivs:	1" "sidecar: no_new_privs"
expect_contains "$out" "CapEff:	0000000000000000" "sidecar: no capabilities"
expect_contains "$out" "Seccomp:	2" "sidecar: seccomp filter"
expect_contains "$out" "65534" "sidecar: not root"
expect_contains "$out" "Read-only file system" "sidecar: / is read-only"
expect_contains "$out" "net: lo" "sidecar: /sys shows the joined network namespace"
expect_contains "$out" "sleeps: 1" "sidecar: sees the joined container's processes (--pid container:)"
for n in net pid ipc; do
        expect_contains "$out" "ns $n $(readlink /proc/"$xpid"/ns/$n)" "sidecar: in the joined $n namespace"
done
# the sidecar holds the block it shares: with X gone, no new container gets it
sc=$(D run -d --runtime hardened --network container:"$x" "$img" sleep 600)
scmap=$(tr -s ' ' </proc/"$(D inspect -f '{{.State.Pid}}' "$sc")"/uid_map)
D rm -f "$x" >/dev/null
z=$(D run -d --runtime hardened --network none "$img" sleep 600)
zmap=$(tr -s ' ' </proc/"$(D inspect -f '{{.State.Pid}}' "$z")"/uid_map)
[ "$zmap" != "$scmap" ] || fail "a new container got the block a running sidecar shares: $zmap"
pass "with X removed, its running sidecar keeps the id block: a new container gets another ($zmap)"
D rm -f "$sc" "$z" >/dev/null
[ "$(staging_count)" = "0 0" ] || fail "sidecar and its container left staging: $(staging_count)"
pass "sidecar and its container removed, no staging or id block left"
# a container without a user namespace (plain runc): the host's user
# namespace owns its network and ipc namespaces. runc 1.1 could not enter
# them after the sidecar's user namespace (on create, and on every exec),
# so hardened-runc enters them before runc runs, and mounts a fresh sysfs
# and mqueue for them: the sidecar sees that network namespace's devices
# alone, and nothing mounted below the host's /sys
y=$(D run -d --network none --ipc shareable "$img" sleep 600)
ypid=$(D inspect -f '{{.State.Pid}}' "$y")
side='grep -E "^(NoNewPrivs|CapEff|Seccomp):" /proc/self/status; id -u
echo "netdevs: $(ls -A /sys/class/net | tr "\n" " ")/$(ls -A /sys/devices/virtual/net | tr "\n" " ")"
echo "firmware: $(ls /sys/firmware | wc -l)"; grep -E " /(sys|dev/mqueue) " /proc/self/mounts; touch /sys/x 2>&1 || true
echo "below: $(ls -A /sys/kernel/debug /sys/kernel/security /sys/fs/bpf 2>/dev/null | grep -v ":$" | grep -c .)"
for n in net ipc; do echo "ns $n $(readlink /proc/self/ns/$n)"; done'
# securityfs below the host's /sys, for this check, where the host has none
secfs=
if ! mountpoint -q /sys/kernel/security && mount -t securityfs securityfs /sys/kernel/security 2>/dev/null; then
        secfs=yes
fi
[ -n "$(ls -A /sys/kernel/security 2>/dev/null)" ] || fail "control: /sys/kernel/security is empty on the host"
rc=0
out=$(D run --rm --runtime hardened --network container:"$y" --ipc container:"$y" "$img" sh -c "$side" 2>&1) || rc=$?
[ -z "$secfs" ] || umount /sys/kernel/security
[ "$rc" = 0 ] || fail "a sidecar of a plain runc container: $out"
expect_contains "$out" "NoNewPrivs:	1" "plain runc's sidecar: no_new_privs"
expect_contains "$out" "CapEff:	0000000000000000" "plain runc's sidecar: no capabilities"
expect_contains "$out" "Seccomp:	2" "plain runc's sidecar: seccomp filter"
for n in net ipc; do
        expect_contains "$out" "ns $n $(readlink /proc/"$ypid"/ns/$n)" "plain runc's sidecar: in its $n namespace"
done
expect_contains "$out" "netdevs: lo /lo " "plain runc's sidecar: /sys shows the joined network namespace's devices alone"
expect_contains "$out" "firmware: 0" "plain runc's sidecar: /sys/firmware stays masked"
expect_contains "$out" "Read-only file system" "plain runc's sidecar: /sys is read-only"
expect_contains "$out" "below: 0" "plain runc's sidecar: nothing mounted below the host's /sys shows (the host's securityfs lists files)"
expect_contains "$out" " /dev/mqueue mqueue " "plain runc's sidecar: an mqueue of the joined ipc namespace"
# docker exec into it: runc enters its user namespace, hardened-runc the
# network and ipc namespaces
sc=$(D run -d --runtime hardened --network container:"$y" --ipc container:"$y" "$img" sleep 600)
out=$(D exec "$sc" sh -c "$side" 2>&1) || fail "docker exec into a sidecar of a plain runc container: $out"
for n in net ipc; do
        expect_contains "$out" "ns $n $(readlink /proc/"$ypid"/ns/$n)" "docker exec into it: in the joined $n namespace"
done
expect_contains "$out" "NoNewPrivs:	1" "docker exec into it: no_new_privs"
D rm -f "$sc" >/dev/null
# its pid namespace cannot be entered that way: refused, saying why
rc=0
out=$(D run --rm --runtime hardened --pid container:"$y" "$img" true 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "a container joined a pid namespace the host's user namespace owns"
expect_contains "$out" "pid namespace the host's user namespace owns" "--pid container:X, X plain runc: refused with the reason"
D rm -f "$y" >/dev/null
[ "$(staging_count)" = "0 0" ] || fail "sidecars of a plain runc container left staging: $(staging_count)"

# --- create/rm cycles leak nothing (50; HR_E2E_CYCLES under emulation) -------------
cycles=${HR_E2E_CYCLES:-50}
before=$(grep -c . /proc/self/mountinfo)
for i in $(seq 1 "$cycles"); do
        c=$(D create --runtime hardened --network none "$img" sleep 600)
        D start "$c" >/dev/null
        D rm -f "$c" >/dev/null
done
after=$(grep -c . /proc/self/mountinfo)
[ "$before" = "$after" ] || fail "$cycles create/rm cycles: $before mounts before, $after after"
[ "$(staging_count)" = "0 0" ] || fail "$cycles create/rm cycles left staging: $(staging_count)"
pass "$cycles create/start/rm cycles: no mount, directory or staging left"

# --- refusals are visible in docker run's own error output -------------------
expect_refused deny-nnp hardened-deny "refused by rule nnp: /process/noNewPrivileges" --network none
[ "$(staging_count)" = "0 0" ] || fail "a refused container left staging"
pass "a refused container leaves no staging"
D ps -aq | xargs -r docker -H "unix://$sock" rm -f >/dev/null

# --- the shim as docker's default runtime ---------------------------------------
stop_daemon
write_config hardened hardened ""
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
