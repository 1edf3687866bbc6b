#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 2: the pod shape, as containerd's CRI plugin and podman make it,
# through hardened-runc and runc on a busybox rootfs: a sandbox that joins a
# network namespace the host's user namespace owns (made before the runtime
# runs, as the CRI plugin's and podman's are), and app containers that join
# the sandbox's network, ipc, uts and pid namespaces by /proc/PID/ns paths.
# Asserts from inside each container: hardened, in the joined namespaces,
# and the kernel filesystems showing those namespaces (and nothing of the
# host's); then that nothing is left. The same pod under plain runc is the
# control.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd runc busybox python3 unshare nsenter ip
[ -x "${HR_PROBE:-}" ] || skip "HR_PROBE: the static probe is not built"
shim=${HR_SHIM:?}

runc_workdir hr-pod
netns=$work/netns
pod_cleanup() {
        for id in $(runc --root "$work/plain" list -q 2>/dev/null); do
                runc --root "$work/plain" delete -f "$id" >/dev/null 2>&1 || true
        done
        umount "$netns" 2>/dev/null || true
        runc_workdir_cleanup
}
trap pod_cleanup EXIT

# the pod's network namespace, made as the CRI plugin makes it: a bound
# nsfs file, owned by the host's user namespace, lo up
touch "$netns"
unshare --net="$netns" true
nsenter --net="$netns" ip link set lo up
netns_ino=$(stat -L -c %i "$netns")

# sandbox_bundle DIR ARG...: a container joining the pod's network namespace
sandbox_bundle() {
        local b=$1
        shift
        make_bundle "$b" "$@"
        json_edit "$b/config.json" "
for n in c['linux']['namespaces']:
    if n['type'] == 'network': n['path'] = '$netns'
c['hostname'] = 'pod'"
}
# app_bundle DIR PID ARG...: a container joining the network, ipc, uts (and
# pid) namespaces of the sandbox process PID, as the CRI plugin writes them
app_bundle() {
        local b=$1 pid=$2
        shift 2
        make_bundle "$b" "$@"
        json_edit "$b/config.json" "
paths = {'network': '$netns', 'ipc': '/proc/$pid/ns/ipc', 'uts': '/proc/$pid/ns/uts',
         'pid': '/proc/$pid/ns/pid'}
for n in c['linux']['namespaces']:
    if n['type'] in paths: n['path'] = paths[n['type']]
c.pop('hostname', None)"
}

inside='grep -E "^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status
echo "uid_map: $(cat /proc/self/uid_map | tr -s " ")"
for n in user net ipc uts pid; do echo "ns $n $(readlink /proc/self/ns/$n)"; done
echo "hostname: $(hostname)"
echo "netdevs: $(ls /sys/class/net | tr "\n" " ")"
echo "virtual: $(ls /sys/devices/virtual/net | tr "\n" " ")"
echo "procs: $(ps -o args | grep -c "^sleep 600")"
echo "mqueue: $(ls /dev/mqueue | tr "\n" " ")"
echo "timer_list: $(wc -c </proc/timer_list)"
grep -E " /(sys|proc|dev/mqueue) " /proc/self/mounts | sed "s/^/mount: /"
touch /sys/x 2>&1 | sed "s/^/sys: /"; echo 1 2>&1 >/proc/sys/kernel/hostname | sed "s/^/procsys: /"
hostname other 2>&1 | sed "s/^/sethostname: /"; touch /x 2>&1 | sed "s/^/root: /"'

# --- the sandbox: its own user namespace; the host-owned network namespace's sysfs
sandbox_bundle "$work/sb" sh -c 'HR_PROBE_IN_CONTAINER=1 hr-probe mq_create; exec sleep 600'
"$shim" --root "$state" run -d --bundle "$work/sb" sb </dev/null >"$work/sb.out" 2>&1 ||
        fail "the sandbox: $(cat "$work/sb.out")"
