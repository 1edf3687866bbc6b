#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 3: every docker command line behind ../shared/fixtures (and a few
# more) through hardened-runc on a private dockerd. Each must end hardened,
# proved from inside the container, or be refused with the reason in
# `docker run`'s own stderr.
# The runtime is the default profile, user namespace included.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
. "$HR_SOURCE/tests/e2e/dockerd-lib.sh"

write_config runc hardened ""
start_daemon
import_busybox hr-busybox:test
img=hr-busybox:test
D network create hnet >/dev/null
mkdir -p "$work/vol1" "$work/vol2"

probe='grep -E "^(Uid|Gid|Groups|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status
touch /x 2>&1
echo "nofile $(ulimit -n)"
echo "memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"
echo "pids $(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)"
echo "quota $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max)"
echo "ip_forward $(cat /proc/sys/net/ipv4/ip_forward)"
echo "shm_rmid_forced $(cat /proc/sys/kernel/shm_rmid_forced)"
echo "timer_list $(wc -c </proc/timer_list)" # masked: /dev/null bound over it
test -e /dev/mem && echo "has /dev/mem"
[ -n "${HRDEV:-}" ] && test -e "$HRDEV" && echo "has $HRDEV"
mount -t tmpfs none /mnt 2>/dev/null && echo "mount worked"
grep -E " /data " /proc/self/mounts
echo "uid_map $(tr -s " " </proc/self/uid_map)"
true'

# hardened NAME DOCKER-ARGS...: runs, and the kernel shows the hardening.
# Leaves the output in $out for further checks.
hardened() {
        local name=$1 v
        shift
        out=$(D run --rm --runtime hardened "$@" "$img" sh -c "$probe" 2>&1 | tr -d '\r') ||
                fail "$name: docker run failed: $out"
        [ "$(status_field "$out" NoNewPrivs)" = 1 ] || fail "$name: NoNewPrivs: $out"
        [ "$(status_field "$out" Seccomp)" = 2 ] || fail "$name: Seccomp: $out"
        [ "$(status_field "$out" CapEff)" = 0000000000000000 ] || fail "$name: CapEff: $out"
        [ "$(status_field "$out" CapBnd)" = 0000000000000000 ] || fail "$name: CapBnd: $out"
        for v in Uid Gid; do
                case "$(status_field "$out" $v)" in 0*) fail "$name: $v is root: $out" ;; esac
        done
        case " $(status_field "$out" Groups) " in *" 0 "*) fail "$name: in group 0: $out" ;; esac
        expect_contains "$out" "Read-only file system" "$name: read-only root" >/dev/null
        expect_not_contains "$out" "has /dev/mem" "$name: no /dev/mem" >/dev/null
        expect_not_contains "$out" "mount worked" "$name: mount denied" >/dev/null
        expect_contains "$out" "timer_list 0" "$name: /proc/timer_list masked" >/dev/null
        own_block_map "$out" >/dev/null || fail "$name: no uid_map of a block of its own: $out"
        pass "$name: ends hardened (uid $(status_field "$out" Uid | cut -d" " -f1) in a user namespace, no caps, NoNewPrivs, seccomp, ro root)"
}

# refused NAME REASON DOCKER-ARGS...
refused() {
        local name=$1 reason=$2
        shift 2
        expect_refused "$name" hardened "$reason" "$@"
}

field() { printf '%s\n' "$out" | sed -n "s/^$1 //p"; }

hardened default --network none
[ "$(field memory)" = 536870912 ] || fail "default: memory $(field memory)"
[ "$(field pids)" = 512 ] || fail "default: pids $(field pids)"
pass "default: profile's memory (512 MiB) and pids (512) limits in the cgroup"

hardened privileged --network none --privileged
hardened user-1000 --network none --user 1000:1000
[ "$(status_field "$out" Uid | cut -d" " -f1)" = 1000 ] || fail "user-1000: uid"
pass "user-1000: keeps its non-root uid"

