# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the shell test layers. Sourced, not run.
# A test that cannot run here exits 77 (meson: skipped); under CI
# (HR_CI=1) a skip is a failure, because CI installs everything.

skip() {
        echo "SKIP: $*" >&2
        if [ "${HR_CI:-0}" = 1 ]; then
                echo "FAIL: HR_CI=1 and this test would have been skipped" >&2
                exit 1
        fi
        exit 77
}

fail() {
        echo "FAIL: $*" >&2
        exit 1
}

pass() {
        echo "ok - $*"
}

need_root() {
        [ "$(id -u)" = 0 ] || skip "needs root (runs real containers)"
}

need_cmd() {
        local c
        for c in "$@"; do
                command -v "$c" >/dev/null 2>&1 || skip "needs $c (apt-get install $c)"
        done
}

# expect_contains TEXT NEEDLE WHAT
expect_contains() {
        case "$1" in
        *"$2"*) pass "$3" ;;
        *) fail "$3: expected to find '$2' in:
$1" ;;
        esac
}

expect_not_contains() {
        case "$1" in
        *"$2"*) fail "$3: did not expect '$2' in:
$1" ;;
        *) pass "$3" ;;
        esac
}

# make_rootfs DIR: a busybox-static root filesystem.
make_rootfs() {
        local r=$1 bb
        bb=$(command -v busybox)
        mkdir -p "$r"/bin "$r"/proc "$r"/sys "$r"/dev "$r"/etc "$r"/tmp "$r"/run "$r"/var/tmp
        chmod 1777 "$r"/tmp "$r"/var/tmp # as in Debian's and busybox's images
        cp "$bb" "$r"/bin/busybox
        "$r"/bin/busybox --list | while read -r applet; do
                [ "$applet" = busybox ] || ln -sf busybox "$r/bin/$applet"
        done
        echo "root:x:0:0:root:/:/bin/sh" >"$r"/etc/passwd
        echo "nobody:x:65534:65534:nobody:/:/bin/sh" >>"$r"/etc/passwd
        printf 'root:x:0:\nnogroup:x:65534:\n' >"$r"/etc/group
        if [ -n "${HR_PROBE:-}" ]; then
                cp "$HR_PROBE" "$r"/bin/hr-probe
        fi
}

# status_field TEXT FIELD: the value of a /proc/self/status field in TEXT
status_field() {
        # A here-string, not a pipe: awk leaves at its match, and a printf
        # still writing would die of SIGPIPE, failing the caller under pipefail.
        awk -v f="$2:" '$1 == f {$1 = ""; sub(/^[ \t]+/, ""); print; exit}' <<<"$1"
}

# json_edit FILE PYTHON-STATEMENTS: edit a JSON document bound to `c`.
json_edit() {
        python3 - "$1" "$2" <<'PY'
import json, sys
path, code = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
exec(code)
with open(path, "w") as f:
    json.dump(c, f, indent=2)
PY
}

