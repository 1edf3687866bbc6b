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
ruser=
R() { runuser -u "$ruser" -- env HOME="/home/$ruser" XDG_RUNTIME_DIR="$work/xdg" \
        CONTAINERS_CONF="$work/rootless.conf" podman "$@"; }
export CONTAINERS_CONF=$work/containers.conf
cleanup() {
        local d m
        set +e
        P pod rm -af >/dev/null 2>&1
        P rm -af >/dev/null 2>&1
        P system reset -f >/dev/null 2>&1
        if [ -n "$ruser" ]; then
                R rm -af -t 0 >/dev/null 2>&1
                R system reset -f >/dev/null 2>&1
                pkill -u "$ruser" 2>/dev/null
                userdel -r "$ruser" >/dev/null 2>&1
        fi
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
echo "uid_map: $(tr -s " " </proc/self/uid_map | tr "\n" " ")"
for n in user net ipc uts pid; do echo "ns $n $(readlink /proc/self/ns/$n)"; done
echo "netdevs: $(ls /sys/class/net | tr "\n" " ")"
touch /x 2>&1 | sed "s/^/root: /"'

# --- slirp4netns: podman makes the network namespace before the runtime runs ----
out=$(P run --rm --network slirp4netns "$img" sh -c "$inside" 2>&1) || fail "podman run --network slirp4netns: $out"
assert_hardened "slirp4netns" "$out"
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
        assert_hardened "pod $c (exec -u 0)" "$out"
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

# --- rootless podman: a user made here, with its own subuid range ----------------
# The runtime runs in the user's own user namespace: nothing to stage, and
# the state goes to the user's XDG_RUNTIME_DIR. Without cgroup delegation
# (cgroup v1) the user cannot set limits: refused unless a profile allows
# running without them (resources.rootlessWithoutLimits). slirp4netns
# needs /dev/net/tun, which only root may open here: --network none.
need_cmd runuser useradd userdel newuidmap
ruser=hrrootless$((RANDOM % 10000))
useradd -m -s /bin/sh "$ruser" || fail "useradd $ruser"
grep -q "^$ruser:" /etc/subuid || usermod --add-subuids 300000-365535 --add-subgids 300000-365535 "$ruser"
sub=$(awk -F: -v u="$ruser" '$1 == u {print $2; exit}' /etc/subuid)
ruid=$(id -u "$ruser")
mkdir -m 0700 "$work/xdg"
mkdir -m 0755 "$work/bin"
chown "$ruser" "$work/xdg"
cp "$shim" "$work/bin/hardened-runc" # the build tree may be closed to the user
chmod 0755 "$work/bin/hardened-runc"
chmod 0644 "$work/rootfs.tar"
echo '{"name": "rootless-test", "rules": {"resources": {"rootlessWithoutLimits": true}}}' >"$work/rootless-profile.json"
printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n[engine]\nruntime = "hardened"\nevents_logger = "file"\n[engine.runtimes]\nhardened = ["%s"]\n' \
        "$work/bin/hardened-runc" >"$work/rootless.conf"
chmod 0644 "$work/rootless.conf" "$work/rootless-profile.json"
R import --change 'CMD ["/bin/sleep", "2147483647"]' "$work/rootfs.tar" "$img" >/dev/null || fail "rootless podman import"
flag=()
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
        pass "cgroup v2: rootless podman runs under the default profile"
else
        rc=0
        out=$(R run --rm --network none "$img" true 2>&1) || rc=$?
        [ "$rc" != 0 ] || fail "rootless podman on cgroup v1 ran without limits under the default profile"
        expect_contains "$out" "rootlessWithoutLimits" "rootless podman, cgroup v1: refused, saying why and what allows it"
        flag=(--runtime-flag "profile=$work/rootless-profile.json")
fi
out=$(R "${flag[@]}" run --rm --network none "$img" sh -c "$inside" 2>&1) || fail "rootless podman run: $out"
case "$(status_field "$out" Uid)" in 0* | "") fail "rootless: Uid $(status_field "$out" Uid)" ;; esac
for f in CapPrm CapEff CapBnd; do
        [ "$(status_field "$out" $f)" = 0000000000000000 ] || fail "rootless: $f $(status_field "$out" $f)"
done
[ "$(status_field "$out" NoNewPrivs)" = 1 ] && [ "$(status_field "$out" Seccomp)" = 2 ] || fail "rootless: $out"
map=$(printf '%s\n' "$out" | sed -n 's/^uid_map: //p' | tr -s ' ' | sed 's/^ //; s/ $//')
[ "$map" = "0 $ruid 1 1 $sub 65536" ] || fail "rootless: uid_map '$map', not the caller's (0 $ruid 1, 1 $sub 65536)"
expect_contains "$out" "root: touch: /x: Read-only file system" "rootless: / is read-only"
pass "rootless podman: uid $(status_field "$out" Uid | awk '{print $1}') in the caller's user namespace ($map), no capabilities, no_new_privs, seccomp filter"
# a detached container and podman exec -u 0: judged by the state kept in
# the user's runtime directory
R "${flag[@]}" run -d --name r1 --network none "$img" sleep 600 >/dev/null || fail "rootless podman run -d"
[ -n "$(find "$work/xdg/hardened-runc" -mindepth 2 -name state.json 2>/dev/null)" ] || fail "rootless: no state in XDG_RUNTIME_DIR"
out=$(R "${flag[@]}" exec -u 0 r1 sh -c "$inside" 2>&1) || fail "rootless podman exec -u 0: $out"
case "$(status_field "$out" Uid)" in 0* | "") fail "rootless exec -u 0: Uid $(status_field "$out" Uid)" ;; esac
[ "$(status_field "$out" CapEff)" = 0000000000000000 ] && [ "$(status_field "$out" NoNewPrivs)" = 1 ] ||
        fail "rootless exec: $out"
pass "rootless podman exec -u 0: not root, no capabilities, no_new_privs; its state is in the user's XDG_RUNTIME_DIR"
R rm -f -t 0 r1 >/dev/null || fail "rootless podman rm"
[ -z "$(find "$work/xdg/hardened-runc" -mindepth 2 2>/dev/null)" ] || fail "rootless: state left: $(ls -R "$work/xdg/hardened-runc")"
pass "rootless container removed: its state is gone"
