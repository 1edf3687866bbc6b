#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `hardened-runc setup`: against a private dockerd's daemon.json and pid
# file, --default --reload makes a plain `docker run IMG` hardened (proved
# from inside) with every other key kept in its order and a backup of the
# old file; --remove --reload gives the same dockerd back to runc; a
# malformed file, a stale pid file and a dry run change nothing. The
# containerd and podman snippets are read by containerd and podman
# themselves.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
. "$HR_SOURCE/tests/e2e/dockerd-lib.sh"
need_cmd containerd podman

printf '{\n  "iptables": false,\n  "ip6tables": false,\n  "bridge": "none",\n  "log-level": "warn"\n}\n' >"$work/daemon.json"
cp "$work/daemon.json" "$work/daemon.orig"
start_daemon
import_busybox hr-busybox:test
img=hr-busybox:test
setup() { "$shim" setup "$@" --path "$shim"; }
default_runtime() { D info --format '{{.DefaultRuntime}}'; }
# dockerd reloads asynchronously after SIGHUP
wait_default() {
        for _ in $(seq 1 40); do
                [ "$(default_runtime)" = "$1" ] && return 0
                sleep 0.25
        done
        fail "dockerd's default runtime is $(default_runtime), not $1"
}
probe='id -u; grep NoNewPrivs /proc/self/status'
[ "$(default_runtime)" = runc ] || fail "the private dockerd starts with $(default_runtime)"

# --- a dry run is a diff and changes nothing -------------------------------------
out=$(setup docker --default --daemon-json "$work/daemon.json" --dry-run) || fail "setup --dry-run: $out"
expect_contains "$out" '+    "hardened": {' "setup --dry-run: the new runtime in the diff"
expect_contains "$out" '+  "default-runtime": "hardened"' "setup --dry-run: default-runtime in the diff"
cmp -s "$work/daemon.json" "$work/daemon.orig" || fail "setup --dry-run changed daemon.json"
[ -z "$(ls "$work" | grep 'daemon.json.bak' || true)" ] || fail "setup --dry-run made a backup"
pass "setup --dry-run: the change as a diff; daemon.json and the directory untouched"

# --- register as the default, reload: a plain docker run is hardened ---------
out=$(setup docker --default --reload --daemon-json "$work/daemon.json" --pid-file "$work/docker.pid") ||
        fail "setup docker --default --reload: $out"
expect_contains "$out" "registered runtime hardened" "setup docker: registered"
expect_contains "$out" "sent SIGHUP" "setup docker --reload: dockerd signalled"
bak=$(ls "$work"/daemon.json.bak-* 2>/dev/null | head -1)
[ -n "$bak" ] && cmp -s "$bak" "$work/daemon.orig" || fail "no backup of the old daemon.json: $(ls "$work")"
python3 - "$work/daemon.orig" "$work/daemon.json" "$shim" <<'PY' || fail "daemon.json: $(cat "$work/daemon.json")"
import json, sys
old, new, shim = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
assert list(new)[:len(old)] == list(old), (list(old), list(new))
assert all(new[k] == v for k, v in old.items())
assert new["runtimes"] == {"hardened": {"path": shim}}, new["runtimes"]
assert new["default-runtime"] == "hardened"
PY
pass "daemon.json: every key kept, in its order, the runtime and default-runtime added; the old file backed up"
wait_default hardened
out=$(D run --rm --network none "$img" sh -c "$probe" 2>&1) || fail "docker run after setup: $out"
expect_contains "$out" "65534" "after setup --default --reload, a plain docker run runs as 65534"
expect_contains "$out" "NoNewPrivs:	1" "after setup --default --reload, a plain docker run has no_new_privs"
out=$(setup docker --default --daemon-json "$work/daemon.json") || fail "setup again: $out"
expect_contains "$out" "nothing to change" "setup a second time changes nothing"

