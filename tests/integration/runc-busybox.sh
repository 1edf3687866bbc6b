#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 2: real containers through hardened-runc and runc on a busybox-static
# rootfs. Asserts what the kernel reports inside the container.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd runc busybox python3 cmp
[ -x "${HR_PROBE:-}" ] || skip "HR_PROBE: the static probe is not built"
shim=${HR_SHIM:?}

runc_workdir hr-int

# --- run: the kernel's view of a container under the default profile -------
probe='cat /proc/self/status; echo "uid_map: $(cat /proc/self/uid_map)";
touch /x 2>&1; echo scratch >/tmp/t && echo "tmp: writable"; echo v >/var/tmp/v && echo "var-tmp: writable";
grep -E " /(tmp|run|var/tmp) tmpfs " /proc/self/mounts;
unshare -U true 2>&1 || echo "unshare -U: failed"; mount -t tmpfs none /mnt 2>&1 || echo "mount: failed";
HR_PROBE_IN_CONTAINER=1 hr-probe keyctl add_key bpf unshare_user clone_newuser mount getpid'
make_bundle "$work/b" sh -c "$probe"
out=$("$shim" --root "$state" run --bundle "$work/b" c1 2>&1) || fail "run exited $?: $out"
uid=$(status_field "$out" Uid)
gid=$(status_field "$out" Gid)
case "$uid" in 0*) fail "Uid: $uid" ;; esac
case "$gid" in 0*) fail "Gid: $gid" ;; esac
pass "Uid ($uid) and Gid ($gid) are not root"
case " $(status_field "$out" Groups) " in *" 0 "*) fail "Groups has 0: $(status_field "$out" Groups)" ;; esac
pass "Groups without 0: '$(status_field "$out" Groups)'"
map=$(printf '%s\n' "$out" | sed -n 's/^uid_map: *//p' | tr -s ' ')
own_block_map "$map" >/dev/null || fail "uid_map is '$map'"
pass "uid_map is not the identity: $map"
for f in CapInh CapPrm CapEff CapBnd CapAmb; do
        [ "$(status_field "$out" $f)" = 0000000000000000 ] || fail "$f: $(status_field "$out" $f)"
done
pass "CapInh/Prm/Eff/Bnd/Amb all zero"
[ "$(status_field "$out" NoNewPrivs)" = 1 ] || fail "NoNewPrivs: $(status_field "$out" NoNewPrivs)"
pass "NoNewPrivs: 1"
[ "$(status_field "$out" Seccomp)" = 2 ] || fail "Seccomp: $(status_field "$out" Seccomp)"
pass "Seccomp: 2 (filter mode)"
expect_contains "$out" "touch: /x: Read-only file system" "write to / fails with EROFS"
expect_contains "$out" "tmp: writable" "/tmp is writable"
expect_contains "$out" "var-tmp: writable" "/var/tmp is writable"
for d in /tmp /run /var/tmp; do
        expect_contains "$out" "tmpfs $d tmpfs rw,nosuid,nodev" "$d is a nosuid,nodev tmpfs"
done
expect_contains "$out" "size=65536k" "scratch tmpfs are size-capped"
expect_contains "$out" "unshare -U: failed" "unshare -U is denied"
expect_contains "$out" "mount: failed" "mount is denied"
for p in keyctl add_key bpf unshare_user clone_newuser mount; do
        expect_contains "$out" "$p: EPERM" "$p denied with EPERM"
done
expect_contains "$out" "getpid: ok" "ordinary system calls work"
[ "$(json_get "$work/b/config.json" "c['root']['readonly']")" = True ] || fail "config.json not rewritten"
pass "config.json rewritten on disk"
no_staging c1
pass "foreground run: the staging is gone once runc has deleted the container"
"$shim" --root "$state" delete c1 >/dev/null 2>&1 || true

# --- a process moved off root gets a HOME it may write (root's was /root)
make_bundle "$work/home" sh -c 'echo "home: $HOME"; touch "$HOME/.gitconfig" && echo "home: writable"'
json_edit "$work/home/config.json" "c['process']['env'].append('HOME=/root')"
out=$("$shim" --root "$state" run --bundle "$work/home" home1 </dev/null 2>&1) || fail "HOME: $out"
expect_contains "$out" "home: /tmp" "a process moved off root has HOME=/tmp, not root's /root"
expect_contains "$out" "home: writable" "and may write there (git config --global, caches)"
no_staging home1

