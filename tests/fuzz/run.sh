#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every libFuzzer target for SECONDS each (default 60), from seed
# corpora made of the fixtures, the shipped profiles and a few command
# lines, in a build of its own (clang, -Dfuzzing=true, ASan+UBSan).
# Prints each target's executions and coverage; a crash fails, its input
# kept under build-fuzz/crashes/ (turn it into a regression test).
# Usage: bash tests/fuzz/run.sh [SECONDS]    (CI runs a short smoke)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=build-fuzz
if [ ! -f "$build/build.ninja" ]; then
        CC=clang meson setup "$build" -Dfuzzing=true -Dtests=false -Db_sanitize=address,undefined \
                -Db_lundef=false >/dev/null
fi
ninja -C "$build" >/dev/null
corpus=$build/corpus
mkdir -p "$corpus"/{spec,process,args,profile,fold,toml} "$build/crashes"
cp tests/fixtures/*.config.json "$corpus/spec/"
cp tests/fixtures/*.process.json tests/fixtures/*.resources.json "$corpus/process/"
cp profiles/*.json profiles/snippets/*.json "$corpus/profile/"
printf 'create\0--bundle\0/b\0c1' >"$corpus/args/create"
printf -- '--root\0/r\0exec\0--process\0/p.json\0-d\0c1' >"$corpus/args/exec"
printf -- '--profile\0strict\0--dry-run=report\0run\0-b\0x\0--keep\0c' >"$corpus/args/run"
printf 'update\0--memory\0100m\0--pids-limit=5\0c1' >"$corpus/args/update"
# keys: fields as written, in other cases, and with U+017F / U+212A
for k in process noNewPrivileges NONEWPRIVILEGES "proce\xc5\xbfs" "\xe2\x84\xaaernel" annotations x; do
        printf "$k" >"$corpus/fold/$(printf '%s' "$k" | sha256sum | cut -c1-12)"
done
printf '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hr.options]\n  BinaryName = "/b"\n' >"$corpus/toml/containerd"
printf '%s\r\n' '[engine.runtimes]' "hr = [ \"/a\", '/b' ] # x" '[engine]' 'runtime = "hr"' >"$corpus/toml/podman"
for t in spec process args profile fold toml; do
        log=$build/fuzz-$t.log
        if ! UBSAN_OPTIONS=halt_on_error=1 "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" \
                -rss_limit_mb=4096 -artifact_prefix="$build/crashes/$t-" "$corpus/$t" >"$log" 2>&1; then
                tail -30 "$log"
                echo "fuzz-$t: FAILED (input in $build/crashes/)" >&2
                exit 1
        fi
        runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "fuzz-$t: $runs runs in ${seconds}s, $cov, no crash"
done