spid=$(json_get /dev/stdin "c['pid']" <<<"$(runc --root "$state" state sb)")
smap=$(tr -s ' ' </proc/"$spid"/uid_map)
own_block_map "$smap" >/dev/null || fail "sandbox uid_map: $smap"
[ "$(stat -L -c %i /proc/"$spid"/ns/net)" = "$netns_ino" ] || fail "the sandbox is not in the pod's network namespace"
for _ in $(seq 1 50); do [ -e /proc/"$spid"/root/dev/mqueue/hr-probe ] && break; sleep 0.1; done
pass "sandbox runs in its own user namespace ($smap), in the pod's network namespace"
out=$("$shim" --root "$state" exec sb sh -c "$inside" 2>&1 </dev/null) || fail "exec into the sandbox: $out"
expect_contains "$out" "netdevs: lo " "sandbox: /sys shows the pod's network devices alone (lo)"
expect_contains "$out" "mqueue: hr-probe " "sandbox: /dev/mqueue shows its queue"

# --- an app container: the sandbox's network, ipc, uts and pid namespaces
app_bundle "$work/app" "$spid" sh -c "$inside"
out=$("$shim" --root "$state" run --bundle "$work/app" app </dev/null 2>&1) || fail "the app container: $out"
[ "$(status_field "$out" Uid)" != "0	0	0	0" ] || fail "app: Uid 0"
case "$(status_field "$out" Uid)" in 0*) fail "app: Uid $(status_field "$out" Uid)" ;; esac
for f in CapEff CapBnd; do
        [ "$(status_field "$out" $f)" = 0000000000000000 ] || fail "app: $f $(status_field "$out" $f)"
done
[ "$(status_field "$out" NoNewPrivs)" = 1 ] || fail "app: NoNewPrivs"
[ "$(status_field "$out" Seccomp)" = 2 ] || fail "app: Seccomp"
pass "app: not root, no capabilities, no_new_privs, seccomp filter"
expect_contains "$out" "uid_map: $smap" "app: the sandbox's maps (one id block for the pod)"
expect_contains "$out" "ns user $(readlink /proc/"$spid"/ns/user)" "app: in the sandbox's user namespace"
for n in net ipc uts pid; do
        expect_contains "$out" "ns $n $(readlink /proc/"$spid"/ns/$n)" "app: in the sandbox's $n namespace"
done
expect_contains "$out" "hostname: pod" "app: the pod's hostname"
expect_contains "$out" "sethostname: hostname: sethostname: Operation not permitted" \
        "app: cannot change the pod's hostname"
expect_contains "$out" "netdevs: lo " "app: /sys/class/net shows the pod's network namespace alone"
expect_contains "$out" "virtual: lo " "app: /sys/devices/virtual/net too"
expect_not_contains "$out" "$(ls /sys/class/net | grep -vx lo | head -1)x" "app: no host device"
expect_contains "$out" "procs: 1" "app: sees the sandbox's process (the shared pid namespace)"
expect_contains "$out" "mqueue: hr-probe " "app: /dev/mqueue shows the sandbox's queue (the shared ipc namespace)"
expect_contains "$out" "timer_list: 0" "app: /proc/timer_list stays masked"
expect_contains "$out" " /sys sysfs ro,nosuid,nodev,noexec" "app: /sys a read-only sysfs"
expect_contains "$out" " /proc proc rw" "app: /proc a proc"
expect_contains "$out" " /dev/mqueue mqueue rw,nosuid,nodev,noexec" "app: /dev/mqueue an mqueue"
expect_contains "$out" "sys: touch: /sys/x: Read-only file system" "app: /sys is read-only"
expect_contains "$out" "procsys: " "app: /proc/sys is not writable"
expect_contains "$out" "root: touch: /x: Read-only file system" "app: / is read-only"
no_staging app
pass "app removed: its staging (the kernel filesystems mounted for it) is gone"

# a second app container while the first runs: the same block, held by both
app_bundle "$work/app2" "$spid" sleep 600
"$shim" --root "$state" run -d --bundle "$work/app2" app2 </dev/null >"$work/app2.out" 2>&1 ||
        fail "app2: $(cat "$work/app2.out")"
