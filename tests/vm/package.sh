#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# In the guest (a fresh Debian 12): the .deb installs (the id reservation
# made), `hardened-runc setup docker --default --reload` against the
# system dockerd makes a plain `docker run IMG` hardened (proved from
# inside), an upgrade keeps it, and a purge takes the runtime entry out of
# daemon.json and reloads dockerd, which runs runc again; nothing of the
# package is left. HR_DEBS: the package and its upgrade.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd dpkg dockerd docker busybox python3
read -r deb1 deb2 <<<"${HR_DEBS:?}"
[ -f "$deb1" ] && [ -f "$deb2" ] || fail "no packages at $HR_DEBS"
work=$(mktemp -d /tmp/hr-pkg.XXXXXX)
dockerd_pid=
stop_dockerd() {
        [ -n "$dockerd_pid" ] || return 0
        kill "$dockerd_pid" 2>/dev/null || true
        wait "$dockerd_pid" 2>/dev/null || true
        dockerd_pid=
}
cleanup() {
        docker rm -f $(docker ps -aq 2>/dev/null) >/dev/null 2>&1 || true
        stop_dockerd
        dpkg --purge hardened-runc >/dev/null 2>&1 || true
        rm -f /etc/docker/daemon.json /etc/docker/daemon.json.bak-*
        rm -rf "$work"
}
trap cleanup EXIT
probe='id -u; grep NoNewPrivs /proc/self/status'
default_runtime() { docker info --format '{{.DefaultRuntime}}' 2>/dev/null; }
wait_default() {
        for _ in $(seq 1 80); do
                [ "$(default_runtime)" = "$1" ] && return 0
                sleep 0.25
        done
        fail "dockerd's default runtime is $(default_runtime), not $1"
}

# --- install -------------------------------------------------------------------
dpkg -i "$deb1" >"$work/dpkg1" 2>&1 || fail "dpkg -i: $(tail -20 "$work/dpkg1")"
[ "$(hardened-runc --version 2>&1 | head -1)" = "hardened-runc version 0.1.0" ] ||
        fail "installed: $(hardened-runc --version 2>&1 | head -1)"
getent passwd hardened-runc >/dev/null || fail "no system user hardened-runc"
for f in /etc/subuid /etc/subgid; do
        grep -qx 'hardened-runc:1073741824:1073741824' "$f" || fail "$f: $(cat "$f")"
done
[ -s /etc/hardened-runc/config.json.example ] || fail "no example admin config"
[ -s /usr/share/man/man8/hardened-runc.8.gz ] && [ -s /usr/share/man/man5/hardened-runc-policy.5.gz ] ||
        fail "the manuals are not installed"
pass "dpkg -i: the binary, manuals and example config; the system user and its /etc/subuid and /etc/subgid range"

# --- the system dockerd, then setup ----------------------------------------------------
mkdir -p /etc/docker
printf '{\n  "iptables": false,\n  "ip6tables": false,\n  "bridge": "none"\n}\n' >/etc/docker/daemon.json
cp /etc/docker/daemon.json "$work/daemon.orig"
dockerd >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 240); do
        docker info >/dev/null 2>&1 && break
        kill -0 "$dockerd_pid" 2>/dev/null || fail "dockerd exited: $(tail -20 "$work/dockerd.log")"
        sleep 0.5
done
docker info >/dev/null 2>&1 || fail "dockerd did not come up: $(tail -20 "$work/dockerd.log")"
make_rootfs "$work/rootfs"
tar -C "$work/rootfs" -c . | docker import - hr-busybox:pkg >/dev/null
[ "$(default_runtime)" = runc ] || fail "dockerd starts with $(default_runtime)"
out=$(hardened-runc setup docker --default --reload 2>&1) || fail "setup docker --default --reload: $out"
expect_contains "$out" "registered runtime hardened" "setup docker --default --reload: registered in /etc/docker/daemon.json"
wait_default hardened
out=$(docker run --rm --network none hr-busybox:pkg sh -c "$probe" 2>&1) || fail "docker run: $out"
[ "$(printf '%s\n' "$out" | head -1)" = 65534 ] || fail "docker run after setup: $out"
expect_contains "$out" "NoNewPrivs:	1" "a plain docker run IMG is hardened: uid 65534, no_new_privs"

# --- upgrade -------------------------------------------------------------------------
dpkg -i "$deb2" >"$work/dpkg2" 2>&1 || fail "upgrade: $(tail -20 "$work/dpkg2")"
[ "$(dpkg-query -W -f '${Version}' hardened-runc)" = "0.1.0+upgrade" ] || fail "not upgraded"
[ "$(grep -c '^hardened-runc:' /etc/subuid)" = 1 ] || fail "upgrade doubled the range: $(cat /etc/subuid)"
[ "$(default_runtime)" = hardened ] || fail "the upgrade changed the default runtime"
out=$(docker run --rm --network none hr-busybox:pkg sh -c "$probe" 2>&1) || fail "docker run after upgrade: $out"
[ "$(printf '%s\n' "$out" | head -1)" = 65534 ] || fail "docker run after upgrade: $out"
pass "upgrade: the runtime entry and the id range stay once; docker run is still hardened"

# --- purge ---------------------------------------------------------------------------
dpkg --purge hardened-runc >"$work/dpkg3" 2>&1 || fail "purge: $(tail -20 "$work/dpkg3")"
wait_default runc
python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); a["default-runtime"]="runc"; assert a==b, (a,b)' \
        "$work/daemon.orig" /etc/docker/daemon.json || fail "after purge: $(cat /etc/docker/daemon.json)"
out=$(docker run --rm --network none hr-busybox:pkg sh -c "$probe" 2>&1) || fail "docker run after purge: $out"
[ "$(printf '%s\n' "$out" | head -1)" = 0 ] || fail "docker run after purge is not runc's: $out"
[ ! -e /usr/bin/hardened-runc ] && [ ! -e /etc/hardened-runc ] || fail "purge left $(ls -d /usr/bin/hardened-runc /etc/hardened-runc 2>/dev/null)"
! getent passwd hardened-runc >/dev/null || fail "purge left the system user"
! grep -q '^hardened-runc:' /etc/subuid /etc/subgid || fail "purge left the id range"
pass "purge: the runtime entry out of daemon.json, dockerd reloaded and running runc again; no file, user or range left"