# json_get FILE EXPRESSION: print a value of the document `c`.
json_get() {
        python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# make_bundle DIR ARG...: runc's default spec on a busybox rootfs running
# ARG..., with the hardening the tests expect us to add switched off, so
# that what the kernel shows comes from hardened-runc and not from runc's
# defaults.
make_bundle() {
        local b=$1
        shift
        mkdir -p "$b"
        make_rootfs "$b/rootfs"
        (cd "$b" && runc spec)
        python3 - "$b/config.json" "$@" <<'PY'
import json, sys
path, args = sys.argv[1], sys.argv[2:]
with open(path) as f:
    c = json.load(f)
c["process"]["terminal"] = False
c["process"]["noNewPrivileges"] = False
c["root"]["readonly"] = False
c["process"]["args"] = args
with open(path, "w") as f:
    json.dump(c, f, indent=2)
PY
}

# Tests that stage containers remove /run/hardened-runc at the end when it
# was not there before them (it is otherwise left empty, 0711).
staging_root_existed=false
[ -e /run/hardened-runc ] && staging_root_existed=true
remove_staging_root() {
        $staging_root_existed || rmdir /run/hardened-runc 2>/dev/null || true
}

# runc_workdir PREFIX: a work directory ($work, 0711 so that a container's
# mapped root reaches rootfs trees in it) and a runc root ($state) in it;
# on exit every container there is deleted through the shim ($shim), then
# the directory goes.
runc_workdir() {
        work=$(mktemp -d "/tmp/$1.XXXXXX")
        chmod 0711 "$work"
        state=$work/state
        trap runc_workdir_cleanup EXIT
}
runc_workdir_cleanup() {
        local id
        for id in $(runc --root "$state" list -q 2>/dev/null); do
                "$shim" --root "$state" delete -f "$id" >/dev/null 2>&1 || true
        done
        # what a failed test staged for a container runc never made
        "$shim" --root "$state" gc >/dev/null 2>&1 || true
        rm -rf "$work"
        remove_staging_root
}

# own_block_map TEXT: TEXT holds a uid_map line "0 H 65536" with H the
# first id of a block of the restricted profile's pool (1073741824 on, in
# blocks of 65536): the container's own exclusive range. Prints H.
own_block_map() {
        local h
        h=$(tr -s ' ' <<<"$1" | sed -n 's/.*\b0 \([0-9][0-9]*\) 65536\b.*/\1/p')
        h=${h%%$'\n'*}
        [ -n "$h" ] && [ "$h" -ge 1073741824 ] && [ $(((h - 1073741824) % 65536)) = 0 ] || return 1
        echo "$h"
}

# assert_hardened WHAT TEXT: TEXT, what a container printed of its
# /proc/self/status, "uid_map: ..." (its map on one line) and "root: ..."
# (a touch /x), shows a hardened process: not uid 0, no capabilities,
# no_new_privs, a seccomp filter, a uid map of its own id block, a
# read-only root.
assert_hardened() {
        local out=$2 f map
        case "$(status_field "$out" Uid)" in 0* | "") fail "$1: Uid $(status_field "$out" Uid)" ;; esac
        for f in CapPrm CapEff CapBnd; do
                [ "$(status_field "$out" $f)" = 0000000000000000 ] || fail "$1: $f $(status_field "$out" $f)"
        done
        [ "$(status_field "$out" NoNewPrivs)" = 1 ] || fail "$1: NoNewPrivs $(status_field "$out" NoNewPrivs)"
        [ "$(status_field "$out" Seccomp)" = 2 ] || fail "$1: Seccomp $(status_field "$out" Seccomp)"
        map=$(printf '%s\n' "$out" | sed -n 's/^uid_map: //p')
        own_block_map "$map" >/dev/null || fail "$1: uid_map $map"
        expect_contains "$out" "root: touch: /x: Read-only file system" "$1: / is read-only"
        pass "$1: uid $(status_field "$out" Uid | awk '{print $1}'), uid_map not the identity ($map), no capabilities, no_new_privs, seccomp filter"
}

# staging_dir ID [ROOT]: the container's staging and state directory, as
# shim/staging.c names it: keyed by the runtime root ($state, else runc's
# /run/runc) with '/' written '+' and other bytes outside [A-Za-z0-9._-]
# as %XX, then the id
staging_dir() {
        python3 - "${2:-${state:-/run/runc}}" "$1" <<'PY'
import os, sys
root, cid = sys.argv[1], sys.argv[2]
root = os.path.normpath(os.path.abspath(root))
safe = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
key = "".join("+" if b == 0x2f else chr(b) if b in safe else "%%%02X" % b for b in root.encode())
print("/run/hardened-runc/%s/%s" % (key, cid))
PY
}

# no_staging ID [ROOT]: nothing of hardened-runc's staging for ID remains
no_staging() {
        local d
        d=$(staging_dir "$@")
        [ ! -e "$d" ] || fail "staging directory $d remains"
        if grep -qF " $d/" /proc/self/mountinfo; then
                fail "staging mounts of $1 remain: $(grep -F " $d/" /proc/self/mountinfo)"
        fi
}

