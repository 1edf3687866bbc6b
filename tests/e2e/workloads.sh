#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 3: ordinary images doing ordinary work through a private dockerd,
# as a new user would run them. One Debian bookworm image made by
# debootstrap plus apt-get (nginx, lighttpd, postgresql-common) and
# `docker import`; jq's packages as a file: repository on a volume.
#   baseline    the root is writable and writes land in the container's
#               own layer: apt-get installs jq, `docker diff` and
#               `docker cp` see it; nginx and lighttpd with their stock
#               configs serve a page (on the container's own loopback).
#   restricted  the root is read-only; uid 65534 writes /tmp, /run and
#               /var/tmp, also in an image without /var/tmp; what the
#               image ships under /run (PostgreSQL's /run/postgresql)
#               stays, with its owner.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_cmd debootstrap chroot dpkg-deb sha256sum
. "$HR_SOURCE/tests/e2e/dockerd-lib.sh"

web=$(HR_REPO_PACKAGES=jq debian_tree_with web nginx lighttpd postgresql-common)
[ -s "$web.repo/Packages" ] || fail "no jq repository in $web.repo"
write_config runc hardened "" hardened-baseline baseline
start_daemon
pass "private dockerd is up"
tar -C "$web" -c . | D import - hr-web:test >/dev/null
img=hr-web:test

# --- baseline: apt-get, on the writable root ------------------------------------
install='echo "deb [trusted=yes] file:/repo ./" >/etc/apt/sources.list &&
apt-get -q update >/dev/null && apt-get -q install -y jq >/dev/null && jq --version'
c=$(D create --runtime hardened-baseline --network none -v "$web.repo:/repo:ro" "$img" sh -c "$install")
out=$(D start -a "$c" 2>&1) || fail "apt-get install jq under baseline: $out"
expect_contains "$out" "jq-1." "baseline: apt-get installs jq from a file: repository and jq runs"
expect_contains "$(D diff "$c")" "A /usr/bin/jq" "baseline: docker diff shows the installed /usr/bin/jq"
D cp "$c:/usr/bin/jq" - | tar -t | grep -x jq >/dev/null || fail "docker cp of /usr/bin/jq"
pass "baseline: docker cp reads the installed /usr/bin/jq"
owner=$(D run --rm --runtime hardened-baseline --network none "$img" stat -c '%u:%g' /usr/bin)
[ "$owner" = 0:0 ] || fail "baseline: /usr/bin is owned $owner inside"
pass "baseline: image files keep their owners inside (0:0)"
D rm "$c" >/dev/null

# --- baseline: web servers with their stock configs -------------------------------
get() { # CONTAINER PATH: an HTTP/1.0 GET on the container's own loopback
        D exec "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/80 && printf "GET %s HTTP/1.0\r\n\r\n" "$0" >&3 && cat <&3' "$2"
}
serve() { # NAME PATH EXPECTED COMMAND...
        local name=$1 path=$2 want=$3 c out="" logs
        shift 3
        c=$(D run -d --runtime hardened-baseline --network none "$img" "$@")
        for _ in $(seq 1 40); do
                out=$(get "$c" "$path" 2>/dev/null) && break
                sleep 0.25
        done
        logs=$(D logs "$c" 2>&1 | tail -5)
        D rm -f "$c" >/dev/null
        expect_contains "$out" "$want" "baseline: $name serves a page (logs: ${logs:-none})"
}
serve nginx / "Welcome to nginx" nginx -g 'daemon off;'
serve lighttpd /index.lighttpd.html "200 OK" lighttpd -D -f /etc/lighttpd/lighttpd.conf

# --- restricted: scratch space for the profile's user ------------------------------
make_rootfs "$work/bb"
rm -rf "$work/bb/var/tmp"
tar -C "$work/bb" -c . | D import - hr-novartmp:test >/dev/null
rm -rf "$work/bb"
script='id -u; for d in /tmp /run /var/tmp; do echo x >$d/f && echo "$d writable"; done; touch /etc/x 2>&1 || true'
out=$(D run --rm --runtime hardened --network none hr-novartmp:test sh -c "$script" 2>&1) ||
        fail "restricted scratch: $out"
expect_contains "$out" "65534" "restricted: runs as 65534"
for d in /tmp /run /var/tmp; do
        expect_contains "$out" "$d writable" "restricted: 65534 writes $d (the image has no /var/tmp)"
done
expect_contains "$out" "Read-only file system" "restricted: the root stays read-only"

# --- restricted: what the image ships under /run stays ------------------------------
# (runc before 1.1.10 copies directories up with the mode bits its umask
# leaves, without setgid: runc#3991; the owner is what PostgreSQL needs)
want=$(D run --rm --network none "$img" stat -c '%U:%G %F' /run/postgresql)
[ "$want" = "postgres:postgres directory" ] || fail "control: the image's /run/postgresql is $want"
pass "control: under plain runc /run/postgresql is $want"
out=$(D run --rm --runtime hardened --network none "$img" sh -c \
        'stat -c "%U:%G %F" /run/postgresql; grep " /run " /proc/self/mounts' 2>&1)
expect_contains "$out" "$want" "restricted: /run/postgresql survives with its owner"
expect_contains "$out" "tmpfs /run tmpfs" "restricted: ... on the /run tmpfs"

assert_no_leftovers
echo "all workload checks passed"
