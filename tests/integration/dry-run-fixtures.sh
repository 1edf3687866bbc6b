#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `--dry-run` on every config.json dockerd 20.10 wrote (../shared/fixtures,
# captured on another host: rootfs, bind sources and dockerd's pid absent
# here), under every profile: it prints the rewritten spec and the staging
# plan, and it acts on nothing. strace proves the last: no process, no
# namespace, no mount, and nothing written under /run/hardened-runc.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_cmd strace python3
shim=${HR_SHIM:?}
fixtures=${HR_FIXTURES:-$HR_SOURCE/../shared/fixtures/docker-20.10}
[ -d "$fixtures" ] || fixtures=$HR_SOURCE/tests/fixtures
work=$(mktemp -d /tmp/hr-dry.XXXXXX)
had_root=no
[ -e /run/hardened-runc ] && had_root=yes
trap 'rm -rf "$work"' EXIT

# refusals that are the spec's own, whatever the host
own_refusal='refused by rule (namespaces|devices)'
n=0
for f in "$fixtures"/*.config.json; do
        name=$(basename "$f" .config.json)
        id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["linux"]["cgroupsPath"].split("/")[-1])' "$f")
        mkdir -p "$work/$name"
        cp "$f" "$work/$name/config.json"
        for profile in restricted baseline strict; do
                rc=0
                # (LeakSanitizer cannot work under ptrace: a sanitizer build
                # is leak-checked by the other tests)
                ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
                        strace -f -qq -o "$work/trace" -e trace=fork,vfork,clone,clone3,unshare,setns,mount,umount2,open_tree,move_mount,mount_setattr,fsmount \
                        "$shim" --dry-run=report --profile "$profile" create --bundle "$work/$name" "$id" \
                        >"$work/out" 2>&1 || rc=$?
                # a thread (CLONE_VM, no new namespace: the sanitizers'
                # helpers) is not a process; a new process, namespace or
                # mount is an act
                calls=$(awk '/^[0-9]+ +\+\+\+ exited/ { next }
                        /clone3?\(/ && /CLONE_VM/ && !/CLONE_NEW/ { next } { print }' "$work/trace")
                [ -z "$calls" ] || fail "$name under $profile: the dry run acted on the kernel: $calls"
                if [ "$rc" = 0 ]; then
                        grep -q '^userns: changed /root/path' "$work/out" ||
                                fail "$name under $profile: no staged root in the report"
                        grep -q '^plan: strategy shift' "$work/out" ||
                                fail "$name under $profile: no staging plan printed"
                else
                        grep -qE "$own_refusal" "$work/out" ||
                                fail "$name under $profile: refused for this host's sake: $(tail -3 "$work/out")"
                fi
                if grep -qE 'does not resolve|No such file|not a directory on the host' "$work/out"; then
                        fail "$name under $profile: judged by what this host lacks: $(grep -E 'does not resolve|No such file|not a directory' "$work/out" | head -2)"
                fi
                cmp -s "$f" "$work/$name/config.json" || fail "$name under $profile: config.json changed"
                n=$((n + 1))
        done
done
pass "$n dry runs of captured specs: each prints its rewrite and plan, or a refusal of the spec's own"
pass "no dry run forked, made a namespace or a mount, or changed config.json"
if [ "$had_root" = no ] && [ -e /run/hardened-runc ]; then
        fail "a dry run made /run/hardened-runc"
fi
pass "no dry run wrote under /run/hardened-runc"