# --- scratch space: the process user writes /run (0755 in the image) and
# /var/tmp (missing in the image), and what the image ships under /run
# stays, owners kept (PostgreSQL's /run/postgresql)
make_bundle "$work/scr" sh -c 'echo $$ >/run/app.pid && echo "run: writable"; echo v >/var/tmp/v && echo "var-tmp: writable"; ls -lnd /run/postgresql /run/postgresql/keep'
chmod 0755 "$work/scr/rootfs/run"
rmdir "$work/scr/rootfs/var/tmp"
mkdir "$work/scr/rootfs/run/postgresql"
echo keep >"$work/scr/rootfs/run/postgresql/keep"
chown -R 102:104 "$work/scr/rootfs/run/postgresql"
chmod 2775 "$work/scr/rootfs/run/postgresql"
out=$("$shim" --root "$state" run --bundle "$work/scr" scr1 </dev/null 2>&1) || fail "scratch: $out"
expect_contains "$out" "run: writable" "uid 65534 writes its pid file in a 0755 /run"
expect_contains "$out" "var-tmp: writable" "uid 65534 writes /var/tmp, missing in the image"
# runc's copy-up keeps owners and the owner's bits (it drops setgid and
# group write: 2775 arrives as 0755)
grep -q '^drwx.* 102 *104 .*/run/postgresql$' <<<"$out" ||
        fail "/run/postgresql lost its owner: $out"
grep -q ' 102 *104 .*/run/postgresql/keep$' <<<"$out" || fail "/run/postgresql/keep: $out"
pass "the image's /run/postgresql survives under the /run tmpfs, owned by 102:104"
no_staging scr1

# --- baseline: a plain directory rootfs is staged writable (idmapped), and
# what root writes lands in that directory, owned 0:0 on disk ---------------------
make_bundle "$work/wr" sh -c 'echo hi >/written && grep " / " /proc/self/mounts'
out=$("$shim" --profile baseline --root "$state" run --bundle "$work/wr" wr1 </dev/null 2>&1) ||
        fail "baseline, writable directory rootfs: $out"
grep -qE '^[^ ]+ / [^ ]+ rw,.*idmapped' <<<"$out" || fail "baseline: / is not a writable idmapped bind: $out"
[ "$(stat -c %u:%g "$work/wr/rootfs/written")" = 0:0 ] ||
        fail "baseline: /written is $(stat -c %u:%g "$work/wr/rootfs/written" 2>&1) on disk"
pass "baseline: a directory rootfs is a writable idmapped bind; root's file is 0:0 in the directory"
no_staging wr1

# --- every container gets a host id block of its own ----------------------------
need_cmd setpriv
make_bundle "$work/ida" sleep 300
make_bundle "$work/idb" sleep 300
"$shim" --root "$state" run -d --bundle "$work/ida" ida </dev/null >/dev/null 2>&1 || fail "run -d ida"
"$shim" --root "$state" run -d --bundle "$work/idb" idb </dev/null >/dev/null 2>&1 || fail "run -d idb"
pa=$(json_get /dev/stdin "c['pid']" <<<"$(runc --root "$state" state ida)")
pb=$(json_get /dev/stdin "c['pid']" <<<"$(runc --root "$state" state idb)")
ha=$(own_block_map "$(cat /proc/$pa/uid_map)") || fail "ida's uid_map: $(cat /proc/$pa/uid_map)"
hb=$(own_block_map "$(cat /proc/$pb/uid_map)") || fail "idb's uid_map: $(cat /proc/$pb/uid_map)"
[ "$ha" != "$hb" ] || fail "ida and idb share the host range from $ha"
pass "two containers, two host ranges: $ha and $hb, 65536 ids each (read from /proc/PID/uid_map)"
# their processes run as host uid H+65534; one container's user cannot signal the other's
ua=$((ha + 65534)) ub=$((hb + 65534))
if err=$(setpriv --reuid="$ua" --regid="$ua" --clear-groups kill -0 "$pb" 2>&1); then
        fail "ida's host uid $ua could signal idb's process $pb"
