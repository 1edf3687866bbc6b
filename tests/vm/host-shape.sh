#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The host shape of a production Docker host, in the Debian 12 guest
# (tests/vm/run.sh): cgroup v2 with the systemd driver and AppArmor.
# Proves, from inside the container and from its systemd scope's cgroup
# files, with the real runtime the admin config names (runc or crun):
#   - docker run --runtime hardened, and default-runtime hardened, hardened;
#   - every process, exec'd ones included (plain, -u 0, --privileged), and
#     an unconfined request at create, confined by docker-default;
#   - memory, swap, pids and cpu limits still hold after docker update and
#     systemctl daemon-reload;
#   - a caller's systemd unit properties cannot lift them.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || skip "needs cgroup v2 (the VM layer's guest)"
[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] || skip "needs AppArmor enabled (the VM layer's guest)"
[ -d /run/systemd/system ] || skip "needs systemd as init (the VM layer's guest)"
. "$HR_SOURCE/tests/e2e/dockerd-lib.sh"
runtime=${HR_VM_RUNTIME:-runc}

write_config runc hardened ""
start_daemon
pass "private dockerd is up, real runtime behind the shim: $runtime"
[ "$(D info --format '{{.CgroupDriver}} {{.CgroupVersion}}')" = "systemd 2" ] ||
        fail "dockerd's cgroup driver: $(D info --format '{{.CgroupDriver}} {{.CgroupVersion}}')"
pass "dockerd runs the systemd cgroup driver on cgroup v2"
grep -q '^docker-default (enforce)' /sys/kernel/security/apparmor/profiles || fail "docker-default is not loaded"
pass "AppArmor is enabled and dockerd loaded docker-default"
import_busybox hr-busybox:test
img=hr-busybox:test

inside='grep -E "^(Uid|CapPrm|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status
echo "uid_map: $(tr -s " " </proc/self/uid_map)"; echo "root: $(touch /x 2>&1)"
echo "apparmor: $(cat /proc/self/attr/current)"'
# scope_path PID: the process's cgroup: its container's systemd scope
# (runc), or the "container" cgroup crun makes below it
scope_path() { awk -F: '$1 == 0 {print $3}' "/proc/$1/cgroup"; }
limits() {
        local p
        p=/sys/fs/cgroup$(scope_path "$1")
        echo "$(cat "$p/memory.max") $(cat "$p/memory.swap.max") $(cat "$p/pids.max") $(cat "$p/cpu.max")"
}

# --- docker run --runtime hardened: proof from inside and from the scope ----------
out=$(D run --rm --runtime hardened --network none "$img" sh -c "$inside" 2>&1) || fail "docker run: $out"
assert_hardened "docker run --runtime hardened ($runtime)" "$out"
expect_contains "$out" "apparmor: docker-default (enforce)" "docker run --runtime hardened: confined by docker-default"

c=$(D run -d --runtime hardened --network none "$img" sleep 600)
pid=$(D inspect -f '{{.State.Pid}}' "$c")
cg=$(scope_path "$pid")
case "$runtime:$cg" in
runc:/system.slice/docker-$c.scope | crun:/system.slice/docker-$c.scope/container) ;;
*) fail "the container's cgroup is $cg, not its systemd scope" ;;
esac
pass "the container's cgroup is its systemd scope, or crun's cgroup below it ($cg)"
want="536870912 0 512 200000 100000"
[ "$(limits "$pid")" = "$want" ] || fail "the scope's memory.max swap.max pids.max cpu.max: $(limits "$pid"), expected $want"
pass "the scope holds the profile's limits: memory.max, memory.swap.max, pids.max, cpu.max = $want"

# --- every exec'd process is confined: the container's profile, not the caller's ---
for how in "" "-u 0" "--privileged" "--privileged -u 0"; do
        # shellcheck disable=SC2086
        out=$(D exec $how "$c" cat /proc/self/attr/current 2>&1) || fail "docker exec $how: $out"
        [ "$out" = "docker-default (enforce)" ] || fail "docker exec $how: AppArmor '$out'"
        pass "docker exec ${how:-(plain)}: docker-default (enforce)"
done
out=$(D exec --privileged "$c" grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status 2>&1)
expect_contains "$out" "CapEff:	0000000000000000" "docker exec --privileged: no capabilities either"

# --- unconfined requests at create --------------------------------------------------
for how in "--security-opt apparmor=unconfined" "--privileged"; do
        # shellcheck disable=SC2086
        out=$(D run --rm --runtime hardened --network none $how "$img" cat /proc/self/attr/current 2>&1) ||
                fail "docker run $how: $out"
        [ "$out" = "docker-default (enforce)" ] || fail "docker run $how: AppArmor '$out'"
        pass "docker run $how: docker-default (enforce) instead"
done
# the control: plain runc under the same dockerd
ctl=$(D run -d --network none --security-opt apparmor=unconfined "$img" sleep 600)
out=$(D exec "$ctl" cat /proc/self/attr/current)
[ "$out" = unconfined ] || fail "control: plain runc with apparmor=unconfined shows '$out'"
pass "control: plain runc with apparmor=unconfined runs unconfined"
D rm -f "$ctl" >/dev/null

