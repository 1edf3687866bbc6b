#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 2: `exec` and `update` through hardened-runc on a real runc. What
# counts is what the kernel reports: the exec'd process's /proc/self/status
# and the container's cgroup files. Plain runc, given the same requests, is
# the control that shows each check can fail.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd runc busybox python3 cmp
shim=${HR_SHIM:?}
fixtures=$HR_SOURCE/tests/fixtures

runc_workdir hr-exec

# assert_hardened WHAT STATUS: /proc/self/status of a hardened process
assert_hardened() {
        local what=$1 out=$2 f
        case "$(status_field "$out" Uid)" in "" | 0*) fail "$what: Uid '$(status_field "$out" Uid)'" ;; esac
        case "$(status_field "$out" Gid)" in "" | 0*) fail "$what: Gid '$(status_field "$out" Gid)'" ;; esac
        for f in CapInh CapPrm CapEff CapBnd CapAmb; do
                [ "$(status_field "$out" $f)" = 0000000000000000 ] || fail "$what: $f $(status_field "$out" $f)"
        done
        [ "$(status_field "$out" NoNewPrivs)" = 1 ] || fail "$what: NoNewPrivs $(status_field "$out" NoNewPrivs)"
        [ "$(status_field "$out" Seccomp)" = 2 ] || fail "$what: Seccomp $(status_field "$out" Seccomp)"
        pass "$what: Uid $(status_field "$out" Uid | cut -d" " -f1), Cap* all 0, NoNewPrivs 1, Seccomp 2"
}

# process_file FIXTURE OUT ARG...: Docker's exec process with another command
process_file() {
        python3 - "$1" "$2" "${@:3}" <<'PY'
import json, sys
src, dst, args = sys.argv[1], sys.argv[2], sys.argv[3:]
p = json.load(open(src))
p["args"] = args
json.dump(p, open(dst, "w"))
PY
}

make_bundle "$work/b" sleep 300
"$shim" --root "$state" run -d --bundle "$work/b" x1 </dev/null >/dev/null 2>&1 || fail "run -d x1"
st=$(staging_dir x1)/state.json
[ "$(stat -c %a:%U "$st")" = 600:root ] || fail "state file: $(stat -c %a:%U "$st")"
[ "$(json_get "$st" "c['profile']")" = restricted ] || fail "state profile: $(cat "$st")"
pass "create recorded the container's profile in a private state file"
pid=$(json_get /dev/stdin "c['pid']" <<<"$(runc --root "$state" state x1)")
if out=$("$shim" --profile baseline --root "$state" create --bundle "$work/b" x1 2>&1); then
        fail "a second create of the running x1 was not refused"
fi
expect_contains "$out" "container x1 exists" "a second create of a running container is refused"
[ "$(json_get "$st" "c['profile']")" = restricted ] || fail "the state changed: $(cat "$st")"
pass "its recorded profile stays restricted"
# a delete that runc refuses (x1 runs) keeps the staging and the record
if "$shim" --root "$state" delete x1 >/dev/null 2>&1; then
        fail "runc deleted the running x1 without --force"
fi
[ -e "$st" ] && grep -qF " $(staging_dir x1)/rootfs " /proc/self/mountinfo ||
        fail "a refused delete removed x1's state or staging"
pass "a delete the runtime refuses keeps the container's staging and recorded profile"
# the same id under another runtime root shares nothing with x1
other=$work/other-root
make_bundle "$work/bo" true
if out=$("$shim" --profile baseline --root "$other" create --bundle "$work/bo" x1 2>&1 </dev/null); then
        fail "x1 under a second root was created in the running x1's cgroup"
fi
expect_contains "$out" "runc would use /x1, an existing cgroup that holds processes" \
        "the same id under another root cannot land in the running container's cgroup"
json_edit "$work/bo/config.json" 'c["linux"]["cgroupsPath"] = "/hr-other/x1"'
"$shim" --profile baseline --root "$other" create --bundle "$work/bo" x1 </dev/null >/dev/null 2>&1 ||
        fail "create x1 under a second root"
[ "$(json_get "$st" "c['profile']")" = restricted ] || fail "x1's record changed: $(cat "$st")"
[ "$(json_get "$(staging_dir x1 "$other")/state.json" "c['profile']")" = baseline ] ||
        fail "the second root's x1 has no record of its own"