hardened already-hardened --network none --read-only --user 65534:65534 --cap-drop ALL \
        --security-opt no-new-privileges --memory 256m --pids-limit 100
[ "$(field memory)" = 268435456 ] && [ "$(field pids)" = 100 ] || fail "already-hardened: limits $out"
pass "already-hardened: keeps its own limits"

hardened limits --network none --memory 256m --memory-swap 512m --cpus 0.5 --pids-limit 100 --cpu-shares 512
[ "$(field memory)" = 268435456 ] && [ "$(field pids)" = 100 ] || fail "limits: $out"
case "$(field quota)" in 50000*) ;; *) fail "limits: cpu quota $(field quota)" ;; esac
pass "limits: memory 256 MiB, pids 100, cpu quota 0.5 kept (within the maxima)"

hardened volumes --network none -v "$work/vol1:/data" -v "$work/vol2:/ro:ro" --tmpfs /scratch:size=10m
data=$(printf '%s\n' "$out" | grep ' /data ')
expect_contains "$data" "nosuid" "volumes: bind mount is nosuid"
expect_contains "$data" "nodev" "volumes: bind mount is nodev"

refused host-network "joins the host's network namespace" --network host
refused host-pid-ipc-uts "no pid namespace: the container shares the host's" --network none --pid host --ipc host --uts host
hardened seccomp-unconfined --network none --security-opt seccomp=unconfined
hardened cap-add-all --network none --cap-add ALL
hardened cap-add-sysadmin --network none --cap-add SYS_ADMIN --cap-add NET_ADMIN
hardened devices --network none --device /dev/null:/dev/xnull
hardened tty --network none -t
hardened sysctl-ulimit --network none --sysctl net.ipv4.ip_forward=1 --ulimit nofile=1024:2048
[ "$(field ip_forward)" = 1 ] && [ "$(field nofile)" = 1024 ] || fail "sysctl-ulimit: $out"
pass "sysctl-ulimit: namespaced net sysctl and the lower nofile kept"
hardened userns-host-gid0 --network none --group-add 0 --user 1000
hardened env-workdir --network none -e SECRET_TOKEN=abc -w /tmp
hardened init --network none --init
# Lowering oom_score_adj needs CAP_SYS_RESOURCE; where the host lacks it
# (some sandboxes), plain runc fails the same way, so use a raise instead.
oom=-500
if ! D run --rm --network none --oom-score-adj -500 "$img" true >/dev/null 2>&1; then
        echo "note: plain runc cannot lower oom_score_adj on this host (no CAP_SYS_RESOURCE); using +500"
        oom=500
fi
hardened oom-score --network none --oom-score-adj "$oom" --oom-kill-disable --memory 64m
[ "$(field memory)" = 67108864 ] || fail "oom-score: memory $(field memory)"
pass "oom-score: its 64 MiB limit kept"
hardened bridge-network --network hnet

# beyond the fixtures: the command lines issue 3 names
# docker itself refuses kernel.* sysctls outside the IPC namespace (the
# rule's removal of those is unit-tested); the IPC ones are namespaced and
# allowed by the profile
hardened sysctl-kernel-ipc --network none --sysctl kernel.shm_rmid_forced=1
[ "$(field shm_rmid_forced)" = 1 ] || fail "kernel.shm_rmid_forced: $(field shm_rmid_forced)"
pass "sysctl-kernel-ipc: IPC-namespaced kernel.shm_rmid_forced kept"
# a host device node beyond the default set (this host may lack /dev/mem)
for dev in /dev/mem /dev/kmsg /dev/vda; do [ -e "$dev" ] && break; done
hardened device-node --network none --device "$dev" -e HRDEV="$dev"
expect_not_contains "$out" "has $dev" "device-node: --device $dev removed"
refused root-volume "bind-mounts /, holds the host's" --network none -v /:/host
refused etc-volume "bind-mounts /etc, inside the host's /etc" --network none -v /etc:/hostetc
refused docker-state "refused by rule mounts: /mounts/" --network none -v /var/lib/docker:/x