# --- bad input changes nothing -------------------------------------------------
cp "$work/daemon.json" "$work/good.json"
printf '{"runtimes": {"x": {"path": "/bin/true"}},,}\n' >"$work/bad.json"
rc=0
err=$(setup docker --default --daemon-json "$work/bad.json" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "a malformed daemon.json: exit $rc ($err)"
expect_contains "$err" "$work/bad.json (left as it is)" "a malformed daemon.json is refused, naming it"
[ "$(ls "$work" | grep -c 'bad.json.bak')" = 0 ] || fail "a refused file got a backup"
printf '{"runtimes": []}\n' >"$work/bad2.json"
rc=0
err=$(setup docker --daemon-json "$work/bad2.json" 2>&1) || rc=$?
[ "$rc" = 2 ] && expect_contains "$err" "/runtimes: expected an object" "runtimes of the wrong type are refused"
sleep 300 &
stale=$!
echo "$stale" >"$work/stale.pid"
rc=0
err=$(setup docker --remove --reload --daemon-json "$work/good.json" --pid-file "$work/stale.pid" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "a stale pid file: exit $rc ($err)"
expect_contains "$err" "is not a root-owned dockerd" "a pid file naming another process is refused"
kill -0 "$stale" || fail "the process of the stale pid file was signalled"
kill "$stale"
pass "malformed or mistyped daemon.json, and a pid file that is not dockerd's: refused, exit 2"

# --- remove, reload: the same dockerd runs runc again ------------------------------
out=$(setup docker --remove --reload --daemon-json "$work/daemon.json" --pid-file "$work/docker.pid") ||
        fail "setup docker --remove --reload: $out"
expect_contains "$out" "removed runtime hardened" "setup --remove"
# the original, and default-runtime runc: a reload keeps the default a
# file does not name
python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); a["default-runtime"]="runc"; assert a==b and list(a)==list(b), (a,b)' \
        "$work/daemon.orig" "$work/daemon.json" || fail "after --remove daemon.json: $(cat "$work/daemon.json")"
wait_default runc
out=$(D run --rm --network none "$img" sh -c "$probe" 2>&1) || fail "docker run after remove: $out"
[ "$(printf '%s\n' "$out" | head -1)" = 0 ] || fail "after --remove, docker run is not runc's root container: $out"
pass "setup --remove --reload: our entry out, default-runtime runc, and the same dockerd runs plain runc again (uid 0)"
assert_no_leftovers

# --- containerd: the snippet is one containerd reads ------------------------------
printf 'version = 2\n' >"$work/config.toml"
rc=0
setup containerd --config-toml "$work/config.toml" >"$work/snippet.out" || rc=$?
[ "$rc" = 1 ] || fail "setup containerd on a config without the handler: exit $rc"
awk '/^\[/ { on = 1 } on && /^$/ { exit } on' "$work/snippet.out" >>"$work/config.toml"
containerd --config "$work/config.toml" config dump >"$work/dump" 2>"$work/dump.err" ||
        fail "containerd cannot read the snippet: $(cat "$work/dump.err")"
grep -A12 'runtimes.hardened' "$work/dump" | grep "BinaryName = \"$shim\"" >/dev/null ||
        fail "containerd's view of the snippet: $(grep -A12 hardened "$work/dump")"
out=$(setup containerd --config-toml "$work/config.toml") || fail "setup containerd after adding the snippet: $out"
expect_contains "$out" "runtime handler hardened runs $shim" "setup containerd: finds the handler it printed"
pass "setup containerd: the printed snippet is read by containerd config dump, and found by the check"

# --- podman: the snippet is one podman reads -------------------------------------------
printf '[engine]\nruntime = "hardened"\n' >"$work/containers.conf"
rc=0
setup podman --containers-conf "$work/containers.conf" >"$work/psnippet.out" || rc=$?
[ "$rc" = 1 ] || fail "setup podman on a conf without the runtime: exit $rc"
awk '/^\[engine.runtimes\]/ { on = 1 } on && /^$/ { exit } on' "$work/psnippet.out" >>"$work/containers.conf"
path=$(CONTAINERS_CONF=$work/containers.conf podman info --format '{{.Host.OCIRuntime.Path}}' 2>"$work/podman.err") ||
        fail "podman cannot read the snippet: $(cat "$work/podman.err")"
[ "$path" = "$shim" ] || fail "podman's runtime is $path"
out=$(setup podman --default --containers-conf "$work/containers.conf") || fail "setup podman --default: $out"
expect_contains "$out" "runtime hardened runs $shim, and is the default" "setup podman: finds the entry and the default"
pass "setup podman: the printed [engine.runtimes] entry is podman's runtime, and found by the check"