fi
expect_contains "$err" "not permitted" "ida's user cannot signal idb's process (EPERM)"
setpriv --reuid="$ub" --regid="$ub" --clear-groups kill -0 "$pb" || fail "control: idb's own uid cannot signal it"
pass "control: idb's own host uid can"
"$shim" --root "$state" delete -f ida >/dev/null 2>&1 || fail "delete ida"
"$shim" --root "$state" delete -f idb >/dev/null 2>&1 || fail "delete idb"
no_staging ida
no_staging idb
# parallel creates race for blocks (runtime /bin/true: nothing runs, staging stays)
printf '{"runtime":"/bin/true"}\n' >"$work/true.json"
for i in $(seq 1 8); do
        make_bundle "$work/par$i" true
        "$shim" --config "$work/true.json" --root "$state" create --bundle "$work/par$i" "par$i" </dev/null >/dev/null 2>&1 &
done
wait
blocks=$(for i in $(seq 1 8); do cat "$(staging_dir "par$i")/idblock"; done | sort -u | wc -l)
[ "$blocks" = 8 ] || fail "8 parallel creates got $blocks distinct blocks"
pass "8 parallel creates claimed 8 distinct blocks"
"$shim" --root "$state" gc >/dev/null || fail "gc"
for i in $(seq 1 8); do no_staging "par$i"; done
[ ! -e /run/hardened-runc/ids ] || [ -z "$(ls /run/hardened-runc/ids)" ] ||
        fail "claims left after gc: $(ls /run/hardened-runc/ids)"
pass "gc released every block"

# --- a relative --bundle and a relative root.path, as runc reads them -----------
make_bundle "$work/rel" true
(cd "$work" && "$shim" --root "$state" run --bundle rel rel1 </dev/null) >/dev/null 2>&1 ||
        fail "run with a relative bundle and rootfs: $(cd "$work" && "$shim" --root "$state" --dry-run=report run --bundle rel rel1 2>&1)"
no_staging rel1
pass "a relative bundle and rootfs are judged where runc finds them"

# --- limits are in the container's cgroup ----------------------------------------
make_bundle "$work/lim" sleep 300
"$shim" --root "$state" run -d --bundle "$work/lim" lim </dev/null >/dev/null 2>&1 || fail "run -d lim"
pid=$(json_get /dev/stdin "c['pid']" <<<"$("$shim" --root "$state" state lim)")
mem=$(cgroup_read "$pid" memory memory.limit_in_bytes memory.max)
pids=$(cgroup_read "$pid" pids pids.max pids.max)
[ "$mem" = 536870912 ] || fail "memory limit is $mem"
[ "$pids" = 512 ] || fail "pids limit is $pids"
pass "memory (512 MiB) and pids (512) limits in the container's cgroup"
lim_dir=$(staging_dir lim)
grep -qF " $lim_dir/rootfs " /proc/self/mountinfo || fail "lim's rootfs is not staged"
stat -c %a /run/hardened-runc "$(dirname "$lim_dir")" "$lim_dir" | tr '\n' ' ' | grep -x '711 711 711 ' >/dev/null ||
        fail "staging parents are not 0711"
pass "rootfs staged at $lim_dir/rootfs (keyed by the runtime root), parents 0711"
"$shim" --root "$state" delete --force lim
no_staging lim
pass "delete --force of a running container removes its staging"

# --- strict: scratch space is noexec ------------------------------------------------
make_bundle "$work/s" sh -c 'cp /bin/busybox /tmp/bb && /tmp/bb true 2>&1 || echo noexec-refused; id -u'
out=$("$shim" --profile strict --root "$state" run --bundle "$work/s" s1 2>&1) || fail "strict run: $out"
expect_contains "$out" "noexec-refused" "strict: a binary copied to /tmp does not run"
expect_contains "$out" "65534" "strict: runs as 65534"
"$shim" --root "$state" delete s1 >/dev/null 2>&1 || true