# the review's findings 1 and 2 (issue 9): trees that hold daemon sockets,
# sensitive files below a tree, a daemon's group
refused run-dir "bind-mounts /run, holds the host's" --network none -v /run:/r
refused var-run-dir "holds the host's" --network none -v /var/run:/r
refused shadow "inside the host's /etc" --network none -v /etc/shadow:/x/shadow:ro
refused shadow-and-group "2 rules refused the container" --network none -v /etc/shadow:/x/shadow:ro --group-add 42
refused etc-ssh "refused by rule mounts: /mounts/" --network none -v /etc/ssh:/x
refused etc-docker "refused by rule mounts: /mounts/" --network none -v /etc/docker:/x
refused var-log "inside the host's /var/log" --network none -v /var/log:/x
refused docker-overlay2 "refused by rule mounts: /mounts/" --network none -v /var/lib/docker/overlay2:/x
refused docker-containers "refused by rule mounts: /mounts/" --network none -v /var/lib/docker/containers:/x
refused dockerd-socket "a Unix socket: a door to a host daemon" --network none -v "$sock:/s"
# a named volume that is a bind mount of /etc (the local driver's own
# options): its path is a Docker volume, what it shows is the host's /etc
D volume create --opt type=none --opt o=bind --opt device=/etc hretc >/dev/null
refused volume-bind-etc "which shows the host's /etc through the mount" --network none -v hretc:/x
out=$(D run --rm --runtime runc --network none -v hretc:/x "$img" head -1 /x/passwd 2>&1 || true)
expect_contains "$out" "$(head -1 /etc/passwd)" "volume-bind-etc: control: plain runc shows the host's /etc/passwd"
D volume rm hretc >/dev/null
docker_gid=$(getent group docker | cut -d: -f3)
[ -n "$docker_gid" ] || fail "no docker group on this host (docker.io makes it)"
refused group-docker "the host's protected group (docker)" --network none --group-add "$docker_gid"
refused group-shadow "the host's protected group (shadow)" --network none --group-add 42

# finding 1, live: a directory that holds a daemon's socket (root:docker
# 0660, as dockerd makes it) may be a volume, but the container's user cannot
# open the socket: EACCES, where a process that may gets ENXIO from open(2)
# on a socket. Plain runc's root reaches it. (The daemon's own directory,
# which holds overlay mounts, cannot be idmapped and is refused: shift
# never falls back to root-only silently.)
mkdir "$work/sockdir"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$work/sockdir/api.sock"
chgrp docker "$work/sockdir/api.sock"
chmod 0660 "$work/sockdir/api.sock"
sock_probe='echo x >/w/api.sock'
out=$(D run --rm --runtime hardened --network none -v "$work/sockdir:/w" "$img" sh -c "$sock_probe" 2>&1 || true)
expect_contains "$out" "Permission denied" "socket-dir: a daemon's socket in a volume cannot be opened"
out=$(D run --rm --runtime runc --network none -v "$work/sockdir:/w" "$img" sh -c "$sock_probe" 2>&1 || true)
expect_contains "$out" "No such device or address" "socket-dir: control: plain runc's root reaches it"
refused daemon-dir "idmapped mount of $work" --network none -v "$work:/w"

# ... while what ordinary containers need still works, hardened
hardened localtime --network none -v /etc/localtime:/etc/localtime:ro
D volume create hrvol >/dev/null
hardened named-volume --network none -v hrvol:/data
data=$(printf '%s\n' "$out" | grep ' /data ')
expect_contains "$data" "nosuid" "named-volume: nosuid,nodev"
D volume rm hrvol >/dev/null
srv=$(mktemp -d /srv/hr-data.XXXXXX)
hardened srv-data --network none -v "$srv:/data"
rmdir "$srv"
hardened tmpfs --network none --tmpfs /scratch:size=10m,exec

D network rm hnet >/dev/null
assert_no_leftovers
echo "all fixture command lines end hardened or refused"
