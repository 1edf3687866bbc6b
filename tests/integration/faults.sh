#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults around a create: a bundle on a full filesystem, a read-only bundle
# directory, a full staging root, an unwritable decision log, and a real
# runtime that is missing, not executable or hardened-runc itself. Each is
# refused with the reason, config.json stays byte-identical, no temporary
# file is left beside it, nothing is staged and runc never saw the
# container. (200 SIGKILL trials at random points of create: crash.sh.)
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd runc busybox python3 unshare sha256sum
shim=${HR_SHIM:?}
runc_workdir hr-faults
mounts=()
cleanup_faults() {
        local m
        for m in "${mounts[@]}"; do umount -l "$m" 2>/dev/null || true; done
        runc_workdir_cleanup
}
trap cleanup_faults EXIT
make_rootfs "$work/rootfs"

# bundle DIR: a bundle in DIR whose rootfs is the shared one
bundle() {
        mkdir -p "$1"
        (cd "$1" && runc spec)
        json_edit "$1/config.json" "c['root'] = {'path': '$work/rootfs', 'readonly': False}; c['process']['terminal'] = False"
}
# refused WHAT ID DIR NEEDLE [SHIM-ARGS...]: create of ID from DIR fails
# naming NEEDLE, and leaves everything as it was
refused() {
        local what=$1 id=$2 dir=$3 needle=$4 sum before rc=0 out
        shift 4
        sum=$(sha256sum <"$dir/config.json")
        before=$(ls -A "$dir")
        out=$("$shim" "$@" --root "$state" create --bundle "$dir" "$id" 2>&1) || rc=$?
        [ "$rc" != 0 ] || fail "$what: the create went ahead"
        expect_contains "$out" "$needle" "$what: refused, saying why" >/dev/null
        [ "$(sha256sum <"$dir/config.json")" = "$sum" ] || fail "$what: config.json changed"
        [ "$(ls -A "$dir")" = "$before" ] || fail "$what: files left in the bundle: $(ls -A "$dir")"
        no_staging "$id"
        ! runc --root "$state" state "$id" >/dev/null 2>&1 || fail "$what: runc has the container"
        pass "$what: refused ($needle), config.json byte-identical, no file left beside it, nothing staged"
}

# --- the bundle's filesystem is full ---------------------------------------------------
mkdir "$work/small"
mount -t tmpfs -o size=12k,mode=0755 tmpfs "$work/small"
mounts+=("$work/small")
bundle "$work/small/b"
# two pages of config.json on a three-page filesystem: the rewrite (the
# seccomp filter alone is more) cannot be written beside it
json_edit "$work/small/b/config.json" "c['annotations'] = {'pad': 'x' * 5000}"
refused "a full bundle filesystem (ENOSPC)" f-enospc "$work/small/b" "No space left on device"

# --- the bundle directory is read-only --------------------------------------------------
bundle "$work/ro"
mount --bind "$work/ro" "$work/ro"
mounts+=("$work/ro")
mount -o remount,bind,ro "$work/ro"
refused "a read-only bundle directory (EROFS)" f-erofs "$work/ro" "Read-only file system"

# --- the staging root is full -------------------------------------------------------------
# (in a mount namespace of its own: a tmpfs without a free inode over
# /run/hardened-runc, so the container's directory cannot be made)
bundle "$work/full"
sum=$(sha256sum <"$work/full/config.json")
rc=0
out=$(unshare --mount --propagation private bash -c '
        mkdir -p /run/hardened-runc
        mount -t tmpfs -o size=4k,nr_inodes=1,mode=0711 tmpfs /run/hardened-runc || exit 9
        exec "$0" --root "$1" create --bundle "$2" f-full' "$shim" "$state" "$work/full" 2>&1) || rc=$?
[ "$rc" != 9 ] || fail "cannot mount a tmpfs over /run/hardened-runc in a mount namespace"
[ "$rc" != 0 ] || fail "a full staging root: the create went ahead"
expect_contains "$out" "No space left on device" "a full staging root: refused, saying why (ENOSPC)"
[ "$(sha256sum <"$work/full/config.json")" = "$sum" ] || fail "a full staging root: config.json changed"
! runc --root "$state" state f-full >/dev/null 2>&1 || fail "a full staging root: runc has the container"
pass "a full staging root: config.json byte-identical, runc never saw the container"

# --- the decision log cannot be written ---------------------------------------------------
# Fails closed: where the admin asked for a record, nothing runs unrecorded.
mkdir "$work/logs"
mount --bind "$work/logs" "$work/logs"
mounts+=("$work/logs")
mount -o remount,bind,ro "$work/logs"
printf '{"decisionLog": {"file": "%s/decisions.log"}}\n' "$work/logs" >"$work/log-config.json"
bundle "$work/log"
refused "an unwritable decision log" f-log "$work/log" "cannot be written, and nothing runs unrecorded" \
        --config "$work/log-config.json"
# an exec too: a container created with a working log, then the log goes
umount "$work/logs"
printf '{"decisionLog": {"file": "%s/decisions.log"}}\n' "$work/logs" >"$work/log-config.json"
bundle "$work/log2"
json_edit "$work/log2/config.json" "c['process']['args'] = ['sleep', '60']"
"$shim" --config "$work/log-config.json" --root "$state" create --bundle "$work/log2" f-log2 >/dev/null 2>&1 ||
        fail "create with a writable decision log"
[ -s "$work/logs/decisions.log" ] || fail "the create left no decision record"
mount --bind "$work/logs" "$work/logs"
mount -o remount,bind,ro "$work/logs"
rc=0
out=$("$shim" --config "$work/log-config.json" --root "$state" exec f-log2 true 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "exec with an unwritable decision log ran"
expect_contains "$out" "nothing runs unrecorded" "an exec with an unwritable decision log: refused, saying why"
umount "$work/logs"
"$shim" --root "$state" delete -f f-log2 >/dev/null
no_staging f-log2

# --- the real runtime cannot run -----------------------------------------------------------
bundle "$work/rt"
printf '{"runtime": "/nonexistent/runc"}\n' >"$work/rt-missing.json"
refused "a missing runtime" f-rt1 "$work/rt" "/nonexistent/runc" --config "$work/rt-missing.json"
cp "$(command -v runc)" "$work/runc-noexec"
chmod 0644 "$work/runc-noexec"
printf '{"runtime": "%s"}\n' "$work/runc-noexec" >"$work/rt-noexec.json"
refused "a runtime that is not executable" f-rt2 "$work/rt" "is not an executable file" --config "$work/rt-noexec.json"
printf '{"runtime": "%s"}\n' "$shim" >"$work/rt-self.json"
refused "a runtime that is hardened-runc itself" f-rt3 "$work/rt" "is hardened-runc itself" --config "$work/rt-self.json"
