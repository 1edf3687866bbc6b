# SPDX-License-Identifier: GPL-2.0-or-later
# A private dockerd for one test: own data-root, exec-root, socket and pid
# file under a temp dir; no iptables, no bridge. Sourced after tests/lib.sh.
# Sets $work, $sock; D runs the docker CLI against it. The EXIT trap stops
# the daemon and removes everything the test caused.

need_root
need_cmd dockerd containerd docker runc busybox python3 tar
shim=${HR_SHIM:?}

work=$(mktemp -d /tmp/hr-e2e.XXXXXX)
chmod 0711 "$work"
sock=$work/docker.sock
dpid=
# dockerd and containerd create these fixed paths even with private roots
# (plugin discovery, trust key, shim sockets); remove the ones we caused.
host_paths="/run/containerd /var/run/docker /etc/docker /run/hardened-runc"
created=
for p in $host_paths; do [ -e "$p" ] || created="$created $p"; done

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

# write_config DEFAULT-RUNTIME [NAME PROFILE]...: daemon.json with the shim
# registered once per NAME, selecting PROFILE ("" for none) by runtimeArgs.
write_config() {
        local default=$1 sep=""
        shift
        {
                printf '{\n  "iptables": false,\n  "ip6tables": false,\n  "bridge": "none",\n'
                printf '  "default-runtime": "%s",\n  "runtimes": {' "$default"
                while [ $# -ge 2 ]; do
                        if [ -n "$2" ]; then
                                printf '%s\n    "%s": { "path": "%s", "runtimeArgs": ["--profile=%s"] }' "$sep" "$1" "$shim" "$2"
                        else
                                printf '%s\n    "%s": { "path": "%s" }' "$sep" "$1" "$shim"
                        fi
                        sep=,
                        shift 2
                done
                printf '\n  }\n}\n'
        } >"$work/daemon.json"
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

# import_busybox TAG: the busybox rootfs as an image
import_busybox() {
        make_rootfs "$work/rootfs"
        tar -C "$work/rootfs" -c . | D import - "$1" >/dev/null
        rm -rf "$work/rootfs"
}

# staging_count: staged containers (directories and mounts) right now
staging_count() {
        local dirs mounts
        dirs=$(find /run/hardened-runc -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
        mounts=$(grep -c ' /run/hardened-runc/' /proc/self/mountinfo || true)
        echo "$dirs $mounts"
}

# expect_refused NAME RUNTIME REASON DOCKER-ARGS...: docker run of the test
# image with the shim as RUNTIME fails and shows REASON (and our name).
expect_refused() {
        local name=$1 runtime=$2 reason=$3 err
        shift 3
        if err=$(D run --rm --runtime "$runtime" "$@" "$img" true 2>&1); then
                fail "$name: ran, expected a refusal"
        fi
        expect_contains "$err" "hardened-runc:" "$name: refused, shown by docker run"
        expect_contains "$err" "$reason" "$name: reason: $reason"
}

assert_no_leftovers() {
        stop_daemon
        local left
        # libnetwork binds the host netns at exec-root/netns/default and
        # dockerd leaves it mounted when it stops: its leftover, not ours
        if grep -q " $work/exec/netns/default " /proc/self/mountinfo; then
                umount "$work/exec/netns/default" || fail "cannot unmount dockerd's netns/default"
        fi
        left=$(pgrep -af -- "$work" || true)
        [ -z "$left" ] || fail "processes left behind: $left"
        [ -z "$(leftover_mounts)" ] || fail "mounts left behind: $(leftover_mounts)"
        [ "$(staging_count)" = "0 0" ] || fail "staging left behind: $(ls /run/hardened-runc)"
        pass "daemon stopped; no process, mount or staging left"
}
