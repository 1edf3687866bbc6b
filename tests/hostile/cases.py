# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile bundles (issue 9's review findings and variants), each run through
the real hardened-runc binary, with its expected outcome:

  refuse: exit 1, the message names config.json, the JSON pointer and the
          value; one logrus JSON line in --log; every file of the bundle
          byte-identical; nothing staged; no container left in runc.
  harden: the container runs, and what the kernel reports inside shows the
          hostile part gone.

A case may carry a control: the same bundle run by plain runc, showing the
hostile part works there (so the case can fail).

Each case: (name, finding, edit, expect, needles, control). edit(c, b, cid)
edits the spec c in place for bundle directory b and container id cid (and
may make files in b). needles: what a refusal's message must hold. control:
a key of CONTROLS. A harden case has its proof in HARDEN.
"""

import os
import socket


def bind(dest, source, opts=("rbind",)):
    return {"destination": dest, "type": "bind", "source": source, "options": list(opts)}


def add_mounts(*ms):
    def edit(c, b, cid):
        c["mounts"].extend(ms)
    return edit


def symlink_then(name, target, *ms):
    def edit(c, b, cid):
        os.symlink(target, os.path.join(b, name))
        c["mounts"].extend(ms)
    return edit


def with_socket_dir(c, b, cid):
    d = os.path.join(b, "sockdir")
    os.mkdir(d)
    s = socket.socket(socket.AF_UNIX)
    s.bind(os.path.join(d, "daemon.sock"))
    s.close()
    c["mounts"].append(bind("/s", os.path.join(d, "daemon.sock")))


def maps(uid_maps, gid_maps=None, uid=None):
    def edit(c, b, cid):
        c["linux"]["namespaces"].append({"type": "user"})
        c["linux"]["uidMappings"] = uid_maps
        c["linux"]["gidMappings"] = gid_maps or uid_maps
        if uid is not None:
            c["process"]["user"]["uid"] = uid
            c["process"]["user"]["gid"] = uid
    return edit


ROOT_VIA_1 = [{"containerID": 0, "hostID": 100000, "size": 1},
              {"containerID": 1, "hostID": 0, "size": 1},
              {"containerID": 2, "hostID": 100002, "size": 65534}]


def hook(stage, *args, path="/bin/sh"):
    def edit(c, b, cid):
        c.setdefault("hooks", {}).setdefault(stage, []).append(
            {"path": path, "args": [os.path.basename(path)] + list(args)})
    return edit


def setk(path, value):
    def edit(c, b, cid):
        o = c
        for k in path[:-1]:
            o = o.setdefault(k, {})
        o[path[-1]] = value
    return edit


def root_path(p):
    return setk(["root", "path"], p)


MARK = "/tmp/hr-hostile-hook-ran"  # a host file a hook would create


def fake_setkey(c, b, cid):
    """Docker's hook shape, but pid 1 is no dockerd."""
    c.setdefault("hooks", {})["prestart"] = [{"path": "/proc/1/exe", "args": [
        "libnetwork-setkey", "-exec-root=/run/docker", cid, "0123456789ab"]}]


def data_dir_with_suid(c, b, cid):
    d = os.path.join(b, "data")
    os.mkdir(d)
    c["mounts"].append(bind("/data", d, ("rbind", "nosuid", "suid", "dev")))

