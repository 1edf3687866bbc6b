#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 3: podman (rootful) with hardened-runc registered in containers.conf
# ([engine.runtimes], as the README says) and made the default runtime,
# with private storage: a container on slirp4netns (a network namespace
# podman makes before the runtime runs, owned by the host's user
# namespace), a pod (its infra container and two containers sharing its
# namespaces), podman exec -u 0. Each proved hardened from inside; nothing
# left afterwards. Traffic: slirp4netns only (no host bridge).
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd podman slirp4netns catatonit busybox
shim=${HR_SHIM:?}

work=$(mktemp -d /tmp/hr-podman.XXXXXX)
chmod 0711 "$work"
existed=()
for d in /var/lib/containers /run/containers /run/hardened-runc; do
        [ -e "$d" ] && existed+=("$d")
done
P() { podman --root "$work/storage" --runroot "$work/runroot" --tmpdir "$work/tmp" "$@"; }
export CONTAINERS_CONF=$work/containers.conf
cleanup() {
        local d m
        set +e
        P pod rm -af >/dev/null 2>&1
        P rm -af >/dev/null 2>&1
        P system reset -f >/dev/null 2>&1
        grep -F " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do
                umount -l "$m"
        done
        rm -rf "$work"
        for d in /var/lib/containers /run/containers /run/hardened-runc; do
                case " ${existed[*]} " in *" $d "*) continue ;; esac
                rm -rf "$d"
        done
}
trap cleanup EXIT

# Root here lacks CAP_SYS_RESOURCE, so no runtime may raise a limit above
# the one it holds, and podman asks for 1048576 open files and processes
# (the runtime it starts holds this shell's open files and 32768
# processes): limits it can set, for plain runc and the shim alike.
nofile=$(ulimit -Hn)
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=4096:4096"]
[network]
network_config_dir = "$work/networks"
[engine]
runtime = "hardened"
cgroup_manager = "cgroupfs"
events_logger = "file"
[engine.runtimes]
hardened = ["$shim"]
EOF

make_rootfs "$work/rootfs"
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
P import --change 'CMD ["/bin/sleep", "2147483647"]' "$work/rootfs.tar" hardened-runc.test/busybox:1 >/dev/null ||
        fail "podman import"
img=hardened-runc.test/busybox:1

inside='grep -E "^(Uid|CapPrm|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status
echo "uid_map: $(tr -s " " </proc/self/uid_map)"
for n in user net ipc uts pid; do echo "ns $n $(readlink /proc/self/ns/$n)"; done
echo "netdevs: $(ls /sys/class/net | tr "\n" " ")"
touch /x 2>&1 | sed "s/^/root: /"'

# prove_hardened WHAT TEXT
prove_hardened() {
        local out=$2 f
        case "$(status_field "$out" Uid)" in 0* | "") fail "$1: Uid $(status_field "$out" Uid)" ;; esac
        for f in CapPrm CapEff CapBnd; do
                [ "$(status_field "$out" $f)" = 0000000000000000 ] || fail "$1: $f $(status_field "$out" $f)"
        done
        [ "$(status_field "$out" NoNewPrivs)" = 1 ] || fail "$1: NoNewPrivs"
        [ "$(status_field "$out" Seccomp)" = 2 ] || fail "$1: Seccomp"
        own_block_map "$(printf '%s\n' "$out" | sed -n 's/^uid_map: //p')" >/dev/null ||
                fail "$1: uid_map: $out"
        expect_contains "$out" "root: touch: /x: Read-only file system" "$1: / is read-only"
        pass "$1: uid $(status_field "$out" Uid | awk '{print $1}'), uid_map not the identity, no capabilities, no_new_privs, seccomp filter"
}

# --- slirp4netns: podman makes the network namespace before the runtime runs ----
out=$(P run --rm --network slirp4netns "$img" sh -c "$inside" 2>&1) || fail "podman run --network slirp4netns: $out"
prove_hardened "slirp4netns" "$out"
expect_contains "$out" "netdevs: lo tap0 " "slirp4netns: /sys/class/net shows its network namespace's devices (lo, tap0) alone"

# --- a pod: infra container (catatonit) and two containers ------------------------
P pod create --name hrpod --network slirp4netns >/dev/null || fail "podman pod create"
P run -d --pod hrpod --name c1 "$img" sleep 600 >/dev/null || fail "podman run --pod (c1)"
P run -d --pod hrpod --name c2 "$img" sleep 600 >/dev/null || fail "podman run --pod (c2)"
infra=$(P pod inspect hrpod --format '{{.InfraContainerID}}')
ipid=$(P inspect --format '{{.State.Pid}}' "$infra")
[ -n "$ipid" ] && [ "$ipid" != 0 ] || fail "no infra pid"
own_block_map "$(tr -s ' ' </proc/"$ipid"/uid_map)" >/dev/null || fail "infra: uid_map $(cat /proc/"$ipid"/uid_map)"
pass "the pod's infra container runs in a user namespace of its own block"
for c in c1 c2; do
        out=$(P exec -u 0 "$c" sh -c "$inside" 2>&1) || fail "podman exec -u 0 $c: $out"
        prove_hardened "pod $c (exec -u 0)" "$out"
        for n in user net ipc uts; do
                expect_contains "$out" "ns $n $(readlink /proc/"$ipid"/ns/$n)" "pod $c: in the infra container's $n namespace"
        done
        expect_contains "$out" "netdevs: lo tap0 " "pod $c: /sys/class/net shows the pod's devices alone"
done
P pod rm -f -t 0 hrpod >/dev/null || fail "podman pod rm"
[ -z "$(P ps -aq)" ] || fail "containers left: $(P ps -a)"
[ ! -d /run/hardened-runc ] || [ -z "$(find /run/hardened-runc -mindepth 1 -maxdepth 1 ! -name ids)" ] ||
        fail "staging left: $(ls /run/hardened-runc)"
[ ! -d /run/hardened-runc/ids ] || [ -z "$(ls /run/hardened-runc/ids)" ] || fail "id blocks left"
! grep -q " /run/hardened-runc/" /proc/self/mountinfo || fail "staging mounts left"
pass "pod removed: no staging, id block or mount left"

# --- the control: plain runc runs the same container as root ------------------
out=$(P run --rm --runtime /usr/sbin/runc --network slirp4netns "$img" sh -c "$inside" 2>&1) || fail "control: $out"
expect_contains "$out" "CapEff:	00000000a80425fb" "control: plain runc runs it as root with podman's default capabilities"
