#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# valgrind memcheck over the shim's real paths: every fixture dockerd 20.10
# wrote through --dry-run (spec, diff, report) under every profile, every
# bundle of the hostile catalog (tests/hostile/run.py --memcheck), exec's
# and update's documents, and a real create, exec, update and delete of a
# busybox container with plain runc as the runtime. Zero errors and zero
# leaks (definite, indirect, possible): valgrind exits 99 otherwise.
# A create that execs the runtime ends before exit, where no leak check can
# run: its errors are checked, and its error paths (a refused create, a
# missing runtime) exit normally and are leak-checked too.
# Debian 12's valgrind 3.19 does not know open_tree, mount_setattr and
# move_mount (ENOSYS): the real container runs without a user namespace
# (userns off), so the staging is not under valgrind here; the ASan and
# UBSan run of every container layer covers it.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd valgrind runc busybox python3
shim=${HR_SHIM:?}
fixtures=$HR_SOURCE/tests/fixtures
runc_workdir hr-memcheck
vg() {
        valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
                --errors-for-leak-kinds=definite,indirect,possible --track-fds=no --child-silent-after-fork=yes \
                --log-file="$work/vg.%p" "$@"
}
# check WHAT: the last runs left no valgrind report
check() {
        local f bad=
        for f in "$work"/vg.*; do
                [ -e "$f" ] || continue
                [ -s "$f" ] && bad="$bad $f"
        done
        if [ -n "$bad" ]; then
                cat $bad >&2
                fail "$1: valgrind found errors or leaks"
        fi
        rm -f "$work"/vg.*
}
runs=0
# run_vg WHAT ARGS...: under valgrind; exit 0 or 1 (a refusal) are fine
# (or the codes in $VG_OK), 99 (valgrind's) is not
run_vg() {
        local what=$1 rc=0
        shift
        vg "$shim" "$@" >"$work/out" 2>&1 || rc=$?
        case " ${VG_OK:-0 1} " in
        *" $rc "*) ;;
        *) cat "$work/out" >&2; fail "$what: exit $rc" ;;
        esac
        runs=$((runs + 1))
        check "$what"
}