CASES = [
    # 1: a directory holding a daemon socket, and the host's socket trees
    ("run-dir", 1, add_mounts(bind("/r", "/run")), "refuse", ["/mounts/", "\"/run\"", "holds the host's"], None),
    ("var-run-dir", 1, add_mounts(bind("/r", "/var/run")), "refuse", ["/mounts/", "\"/var/run\""], None),
    ("var-dir", 1, add_mounts(bind("/v", "/var")), "refuse", ["\"/var\"", "holds the host's"], None),
    ("socket-file", 1, with_socket_dir, "refuse", ["daemon.sock", "a Unix socket"], None),
    # 2: sensitive trees, not only their exact paths
    ("etc-shadow", 2, add_mounts(bind("/x/shadow", "/etc/shadow", ("rbind", "ro"))), "refuse",
     ["\"/etc/shadow\"", "inside the host's /etc"], None),
    ("etc-passwd", 2, add_mounts(bind("/x", "/etc/passwd")), "refuse", ["\"/etc/passwd\""], None),
    ("var-log", 2, add_mounts(bind("/x", "/var/log")), "refuse", ["\"/var/log\""], None),
    ("usr-bin", 2, add_mounts(bind("/x", "/usr/bin")), "refuse", ["\"/usr/bin\""], None),
    ("dot-dot", 2, add_mounts(bind("/x", "/tmp/../etc")), "refuse", ["\"/tmp/../etc\""], None),
    # 3: maps that reach host root, or host ids below the subordinate ranges
    ("map-1-to-host-root", 3, maps(ROOT_VIA_1, uid=1), "refuse",
     ["/linux/uidMappings/1", "\"hostID\":0", "host id 0"],
     "uid1-reads-root-file"),
    ("map-low-host-ids", 3, maps([{"containerID": 0, "hostID": 1000, "size": 65536}]), "refuse",
     ["/linux/uidMappings/0", "below 65536"], None),
    ("map-overlap", 3, maps([{"containerID": 0, "hostID": 100000, "size": 10},
                              {"containerID": 10, "hostID": 100005, "size": 10}]), "refuse",
     ["/linux/uidMappings/1", "overlaps"], None),
    ("map-null", 3, setk(["linux", "uidMappings"], None), "refuse", ["/linux/uidMappings is null"], None),
    ("join-host-userns", 3, lambda c, b, cid: c["linux"]["namespaces"].append(
        {"type": "user", "path": "/proc/1/ns/user"}), "refuse",
     ["/linux/namespaces/", "/proc/1/ns/user"], None),
    # 4: hooks run as host root
    ("hook-prestart", 4, hook("prestart", "-c", "touch " + MARK), "refuse",
     ["/hooks/prestart/0", "/bin/sh", "host root"], "hook-ran"),
    ("hook-create-runtime", 4, hook("createRuntime", "-c", "touch " + MARK), "refuse",
     ["/hooks/createRuntime/0"], "hook-ran"),
    ("hook-poststart", 4, hook("poststart", "-c", "touch " + MARK), "refuse", ["/hooks/poststart/0"], None),
    ("hook-create-container", 4, hook("createContainer", "-c", "id"), "refuse",
     ["/hooks/createContainer/0", "CVE-2025-23266"], None),
    ("hook-fake-dockerd", 4, fake_setkey, "refuse", ["/hooks/prestart/0", "/proc/1/exe"], None),
    # 5: mount sources and the rootfs
    ("relative-source", 5, symlink_then("hostroot", "/", bind("/h", "hostroot")), "refuse",
     ["/mounts/", "\"hostroot\"", "(/ on the host)"], "relative-shows-host"),
    ("rootfs-is-host-root", 5, root_path("/"), "refuse", ["/root/path", "\"/\""], None),
    ("rootfs-is-etc", 5, root_path("/etc"), "refuse", ["/root/path", "\"/etc\""], None),
    ("overlay-lowerdir-etc", 5, add_mounts({"destination": "/o", "type": "overlay", "source": "overlay",
                                            "options": ["lowerdir=/etc"]}), "refuse",
     ["/mounts/", "overlay", "another filesystem type"], None),
    ("second-proc", 5, add_mounts({"destination": "/p2", "type": "proc", "source": "proc"}), "refuse",
     ["/mounts/", "allowed at /proc only"], None),
    ("second-sysfs", 5, add_mounts({"destination": "/s2", "type": "sysfs", "source": "sysfs"}), "refuse",
     ["/mounts/", "allowed at /sys only"], None),
    ("suid-after-nosuid", 5, data_dir_with_suid, "harden", [], None),
    # 6: cgroupsPath
    ("cgroup-root", 6, setk(["linux", "cgroupsPath"], "/"), "refuse", ["/linux/cgroupsPath", "\"/\""], None),
    ("cgroup-docker-parent", 6, setk(["linux", "cgroupsPath"], "/docker"), "refuse", ["/linux/cgroupsPath"], None),
    ("cgroup-dotdot", 6, setk(["linux", "cgroupsPath"], "/x/../victim"), "refuse", ["/linux/cgroupsPath"], None),
    # 8: fields left unjudged at create
    ("apparmor-unconfined", 8, setk(["process", "apparmorProfile"], "unconfined"), "harden", [], None),
    ("oom-score-minus-1000", 8, setk(["process", "oomScoreAdj"], -1000), "harden", [], None),
    ("oom-killer-off", 8, setk(["linux", "resources", "memory", "disableOOMKiller"], True), "harden", [], None),
    ("cpu-shares-max", 8, setk(["linux", "resources", "cpu", "shares"], 262144), "harden", [], None),
    ("intel-rdt", 8, setk(["linux", "intelRdt"], {"closID": "victim"}), "refuse", ["/linux/intelRdt"], None),
    ("net-devices", 8, setk(["linux", "netDevices"], {"eth0": {}}), "refuse", ["/linux/netDevices"], None),
    ("personality", 8, setk(["linux", "personality"], {"domain": "LINUX32", "flags": []}), "refuse",
     ["/linux/personality"], None),
    ("scheduler-fifo", 8, setk(["process", "scheduler"], {"policy": "SCHED_FIFO", "priority": 99}), "refuse",
     ["/process/scheduler"], None),
    ("mount-idmap", 8, add_mounts({"destination": "/d", "type": "bind", "source": "/tmp", "options": ["rbind"],
                                   "uidMappings": [{"containerID": 0, "hostID": 0, "size": 1}]}), "refuse",
     ["/mounts/", "uidMappings"], None),
    ("unknown-field", 8, setk(["process", "capabilitiez"], ["CAP_SYS_ADMIN"]), "refuse",
     ["/process/capabilitiez", "not a field"], None),
    ("go-folded-key", 8, setk(["linux", "resources", "cpu", "Quota"], -1), "refuse", ["Quota"], None),
    # 9: types runc's decoder would refuse are refused, never repaired
    ("nnp-string", 9, setk(["process", "noNewPrivileges"], "false"), "refuse",
     ["/process/noNewPrivileges", "\"false\"", "bool"], None),
    ("uid-minus-1", 9, setk(["process", "user", "uid"], -1), "refuse", ["/process/user/uid", "-1"], None),
    ("uid-2-to-32", 9, setk(["process", "user", "uid"], 4294967296), "refuse",
     ["/process/user/uid", "4294967296"], None),
    # sysctls: a name is judged by the /proc/sys file it names
    ("sysctl-dotted-traversal", 10, setk(["linux", "sysctl"], {"net./../kernel/core_pattern": "|/bin/true"}),
     "refuse", ["/linux/sysctl/net.~1..~1kernel~1core_pattern", "|/bin/true", "not a sysctl name"], None),
    ("sysctl-host-wide", 10, setk(["linux", "sysctl"], {"kernel.core_pattern": "|/bin/true"}), "harden", [],
     None),
]