# --- baseline: root inside the user namespace, writable root, Docker's caps minus NET_RAW
make_bundle "$work/bl" sh -c 'id -u; touch /x && echo root-writable; grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status'
# owned by host root: the staged (idmapped) rootfs shows it as the
# container's root, who may write it under baseline
out=$("$shim" --profile baseline --root "$state" run --bundle "$work/bl" b1 2>&1) || fail "baseline run: $out"
expect_contains "$out" "root-writable" "baseline: rootfs writable"
[ "$(printf '%s\n' "$out" | head -1)" = 0 ] || fail "baseline: not root inside: $out"
pass "baseline: root inside its user namespace"
expect_contains "$out" "NoNewPrivs:	1" "baseline: NoNewPrivs 1"
expect_contains "$out" "Seccomp:	2" "baseline: Seccomp 2"
eff=$(status_field "$out" CapEff)
{ [ "$eff" != 0000000000000000 ] && [ $((0x$eff & (1 << 13))) = 0 ]; } || fail "baseline CapEff $eff (NET_RAW is bit 13)"
pass "baseline: Docker's capabilities without NET_RAW ($eff)"
"$shim" --root "$state" delete b1 >/dev/null 2>&1 || true

# --- decision log: one JSON line per create, allowed or refused -------------
printf '{"decisionLog":{"syslog":true,"file":"%s"},"annotationProfiles":["strict"]}\n' "$work/decisions.jsonl" >"$work/admin.json"
make_bundle "$work/dl" true
"$shim" --config "$work/admin.json" --root "$state" run --bundle "$work/dl" dl1 >/dev/null 2>&1 || fail "decision-log run"
"$shim" --root "$state" delete dl1 >/dev/null 2>&1 || true
make_bundle "$work/dl2" true
python3 - "$work/dl2/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["annotations"] = {"org.hardened-runc.profile": "baseline"}  # not in annotationProfiles
json.dump(c, open(sys.argv[1], "w"))
PY
if "$shim" --config "$work/admin.json" --root "$state" run --bundle "$work/dl2" dl2 >/dev/null 2>&1; then
        fail "an annotation picked a profile the admin did not allow"
fi
pass "an annotation cannot pick a profile outside annotationProfiles"
python3 - "$work/decisions.jsonl" <<'PY' || fail "decision log: $(cat "$work/decisions.jsonl")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 2, lines
a, r = lines
assert a["container"] == "dl1" and a["verdict"] == "allowed" and a["profile"] == "restricted", a
assert any(c["rule"] == "userns" and c["kind"] == "changed" for c in a["changes"]), a
assert r["container"] == "dl2" and r["verdict"] == "refused" and "annotationProfiles" in r["refusal"], r
PY
pass "decision log: one JSON line per create, with profile, verdict and every change"

# decisionLog.exec "refused": a healthcheck's routine execs are not
# recorded, a refused one is; the log is reopened for every record, so a
# rotated file is picked up
printf '{"decisionLog":{"file":"%s","exec":"refused"}}\n' "$work/execs.jsonl" >"$work/admin-exec.json"
make_bundle "$work/dle" sleep 300
"$shim" --config "$work/admin-exec.json" --root "$state" run -d --bundle "$work/dle" dle </dev/null >/dev/null 2>&1 ||
        fail "run -d dle"
mv "$work/execs.jsonl" "$work/execs.jsonl.1"
for i in 1 2 3; do
        "$shim" --config "$work/admin-exec.json" --root "$state" exec dle true || fail "exec $i into dle"
done
if "$shim" --config "$work/admin-exec.json" --root "$state" exec --cwd /proc/self/cwd dle true 2>/dev/null; then
        fail "an exec with its cwd in /proc went ahead"
fi
"$shim" --root "$state" delete -f dle >/dev/null 2>&1 || true
python3 - "$work/execs.jsonl.1" "$work/execs.jsonl" <<'PY' || fail "decisionLog.exec: $(cat "$work"/execs.jsonl*)"
import json, sys
rotated = [json.loads(l) for l in open(sys.argv[1])]
fresh = [json.loads(l) for l in open(sys.argv[2])]
assert [(d["verb"], d["verdict"]) for d in rotated] == [("run", "allowed")], rotated
assert [(d["verb"], d["verdict"]) for d in fresh] == [("exec", "refused")], fresh
PY
pass "decisionLog.exec refused: three routine execs unrecorded, the refused one recorded, in the rotated-in file"