# --- every fixture, every profile, every dry-run mode --------------------------------
for f in "$fixtures"/*.config.json; do
        name=$(basename "$f" .config.json)
        mkdir -p "$work/b-$name"
        cp "$f" "$work/b-$name/config.json"
        for run in spec:restricted diff:restricted report:restricted report:baseline report:strict; do
                run_vg "$name (${run#*:}, --dry-run=${run%%:*})" --root "$state" --dry-run="${run%%:*}" \
                        --profile "${run#*:}" create --bundle "$work/b-$name" "mc-$name"
        done
done
pass "every fixture through --dry-run=spec, diff and report (restricted), and report under baseline and strict: no error, no leak"
for f in "$fixtures"/*.process.json; do
        run_vg "$(basename "$f")" --root "$state" --dry-run=diff exec --process "$f" mc-none
done
for f in "$fixtures"/*.resources.json; do
        run_vg "$(basename "$f")" --root "$state" --dry-run update --resources "$f" mc-none
        run_vg "$(basename "$f") on stdin" --root "$state" --dry-run update --resources - mc-none <"$f"
done
run_vg "update by flags" --root "$state" --dry-run update --memory 8g --pids-limit -1 mc-none
pass "exec's and update's documents (file, stdin, flags) through --dry-run: no error, no leak"
python3 "$HR_SOURCE/tests/hostile/run.py" --memcheck || fail "the hostile catalog under valgrind"
run_vg "fields" fields
run_vg "--help" --help
run_vg "keys" keys
pass "fields, keys and --help: no error, no leak"

# --- check and setup ---------------------------------------------------------------
for f in "$fixtures"/*.config.json; do
        run_vg "check $(basename "$f")" check "$f"
        run_vg "check --format json $(basename "$f")" check --format json "$f"
done
run_vg "check -" check - <"$fixtures/default.config.json"
run_vg "check --bundle" check --bundle "$work/b-default"
printf '{"process": ' >"$work/truncated.json"
VG_OK=2 run_vg "check of a truncated spec" check "$work/truncated.json"
VG_OK=2 run_vg "check without a target" check
printf '{\n  "log-level": "warn",\n  "runtimes": {"crun": {"path": "/usr/bin/crun"}}\n}\n' >"$work/daemon.json"
run_vg "setup docker --dry-run" setup docker --default --profile strict --dry-run --daemon-json "$work/daemon.json"
run_vg "setup docker" setup docker --default --daemon-json "$work/daemon.json"
run_vg "setup docker --remove" setup docker --remove --daemon-json "$work/daemon.json"
# Ours the only runtime: --remove takes "runtimes" out with it (it once read
# that object after freeing it).
printf '{"log-level": "warn"}\n' >"$work/daemon.json"
run_vg "setup docker, ours alone" setup docker --default --daemon-json "$work/daemon.json"
run_vg "setup docker --remove of the last runtime" setup docker --remove --daemon-json "$work/daemon.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d != {"log-level": "warn", "default-runtime": "runc"})' "$work/daemon.json" ||
        fail "setup docker --remove of the last runtime left: $(cat "$work/daemon.json")"
printf '{"runtimes": [}' >"$work/bad-daemon.json"
VG_OK=2 run_vg "setup docker on a malformed file" setup docker --daemon-json "$work/bad-daemon.json"
printf 'version = 2\n' >"$work/config.toml"
run_vg "setup containerd" setup containerd --default --config-toml "$work/config.toml"
run_vg "setup podman" setup podman --containers-conf "$work/containers.conf"
pass "check over every fixture (text, json, stdin, bundle, bad input) and setup docker, containerd, podman: no error, no leak"

# --- a real container ------------------------------------------------------------------
make_bundle "$work/b" sleep 60
printf '{"name":"memcheck","rules":{"userns":{"action":"off"}}}\n' >"$work/nouserns.json"
vg "$shim" --root "$state" --profile "$work/nouserns.json" create --bundle "$work/b" mc-real >"$work/out" 2>&1 ||
        { cat "$work/out" "$work"/vg.* >&2; fail "create under valgrind"; }
check "create (errors up to the runtime's exec)"
runc --root "$state" start mc-real
run_vg "exec" --root "$state" exec mc-real true
run_vg "exec -u 0 --cap CAP_SYS_ADMIN" --root "$state" exec -u 0 --cap CAP_SYS_ADMIN mc-real true
run_vg "update --memory 8g" --root "$state" update --memory 8g mc-real
echo '{"memory":{"limit":0},"pids":{"limit":-1}}' | run_vg "update --resources -" --root "$state" update --resources - mc-real
run_vg "kill" --root "$state" kill mc-real KILL
for _ in $(seq 1 50); do
        st=$(runc --root "$state" state mc-real 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' || true)
        [ "$st" = stopped ] && break
        sleep 0.1
done
run_vg "delete" --root "$state" delete mc-real
no_staging mc-real "$state"
pass "create, exec, update, kill and delete of a real container: no error, no leak ($runs runs under valgrind)"

# --- error paths exit normally: leak-checked --------------------------------------------
# (a fresh bundle: create rewrote the first one)
make_bundle "$work/b2" sleep 60
printf '{"name":"deny-nnp","rules":{"nnp":{"action":"deny"},"userns":{"action":"off"}}}\n' >"$work/deny.json"
run_vg "a refused create" --root "$state" --profile "$work/deny.json" create --bundle "$work/b2" mc-refused
expect_contains "$(cat "$work/out")" "refused by rule nnp" "a refused create under valgrind: refused, no error, no leak"
no_staging mc-refused "$state"
printf '{"runtime": "/nonexistent/runc"}\n' >"$work/config.json"
run_vg "a missing runtime" --config "$work/config.json" --root "$state" --profile "$work/nouserns.json" \
        create --bundle "$work/b2" mc-noruntime
no_staging mc-noruntime "$state"
expect_contains "$(cat "$work/out")" "/nonexistent/runc" "a create whose runtime is missing: refused, naming it"
no_staging mc-noruntime "$state"
pass "a create whose runtime is missing: no error, no leak, nothing staged"
printf 'not a program\n' >"$work/notaprogram"
chmod 0755 "$work/notaprogram"
printf '{"runtime": "%s"}\n' "$work/notaprogram" >"$work/config.json"
make_bundle "$work/b3" sleep 60
# the runtime's child cannot exec it: 127, as a shell says
VG_OK=127 run_vg "a runtime that cannot be executed" --config "$work/config.json" --root "$state" \
        --profile "$work/nouserns.json" create --bundle "$work/b3" mc-noexec
no_staging mc-noexec "$state"
pass "a create whose runtime cannot be executed (ENOEXEC): no error, no leak, its staging removed"
printf '{"broken' >"$work/b2/config.json"
run_vg "a malformed config.json" --root "$state" --profile "$work/nouserns.json" create --bundle "$work/b2" mc-bad
pass "a malformed config.json: no error, no leak"