def v1_or_v2(v1_file, v1_want, v2_file, v2_want):
    """A script reading a cgroup file (v1, else v2) and its checker."""
    script = "cat %s 2>/dev/null || cat %s" % (v1_file, v2_file)

    def check(out):
        want = v1_want if os.path.exists("/sys/fs/cgroup/memory") else v2_want
        return None if want in out else "expected %r in %r" % (want, out)
    return script, check


def contains(*wants, absent=()):
    def check(out):
        for w in wants:
            if w not in out:
                return "expected %r in %r" % (w, out)
        for w in absent:
            if w in out:
                return "did not expect %r in %r" % (w, out)
        return None
    return check


# harden cases: a script run inside the hardened container and a checker of
# its output (None when the hostile part is gone)
HARDEN = {
    "suid-after-nosuid": ("grep ' /data ' /proc/self/mounts", contains("nosuid", "nodev")),
    # no AppArmor here: runc would have refused any profile, so running proves it went;
    # where AppArmor runs, the container is confined
    "apparmor-unconfined": ("cat /proc/self/attr/current 2>/dev/null; echo ran",
                            contains("ran", absent=("unconfined\n",))),
    "oom-score-minus-1000": ("cat /proc/self/oom_score_adj", contains("0", absent=("-1000",))),
    "oom-killer-off": v1_or_v2("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill_disable 0",
                               "/sys/fs/cgroup/memory.oom.group", ""),
    # gone from the spec, or runc would have failed to write it in the user namespace
    "sysctl-host-wide": ("cat /proc/sys/kernel/core_pattern", contains(absent=("|/bin/true",))),
    "cpu-shares-max": v1_or_v2("/sys/fs/cgroup/cpu/cpu.shares", "4096",
                               "/sys/fs/cgroup/cpu.weight", "157"),
}


# controls: the same bundle under plain runc, showing the hostile part works
# there. Each: (extra edit, script, checker of (output, work dir)).
def with_secret(c, b, cid):
    d = os.path.join(b, "secret")
    os.mkdir(d, 0o755)
    with open(os.path.join(d, "file"), "w") as f:
        f.write("s3cret\n")
    os.chmod(os.path.join(d, "file"), 0o600)
    c["mounts"].append(bind("/sec", d))


def marker_in_work(c, b, cid):
    with open(os.path.join(b, "marker"), "w") as f:
        f.write("host\n")


CONTROLS = {
    "hook-ran": (None, "true", lambda out, b: None if os.path.exists(MARK) else "the hook did not run"),
    "uid1-reads-root-file": (with_secret, "id -u; cat /sec/file",
                             lambda out, b: None if "s3cret" in out else "uid 1 could not read: %r" % out),
    "relative-shows-host": (marker_in_work, "cat /h%s/marker",
                            lambda out, b: None if "host" in out else "no host tree at /h: %r" % out),
}
