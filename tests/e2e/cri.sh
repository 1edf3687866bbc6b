#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 3: Kubernetes' way in. A private containerd (its own root, state,
# socket and config) with its CRI plugin, a runtime handler "hardened" that
# runs the built shim, a CNI plugin written here that only touches the
# pod's own network namespace, and a CRI client generated now from
# ../shared/cri/api.proto, driving RunPodSandbox, CreateContainer,
# StartContainer, ExecSync, StopPodSandbox and RemovePodSandbox as the
# kubelet does. Every container is proved hardened from inside; a
# hostNetwork pod is refused with the shim's reason in the CRI error; at
# the end nothing is left (staging, state, mounts, cgroups, shims).
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd containerd containerd-shim-runc-v2 ctr runc busybox nsenter ip
py=/usr/bin/python3 # Debian's, with python3-grpcio
"$py" -c 'import grpc, grpc_tools' 2>/dev/null || skip "needs python3-grpcio and python3-grpc-tools"
proto=${HR_SOURCE}/../shared/cri/api.proto
[ -f "$proto" ] || skip "needs the CRI interface at $proto"
shim=${HR_SHIM:?}
client=${HR_SOURCE}/tests/e2e/cri-client.py

work=$(mktemp -d /tmp/hr-cri.XXXXXX)
chmod 0711 "$work"
sock=$work/containerd.sock
uid1=hrtest-$RANDOM$RANDOM-1
uid2=hrtest-$RANDOM$RANDOM-2
kubelet_existed=false
[ -e /var/lib/kubelet ] && kubelet_existed=true
staging_existed=false
[ -e /run/hardened-runc ] && staging_existed=true
containerd_pid=

# the pod cgroups the CRI plugin made under /kubepods (cgroupfs driver),
# and /kubepods itself when it was not there before
cgroup_dirs() {
        local m
        awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts | while read -r m; do
                for p in "$uid1" "$uid2"; do
                        if [ -d "$m/kubepods/besteffort/pod$p" ]; then echo "$m/kubepods/besteffort/pod$p"; fi
                done
        done
}
kubepods_existed=$(awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts |
        while read -r m; do if [ -d "$m/kubepods" ]; then echo "$m"; fi; done)

cri() { "$py" "$client" "$work/gen" "$sock" "$@"; }

