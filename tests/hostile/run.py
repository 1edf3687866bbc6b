#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs every case of cases.py through the real hardened-runc binary (and its
control through plain runc). Needs root, runc and busybox; exits 77 to skip
when they are missing (a failure under HR_CI=1).

With --memcheck (tests/integration/memcheck.sh): every case's bundle through
--dry-run=report under valgrind memcheck instead, which must report no error
and no leak. (A real create stages idmapped mounts, whose system calls
Debian 12's valgrind does not know.)"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases  # noqa: E402

SHIM = os.environ.get("HR_SHIM", "")


def skip(why):
    print("SKIP: " + why, file=sys.stderr)
    if os.environ.get("HR_CI") == "1":
        print("FAIL: HR_CI=1 and this test would have been skipped", file=sys.stderr)
        sys.exit(1)
    sys.exit(77)


def fail(why):
    print("FAIL: " + why, file=sys.stderr)
    sys.exit(1)


def ok(what):
    print("ok - " + what, flush=True)


def make_rootfs(r):
    bb = shutil.which("busybox")
    for d in ("bin", "proc", "sys", "dev", "etc", "tmp", "run", "var/tmp"):
        os.makedirs(os.path.join(r, d), exist_ok=True)
    shutil.copy(bb, os.path.join(r, "bin/busybox"))
    for a in subprocess.run([bb, "--list"], capture_output=True, text=True, check=True).stdout.split():
        if a != "busybox":
            os.symlink("busybox", os.path.join(r, "bin", a))
    with open(os.path.join(r, "etc/passwd"), "w") as f:
        f.write("root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n")


def base_spec(work, rootfs, script):
    subprocess.run(["runc", "spec", "--bundle", work], check=True)
    with open(os.path.join(work, "config.json")) as f:
        c = json.load(f)
    os.unlink(os.path.join(work, "config.json"))
    c["process"]["terminal"] = False
    c["process"]["args"] = ["sh", "-c", script]
    c["root"] = {"path": rootfs, "readonly": False}
    return c


def snapshot(d):
    out = {}
    for top, dirs, files in os.walk(d):
        for n in dirs + files:
            p = os.path.join(top, n)
            st = os.lstat(p)
            if os.path.islink(p):
                out[p] = ("link", os.readlink(p))
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    out[p] = ("file", st.st_mode, hashlib.sha256(f.read()).hexdigest())
            else:
                out[p] = ("other", st.st_mode)
    return out


def staging_dir(root, cid):
    root = os.path.normpath(os.path.abspath(root))
    safe = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    key = "".join("+" if b == 0x2F else chr(b) if b in safe else "%%%02X" % b for b in root.encode())
    return "/run/hardened-runc/%s/%s" % (key, cid)


def bundle(work, rootfs, name, edit, script, cid, extra=None):
    b = os.path.join(work, name)
    os.mkdir(b, 0o711)
    c = base_spec(b, rootfs, script)
    if extra:
        extra(c, b, cid)
    if edit:
        edit(c, b, cid)
    with open(os.path.join(b, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    return b


def runc_list(state):
    r = subprocess.run(["runc", "--root", state, "list", "-q"], capture_output=True, text=True)
    return r.stdout.split()


def check_refused(work, state, rootfs, case):
    name, finding, edit, _, needles, _ = case
    cid = "h-" + name
    b = bundle(work, rootfs, name, edit, "true", cid)
    before = snapshot(b)
    log = os.path.join(work, name + ".log")
    r = subprocess.run([SHIM, "--root", state, "--log", log, "--log-format", "json", "create",
                        "--bundle", b, cid], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if r.returncode != 1:
        fail("%s (finding %d): exit %d, expected a refusal: %s" % (name, finding, r.returncode,
                                                                     r.stderr))
    for n in [os.path.join(b, "config.json")] + needles:
        if n not in r.stderr:
            fail("%s: the message lacks %r: %s" % (name, n, r.stderr))
    with open(log) as f:
        lines = f.read().splitlines()
    entry = json.loads(lines[0]) if len(lines) == 1 else {}
    if entry.get("level") != "error" or needles[0] not in entry.get("msg", ""):
        fail("%s: --log should hold one error line naming %r: %r" % (name, needles[0], lines))
    if snapshot(b) != before:
        fail("%s: the bundle changed" % name)
    if os.path.exists(staging_dir(state, cid)):
        fail("%s: something was staged at %s" % (name, staging_dir(state, cid)))
    if cid in runc_list(state):
        fail("%s: runc knows the container" % name)
    if os.path.exists(cases.MARK):
        fail("%s: a hook ran on the host" % name)
    ok("%s (finding %d): refused naming config.json, the pointer and the value; bundle "
       "byte-identical, nothing staged, no container" % (name, finding))


def check_control(work, rootfs, case):
    name, finding, edit, _, _, control = case
    extra, script, checker = cases.CONTROLS[control]
    if "%s" in script:
        script = script % os.path.join(work, "ctl-" + name)
    ctl_state = os.path.join(work, "ctl-state")
    b = bundle(work, rootfs, "ctl-" + name, edit, script, "c-" + name, extra)
    r = subprocess.run(["runc", "--root", ctl_state, "run", "--bundle", b, "c-" + name],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    subprocess.run(["runc", "--root", ctl_state, "delete", "-f", "c-" + name], capture_output=True)
    why = checker(r.stdout + r.stderr, b)
    if os.path.exists(cases.MARK):
        os.unlink(cases.MARK)
    if why:
        fail("%s: control under plain runc did not show the hole: %s (%s)" % (name, why, r.stderr))
    ok("%s: control: plain runc runs the hostile part (%s)" % (name, control))


def check_hardened(work, state, rootfs, case):
    name, finding, edit, _, _, _ = case
    script, checker = cases.HARDEN[name]
    cid = "h-" + name
    b = bundle(work, rootfs, name, edit, script, cid)
    r = subprocess.run([SHIM, "--root", state, "run", "--bundle", b, cid], capture_output=True,
                       text=True, stdin=subprocess.DEVNULL, timeout=60)
    subprocess.run([SHIM, "--root", state, "delete", "-f", cid], capture_output=True)
    if r.returncode != 0:
        fail("%s: the hardened container failed: %s" % (name, r.stdout + r.stderr))
    why = checker(r.stdout)
    if why:
        fail("%s: %s" % (name, why))
    if os.path.exists(staging_dir(state, cid)):
        fail("%s: staging left at %s" % (name, staging_dir(state, cid)))
    ok("%s (finding %d): runs hardened, the hostile part gone inside: %s" %
       (name, finding, r.stdout.strip().replace("\n", " | ")[:100]))


VALGRIND = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--show-leak-kinds=definite,indirect,possible",
            "--errors-for-leak-kinds=definite,indirect,possible", "--child-silent-after-fork=yes"]


def memcheck_case(work, state, rootfs, case):
    name = case[0]
    cid = "h-" + name
    b = bundle(work, rootfs, name, case[2], "true", cid)
    vlog = os.path.join(work, name + ".vg")
    r = subprocess.run(VALGRIND + ["--log-file=" + vlog, SHIM, "--root", state, "--dry-run=report",
                                   "create", "--bundle", b, cid],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    with open(vlog) as f:
        report = f.read()
    if r.returncode not in (0, 1) or report:
        fail("%s: under valgrind: exit %d: %s" % (name, r.returncode, report or r.stderr))
    if os.path.exists(staging_dir(state, cid)):
        fail("%s: a dry run staged %s" % (name, staging_dir(state, cid)))


def memcheck(work, state, rootfs):
    if shutil.which("valgrind") is None:
        skip("needs valgrind")
    for case in cases.CASES:
        memcheck_case(work, state, rootfs, case)
    ok("%d hostile bundles through --dry-run=report under valgrind memcheck: no error, no leak" %
       len(cases.CASES))


def main():
    if os.geteuid() != 0:
        skip("needs root (runs real containers)")
    for tool in ("runc", "busybox"):
        if shutil.which(tool) is None:
            skip("needs %s" % tool)
    if not os.access(SHIM, os.X_OK):
        skip("HR_SHIM is not the built hardened-runc")
    had_staging_root = os.path.exists("/run/hardened-runc")
    work = tempfile.mkdtemp(prefix="hr-hostile.", dir="/tmp")
    os.chmod(work, 0o711)
    state = os.path.join(work, "state")
    try:
        rootfs = os.path.join(work, "rootfs")
        make_rootfs(rootfs)
        if sys.argv[1:] == ["--memcheck"]:
            memcheck(work, state, rootfs)
            return
        for case in cases.CASES:
            if case[5]:
                check_control(work, rootfs, case)
            if case[3] == "refuse":
                check_refused(work, state, rootfs, case)
            else:
                check_hardened(work, state, rootfs, case)
        print("%d passed, 0 failed" % len(cases.CASES))
    finally:
        for cid in runc_list(state) + runc_list(os.path.join(work, "ctl-state")):
            subprocess.run([SHIM, "--root", state, "delete", "-f", cid], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
        if os.path.exists(cases.MARK):
            os.unlink(cases.MARK)
        if not had_staging_root:
            try:
                os.rmdir("/run/hardened-runc")
            except OSError:
                pass


if __name__ == "__main__":
    main()
