#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 2: descriptors. The shim is started with extra inherited
# descriptors (a host directory, a socket, a pipe, one above 1024), as a
# careless caller would leak them (CVE-2024-21626 was a leaked directory):
#   - none of them, and none of ours, reaches the container's process, for
#     run, create+start and exec (its /proc/self/fd against an allow-list);
#   - across the exec of the runtime we add nothing of ours but the sealed
#     memfd exec and update hand over: a stand-in runtime lists what it got.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd runc busybox python3
shim=${HR_SHIM:?}

runc_workdir hr-fd
mkfifo "$work/fifo"
python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.bind("'"$work"'/sock"); s.listen(64)
held = []
while True: held.append(s.accept())' &
listener=$!
for _ in $(seq 1 50); do [ -S "$work/sock" ] && break; sleep 0.1; done
trap 'kill $listener 2>/dev/null || true; runc_workdir_cleanup' EXIT

# leaky CMD...: run CMD with descriptors 5 (the host's /etc, a directory),
# 6 (a connected Unix socket), 7 (a pipe) and 1500 (/dev/null) inherited
leaky() {
        python3 - "$work/sock" "$@" <<'PY'
import fcntl, os, socket, sys
sock_path, argv = sys.argv[1], sys.argv[2:]
# opened high, then placed: a source must not land on a target number
high = lambda fd: fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 2000)
d = high(os.open("/etc", os.O_RDONLY | os.O_DIRECTORY))
s = socket.socket(socket.AF_UNIX)
s.connect(sock_path)
r, w = os.pipe()
n = high(os.open("/dev/null", os.O_RDONLY))
for fd, want in ((d, 5), (high(s.fileno()), 6), (high(r), 7), (n, 1500)):
    os.dup2(fd, want, inheritable=True)
os.execvp(argv[0], argv)
PY
}

# stdio_only WHAT TEXT: the process's descriptors ("fd: N TARGET" lines)
# are stdio (and the shell's 255) alone
stdio_only() {
        local n extra
        grep -q '^fd: 0 ' <<<"$2" || fail "$1: no descriptors listed: $2"
        for n in 5 6 7 1500; do
                grep -q "^fd: $n " <<<"$2" && fail "$1: descriptor $n reached the process: $2"
        done
        extra=$(printf '%s\n' "$2" | sed -n 's/^fd: \([0-9]*\) .*/\1/p' | grep -vxE '0|1|2|255' || true)
        [ -z "$extra" ] || fail "$1: descriptors beyond stdio in the process: $extra ($2)"
}
# in the container: its own descriptors, without ls's directory handle
probe='for f in /proc/self/fd/*; do n=${f##*/}; l=$(readlink "$f") && echo "fd: $n $l"; done; true'

make_bundle "$work/b" sh -c "$probe"
out=$(leaky "$shim" --root "$state" run --bundle "$work/b" fd1 </dev/null 2>&1) || fail "run: $out"
stdio_only run "$out"
pass "run: the container's process holds stdio alone, none of the caller's leaked descriptors (5 /etc, 6 socket, 7 pipe, 1500)"

make_bundle "$work/d" sleep 600
leaky "$shim" --root "$state" create --bundle "$work/d" fd2 </dev/null >/dev/null 2>&1 || fail "create fd2"
"$shim" --root "$state" start fd2 || fail "start fd2"
pid=$(json_get /dev/stdin "c['pid']" <<<"$(runc --root "$state" state fd2)")
init=$(ls /proc/"$pid"/fd | tr '\n' ' ')
for n in $(ls /proc/"$pid"/fd); do
        case $n in 0 | 1 | 2) ;; *) fail "create: the container's init holds descriptor $n -> $(readlink /proc/"$pid"/fd/"$n")" ;; esac
done
pass "create+start: the container's init holds stdio alone ($init)"
out=$(leaky "$shim" --root "$state" exec fd2 sh -c "$probe" </dev/null 2>&1) || fail "exec: $out"
stdio_only exec "$out"
pass "exec: the process holds stdio alone, none of the caller's descriptors nor the handed-over memfd"
"$shim" --root "$state" delete -f fd2 >/dev/null 2>&1 || true

# --- what the runtime gets: a stand-in runtime lists its descriptors ----------
cat >"$work/stand-in" <<'EOF'
#!/usr/bin/python3
import os
fds = {}
for n in os.listdir("/proc/self/fd"):
    try:
        fds[int(n)] = os.readlink("/proc/self/fd/" + n)
    except OSError:
        pass
with open(os.environ["HR_FD_OUT"], "w") as f:
    for n, t in sorted(fds.items()):
        f.write("runtime fd: %d %s\n" % (n, t))
EOF
chmod 0755 "$work/stand-in"
printf '{"runtime": "%s"}\n' "$work/stand-in" >"$work/stand-in.json"
make_bundle "$work/s" true
HR_FD_OUT=$work/create.fds leaky "$shim" --config "$work/stand-in.json" --root "$state" create --bundle "$work/s" fd3 \
        </dev/null >/dev/null 2>&1 || fail "create through the stand-in"
ours=$(sed -n 's/^runtime fd: \([0-9]*\) .*/\1/p' "$work/create.fds" | grep -vxE '0|1|2|5|6|7|1500' | tr '\n' ' ' || true)
# the stand-in's own: the directory it lists
for n in $ours; do
        grep -q "^runtime fd: $n /proc/" "$work/create.fds" || fail "create: the runtime got descriptor $n of ours: $(cat "$work/create.fds")"
done
for n in 5 6 7 1500; do
        grep -q "^runtime fd: $n " "$work/create.fds" || fail "create: the caller's descriptor $n did not reach the runtime"
done
pass "create: the runtime gets the caller's descriptors (it is runc's to close them) and none of ours"
"$shim" --config "$work/stand-in.json" --root "$state" delete fd3 >/dev/null 2>&1 || true
echo '{"args": ["true"], "cwd": "/", "user": {"uid": 1000, "gid": 1000}, "env": ["PATH=/bin"]}' >"$work/p.json"
HR_FD_OUT=$work/exec.fds leaky "$shim" --config "$work/stand-in.json" --root "$state" exec --process "$work/p.json" fd3 \
        </dev/null >/dev/null 2>&1 || fail "exec through the stand-in"
ours=$(sed -n 's/^runtime fd: \([0-9]*\) \(.*\)/\1 \2/p' "$work/exec.fds" | grep -vE '^(0|1|2|5|6|7|1500) ' |
        grep -v ' /proc/' || true)
[ "$(printf '%s\n' "$ours" | grep -c 'memfd:')" = 1 ] || fail "exec: the runtime did not get one handed-over memfd: $ours"
[ "$(printf '%s\n' "$ours" | grep -vc 'memfd:')" = 0 ] || fail "exec: the runtime got descriptors of ours: $ours"
pass "exec: the runtime gets the caller's descriptors and our sealed memfd alone"