cleanup() {
        local p d m
        set +e
        if [ -n "$containerd_pid" ] && kill -0 "$containerd_pid" 2>/dev/null; then
                for id in happ hsb papp psb; do
                        ctr --address "$sock" -n hrctr task kill -s SIGKILL "$id" >/dev/null 2>&1
                        ctr --address "$sock" -n hrctr task delete -f "$id" >/dev/null 2>&1
                        ctr --address "$sock" -n hrctr container delete "$id" >/dev/null 2>&1
                done
                for p in $(cri pods 2>/dev/null); do
                        cri stopp "$p" >/dev/null 2>&1 || true
                        cri rmp "$p" >/dev/null 2>&1 || true
                done
                kill "$containerd_pid" 2>/dev/null || true
                wait "$containerd_pid" 2>/dev/null || true
        fi
        # shims of this containerd (they outlive it by design)
        pkill -f "containerd-shim-runc-v2 .*-address $sock" 2>/dev/null || true
        for d in runc/k8s.io plain/k8s.io ctr-runc/hrctr; do
                for id in $(runc --root "$work/$d" list -q 2>/dev/null); do
                        "$shim" --root "$work/$d" delete -f "$id" >/dev/null 2>&1 || true
                done
        done
        grep -F " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do
                umount -l "$m" 2>/dev/null || true
        done
        for d in $(cgroup_dirs); do rmdir "$d"/* "$d" 2>/dev/null || true; done
        awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts | while read -r m; do
                case "$kubepods_existed" in *"$m"*) continue ;; esac
                rmdir "$m/kubepods/besteffort" "$m/kubepods" 2>/dev/null || true
        done
        rm -rf "/var/lib/kubelet/pods/$uid1" "/var/lib/kubelet/pods/$uid2"
        $kubelet_existed || rm -rf /var/lib/kubelet
        rm -rf "$work"
        $staging_existed || rmdir /run/hardened-runc 2>/dev/null || true
}
trap cleanup EXIT

# --- the CRI client, generated from the interface definition --------------------
mkdir "$work/gen"
"$py" -m grpc_tools.protoc -I "$(dirname "$proto")" --python_out="$work/gen" \
        --grpc_python_out="$work/gen" api.proto || fail "generating the CRI client"

# --- an image: a busybox tree, as a Docker archive ctr imports ----------------------
make_rootfs "$work/rootfs"
"$py" - "$work/rootfs" "$work/image.tar" <<'PY'
import hashlib, io, json, sys, tarfile
root, out = sys.argv[1], sys.argv[2]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w") as t:
    t.add(root, arcname=".")
data = layer.getvalue()
config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Cmd": ["/bin/sleep", "2147483647"], "Env": ["PATH=/bin"]},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(data).hexdigest()]},
}).encode()
manifest = json.dumps([{"Config": "config.json", "Layers": ["layer.tar"],
                        "RepoTags": ["hardened-runc.test/pause:1",
                                     "hardened-runc.test/busybox:1"]}]).encode()
with tarfile.open(out, mode="w") as t:
    for name, blob in (("layer.tar", data), ("config.json", config), ("manifest.json", manifest)):
        info = tarfile.TarInfo(name)
        info.size = len(blob)
        t.addfile(info, io.BytesIO(blob))
PY

# --- a CNI plugin that only touches the pod's own network namespace --------------
mkdir -p "$work/cni/bin" "$work/cni/conf" "$work/cni/cache"
cat >"$work/cni/bin/hrtest" <<'EOF'
#!/bin/sh
# The test's CNI plugins: as "loopback" (which the CRI plugin always runs)
# lo up; as "hrtest" a veth pair whose both ends stay inside the pod's
# network namespace (CNI_NETNS). No host interface, no traffic.
set -e
cat >/dev/null
case "$CNI_COMMAND" in
VERSION) echo '{"cniVersion":"0.4.0","supportedVersions":["0.3.0","0.3.1","0.4.0"]}' ;;
ADD)
        if [ "$(basename "$0")" = loopback ]; then
                nsenter --net="$CNI_NETNS" ip link set lo up
                printf '{"cniVersion":"0.4.0","interfaces":[{"name":"lo","sandbox":"%s"}],"ips":[{"version":"4","address":"127.0.0.1/8","interface":0}]}\n' "$CNI_NETNS"
                exit 0
        fi
        nsenter --net="$CNI_NETNS" sh -c "ip link add $CNI_IFNAME type veth peer name hrpeer0 &&
                ip addr add 10.233.0.2/24 dev $CNI_IFNAME && ip link set $CNI_IFNAME up && ip link set hrpeer0 up"
        printf '{"cniVersion":"0.4.0","interfaces":[{"name":"%s","sandbox":"%s"}],"ips":[{"version":"4","address":"10.233.0.2/24","interface":0}]}\n' \
                "$CNI_IFNAME" "$CNI_NETNS"
        ;;
DEL | CHECK) ;;
*) exit 1 ;;
esac
EOF
chmod 0755 "$work/cni/bin/hrtest"
ln -s hrtest "$work/cni/bin/loopback"
echo '{"cniVersion":"0.4.0","name":"hrtest","plugins":[{"type":"hrtest"}]}' >"$work/cni/conf/10-hrtest.conflist"

# --- a private containerd with the CRI plugin and a "hardened" handler ------------
cat >"$work/config.toml" <<EOF
version = 2
root = "$work/root"
state = "$work/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$work/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "hardened-runc.test/pause:1"
  enable_selinux = false
  disable_apparmor = true
  # the plain runc control: a sandbox's oom_score_adj is -998, which root
  # here may not set (no CAP_SYS_RESOURCE over this machine's own limit);
  # this clamps it to containerd's own, as for a containerd in a container
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$work/cni/bin"
    conf_dir = "$work/cni/conf"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$work/plain"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened.options]
        BinaryName = "$shim"
        Root = "$work/runc"
EOF
containerd --config "$work/config.toml" >"$work/containerd.log" 2>&1 &
containerd_pid=$!
for _ in $(seq 1 100); do
        cri version >/dev/null 2>&1 && break
        kill -0 "$containerd_pid" 2>/dev/null || fail "containerd exited: $(tail -20 "$work/containerd.log")"
        sleep 0.2
done
out=$(cri version 2>&1) || fail "the CRI plugin does not answer: $out $(tail -20 "$work/containerd.log")"
pass "private containerd with its CRI plugin: $out"
ctr --address "$sock" -n k8s.io images import "$work/image.tar" >/dev/null ||
        fail "ctr images import"

# --- the kubelet's side: pod directories, an emptyDir, etc-hosts --------------
for u in "$uid1" "$uid2"; do
        mkdir -p "/var/lib/kubelet/pods/$u/volumes/kubernetes.io~empty-dir/data"
        chmod 0777 "/var/lib/kubelet/pods/$u/volumes/kubernetes.io~empty-dir/data"
        printf '127.0.0.1\tlocalhost\n10.233.0.2\tpod\n' >"/var/lib/kubelet/pods/$u/etc-hosts"
        mkdir -p "$work/logs/$u"
done

# pod_json NAME UID PID-MODE NETWORK-MODE
pod_json() {
        cat <<EOF
{"metadata": {"name": "$1", "uid": "$2", "namespace": "default", "attempt": 0},
 "hostname": "$1", "logDirectory": "$work/logs/$2",
 "linux": {"cgroupParent": "/kubepods/besteffort/pod$2",
           "securityContext": {"namespaceOptions": {"network": "$4", "pid": "$3", "ipc": "POD"}}}}
EOF
}
# container_json NAME UID PID-MODE (as the kubelet copies the pod's)
container_json() {
        cat <<EOF
{"metadata": {"name": "$1", "attempt": 0},
 "image": {"image": "hardened-runc.test/busybox:1"},
 "command": ["sleep", "600"], "logPath": "$1.log",
 "linux": {"resources": {"memoryLimitInBytes": 268435456},
           "securityContext": {"runAsUser": {"value": 0},
                               "namespaceOptions": {"network": "POD", "pid": "$3", "ipc": "POD"}}},
 "mounts": [{"containerPath": "/data",
             "hostPath": "/var/lib/kubelet/pods/$2/volumes/kubernetes.io~empty-dir/data"},
            {"containerPath": "/etc/hosts", "hostPath": "/var/lib/kubelet/pods/$2/etc-hosts"}]}
EOF
}
# run_container POD_ID NAME UID POD.json PID-MODE: prints the container id
run_container() {
        local id
        container_json "$2" "$3" "$5" >"$work/$2.json"
        id=$(cri create "$1" "$work/$2.json" "$4") || fail "CreateContainer $2"
        cri start "$id" || fail "StartContainer $2"
        echo "$id"
}

inside='grep -E "^(Uid|Gid|CapPrm|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status
echo "uid_map: $(tr -s " " </proc/self/uid_map)"
for n in user net ipc uts pid; do echo "ns $n $(readlink /proc/self/ns/$n)"; done
echo "netdevs: $(ls /sys/class/net | tr "\n" " ")"
echo "sleeps: $(ps -o args | grep -c "sleep 2147483647$")"
echo "memory: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"
echo "pids: $(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)"
touch /x 2>&1 | sed "s/^/root: /"; grep -c 10.233.0.2 /etc/hosts | sed "s/^/hosts: /"'

# prove_hardened WHAT TEXT
prove_hardened() {
        local out=$2
        assert_hardened "$1 (asked for uid 0)" "$out"
        expect_contains "$out" "memory: 268435456" "$1: the memory limit is in its cgroup"
        case "$(printf '%s\n' "$out" | sed -n 's/^pids: //p')" in
        [0-9]*) pass "$1: a pids limit is in its cgroup" ;;
        *) fail "$1: no pids limit: $out" ;;
        esac
        expect_contains "$out" "hosts: 1" "$1: the kubelet's etc-hosts"
}

# --- pod 1: two containers sharing the pod's network, ipc and uts --------------
pod_json pod1 "$uid1" CONTAINER POD >"$work/pod1.json"
p1=$(cri runp "$work/pod1.json" hardened 2>"$work/err") || fail "RunPodSandbox: $(cat "$work/err")"
pass "RunPodSandbox with handler hardened"
p1pid=$(runc --root "$work/runc/k8s.io" state "$p1" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
a1=$(run_container "$p1" app1 "$uid1" "$work/pod1.json" CONTAINER)
a2=$(run_container "$p1" app2 "$uid1" "$work/pod1.json" CONTAINER)
for c in a1 a2; do
        id=${!c}
        out=$(cri exec "$id" sh -c "$inside" 2>&1) || fail "ExecSync into $c: $out"
        prove_hardened "pod1 $c" "$out"
        for n in user net ipc uts; do
                expect_contains "$out" "ns $n $(readlink /proc/"$p1pid"/ns/$n)" "pod1 $c: in the sandbox's $n namespace"
        done
        expect_not_contains "$out" "ns pid $(readlink /proc/"$p1pid"/ns/pid)" "pod1 $c: its own pid namespace"
        expect_contains "$out" "sleeps: 0" "pod1 $c: does not see the sandbox's process"
        expect_contains "$out" "netdevs: eth0 hrpeer0 lo " "pod1 $c: /sys/class/net shows the pod's devices alone"
done
[ "$(readlink /proc/"$p1pid"/ns/net)" != "$(readlink /proc/1/ns/net)" ] || fail "the sandbox is in the host's network namespace"
# the emptyDir: written by one container, read by the other, owned on disk
# by the pod's mapped root
out=$(cri exec "$a1" sh -c 'echo shared >/data/f && ls -ln /data/f' 2>&1) || fail "app1 writes the emptyDir: $out"
out=$(cri exec "$a2" cat /data/f 2>&1) || fail "app2 reads the emptyDir: $out"
[ "$out" = shared ] || fail "app2 reads '$out' from the emptyDir"
owner=$(stat -c %u "/var/lib/kubelet/pods/$uid1/volumes/kubernetes.io~empty-dir/data/f")
[ "$owner" = 65534 ] || fail "the emptyDir file is owned by $owner on the host"
pass "pod1: the emptyDir is shared by both containers; what they write is owned on disk as the uid they run as (65534)"

# --- pod 2: shareProcessNamespace ---------------------------------------------------
pod_json pod2 "$uid2" POD POD >"$work/pod2.json"
p2=$(cri runp "$work/pod2.json" hardened 2>"$work/err") || fail "RunPodSandbox (shareProcessNamespace): $(cat "$work/err")"
p2pid=$(runc --root "$work/runc/k8s.io" state "$p2" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
b1=$(run_container "$p2" app "$uid2" "$work/pod2.json" POD)
out=$(cri exec "$b1" sh -c "$inside" 2>&1) || fail "ExecSync into pod2's app: $out"
prove_hardened "pod2 app" "$out"
for n in user net ipc uts pid; do
        expect_contains "$out" "ns $n $(readlink /proc/"$p2pid"/ns/$n)" "pod2 app: in the sandbox's $n namespace"
done
expect_contains "$out" "sleeps: 1" "pod2 app: sees the sandbox's process (shareProcessNamespace)"
m1=$(tr -s ' ' </proc/"$p1pid"/uid_map)
m2=$(tr -s ' ' </proc/"$p2pid"/uid_map)
[ "$m1" != "$m2" ] || fail "two pods share an id block: $m1"
pass "each pod has an id block of its own ($m1 / $m2)"

# --- a hostNetwork pod is refused, with the shim's reason in the CRI error ----
pod_json pod3 "$uid2" CONTAINER NODE >"$work/pod3.json"
rc=0
out=$(cri runp "$work/pod3.json" hardened 2>&1) || rc=$?
[ "$rc" = 3 ] || fail "a hostNetwork pod was not refused (exit $rc): $out"
expect_contains "$out" "hardened-runc" "hostNetwork pod: refused by hardened-runc"
expect_contains "$out" "/linux/namespaces" "hostNetwork pod: the CRI error names the field"
# the control: handler runc takes it (and the same two pods)
pod_json pod4 "$uid2" CONTAINER POD >"$work/pod4.json"
p4=$(cri runp "$work/pod4.json" 2>"$work/err") || fail "control: RunPodSandbox with handler runc: $(cat "$work/err") $(grep -i "level=error\|nsexec\|FATA" "$work/containerd.log" | tail -5)"
c4=$(run_container "$p4" ctl "$uid2" "$work/pod4.json" CONTAINER)
out=$(cri exec "$c4" sh -c "$inside" 2>&1) || fail "control: ExecSync: $out"
expect_contains "$out" "CapEff:	00000000a80425fb" "control: handler runc runs the same container as root with the default capabilities"
cri stopp "$p4" && cri rmp "$p4" || fail "control: remove the pod"

# --- ctr: the same pod shape by --with-ns, as the CRI plugin writes it -------
# (--runc-binary: ctr ignores --runtime-config-path for runc v2, see README)
ctr_netns=$work/ctr-netns
touch "$ctr_netns"
unshare --net="$ctr_netns" true
nsenter --net="$ctr_netns" ip link set lo up
C() { ctr --address "$sock" -n hrctr "$@"; }
C images import "$work/image.tar" >/dev/null || fail "ctr images import (hrctr)"
# ctr_pod BINARY-FLAG... : a sandbox and an app joining its network (the
# netns file), ipc, uts and pid namespaces; sets sbpid (call it without a
# subshell), prints the app's view from inside, through an exec
ctr_pod() {
        local tag=$1
        shift
        C run -d --null-io "$@" --with-ns "network:$ctr_netns" hardened-runc.test/busybox:1 "${tag}sb" \
                sleep 2147483647 || fail "ctr run ${tag}sb"
        sbpid=$(C task ls | awk -v id="${tag}sb" '$1 == id {print $2}')
        [ -n "$sbpid" ] || fail "ctr: no pid for ${tag}sb"
        C run -d --null-io "$@" --with-ns "network:$ctr_netns" --with-ns "ipc:/proc/$sbpid/ns/ipc" \
                --with-ns "uts:/proc/$sbpid/ns/uts" --with-ns "pid:/proc/$sbpid/ns/pid" \
                hardened-runc.test/busybox:1 "${tag}app" sleep 600 || fail "ctr run ${tag}app"
        C task exec --exec-id probe "${tag}app" sh -c "$inside" 2>&1 || fail "ctr task exec into ${tag}app"
}
ctr_rm() {
        local id
        for id in "$@"; do
                C task kill -s SIGKILL "$id" >/dev/null 2>&1 || true
                for _ in $(seq 1 50); do C task ls | grep "^$id .*RUNNING" >/dev/null || break; sleep 0.1; done
                C task delete "$id" >/dev/null 2>&1 || true
                C container delete "$id" >/dev/null 2>&1 || fail "ctr container delete $id"
        done
}
ctr_pod h --runc-binary "$shim" --runc-root "$work/ctr-runc" >"$work/ctr-h.out"
out=$(cat "$work/ctr-h.out")
hsbns=$(readlink /proc/"$sbpid"/ns/user) || fail "ctr: the sandbox's user namespace"
for f in CapPrm CapEff CapBnd; do
        [ "$(status_field "$out" $f)" = 0000000000000000 ] || fail "ctr app: $f $(status_field "$out" $f)"
done
[ "$(status_field "$out" NoNewPrivs)" = 1 ] && [ "$(status_field "$out" Seccomp)" = 2 ] ||
        fail "ctr app: not hardened: $out"
own_block_map "$(printf '%s\n' "$out" | sed -n 's/^uid_map: //p')" >/dev/null || fail "ctr app: uid_map: $out"
pass "ctr --with-ns app: uid_map not the identity, no capabilities, no_new_privs, seccomp filter"
for n in user net ipc uts pid; do
        expect_contains "$out" "ns $n $(readlink /proc/"$sbpid"/ns/$n)" "ctr --with-ns app: in the sandbox's $n namespace"
done
expect_contains "$out" "sleeps: 1" "ctr --with-ns app: sees the sandbox's process"
expect_contains "$out" "netdevs: lo " "ctr --with-ns app: /sys/class/net shows the pod's network namespace alone"
expect_contains "$out" "root: touch: /x: Read-only file system" "ctr --with-ns app: / is read-only"
ctr_rm happ hsb
# the control: plain runc runs the same pod shape, as root
ctr_pod p >"$work/ctr-p.out"
out=$(cat "$work/ctr-p.out")
expect_contains "$out" "CapEff:	00000000a80425fb" "ctr control: plain runc's app runs with the default capabilities"
expect_contains "$out" "sleeps: 1" "ctr control: and sees the sandbox's process"
ctr_rm papp psb
umount "$ctr_netns"

# --- stop and remove: nothing is left ------------------------------------------
for p in "$p1" "$p2"; do
        cri stopp "$p" || fail "StopPodSandbox $p"
        cri rmp "$p" || fail "RemovePodSandbox $p"
done
[ -z "$(cri pods)" ] || fail "pods left: $(cri pods)"
[ -z "$(runc --root "$work/runc/k8s.io" list -q)" ] || fail "runc still knows: $(runc --root "$work/runc/k8s.io" list -q)"
left=$(find /run/hardened-runc -mindepth 1 -maxdepth 1 ! -name ids 2>/dev/null | wc -l)
[ "$left" = 0 ] || fail "staging left: $(ls /run/hardened-runc)"
[ ! -d /run/hardened-runc/ids ] || [ -z "$(ls /run/hardened-runc/ids)" ] || fail "id blocks left: $(ls /run/hardened-runc/ids)"
! grep -q " /run/hardened-runc/" /proc/self/mountinfo || fail "staging mounts left"
for d in $(cgroup_dirs); do
        [ -z "$(find "$d" -mindepth 1 -type d)" ] || fail "container cgroups left in $d"
done
pass "pods stopped and removed: no staging, state, id block, mount or container cgroup left"
