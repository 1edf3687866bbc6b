#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `hardened-runc check`: every spec dockerd 20.10 wrote, judged under the
# default profile, against the checked-in findings (tests/golden/check/,
# read by hand; HR_UPDATE_GOLDEN=1 rewrites them); the same in JSON; the
# rewrite --dry-run prints for each has no finding; bad input exits 2 and
# names what is wrong; and `check --running` gives the verdict of real
# containers of a runc root: one made through the shim (compliant), one
# made by plain runc (not).
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_cmd python3 prlimit
shim=${HR_SHIM:?}
fixtures=${HR_FIXTURES:-$HR_SOURCE/../shared/fixtures/docker-20.10}
[ -d "$fixtures" ] || fixtures=$HR_SOURCE/tests/fixtures
golden=$HR_SOURCE/tests/golden/check
runc_workdir hr-check
# The limits the rlimits rule reads when a spec has none, fixed (as the
# unit goldens fix them), so the findings do not depend on the shell.
fixed() {
        prlimit --nofile=1024:4096 --core=0:0 --rtprio=0:0 --nice=0:0 --memlock=65536:65536 \
                --nproc=1024:1024 -- "$@"
}

# --- the golden findings ---------------------------------------------------
update=${HR_UPDATE_GOLDEN:-}
[ -z "$update" ] || mkdir -p "$golden"
n=0
for f in "$fixtures"/*.config.json; do
        name=$(basename "$f" .config.json)
        rc=0
        (cd "$fixtures" && fixed "$shim" check "$name.config.json") >"$work/out" 2>"$work/err" || rc=$?
        [ "$rc" = 1 ] || fail "$name: check exited $rc (want 1: every capture has findings): $(cat "$work/err")"
        [ ! -s "$work/err" ] || fail "$name: check wrote to stderr: $(cat "$work/err")"
        if [ -n "$update" ]; then
                cp "$work/out" "$golden/$name.txt"
        else
                diff -u "$golden/$name.txt" "$work/out" >"$work/diff" ||
                        fail "$name: findings differ from tests/golden/check/$name.txt: $(head -40 "$work/diff")"
        fi
        # the same verdict in JSON, finding by finding
        (cd "$fixtures" && fixed "$shim" check --format json "$name.config.json") >"$work/json" || rc=$?
        [ "$rc" = 1 ] || fail "$name: check --format json exited $rc"
        python3 - "$work/json" "$work/out" <<'PY' || fail "$name: the JSON verdict disagrees with the text"
import json, re, sys
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
assert doc["benchmark"] == "CIS Docker Benchmark v1.6.0", doc["benchmark"]
assert doc["compliant"] is False
m = re.search(r"not compliant, (\d+) findings?", text)
assert m and int(m.group(1)) == len(doc["findings"]), (m and m.group(1), len(doc["findings"]))
for f in doc["findings"]:
    for k in ("rule", "pointer", "kind", "value", "wanted", "reason", "cis", "pss"):
        assert k in f, (k, f)
    assert f["pointer"].startswith("/"), f
    assert f["kind"] in ("would change", "would refuse", "warning"), f
    assert f["cis"] is None or re.fullmatch(r"[45]\.\d+", f["cis"]), f
    assert ("  %s %s (%s)" % (f["rule"], f["pointer"], f["kind"])) in text, f
PY
        n=$((n + 1))
done
[ -z "$update" ] || skip "HR_UPDATE_GOLDEN: rewrote $n files in tests/golden/check; review them"
[ "$n" -ge 19 ] || fail "only $n fixtures"
pass "$n captured specs: findings as in tests/golden/check, exit 1, the same in JSON"

# Every finding of the default capture names its control: the ones the
# benchmark's section 5 has for what the default Docker container lacks.
for want in 'CIS Docker Benchmark v1.6.0 5.4: Ensure that Linux kernel capabilities' \
        'v1.6.0 5.13: Ensure that the container.s root filesystem is mounted as read only' \
        'v1.6.0 5.26: Ensure that the container is restricted from acquiring additional privileges' \
        'v1.6.0 5.29: Ensure that the PIDs cgroup limit is used' \
        'v1.6.0 5.11: Ensure that the memory usage for containers is limited' \
        'v1.6.0 5.31: Ensure that the host.s user namespaces are not shared' \
        'PSS: +Kubernetes Pod Security Standards: Capabilities \(Baseline\)' \
        'Running as Non-root user \(Restricted\)'; do
        grep -qE "$want" "$golden/default.txt" || fail "default: no finding cites '$want'"
done
for n in 5.16 5.17 5.21; do
        grep -qE "v1.6.0 $n: Ensure that the host.s (process|IPC|UTS) namespace is not shared" \
                "$golden/host-pid-ipc-uts.txt" || fail "host-pid-ipc-uts: no finding cites $n"
done
# --network host joins dockerd's path for the host's netns: only the host
# can tell which namespace a path is, and check says so
grep -q '^    namespaces /linux/namespaces/1/path: "/var/run/docker/netns/default" -- which namespace this path joins' \
        "$golden/host-network.txt" || fail "host-network: the joined netns is not listed as judged at create"
grep -qE 'v1.6.0 5.5: Ensure that privileged containers' "$golden/privileged.txt" ||
        fail "privileged: no finding cites 5.5"
pass "findings cite the benchmark's numbers and the Pod Security controls"

# --- a spec from stdin and a bundle directory: the same findings ----------
mkdir -p "$work/bundle"
cp "$fixtures/default.config.json" "$work/bundle/config.json"
(cd "$fixtures" && fixed "$shim" check default.config.json) >"$work/file.out" || true
fixed "$shim" check - <"$fixtures/default.config.json" >"$work/stdin.out" || rc=$?
[ "$rc" = 1 ] || fail "check - exited $rc"
diff <(tail -n +2 "$work/file.out" | grep -v '^    ') <(tail -n +2 "$work/stdin.out" | grep -v '^    ') >/dev/null ||
        fail "check - finds otherwise than check FILE"
fixed "$shim" check --bundle "$work/bundle" >"$work/bundle.out" || rc=$?
[ "$rc" = 1 ] || fail "check --bundle exited $rc"
grep -q "^$work/bundle/config.json: profile restricted: not compliant" <<<"$(head -1 "$work/bundle.out")" ||
        fail "check --bundle: $(head -1 "$work/bundle.out")"
pass "check - and check --bundle DIR find what check FILE finds"

# --- the rewrite of each capture complies ------------------------------------
m=0
for f in "$fixtures"/*.config.json; do
        name=$(basename "$f" .config.json)
        id=$(json_get "$f" 'c["linux"]["cgroupsPath"].split("/")[-1]')
        for profile in restricted baseline strict; do
                mkdir -p "$work/rw/$name"
                cp "$f" "$work/rw/$name/config.json"
                fixed "$shim" --dry-run=spec --profile "$profile" create --bundle "$work/rw/$name" "$id" \
                        >"$work/rw/$name/rewritten.json" 2>/dev/null || continue
                rc=0
                fixed "$shim" --profile "$profile" check "$work/rw/$name/rewritten.json" >"$work/out" 2>&1 || rc=$?
                [ "$rc" = 0 ] || fail "$name under $profile: the rewrite still has findings: $(head -20 "$work/out")"
                grep -q ": profile $profile: compliant$" "$work/out" || fail "$name: $(head -1 "$work/out")"
                m=$((m + 1))
        done
done
[ "$m" -ge 30 ] || fail "only $m rewrites to check"
pass "$m rewrites (--dry-run=spec of the captures, three profiles): compliant, exit 0"

# --- bad input: exit 2, the file named, nothing on stdout -------------------
printf '{"ociVersion": "1.0.2", ' >"$work/truncated.json"
printf '[]' >"$work/array.json"
printf '{"process": {}, "process": {}}' >"$work/dup.json"
for bad in truncated.json array.json dup.json missing.json; do
        rc=0
        "$shim" check "$work/$bad" >"$work/out" 2>"$work/err" || rc=$?
        [ "$rc" = 2 ] || fail "$bad: exit $rc, want 2"
        [ ! -s "$work/out" ] || fail "$bad: printed $(cat "$work/out")"
        grep -q "$work/$bad" "$work/err" || fail "$bad: the message does not name the file: $(cat "$work/err")"
done
for args in "" "--format yaml $work/array.json" "--running $work/array.json" "a b"; do
        rc=0
        # shellcheck disable=SC2086 # word splitting wanted
        "$shim" check $args >/dev/null 2>"$work/err" || rc=$?
        [ "$rc" = 2 ] || fail "check $args: exit $rc, want 2"
        grep -q . "$work/err" || fail "check $args: no message"
done
rc=0
"$shim" --profile no-such-profile check "$fixtures/default.config.json" >/dev/null 2>"$work/err" || rc=$?
[ "$rc" = 2 ] || fail "an unknown profile: exit $rc"
pass "malformed, truncated, duplicate-key or missing specs, usage errors and an unknown profile: exit 2 with the reason"

# --- check --running: real containers of one runc root ------------------------
if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null || ! command -v busybox >/dev/null; then
        [ -z "${HR_CI:-}" ] || fail "check --running needs root, runc and busybox"
        pass "# SKIP check --running: needs root, runc and busybox"
        exit 0
fi
make_bundle "$work/hard" sleep 300
make_bundle "$work/plain" sleep 300
"$shim" --root "$state" create --bundle "$work/hard" hard1 >/dev/null 2>&1 </dev/null ||
        fail "create through the shim failed"
runc --root "$state" create --bundle "$work/plain" plain1 >/dev/null 2>&1 </dev/null ||
        fail "plain runc create failed"
rc=0
"$shim" --root "$state" check --running >"$work/running" 2>"$work/err" || rc=$?
[ "$rc" = 1 ] || fail "check --running exited $rc: $(cat "$work/running" "$work/err")"
grep -qE '^hard1 +created +compliant +profile restricted, 0 findings$' "$work/running" ||
        fail "hard1: $(cat "$work/running")"
grep -qE '^plain1 +created +not compliant +profile restricted, [1-9][0-9]* findings$' "$work/running" ||
        fail "plain1: $(cat "$work/running")"
pass "check --running: the container made through the shim complies, plain runc's does not (exit 1)"
out=$("$shim" check --bundle "$work/hard") || fail "check --bundle of hard1 (bundle named hard): $out"
expect_contains "$out" "$work/hard/config.json: profile restricted: compliant" \
        "check --bundle finds a live container's own staging by its state, whatever the bundle's name"
"$shim" --root "$state" check --running --format json >"$work/running.json" || true
python3 - "$work/running.json" <<'PY' || fail "check --running --format json: $(head -c 600 "$work/running.json")"
import json, sys
d = {c["id"]: c for c in json.load(open(sys.argv[1]))}
assert d["hard1"]["compliant"] is True and d["hard1"]["findings"] == [], d["hard1"]
assert d["plain1"]["compliant"] is False and d["plain1"]["findings"], d["plain1"]
assert d["plain1"]["status"] == "created"
PY
runc --root "$state" delete -f plain1
rc=0
"$shim" --root "$state" check --running >"$work/running" || rc=$?
[ "$rc" = 0 ] || fail "with only the hardened container left, check --running exited $rc: $(cat "$work/running")"
pass "check --running --format json agrees; with only the hardened container left it exits 0"