a2pid=$(json_get /dev/stdin "c['pid']" <<<"$(runc --root "$state" state app2)")
[ "$(tr -s ' ' </proc/"$a2pid"/uid_map)" = "$smap" ] || fail "app2: $(tr -s ' ' </proc/"$a2pid"/uid_map)"
[ "$(readlink /proc/"$a2pid"/ns/user)" = "$(readlink /proc/"$spid"/ns/user)" ] ||
        fail "app2 is not in the sandbox's user namespace"
pass "app2 runs in the sandbox's user namespace, with its maps"
# exec into a running app container: runc enters its user, ipc, uts and
# pid namespaces, hardened-runc the pod's network namespace
out=$("$shim" --root "$state" exec app2 sh -c "$inside" 2>&1 </dev/null) || fail "exec into app2: $out"
expect_contains "$out" "ns net net:[$netns_ino]" "exec into app2: in the pod's network namespace"
for n in ipc uts pid; do
        expect_contains "$out" "ns $n $(readlink /proc/"$spid"/ns/$n)" "exec into app2: in the sandbox's $n namespace"
done
expect_contains "$out" "procs: 2" "exec into app2: sees the pod's processes"
expect_contains "$out" "NoNewPrivs:	1" "exec into app2: no_new_privs"
expect_contains "$out" "Seccomp:	2" "exec into app2: seccomp filter"
expect_contains "$out" "CapEff:	0000000000000000" "exec into app2: no capabilities"
"$shim" --root "$state" delete -f app2 >/dev/null 2>&1 || fail "delete app2"
"$shim" --root "$state" delete -f sb >/dev/null 2>&1 || fail "delete sb"
no_staging app2
no_staging sb
[ ! -e /run/hardened-runc/ids ] || [ -z "$(ls /run/hardened-runc/ids)" ] ||
        fail "id blocks left: $(ls /run/hardened-runc/ids)"
pass "pod removed: no staging, no mounts, no id block left"

# --- an app container joining namespaces of the host's itself stays refused
make_bundle "$work/h" true
json_edit "$work/h/config.json" "
for n in c['linux']['namespaces']:
    if n['type'] == 'network': n['path'] = '/proc/1/ns/net'"
rc=0
out=$("$shim" --root "$state" run --bundle "$work/h" h </dev/null 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "a container joined the host's network namespace"
expect_contains "$out" "/linux/namespaces" "the host's network namespace: refused, naming the field"
no_staging h

# --- a network sysctl for the pod's network namespace: the container's root
# could not set it there (and runc refuses it without a network namespace
# in the spec): refused, naming it
sandbox_bundle "$work/sc" true
json_edit "$work/sc/config.json" "c['linux']['sysctl'] = {'net.ipv4.ping_group_range': '0 0'}"
rc=0
out=$("$shim" --root "$state" run --bundle "$work/sc" sc </dev/null 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "a net sysctl for a network namespace of the host's was accepted"
expect_contains "$out" "/linux/sysctl/net.ipv4.ping_group_range" "a net sysctl for the pod's network namespace: refused, naming it"
no_staging sc

# --- control: the same pod under plain runc
mkdir -p "$work/plain"
sandbox_bundle "$work/psb" sh -c 'HR_PROBE_IN_CONTAINER=1 hr-probe mq_create; exec sleep 600'
runc --root "$work/plain" run -d --bundle "$work/psb" psb </dev/null >"$work/psb.out" 2>&1 ||
        fail "control sandbox: $(cat "$work/psb.out")"
ppid=$(json_get /dev/stdin "c['pid']" <<<"$(runc --root "$work/plain" state psb)")
for _ in $(seq 1 50); do [ -e /proc/"$ppid"/root/dev/mqueue/hr-probe ] && break; sleep 0.1; done
app_bundle "$work/papp" "$ppid" sh -c "$inside"
out=$(runc --root "$work/plain" run --bundle "$work/papp" papp </dev/null 2>&1) || fail "control app: $out"
expect_contains "$out" "procs: 1" "control: plain runc's app sees the sandbox's process"
expect_contains "$out" "mqueue: hr-probe " "control: and its queue"
expect_contains "$out" "CapEff:	0000000020000420" "control: plain runc's app has runc's default capabilities, as root"
runc --root "$work/plain" delete -f psb >/dev/null 2>&1 || true