"$shim" --root "$other" delete -f x1 >/dev/null 2>&1 || fail "delete x1 under the second root"
for d in /sys/fs/cgroup/*/hr-other /sys/fs/cgroup/hr-other; do [ ! -d "$d" ] || rmdir "$d"; done
no_staging x1 "$other"
[ -e "$st" ] && grep -qF " $(staging_dir x1)/rootfs " /proc/self/mountinfo ||
        fail "deleting the other root's x1 removed this x1's staging"
pass "the same id under two runtime roots: two records, two stagings, deleted apart"
# a create whose runtime never ran leaves state; a retry must still work
printf '{"runtime":"/bin/true"}\n' >"$work/true.json"
make_bundle "$work/b3" true
"$shim" --config "$work/true.json" --root "$state" create --bundle "$work/b3" x3 || fail "create x3 (no runtime)"
[ -e "$(staging_dir x3)/state.json" ] || fail "no state for x3"
"$shim" --root "$state" create --bundle "$work/b3" x3 </dev/null >/dev/null 2>&1 || fail "a retried create of x3 was refused"
"$shim" --root "$state" delete -f x3 >/dev/null 2>&1 || fail "delete x3"
no_staging x3
pass "a retried create of an id the runtime does not know goes ahead"

# a create that runc refuses after we staged leaves nothing behind
make_bundle "$work/bad" true
json_edit "$work/bad/config.json" 'c["linux"]["sysctl"] = {"net.ipv4.hr_no_such_sysctl": "1"}'
cp "$work/bad/config.json" "$work/bad.orig"
for i in $(seq 1 20); do
        cp "$work/bad.orig" "$work/bad/config.json"
        if "$shim" --root "$state" create --bundle "$work/bad" "bad$i" </dev/null >/dev/null 2>&1; then
                fail "runc created bad$i with a sysctl it cannot write"
        fi
        no_staging "bad$i"
done
pass "20 creates that runc refused after staging left no staging or state"

# gc: a create whose runtime never made the container (here /bin/true)
# leaves staging; gc removes it and keeps the running x1's
make_bundle "$work/b4" true
"$shim" --config "$work/true.json" --root "$state" create --bundle "$work/b4" x4 </dev/null >/dev/null 2>&1 ||
        fail "create x4 (no runtime)"
[ -e "$(staging_dir x4)/state.json" ] || fail "no state for x4"
out=$("$shim" --root "$state" gc 2>&1) || fail "gc: $out"
expect_contains "$out" "removed x4" "gc reports what it removed"
no_staging x4
[ -e "$(staging_dir x1)/state.json" ] || fail "gc removed the running x1's state"
pass "gc removes the staging of containers the runtime does not know, and only those"

# --- exec --process: Docker's `exec --privileged` and `exec -u 0` ---------------
for fx in exec-privileged exec-user-root exec-default; do
        process_file "$fixtures/$fx.process.json" "$work/$fx.json" cat /proc/self/status
        cp "$work/$fx.json" "$work/$fx.orig"
        out=$("$shim" --root "$state" exec --process "$work/$fx.json" x1 2>&1) || fail "exec $fx: $out"
        assert_hardened "exec --process ($fx)" "$out"
        cmp -s "$work/$fx.json" "$work/$fx.orig" || fail "the caller's process file was changed"
done
pass "the caller's process files are left as they were"
out=$(runc --root "$state" exec --process "$work/exec-privileged.json" x1 2>&1) || fail "control: $out"
[ "$(status_field "$out" Uid | cut -d" " -f1)" = 0 ] && [ "$(status_field "$out" CapEff)" != 0000000000000000 ] ||
        fail "control: plain runc should give root with capabilities: $out"
pass "control: plain runc exec of the same file gives uid 0, CapEff $(status_field "$out" CapEff)"

# --- exec without --process: runc's flags ------------------------------------
out=$("$shim" --root "$state" exec -u 0:0 -c CAP_SYS_ADMIN --cap CAP_NET_ADMIN --no-new-privs=false \
        -g 0 x1 cat /proc/self/status 2>&1) || fail "exec flags: $out"
assert_hardened "exec -u 0:0 -c CAP_SYS_ADMIN --no-new-privs=false -g 0" "$out"
case " $(status_field "$out" Groups) " in *" 0 "*) fail "Groups has 0: $(status_field "$out" Groups)" ;; esac
out=$("$shim" --root "$state" exec --user 4294967296 x1 cat /proc/self/status 2>&1) || fail "exec: $out"
assert_hardened "exec --user 4294967296 (runc reads uid 0)" "$out"
out=$("$shim" --root "$state" exec -e HR_SEEN=yes --cwd /tmp x1 sh -c 'echo "$HR_SEEN $PWD"' 2>&1) || fail "$out"
[ "$out" = "yes /tmp" ] || fail "--env and --cwd: '$out'"
pass "--env and --cwd still reach the process"
out=$("$shim" --root "$state" exec -- x1 id -u 2>&1) || fail "exec -- : $out"
[ "$out" = 65534 ] || fail "exec -- ID id -u: '$out'"
pass "exec -- ID: uid $out"
out=$("$shim" --root "$state" exec x1 sh -c 'echo "$* $(id -u)"' sh -u 0 2>&1) || fail "$out"
[ "$out" = "-u 0 65534" ] || fail "exec ID CMD -u 0: '$out'"
pass "flags after the id are the command's arguments, as runc reads them: '$out'"
out=$(runc --root "$state" exec -u 0 x1 id -u 2>&1) || fail "control: $out"
[ "$out" = 0 ] || fail "control: plain runc exec -u 0 gives '$out'"
pass "control: plain runc exec -u 0 gives uid 0"

# --- refusals: nothing runs ---------------------------------------------------
if out=$("$shim" --root "$state" exec --cwd /proc/self/fd/7 x1 true 2>&1); then
        fail "exec --cwd /proc/self/fd/7 was not refused"
fi
expect_contains "$out" "/process/cwd" "exec --cwd /proc/self/fd/N is refused (CVE-2024-21626)"
if out=$("$shim" --root "$state" exec -u 0:x x1 true 2>&1); then fail "-u 0:x accepted"; fi
expect_contains "$out" "exec --user 0:x" "a user runc cannot read is refused, named"

# --- the recorded profile wins over --profile ---------------------------------------
out=$("$shim" --profile baseline --root "$state" exec -u 0 x1 id -u 2>&1) || fail "$out"
[ "$out" = 65534 ] || fail "--profile baseline at exec gave uid '$out'"
pass "exec --profile baseline cannot weaken a container created under restricted"

# --- dry runs -------------------------------------------------------------------
out=$("$shim" --dry-run=report --root "$state" exec -u 0 x1 true 2>&1) || fail "$out"
expect_contains "$out" "user: changed /process/user/uid: 0 -> 65534" "exec --dry-run=report"

# --- update ---------------------------------------------------------------------
mem() { cgroup_read "$pid" memory memory.limit_in_bytes memory.max; }
pids() { cgroup_read "$pid" pids pids.max pids.max; }
[ "$(mem):$(pids)" = 536870912:512 ] || fail "limits at create: $(mem):$(pids)"
out=$(printf '{"memory":{"limit":-1},"pids":{"limit":-1}}' |
        "$shim" --root "$state" update --resources - x1 2>&1) || fail "update -: $out"
[ "$(mem):$(pids)" = 4294967296:4096 ] || fail "after unlimited: $(mem):$(pids)"
pass "update --resources - asking for unlimited memory and pids: the maxima (4 GiB, 4096)"
expect_contains "$out" "/linux/resources/pids/limit: -1 -> 4096" "the clamp is reported on stderr"
"$shim" --root "$state" update --memory 100m --pids-limit 100 x1 >/dev/null 2>&1 || fail "update flags"
[ "$(mem):$(pids)" = 104857600:100 ] || fail "after 100m/100: $(mem):$(pids)"
pass "update --memory 100m --pids-limit 100 applies as asked"
out=$("$shim" --root "$state" update --resources="$fixtures/update-unlimit-memory-pids.resources.json" x1 2>&1) ||
        fail "update file: $out"
[ "$(mem):$(pids)" = 104857600:4096 ] || fail "after docker's unlimit: $(mem):$(pids)"
pass "Docker's --memory 0 --pids-limit -1 (a file): memory unchanged, pids at the maximum"
"$shim" --root "$state" update --memory 64g --memory-swap -1 --pids-limit=-1 x1 >/dev/null 2>&1 || fail "update 64g"
[ "$(mem):$(pids)" = 4294967296:4096 ] || fail "after 64g: $(mem):$(pids)"
memsw=$(cgroup_read "$pid" memory memory.memsw.limit_in_bytes memory.swap.max 2>/dev/null || echo none)
case "$memsw" in none | 4294967296 | 0) ;; *) fail "swap: $memsw" ;; esac
pass "update --memory 64g --memory-swap -1: memory and memory+swap at 4 GiB (swap: $memsw)"
cp "$fixtures/update-memory-100m.resources.json" "$work/r.json"
out=$("$shim" --dry-run=spec --root "$state" update -r "$work/r.json" x1 2>&1) || fail "$out"
expect_contains "$out" '"swap": 104857600' "update --dry-run prints the clamped resources"
[ "$(mem)" = 4294967296 ] || fail "a dry run changed the cgroup"
pass "update --dry-run changes nothing"
runc --root "$state" update --pids-limit -1 x1 >/dev/null 2>&1 || fail "control update"
[ "$(pids)" = max ] || fail "control: plain runc update --pids-limit -1 left '$(pids)'"
pass "control: plain runc update --pids-limit -1 leaves pids.max 'max'"

# --- a container plain runc created: no state, so the default profile ------------
make_bundle "$work/p" sleep 300
runc --root "$state" run -d --bundle "$work/p" x2 </dev/null >/dev/null 2>&1 || fail "plain runc run -d x2"
[ ! -e "$(staging_dir x2)" ] || fail "plain runc left state of ours"
out=$("$shim" --root "$state" exec -u 0 x2 cat /proc/self/status 2>&1) || fail "exec in x2: $out"
[ "$(status_field "$out" Uid | cut -d" " -f1)" = 65534 ] || fail "x2: Uid $(status_field "$out" Uid)"
[ "$(status_field "$out" CapEff)" = 0000000000000000 ] || fail "x2: CapEff $(status_field "$out" CapEff)"
[ "$(status_field "$out" NoNewPrivs)" = 1 ] || fail "x2: NoNewPrivs $(status_field "$out" NoNewPrivs)"
pass "exec -u 0 without --process in a container plain runc made: bundle from runc state, uid 65534, CapEff 0, NoNewPrivs 1"
runc --root "$state" delete -f x2 >/dev/null 2>&1 || fail "delete x2"

# --- delete removes the state with the staging --------------------------------------
"$shim" --root "$state" delete -f x1 >/dev/null 2>&1 || fail "delete x1"
no_staging x1
pass "delete removed the state file and the staging"