# syslog: where nothing owns /dev/log, listen there for one create
if [ ! -e /dev/log ]; then
        python3 - "$work/syslog.txt" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
s.settimeout(30)
open(sys.argv[1] + ".ready", "w").close()
try:
    data = s.recv(65536)
finally:
    s.close()
    os.unlink("/dev/log")
open(sys.argv[1], "wb").write(data)
PY
        listener=$!
        for _ in $(seq 1 50); do [ -e "$work/syslog.txt.ready" ] && break; sleep 0.1; done
        make_bundle "$work/sl" true
        "$shim" --root "$state" run --bundle "$work/sl" sl1 >/dev/null 2>&1 || fail "syslog run"
        "$shim" --root "$state" delete sl1 >/dev/null 2>&1 || true
        wait "$listener" || fail "no syslog datagram"
        expect_contains "$(cat "$work/syslog.txt")" "hardened-runc[" "syslog: tagged hardened-runc[pid]"
        expect_contains "$(cat "$work/syslog.txt")" "container sl1 profile restricted: allowed;" "syslog: decision record for the create"
else
        echo "note: /dev/log belongs to this host's syslog; the syslog record is not read back here"
fi

# --- dry run: prints, touches nothing, runs nothing --------------------------
make_bundle "$work/d" true
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
make_bundle "$work/r" true
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
make_bundle "$work/l" sleep 300
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
make_bundle "$work/x" true
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
# x1 was staged, but the fake runtime made no container: delete still cleans
[ -d "$(staging_dir x1 /r)/rootfs" ] || fail "x1 was not staged"
"$shim" --root /r delete x1 >/dev/null 2>&1 || true
no_staging x1 /r
pass "delete removes the staging of a container the runtime does not know"
printf '{"runtime":"%s"}\n' "$shim" >"$work/self.json"
set +e
err=$("$shim" --config "$work/self.json" state x 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] || fail "exec of ourselves exited $rc"
expect_contains "$err" "is hardened-runc itself" "refuses to exec itself"

# --- a rootless caller: in a user namespace of its own, state in its
# XDG_RUNTIME_DIR; one whose map reaches host uid 0 is refused, and one
# without XDG_RUNTIME_DIR is told what it needs
make_bundle "$work/rl" true
mkdir -m 0700 "$work/xdg"
set +e
err=$(XDG_RUNTIME_DIR=$work/xdg unshare --user --map-root-user "$shim" --dry-run=report --root "$work/rl-state" \
        create --bundle "$work/rl" rl1 2>&1)
rc=$?
err2=$(env -u XDG_RUNTIME_DIR unshare --user --map-root-user "$shim" --root "$work/rl-state" \
        create --bundle "$work/rl" rl2 2>&1)
rc2=$?
set -e
[ "$rc" = 1 ] || fail "a rootless caller whose map reaches host uid 0 exited $rc: $err"
expect_contains "$err" "reaches host uid 0" "rootless: a caller's map that reaches host uid 0 is refused"
[ "$rc2" = 1 ] || fail "a rootless caller without XDG_RUNTIME_DIR exited $rc2: $err2"
expect_contains "$err2" "XDG_RUNTIME_DIR must name the caller's own runtime directory" \
        "rootless: without XDG_RUNTIME_DIR, told what it needs"
[ ! -e "$(staging_dir rl1 "$work/rl-state")" ] && [ ! -e "$(staging_dir rl2 "$work/rl-state")" ] ||
        fail "a rootless caller staged in /run/hardened-runc"

feat=$("$shim" features)
printf '%s' "$feat" | python3 -c 'import json,sys; json.load(sys.stdin)' || fail "features stdout: $feat"
pass "features passes through with clean stdout"
ver=$("$shim" --version)
[ "$(printf '%s\n' "$ver" | head -1)" = "hardened-runc version $(cd "$HR_SOURCE" && sed -n "s/^  version : '\(.*\)',/\1/p" meson.build)" ] ||
        fail "version line: $ver"
expect_contains "$ver" "runc version" "--version shows ours then runc's"
echo "all integration checks passed"
