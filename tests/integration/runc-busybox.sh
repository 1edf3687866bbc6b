#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 2: real containers through hardened-runc and runc on a busybox-static
# rootfs. Asserts what the kernel reports inside the container.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd runc busybox python3 cmp
shim=${HR_SHIM:?}

work=$(mktemp -d /tmp/hr-int.XXXXXX)
state=$work/state
cleanup() {
        local id
        for id in $(runc --root "$state" list -q 2>/dev/null); do
                runc --root "$state" delete -f "$id" >/dev/null 2>&1 || true
        done
        rm -rf "$work"
}
trap cleanup EXIT

# --- run: the kernel's view of a hardened container -------------------------
make_bundle "$work/b" "['sh', '-c', 'grep NoNewPrivs /proc/self/status; touch /x 2>&1; echo scratch >/tmp/t && cat /tmp/t; echo run >/run/r && cat /run/r; touch /var/tmp/v && echo var-tmp-ok; grep \" / \" /proc/self/mounts']"
out=$("$shim" --root "$state" run --bundle "$work/b" c1 2>&1) || fail "run exited $?: $out"
expect_contains "$out" "NoNewPrivs:	1" "no_new_privs set by the kernel"
expect_contains "$out" "touch: /x: Read-only file system" "write to / fails with EROFS"
expect_contains "$out" "scratch" "/tmp is writable"
expect_contains "$out" "run" "/run is writable"
expect_contains "$out" "var-tmp-ok" "/var/tmp is writable"
expect_contains "$out" " / " "root mount listed"
mount_line=$(printf '%s\n' "$out" | grep ' / ')
expect_contains "$mount_line" " ro," "root mounted read-only"
[ "$(json_get "$work/b/config.json" "c['root']['readonly']")" = True ] || fail "config.json not rewritten"
pass "config.json rewritten on disk"
runc --root "$state" delete c1 >/dev/null 2>&1 || true

# --- dry run: prints, touches nothing, runs nothing --------------------------
make_bundle "$work/d" "['true']"
cp "$work/d/config.json" "$work/d.orig"
spec=$("$shim" --dry-run --root "$state" create --bundle "$work/d" d1)
cmp -s "$work/d/config.json" "$work/d.orig" || fail "dry-run modified config.json"
printf '%s' "$spec" | python3 -c 'import json,sys; c=json.load(sys.stdin); assert c["process"]["noNewPrivileges"] is True and c["root"]["readonly"] is True' ||
        fail "dry-run spec is not the hardened spec"
pass "--dry-run prints the hardened spec and leaves config.json alone"
report=$("$shim" --dry-run=report --root "$state" create --bundle "$work/d" d1)
expect_contains "$report" "nnp: changed /process/noNewPrivileges: false -> true" "--dry-run=report"
diff=$("$shim" --dry-run=diff --root "$state" create --bundle "$work/d" d1)
expect_contains "$diff" '+    "noNewPrivileges": true' "--dry-run=diff"
if runc --root "$state" state d1 >/dev/null 2>&1; then fail "dry-run created a container"; fi
pass "dry-run created no container"

# --- refusal: one log line, config.json byte-identical, runc never runs -----
make_bundle "$work/r" "['true']"
cp "$work/r/config.json" "$work/r.orig"
printf '{"name":"deny-nnp","rules":{"nnp":{"action":"deny"}}}\n' >"$work/deny.json"
set +e
err=$("$shim" --profile="$work/deny.json" --root "$state" --log "$work/r/log.json" --log-format json \
        create --bundle "$work/r" r1 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] || fail "refusal exited $rc"
expect_contains "$err" "refused by rule nnp" "refusal message on stderr"
[ "$(wc -l <"$work/r/log.json")" = 1 ] || fail "log has $(wc -l <"$work/r/log.json") lines"
python3 - "$work/r/log.json" <<'PY' || fail "log line is not a logrus error object"
import json, sys
line = json.loads(open(sys.argv[1]).read())
assert line["level"] == "error" and "refused by rule nnp" in line["msg"] and line["time"], line
PY
pass "exactly one logrus JSON error line in --log"
cmp -s "$work/r/config.json" "$work/r.orig" || fail "refusal modified config.json"
pass "refused config.json is byte-identical"
if runc --root "$state" state r1 >/dev/null 2>&1; then fail "refused container exists"; fi
pass "refused container was never created"

