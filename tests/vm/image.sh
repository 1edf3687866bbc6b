#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian 12 guest of the VM layer: cgroup v2, systemd, AppArmor,
# dockerd, containerd, runc and crun, as a production Docker host has them.
# Built once with mmdebstrap and cached; rebuilt when this file (its
# package list and set-up) changes. Prints the cache directory, which holds
#   disk.img  the root filesystem (raw ext4, never written: each run boots
#             from a qcow2 overlay of its own)
#   vmlinuz, initrd.img  the guest's kernel, given to qemu directly
# Usage: image.sh [CACHE-ROOT]   (default /var/cache/hardened-runc-tests/vm)
set -euo pipefail

packages=(
        systemd systemd-sysv udev dbus kmod linux-image-amd64 initramfs-tools
        docker.io containerd runc crun apparmor iptables
        busybox-static python3 tar procps psmisc util-linux iproute2 strace
        libyajl2 libseccomp2 libcap-ng0 libmnl0
)
mirror=${HR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=${1:-/var/cache/hardened-runc-tests/vm}
key=$(cat "$0" | sha256sum | cut -c1-16)
cache=$root/$key

if [ -f "$cache/disk.img" ] && [ -f "$cache/vmlinuz" ] && [ -f "$cache/initrd.img" ]; then
        printf '%s\n' "$cache"
        exit 0
fi
for c in mmdebstrap mkfs.ext4 unshare; do
        command -v "$c" >/dev/null || { echo "image.sh: needs $c" >&2; exit 1; }
done

echo "building the VM guest image in $cache (mmdebstrap, once per package list)" >&2
mkdir -p "$root"
tmp=$(mktemp -d "$root/build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The launcher baked into the image: it mounts the shares the host names
# on the kernel command line (hr.share=TAG:PATH[:ro]) at the same paths,
# then runs the guest script the host names (hr.run=PATH) with its output
# on the console, and powers off. Everything else the run needs comes in
# through the shares, so changing the tests never rebuilds the image.
launcher='#!/bin/bash
set -u
run=
for w in $(cat /proc/cmdline); do
        case "$w" in
        hr.share=*)
                IFS=: read -r tag path mode <<<"${w#hr.share=}"
                mkdir -p "$path"
                opts=trans=virtio,version=9p2000.L,msize=1048576,cache=none
                [ "$mode" = ro ] && opts=$opts,ro
                mount -t 9p -o "$opts" "$tag" "$path" || echo "hr-vm: cannot mount $tag at $path"
                ;;
        hr.run=*) run=${w#hr.run=} ;;
        esac
done
if [ -n "$run" ]; then
        bash "$run" 2>&1 | tee /dev/ttyS0 >/dev/null
fi
sync
systemctl poweroff --force --force
'

unit='[Unit]
Description=hardened-runc VM test run
After=multi-user.target apparmor.service systemd-udev-settle.service
Wants=apparmor.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/hr-vm-run
StandardOutput=journal
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
'

build() {
        local r=$tmp/rootfs
        # mmdebstrap mounts /proc, /sys and /dev in the tree: in this mount
        # namespace only, so nothing reaches the host
        local try
        # one retry: a mirror's hiccup should not fail the suite
        for try in 1 2; do
                rm -rf "$r"
                mmdebstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" \
                        --customize-hook='echo hr-vm >"$1/etc/hostname"' \
                        --customize-hook='echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$1/etc/fstab"' \
                        --customize-hook='passwd --root "$1" -d root >/dev/null' \
                        bookworm "$r" "$mirror" >"$tmp/mmdebstrap.log" 2>&1 && break
                [ "$try" = 2 ] && { tail -20 "$tmp/mmdebstrap.log" >&2; return 1; }
        done
        printf '%s' "$launcher" >"$r/usr/local/sbin/hr-vm-run"
        chmod 0755 "$r/usr/local/sbin/hr-vm-run"
        printf '%s' "$unit" >"$r/etc/systemd/system/hr-vm.service"
        ln -sf /etc/systemd/system/hr-vm.service "$r/etc/systemd/system/multi-user.target.wants/hr-vm.service"
        # the tests start private daemons of their own, as on the host
        for u in docker.service docker.socket containerd.service; do
                ln -sf /dev/null "$r/etc/systemd/system/$u"
        done
        cp -L "$r/vmlinuz" "$tmp/vmlinuz"
        cp -L "$r/initrd.img" "$tmp/initrd.img"
        mkfs.ext4 -q -L hr-vm -d "$r" "$tmp/disk.img" 8G
}
export -f build
export tmp mirror launcher unit
export packages_list="${packages[*]}"
unshare --mount --propagation private bash -c 'packages=($packages_list); build' >&2
rm -rf "$tmp/rootfs"
rm -rf "$cache"
mkdir -p "$cache"
mv "$tmp/disk.img" "$tmp/vmlinuz" "$tmp/initrd.img" "$tmp/mmdebstrap.log" "$cache/"
# older images of other package lists
find "$root" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name "build.*" -exec rm -rf {} +
printf '%s\n' "$cache"
