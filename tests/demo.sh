#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shows the main job on a fresh Debian 12 machine, as root: installs what it
# needs, builds hardened-runc, takes runc's default spec for a busybox
# container with no_new_privs and the read-only root switched off, shows what
# hardened-runc rewrites, runs the container through it and prints what the
# kernel reports inside, then execs into a second container as root with a
# capability and updates its limits past the profile's maxima. Leaves
# nothing behind but the build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/lib.sh

if [ "$(id -u)" != 0 ]; then
        echo "run as root: the demo starts a real container" >&2
        exit 1
fi
need=()
for p in meson ninja-build pkg-config gcc python3 libyajl-dev libseccomp-dev libcap-ng-dev libmnl-dev \
        libcriterion-dev runc busybox-static; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || need+=("$p")
done
if [ ${#need[@]} != 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
shim=$PWD/build/shim/hardened-runc

work=$(mktemp -d /tmp/hr-demo.XXXXXX)
trap 'for id in demo demo2; do "$shim" --root "$work/state" delete -f $id >/dev/null 2>&1 || true; done
      rm -rf "$work"; remove_staging_root' EXIT
chmod 0711 "$work" # the container's mapped root must reach the rootfs
make_bundle "$work/bundle" sh -c 'echo "--- inside the container"; id; cat /proc/self/uid_map;
grep -E "^(Cap(Eff|Bnd)|NoNewPrivs|Seccomp):" /proc/self/status; grep " / " /proc/self/mounts;
touch /hello 2>&1; echo scratch >/tmp/t && echo "/tmp is writable"; unshare -U true 2>&1 || echo "(denied)"'


echo "=== $shim --dry-run=report create --bundle $work/bundle demo"
"$shim" --dry-run=report create --bundle "$work/bundle" demo
echo
echo "=== --dry-run=diff (runc's default spec -> what runc will be given)"
"$shim" --dry-run=diff create --bundle "$work/bundle" demo
echo
echo "=== $shim --root $work/state run --bundle $work/bundle demo"
"$shim" --root "$work/state" run --bundle "$work/bundle" demo
echo
echo "=== exec is judged too: $shim exec -u 0 --cap CAP_SYS_ADMIN demo2 ..."
make_bundle "$work/bundle2" sleep 120
"$shim" --root "$work/state" run -d --bundle "$work/bundle2" demo2 </dev/null >/dev/null
"$shim" --root "$work/state" exec -u 0 --cap CAP_SYS_ADMIN demo2 sh -c 'echo "--- inside, exec'"'"'d as -u 0"; id;
grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status'
echo "=== and update: $shim update --pids-limit -1 --memory 64g demo2"
"$shim" --root "$work/state" update --pids-limit -1 --memory 64g demo2
pid=$(json_get /dev/stdin "c['pid']" <<<"$(runc --root "$work/state" state demo2)")
echo "--- the container's cgroup: memory limit $(cgroup_read "$pid" memory memory.limit_in_bytes memory.max)," \
        "pids limit $(cgroup_read "$pid" pids pids.max pids.max)"
echo
echo "=== audit: $shim --root $work/state check --running (demo2 made through hardened-runc, demo3 by plain runc)"
make_bundle "$work/bundle3" sleep 120
runc --root "$work/state" run -d --bundle "$work/bundle3" demo3 </dev/null >/dev/null
"$shim" --root "$work/state" check --running || true
echo "--- what plain runc's default spec lacks, with the CIS Docker Benchmark and Pod Security controls:"
"$shim" check --bundle "$work/bundle3" | grep -E '^  [a-z]+ /|CIS:' | head -12 || true