# cgroup_read PID V1-CONTROLLER V1-FILE V2-FILE: a cgroup file of a process,
# read on the host, for cgroup v1 or v2.
cgroup_read() {
        local pid=$1 ctl=$2 v1=$3 v2=$4 path
        path=$(awk -F: -v c="$ctl" '$2 ~ "(^|,)" c "(,|$)" {print $3}' "/proc/$pid/cgroup")
        if [ -n "$path" ] && [ -e "/sys/fs/cgroup/$ctl$path/$v1" ]; then
                cat "/sys/fs/cgroup/$ctl$path/$v1"
                return
        fi
        path=$(awk -F: '$1 == 0 {print $3}' "/proc/$pid/cgroup")
        cat "/sys/fs/cgroup$path/$v2"
}

# debian_tree: a Debian bookworm minbase tree, made by debootstrap once and
# cached in $HR_DEBIAN_CACHE (default /var/cache/hardened-runc-tests/bookworm)
# for every later run; prints its path.
debian_tree() {
        local cache=${HR_DEBIAN_CACHE:-/var/cache/hardened-runc-tests/bookworm}
        local mirror=${HR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
        if [ ! -x "$cache/bin/sh" ]; then
                echo "caching a Debian bookworm rootfs in $cache (debootstrap, once)" >&2
                rm -rf "$cache.tmp"
                mkdir -p "$(dirname "$cache")"
                debootstrap --variant=minbase bookworm "$cache.tmp" "$mirror" >"$cache.log" 2>&1 ||
                        fail "debootstrap failed: $(tail -5 "$cache.log")"
                mv "$cache.tmp" "$cache"
        fi
        printf '%s\n' "$cache"
}

# debian_tree_with NAME PACKAGE...: the Debian tree with the packages
# installed by apt-get in a chroot (services not started), cached beside
# it as bookworm-NAME; the .debs of $HR_REPO_PACKAGES (when set) are kept
# in bookworm-NAME.repo as a flat apt repository. Prints the tree's path.
debian_tree_with() {
        local name=$1 base tree t
        shift
        base=$(debian_tree)
        tree=$base-$name
        if [ ! -x "$tree/bin/sh" ]; then
                echo "caching $tree: $* (apt-get in a chroot, once)" >&2
                t=$tree.tmp
                rm -rf "$t" "$tree.repo"
                cp -a "$base" "$t"
                printf '#!/bin/sh\nexit 101\n' >"$t/usr/sbin/policy-rc.d"
                chmod 0755 "$t/usr/sbin/policy-rc.d"
                cp /etc/resolv.conf "$t/etc/resolv.conf"
                mount -t proc proc "$t/proc"
                if ! chroot_apt "$t" "$tree.log" "$@"; then
                        umount "$t/proc"
                        fail "apt-get install $* failed: $(tail -5 "$tree.log")"
                fi
                umount "$t/proc"
                rm -f "$t/usr/sbin/policy-rc.d"
                : >"$t/etc/resolv.conf"
                mv "$t" "$tree"
        fi
        printf '%s\n' "$tree"
}

chroot_apt() { # TREE LOG PACKAGE...
        local t=$1 log=$2
        shift 2
        {
                chroot "$t" apt-get update &&
                        DEBIAN_FRONTEND=noninteractive chroot "$t" apt-get install -y --no-install-recommends "$@" &&
                        chroot "$t" apt-get clean &&
                        if [ -n "${HR_REPO_PACKAGES:-}" ]; then
                                # shellcheck disable=SC2086 # a list of package names
                                chroot "$t" apt-get install -y --download-only --no-install-recommends $HR_REPO_PACKAGES &&
                                        mkdir -p "${t%.tmp}.repo" &&
                                        cp "$t"/var/cache/apt/archives/*.deb "${t%.tmp}.repo/" &&
                                        apt_flat_repo "${t%.tmp}.repo"
                        fi &&
                        chroot "$t" apt-get clean
        } >"$log" 2>&1
}

# apt_flat_repo DIR: a Packages index for the .debs in DIR, so that
# "deb [trusted=yes] file:DIR ./" works.
apt_flat_repo() {
        local d=$1 deb
        : >"$d/Packages"
        for deb in "$d"/*.deb; do
                {
                        dpkg-deb -f "$deb"
                        printf 'Filename: ./%s\nSize: %s\nSHA256: %s\n\n' "$(basename "$deb")" \
                                "$(stat -c %s "$deb")" "$(sha256sum "$deb" | cut -d' ' -f1)"
                } >>"$d/Packages"
        done
}
