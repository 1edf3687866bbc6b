#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The id pool belongs to us: the install step (shim/install-ids.sh) makes
# a system user hardened-runc and reserves the pool in /etc/subuid and
# /etc/subgid; a user useradd makes afterwards gets a range outside it; a
# create works with our own entry there and is refused while another
# user's entry overlaps the pool. The host's account files are restored.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd useradd userdel runc python3
shim=${HR_SHIM:?}
runc_workdir hr-subids
saved=$work/etc
mkdir -p "$saved"
files="passwd group shadow gshadow subuid subgid"
for f in $files; do [ -e "/etc/$f" ] && cp -p "/etc/$f" "$saved/$f"; done
restore() {
        local f
        userdel hr-subids-user >/dev/null 2>&1 || true
        rm -rf /home/hr-subids-user
        for f in $files; do
                if [ -e "$saved/$f" ]; then cp -p "$saved/$f" "/etc/$f"; else rm -f "/etc/$f"; fi
        done
        runc_workdir_cleanup
}
trap restore EXIT

out=$(sh "$HR_SOURCE/shim/install-ids.sh")
expect_contains "$out" "reserved 1073741824-2147483647 in /etc/subuid" "install: the pool reserved in /etc/subuid"
getent passwd hardened-runc >/dev/null || fail "install: no system user hardened-runc"
pass "install: a system user hardened-runc"
again=$(sh "$HR_SOURCE/shim/install-ids.sh")
[ -z "$again" ] || fail "install is not idempotent: $again"
pass "install a second time changes nothing"

useradd -m hr-subids-user
range=$(awk -F: '$1 == "hr-subids-user" {print $2, $3}' /etc/subuid)
[ -n "$range" ] || fail "useradd gave hr-subids-user no /etc/subuid range"
read -r s c <<<"$range"
if [ "$s" -lt 2147483648 ] && [ 1073741824 -lt $((s + c)) ]; then
        fail "useradd's range $s+$c overlaps the pool"
fi
pass "useradd's range for a new user ($s, $c ids) lies outside the pool"

make_bundle "$work/b" true
cp "$work/b/config.json" "$work/orig.json"
printf '{"runtime":"/bin/true"}\n' >"$work/true.json"
"$shim" --config "$work/true.json" --root "$state" create --bundle "$work/b" ok1 </dev/null >/dev/null 2>"$work/err" ||
        fail "create with our own entry in /etc/subuid: $(cat "$work/err")"
pass "a create claims a block with the pool's own entry in /etc/subuid"
"$shim" --root "$state" gc >/dev/null
echo "hr-subids-user:1073807360:65536" >>/etc/subuid
cp "$work/orig.json" "$work/b/config.json"
if "$shim" --config "$work/true.json" --root "$state" create --bundle "$work/b" bad1 </dev/null >/dev/null 2>"$work/err"; then
        fail "a create went ahead while another user's entry overlaps the pool"
fi
expect_contains "$(cat "$work/err")" "overlaps hr-subids-user's range 1073807360-1073872895 in /etc/subuid" \
        "a pool over another user's /etc/subuid entry is refused, naming it"
no_staging bad1
