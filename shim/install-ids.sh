#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The install step's id reservation, as dockerd's dockremap: a system user
# hardened-runc and its /etc/subuid and /etc/subgid entries over the
# default profiles' id pool (host ids 1073741824.., 16384 blocks of 65536),
# so that useradd never hands those ids to a host user and the shim's own
# check (a pool over another user's entry is refused) has the record.
# Idempotent. Run by `ninja install` (not when staging into DESTDIR, where
# the package's own scripts do it), or by hand: sh shim/install-ids.sh.
# HR_INSTALL_ROOT=DIR acts on DIR/etc instead of /etc (useradd --root).
set -eu
user=hardened-runc
root=${HR_INSTALL_ROOT:-/}
root=${root%/}
start=${HR_ID_POOL_START:-1073741824}
count=${HR_ID_POOL_COUNT:-1073741824}
if [ -n "${DESTDIR:-}" ]; then
        echo "install-ids: DESTDIR set, not touching the host's users"
        exit 0
fi
if [ "$(id -u)" != 0 ]; then
        echo "install-ids: not root: add a system user $user and $user:$start:$count to /etc/subuid and /etc/subgid" >&2
        exit 0
fi
if ! grep -q "^$user:" "$root/etc/passwd"; then
        useradd ${root:+--root "$root"} --system --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$user"
        echo "install-ids: made the system user $user"
fi
for f in "$root/etc/subuid" "$root/etc/subgid"; do
        [ -e "$f" ] || : >"$f"
        if ! grep -q "^$user:" "$f"; then
                # an entry of another user over the range is the admin's to move
                awk -F: -v s="$start" -v c="$count" -v f="$f" \
                        '$2 < s + c && s < $2 + $3 { printf "install-ids: %s: %s:%s:%s overlaps %s-%s\n", f, $1, $2, $3, s, s + c - 1 > "/dev/stderr"; bad = 1 } END { exit bad }' "$f"
                echo "$user:$start:$count" >>"$f"
                echo "install-ids: reserved $start-$((start + count - 1)) in $f"
        fi
done