# --- the lifecycle verbs pass through -----------------------------------------
make_bundle "$work/l" "['sleep', '300']"
"$shim" --root "$state" run -d --bundle "$work/l" l1 </dev/null >/dev/null 2>&1 || fail "run -d"
st=$("$shim" --root "$state" state l1)
printf '%s' "$st" | python3 -c 'import json,sys; s=json.load(sys.stdin); assert s["status"]=="running", s' ||
        fail "state stdout is not runc's JSON: $st"
pass "state passes through with clean stdout"
ex=$("$shim" --root "$state" exec l1 grep NoNewPrivs /proc/self/status)
expect_contains "$ex" "NoNewPrivs:	1" "exec'd process inherits the hardened spec"
"$shim" --root "$state" pause l1
[ "$(json_get /dev/stdin "c['status']" <<<"$("$shim" --root "$state" state l1)")" = paused ] || fail pause
"$shim" --root "$state" resume l1
pass "pause and resume"
"$shim" --root "$state" update --memory 67108864 l1
pid=$(json_get /dev/stdin "c['pid']" <<<"$("$shim" --root "$state" state l1)")
lim=$(cgroup_read "$pid" memory memory.limit_in_bytes memory.max)
[ "$lim" = 67108864 ] || fail "update: memory limit is $lim"
pass "update passes through (limit visible in the cgroup)"
ps=$("$shim" --root "$state" ps --format json l1)
printf '%s' "$ps" | python3 -c 'import json,sys; assert json.load(sys.stdin)' || fail "ps stdout: $ps"
pass "ps --format json passes through"
"$shim" --root "$state" kill l1 KILL
"$shim" --root "$state" delete --force l1
if runc --root "$state" state l1 >/dev/null 2>&1; then fail "delete left the container"; fi
pass "kill and delete --force"

# --- the exec boundary: argv minus our flags, same environment, no fd of ours
cat >"$work/fake-runtime" <<'PY'
#!/usr/bin/python3
import json, os, sys
fds = sorted(int(f) for f in os.listdir("/proc/self/fd"))  # listdir's own fd shows too
print(json.dumps({"argv": sys.argv, "fds": fds, "mark": os.environ.get("HR_MARK")}))
PY
chmod +x "$work/fake-runtime"
printf '{"runtime":"%s"}\n' "$work/fake-runtime" >"$work/fake.json"
make_bundle "$work/x" "['true']"
got=$(HR_MARK=kept "$shim" --config "$work/fake.json" --profile=restricted --root /r --log /dev/null \
        create --bundle "$work/x" --pid-file /p x1 7</dev/null)
# the same runtime started directly from here: the descriptors it inherits
# from this shell are the baseline; the shim must add none
direct=$(HR_MARK=kept "$work/fake-runtime" 7</dev/null)
python3 - "$got" "$work/fake-runtime" "$work/x" "$direct" <<'PY' || fail "exec boundary: $got (direct: $direct)"
import json, sys
g = json.loads(sys.argv[1])
assert g["argv"] == [sys.argv[2], "--root", "/r", "--log", "/dev/null", "create", "--bundle", sys.argv[3],
                     "--pid-file", "/p", "x1"], g["argv"]
assert g["mark"] == "kept", g
d = json.loads(sys.argv[4])
assert 7 in d["fds"] and g["fds"] == d["fds"], (g["fds"], d["fds"])
PY
pass "runtime gets argv minus our flags, the same environment, only the caller's descriptors"
printf '{"runtime":"%s"}\n' "$shim" >"$work/self.json"
set +e
err=$("$shim" --config "$work/self.json" state x 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] || fail "exec of ourselves exited $rc"
expect_contains "$err" "is hardened-runc itself" "refuses to exec itself"

feat=$("$shim" features)
printf '%s' "$feat" | python3 -c 'import json,sys; json.load(sys.stdin)' || fail "features stdout: $feat"
pass "features passes through with clean stdout"
ver=$("$shim" --version)
[ "$(printf '%s\n' "$ver" | head -1)" = "hardened-runc version $(cd "$HR_SOURCE" && sed -n "s/^  version : '\(.*\)',/\1/p" meson.build)" ] ||
        fail "version line: $ver"
expect_contains "$ver" "runc version" "--version shows ours then runc's"
echo "all integration checks passed"