# --- limits survive docker update and systemctl daemon-reload -------------------------
D update --pids-limit -1 "$c" >/dev/null || fail "docker update --pids-limit -1"
want="536870912 0 4096 200000 100000"
[ "$(limits "$pid")" = "$want" ] || fail "after docker update --pids-limit -1: $(limits "$pid"), expected $want"
pass "docker update --pids-limit -1: pids clamped to the maximum, the other limits kept ($want)"
systemctl daemon-reload
sleep 1
[ "$(limits "$pid")" = "$want" ] || fail "after systemctl daemon-reload: $(limits "$pid"), expected $want"
pass "systemctl daemon-reload: the scope keeps every limit ($want)"
D update --memory 256m --memory-swap 256m --cpus 1 "$c" >/dev/null || fail "docker update --memory 256m"
want="268435456 0 4096 100000 100000"
[ "$(limits "$pid")" = "$want" ] || fail "after docker update --memory 256m --cpus 1: $(limits "$pid"), expected $want"
systemctl daemon-reload
sleep 1
[ "$(limits "$pid")" = "$want" ] || fail "docker update, then daemon-reload: $(limits "$pid"), expected $want"
pass "docker update --memory 256m --cpus 1, then daemon-reload: the updated limits hold ($want)"
D rm -f "$c" >/dev/null
# the control, where the runtime is runc: plain runc under the same dockerd
# loses swap = memory on daemon-reload, which is what the systemd rule is for
if [ "$runtime" = runc ]; then
        ctl=$(D run -d --network none -m 64m --memory-swap 64m "$img" sleep 600)
        cpid=$(D inspect -f '{{.State.Pid}}' "$ctl")
        before=$(limits "$cpid")
        systemctl daemon-reload
        sleep 1
        after=$(limits "$cpid")
        D rm -f "$ctl" >/dev/null
        case "$before|$after" in
        "67108864 0 "*"|67108864 max "*) pass "control: plain runc's swap limit 0 becomes max on daemon-reload ($before -> $after)" ;;
        *) fail "control: plain runc's limits $before, after daemon-reload $after" ;;
        esac
fi

# --- a caller's systemd unit properties ----------------------------------------------
# Docker 20.10 passes no annotations: a bundle run by the shim directly, as
# containerd's shim runs it, with the properties that would lift the limits
bundle=$work/bundle
make_bundle "$bundle" sleep 600
json_edit "$bundle/config.json" '
c["linux"]["cgroupsPath"] = "system.slice:runc:hr-vm-props"
c["annotations"] = {
    "org.systemd.property.TasksMax": "uint64 18446744073709551615",
    "org.systemd.property.MemoryMax": "uint64 18446744073709551615",
    "org.systemd.property.TimeoutStopUSec": "uint64 5000000",
}'
state=$work/state
"$shim" --root "$state" --systemd-cgroup create --bundle "$bundle" hr-vm-props >"$work/create.log" 2>&1 ||
        fail "create with caller's unit properties: $(cat "$work/create.log")"
ppid_=$("$shim" --root "$state" state hr-vm-props | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
lim=$(limits "$ppid_")
kept=$(systemctl show -p TimeoutStopUSec runc-hr-vm-props.scope 2>&1 || true)
"$shim" --root "$state" delete -f hr-vm-props >/dev/null 2>&1 || true
[ "$lim" = "536870912 0 512 200000 100000" ] || fail "a caller's TasksMax/MemoryMax: the scope shows $lim"
pass "a caller's org.systemd.property.TasksMax and MemoryMax are removed: the scope keeps the profile's limits"
[ "$kept" = "TimeoutStopUSec=5s" ] || fail "a kept property: runc-hr-vm-props.scope shows '$kept'"
pass "a property the profile keeps (TimeoutStopUSec) reaches the unit ($kept)"

# --- the shim as docker's default runtime ----------------------------------------------
stop_daemon
write_config hardened hardened ""
start_daemon
out=$(D run --rm --network none "$img" sh -c "$inside" 2>&1) || fail "docker run (default runtime): $out"
assert_hardened "docker run, default-runtime hardened ($runtime)" "$out"
expect_contains "$out" "apparmor: docker-default (enforce)" "default-runtime hardened: confined by docker-default"
c=$(D run -d --network none "$img" sleep 600)
pid=$(D inspect -f '{{.State.Pid}}' "$c")
[ "$(limits "$pid")" = "536870912 0 512 200000 100000" ] || fail "default runtime: scope limits $(limits "$pid")"
out=$(D exec -u 0 "$c" cat /proc/self/attr/current)
[ "$out" = "docker-default (enforce)" ] || fail "default runtime: docker exec -u 0 AppArmor '$out'"
pass "default-runtime hardened: the scope's limits and an exec'd process's docker-default"
D rm -f "$c" >/dev/null
assert_no_leftovers
