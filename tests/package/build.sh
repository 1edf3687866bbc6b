#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the Debian package from a copy of the source tree (dpkg-buildpackage
# builds in the tree and writes beside it): tests/package/build.sh OUTDIR
# leaves OUTDIR/hardened-runc_VERSION_ARCH.deb and prints its path.
# HR_DEB_VERSION=V builds version V instead of debian/changelog's (an
# upgrade to test).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: build.sh OUTDIR}
mkdir -p "$out"
tmp=$(mktemp -d /tmp/hr-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/hardened-runc"
# the tracked files, or (no git) the tree without build directories
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$src" ls-files -z --cached --others --exclude-standard |
                (cd "$src" && xargs -0 cp --parents -t "$tmp/hardened-runc")
else
        (cd "$src" && tar --exclude='./build*' --exclude='./obj-*' -cf - .) | tar -C "$tmp/hardened-runc" -xf -
fi
if [ -n "${HR_DEB_VERSION:-}" ]; then
        sed -i "1s/([^)]*)/($HR_DEB_VERSION)/" "$tmp/hardened-runc/debian/changelog"
fi
(cd "$tmp/hardened-runc" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 || {
        tail -40 "$tmp/build.log" >&2
        exit 1
}
deb=$(ls "$tmp"/hardened-runc_*.deb)
cp "$deb" "$out/"
echo "$out/$(basename "$deb")"
