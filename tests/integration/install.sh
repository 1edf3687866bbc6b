#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `meson install`: the binary in bindir, the profiles in datadir, the
# example admin config in sysconfdir, hardened-runc(8) and
# hardened-runc-policy(5) in mandir; both manuals render with man -l and
# groff reports nothing; the installed binary loads the installed example;
# and the install step's id reservation (shim/install-ids.sh) is
# idempotent and refuses a range another user holds, on a copy of /etc.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_cmd meson man groff useradd
build=${HR_BUILD:?}
work=$(mktemp -d /tmp/hr-install.XXXXXX)
trap 'rm -rf "$work"' EXIT

host_ids=$(cat /etc/passwd /etc/group /etc/subuid /etc/subgid 2>/dev/null | sha256sum)
DESTDIR=$work/dest meson install -C "$build" --no-rebuild >"$work/log" 2>&1 ||
        fail "meson install: $(tail -20 "$work/log")"
[ "$(cat /etc/passwd /etc/group /etc/subuid /etc/subgid 2>/dev/null | sha256sum)" = "$host_ids" ] ||
        fail "an install into DESTDIR changed the host's users or id ranges"
prefix=$(meson introspect --buildoptions "$build" | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(o["prefix"], o["bindir"], o["datadir"], o["sysconfdir"], o["mandir"])')
read -r pfx bindir datadir sysconfdir mandir <<<"$prefix"
under() { case "$1" in /*) echo "$work/dest$1" ;; *) echo "$work/dest$pfx/$1" ;; esac; }
bin=$(under "$bindir")/hardened-runc
share=$(under "$datadir")/hardened-runc/profiles
etc=$(under "$sysconfdir")/hardened-runc
man=$(under "$mandir")
for f in "$bin" "$share/restricted.json" "$share/baseline.json" "$share/strict.json" \
        "$share/seccomp/default.json" "$share/nginx.json" "$etc/config.json.example" \
        "$man/man8/hardened-runc.8" "$man/man5/hardened-runc-policy.5"; do
        [ -s "$f" ] || fail "not installed: ${f#"$work/dest"}"
done
[ -x "$bin" ] || fail "the binary is not executable"
pass "meson install: binary, profiles, example config, hardened-runc(8) and hardened-runc-policy(5)"

for page in man8/hardened-runc.8 man5/hardened-runc-policy.5; do
        MANWIDTH=80 man -l "$man/$page" >"$work/page.txt" 2>"$work/page.err" || fail "man -l $page failed"
        [ ! -s "$work/page.err" ] || fail "man -l $page: $(cat "$work/page.err")"
        groff -man -Tutf8 -ww -z "$man/$page" 2>"$work/groff.err" || fail "groff $page failed"
        [ ! -s "$work/groff.err" ] || fail "groff warns on $page: $(head -5 "$work/groff.err")"
        for section in NAME DESCRIPTION 'SEE ALSO'; do
                grep -q "^$section" "$work/page.txt" || fail "$page renders without $section"
        done
        cp "$work/page.txt" "$work/$(basename "$page").txt"
done
for want in 'EXIT STATUS' ENVIRONMENT EXAMPLES FILES COMMANDS; do
        grep -q "^$want" "$work/hardened-runc.8.txt" || fail "hardened-runc(8) has no $want"
done
for want in RULES 'PROFILE AND ADMIN CONFIG KEYS' 'FIELD TABLE'; do
        grep -q "^$want" "$work/hardened-runc-policy.5.txt" || fail "hardened-runc-policy(5) has no $want"
done
grep -q 'rules.resources.memoryMax  bytes  "4g"' "$work/hardened-runc-policy.5.txt" ||
        fail "the rendered key table lacks rules.resources.memoryMax"
pass "man -l renders both pages (groff -ww: no warning), with their sections and the key table"

"$bin" --config "$etc/config.json.example" keys >"$work/keys" || fail "the installed example config does not load"
cmp -s "$work/keys" <("$HR_SHIM" keys) || fail "the installed binary's keys differ from the build's"
pass "the installed binary loads the installed example admin config"

# --- the id reservation, on a copy of /etc ------------------------------------
if [ "$(id -u)" != 0 ]; then
        [ -z "${HR_CI:-}" ] || fail "the id reservation test needs root (useradd --root)"
        pass "# SKIP the id reservation: needs root"
        exit 0
fi
root=$work/root
mkdir -p "$root/etc"
cp /etc/passwd /etc/group /etc/shadow /etc/gshadow "$root/etc/"
[ -e /etc/login.defs ] && cp /etc/login.defs "$root/etc/"
sed -i '/^hardened-runc:/d' "$root/etc/passwd" "$root/etc/group" "$root/etc/shadow" "$root/etc/gshadow"
: >"$root/etc/subuid"
echo "someone:100000:65536" >"$root/etc/subgid"
HR_INSTALL_ROOT=$root sh "$HR_SOURCE/shim/install-ids.sh" >"$work/ids1" 2>&1 || fail "install-ids: $(cat "$work/ids1")"
HR_INSTALL_ROOT=$root sh "$HR_SOURCE/shim/install-ids.sh" >"$work/ids2" 2>&1 || fail "install-ids again: $(cat "$work/ids2")"
[ "$(grep -c '^hardened-runc:' "$root/etc/passwd")" = 1 ] || fail "passwd: $(grep hardened-runc "$root/etc/passwd")"
uid=$(awk -F: '$1 == "hardened-runc" { print $3 }' "$root/etc/passwd")
[ "$uid" -lt 1000 ] || fail "hardened-runc is not a system user (uid $uid)"
[ "$(cat "$root/etc/subuid")" = "hardened-runc:1073741824:1073741824" ] || fail "subuid: $(cat "$root/etc/subuid")"
[ "$(cat "$root/etc/subgid")" = "$(printf 'someone:100000:65536\nhardened-runc:1073741824:1073741824')" ] ||
        fail "subgid: $(cat "$root/etc/subgid")"
[ ! -s "$work/ids2" ] || fail "the second run changed something: $(cat "$work/ids2")"
pass "install-ids: a system user and both ranges once; a second run changes nothing"

sed -i '/^hardened-runc:/d' "$root/etc/subuid"
echo "alice:1073807360:65536" >"$root/etc/subuid"
rc=0
HR_INSTALL_ROOT=$root sh "$HR_SOURCE/shim/install-ids.sh" >"$work/ids3" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "a range over alice's entry was reserved"
grep -q "alice:1073807360:65536 overlaps 1073741824-2147483647" "$work/ids3" || fail "$(cat "$work/ids3")"
[ "$(cat "$root/etc/subuid")" = "alice:1073807360:65536" ] || fail "subuid changed: $(cat "$root/etc/subuid")"
pass "install-ids: another user's entry over the pool fails the install, naming it, and is left alone"
