#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The VM layer: the host shape our users run (Debian 12: kernel 6.1, cgroup
# v2 with the systemd driver, AppArmor), which this machine is not. Boots
# the cached Debian 12 guest (tests/vm/image.sh) under qemu, with the
# source tree and the built shim shared in read-only at the same paths,
# runs tests/vm/guest.sh there (the dockerd end-to-end tests and the host
# shape's own checks, with runc and then crun as the real runtime), and
# prints the guest's results as TAP.
# The guest boots from a qcow2 overlay of its own, removed afterwards: the
# cached image is never written. No network: -nic none.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"

need_root
need_cmd qemu-system-x86_64 qemu-img mmdebstrap mkfs.ext4
shim=${HR_SHIM:?}
build_root=$(cd "$(dirname "$shim")/.." && pwd)
src=$(cd "$HR_SOURCE" && pwd)
timeout_s=${HR_VM_TIMEOUT:-3000}

image=$(bash "$src/tests/vm/image.sh") || fail "cannot build the guest image"
work=$(mktemp -d /tmp/hr-vm.XXXXXX)
qpid=
cleanup() {
        [ -z "$qpid" ] || kill -KILL "$qpid" 2>/dev/null || true
        [ -z "$qpid" ] || wait "$qpid" 2>/dev/null || true
        rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/out"
qemu-img create -q -f qcow2 -F raw -b "$image/disk.img" "$work/overlay.qcow2"

shares=(-virtfs "local,path=$src,mount_tag=hrsrc,security_model=none,readonly=on"
        -virtfs "local,path=$work/out,mount_tag=hrout,security_model=none")
cmdline="hr.share=hrsrc:$src:ro"
case "$build_root/" in
"$src"/*) ;;
*)
        shares+=(-virtfs "local,path=$build_root,mount_tag=hrbuild,security_model=none,readonly=on")
        cmdline="$cmdline hr.share=hrbuild:$build_root:ro"
        ;;
esac
cmdline="$cmdline hr.share=hrout:/hr-out hr.run=$src/tests/vm/guest.sh"
# the package and an upgrade of it, for vm/package.sh: built here (the
# guest has no compiler), installed there, on a fresh Debian 12
debs=
if command -v dpkg-buildpackage >/dev/null && dpkg-query -W -f '${Status}' debhelper 2>/dev/null | grep 'ok installed' >/dev/null; then
        mkdir "$work/out/deb"
        d1=$(bash "$src/tests/package/build.sh" "$work/out/deb") || fail "cannot build the package"
        d2=$(HR_DEB_VERSION=0.1.0+upgrade bash "$src/tests/package/build.sh" "$work/out/deb") ||
                fail "cannot build the upgrade package"
        debs="/hr-out/deb/$(basename "$d1") /hr-out/deb/$(basename "$d2")"
elif [ -n "${HR_CI:-}" ]; then
        fail "dpkg-buildpackage and debhelper are needed to test the package"
fi
# what guest.sh needs to know, through the writable share
{
        printf 'HR_DEBS=%q\n' "$debs"
        printf 'HR_SOURCE=%q\n' "$src"
        printf 'HR_SHIM=%q\n' "$shim"
        printf 'HR_PROBE=%q\n' "${HR_PROBE:-}"
        printf 'HR_RUNTIMES=%q\n' "${HR_VM_RUNTIMES:-runc crun}"
        printf 'HR_VM_TESTS=%q\n' "${HR_VM_TESTS:-}"
} >"$work/out/env"

start=$(date +%s)
qemu-system-x86_64 -machine q35 -accel tcg,thread=multi -cpu max -m 6G -smp 2 \
        -nographic -no-reboot -nic none -serial "file:$work/console.log" -monitor none \
        -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
        -append "root=/dev/vda rw console=ttyS0 quiet systemd.show_status=0 $cmdline" \
        -drive "file=$work/overlay.qcow2,if=virtio,format=qcow2,cache=unsafe" \
        "${shares[@]}" </dev/null >"$work/qemu.log" 2>&1 &
qpid=$!
while kill -0 "$qpid" 2>/dev/null; do
        if [ $(($(date +%s) - start)) -gt "$timeout_s" ]; then
                tail -40 "$work/console.log" >&2
                fail "the guest did not finish within $timeout_s s"
        fi
        sleep 2
done
wait "$qpid" || { cat "$work/qemu.log" >&2; fail "qemu failed"; }
qpid=
elapsed=$(($(date +%s) - start))

if [ ! -f "$work/out/results" ]; then
        tail -60 "$work/console.log" >&2
        fail "the guest wrote no results (its console above)"
fi
# results: one line per guest test: STATUS RUNTIME NAME (STATUS: its exit
# code); each test's output in out/RUNTIME-NAME.log
n=0
[ -z "${HR_VM_KEEP:-}" ] || cp -r "$work/out" "$HR_VM_KEEP"
failed=0
while read -r status runtime name; do
        log=$work/out/$runtime-$name.log
        while IFS= read -r line; do
                case "$line" in
                "ok - "*)
                        n=$((n + 1))
                        echo "ok $n - [$runtime] $name: ${line#ok - }"
                        ;;
                esac
        done <"$log"
        n=$((n + 1))
        if [ "$status" = 0 ]; then
                echo "ok $n - [$runtime] $name passed"
        else
                failed=1
                echo "not ok $n - [$runtime] $name exited $status"
                grep -v '^ok - ' "$log" | tail -30 | sed 's/^/# /'
        fi
done <"$work/out/results"
boot=$(sed -n 's/^boot-seconds //p' "$work/out/facts" 2>/dev/null || true)
sed 's/^/# guest: /' "$work/out/facts" 2>/dev/null || true
echo "# guest run: ${elapsed}s wall (boot to systemd ready: ${boot:-?}s)"
echo "1..$n"
exit "$failed"
