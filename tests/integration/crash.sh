#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Nothing leaked, ever: creates that runc refuses after the shim staged
# (the process binary is missing), and the shim killed with SIGKILL at a
# random point of create or delete, four at a time racing for id blocks.
# Afterwards `delete` (of what runc knows) and `gc` leave no staging
# directory, mount, state or id block claim.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd runc python3
shim=${HR_SHIM:?}
runc_workdir hr-crash
creates=${HR_CRASH_CREATES:-200}
key_dir=$(dirname "$(staging_dir x)")
claims() { { ls /run/hardened-runc/ids 2>/dev/null || true; } | wc -l; }
claims_before=$(claims)

make_bundle "$work/miss" /no/such/binary
make_bundle "$work/ok" sleep 300
# the shim rewrites a bundle's config.json (as dockerd makes one per
# container, so does this): each container gets its own, on the same rootfs
bundle() { # KIND ID: prints the bundle
        local b=$work/b/$2
        mkdir -p "$b"
        python3 - "$work/$1/config.json" "$b/config.json" "$work/$1/rootfs" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"]["path"] = sys.argv[3]
json.dump(c, open(sys.argv[2], "w"))
PY
        echo "$b"
}

# a random delay of 0-24 ms (a create here takes about 20)
pause() { sleep "$(printf '0.%03d' $((RANDOM % 25)))"; }

# --- creates runc refuses, killed or not --------------------------------------------
refused=0 killed=0
for i in $(seq 1 "$creates"); do bundle miss "m$i" >/dev/null; done
for i in $(seq 1 4 "$creates"); do
        pids=()
        for j in 0 1 2 3; do
                "$shim" --root "$state" create --bundle "$work/b/m$((i + j))" "m$((i + j))" </dev/null >/dev/null 2>&1 &
                pids+=($!)
        done
        # every other batch is killed at random points, the others run out
        if [ $((i / 4 % 2)) = 1 ]; then
                for p in "${pids[@]}"; do
                        pause
                        kill -KILL "$p" 2>/dev/null && killed=$((killed + 1)) || true
                done
        fi
        for p in "${pids[@]}"; do
                wait "$p" 2>/dev/null || refused=$((refused + 1))
        done
done
# a killed shim's runc may still be at work
for _ in $(seq 1 100); do
        pgrep -f -- "--root $state" >/dev/null || break
        sleep 0.1
done
left=$({ ls "$key_dir" 2>/dev/null || true; } | wc -l)
pass "$creates creates ($killed killed by SIGKILL, $refused failed): $left staging directories left for gc"
# config.json is always the old document or the complete new one, and the
# only temporary file of the atomic replace ever left beside it is a
# complete copy (a kill between link and rename)
python3 - "$work/miss/config.json" "$work/b" "$work/miss/rootfs" <<'PY2' || fail "a killed create left a broken bundle"
import json, os, sys
orig = json.load(open(sys.argv[1]))
orig["root"]["path"] = sys.argv[3]
import re
def hardened(c):
    return c["process"].get("noNewPrivileges") is True and c.get("linux", {}).get("seccomp")
old = new = window = 0
for d in os.listdir(sys.argv[2]):
    files = sorted(os.listdir(os.path.join(sys.argv[2], d)))
    # the one window the atomic replace has: killed between linking the
    # complete unnamed file in and renaming it over config.json, which
    # leaves it, complete, under its temporary name
    temps = [f for f in files if re.fullmatch(r"\.config\.json\.hardened-runc-[0-9a-f]{16}", f)]
    if sorted(set(files) - set(temps)) != ["config.json"] or len(temps) > 1:
        sys.exit("%s: %s" % (d, files))
    for t in temps:
        if not hardened(json.load(open(os.path.join(sys.argv[2], d, t)))):
            sys.exit("%s: %s is not a complete hardened document" % (d, t))
        window += 1
    c = json.load(open(os.path.join(sys.argv[2], d, "config.json")))
    if c == orig:
        old += 1
    elif hardened(c):
        new += 1
    else:
        sys.exit("%s: neither the old nor a hardened document" % d)
print("ok - every bundle's config.json is the old document (%d) or the complete hardened one (%d); beside it at most a complete temporary copy (%d, killed between link and rename)" % (old, new, window))
PY2
for id in $(runc --root "$state" list -q); do
        "$shim" --root "$state" delete -f "$id" >/dev/null 2>&1 || fail "delete -f $id"
done
out=$("$shim" --root "$state" gc 2>&1) || fail "gc: $out: $(ls -laR "$key_dir" | head -30)"
[ ! -e "$key_dir" ] || [ -z "$(ls "$key_dir")" ] || fail "after gc: $(ls "$key_dir" | head)"
! grep -qF " $key_dir/" /proc/self/mountinfo || fail "after gc, mounts: $(grep -F " $key_dir/" /proc/self/mountinfo | head -3)"
claims=$(claims)
[ "$claims" = "$claims_before" ] || fail "after gc, $claims id block claims ($claims_before before)"
pass "after delete and gc: no staging directory, mount, state or id block claim"

# --- a create sweeps what crashes left under its root ---------------------------------
"$shim" --root "$state" create --bundle "$(bundle miss s1)" s1 </dev/null >/dev/null 2>&1 &
p=$!
sleep 0.03
kill -KILL "$p" 2>/dev/null || true
wait "$p" 2>/dev/null || true
# a staging with no runtime state and no lock, as a crash leaves it
mkdir -p "$key_dir/s2"
"$shim" --root "$state" run --bundle "$(bundle ok s3)" s3 </dev/null >/dev/null 2>&1 &
p=$!
for _ in $(seq 1 50); do runc --root "$state" state s3 >/dev/null 2>&1 && break; sleep 0.1; done
[ ! -e "$key_dir/s2" ] || fail "the next create did not sweep s2"
pass "a create removes the staging its root's crashed creates left"
[ -e "$key_dir/s3" ] || fail "the running s3 has no staging"
"$shim" --root "$state" kill s3 KILL >/dev/null 2>&1 || true
wait "$p" 2>/dev/null || true
no_staging s3

# --- delete killed at random points ------------------------------------------------------
for i in $(seq 1 12); do
        # (the created container holds its stdio: no $(...) here)
        "$shim" --root "$state" create --bundle "$(bundle ok "d$i")" "d$i" </dev/null >/dev/null 2>"$work/err" ||
                fail "create d$i: $(cat "$work/err")"
done
for i in $(seq 1 12); do
        "$shim" --root "$state" delete -f "d$i" >/dev/null 2>&1 &
        p=$!
        pause
        kill -KILL "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
done
for _ in $(seq 1 100); do
        pgrep -f -- "--root $state" >/dev/null || break
        sleep 0.1
done
for id in $(runc --root "$state" list -q); do
        "$shim" --root "$state" delete -f "$id" >/dev/null 2>&1 || fail "second delete -f $id"
done
"$shim" --root "$state" gc >/dev/null || fail "gc after killed deletes"
for i in $(seq 1 12); do no_staging "d$i"; done
claims=$(claims)
[ "$claims" = "$claims_before" ] || fail "after killed deletes, $claims id block claims"
pass "12 deletes killed at random points: a second delete and gc leave nothing"
