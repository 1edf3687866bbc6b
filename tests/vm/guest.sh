#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs inside the Debian 12 guest (tests/vm/run.sh boots it; the image's
# hr-vm.service starts this once systemd is up, then powers off). Checks
# the guest is the host shape it stands for, then runs each test of the
# set once per real runtime (runc, then crun through the admin config),
# writing each test's output to /hr-out/RUNTIME-NAME.log and its exit code
# to /hr-out/results.
set -u
out=/hr-out
# shellcheck disable=SC1091
. "$out/env"
export HR_SOURCE HR_SHIM HR_PROBE HR_DEBS HR_CI=1
# the leak cycles of dockerd.sh: 50 on the host; under emulation 10 show
# the same (each is about 6 s here)
export HR_E2E_CYCLES=10
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
: >"$out/results"

{
        echo "boot-seconds $(cut -d' ' -f1 /proc/uptime | cut -d. -f1)"
        echo "kernel $(uname -r)"
        echo "cgroup $(stat -fc %T /sys/fs/cgroup)"
        echo "apparmor $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null || echo absent)"
        echo "systemd $(systemctl --version | head -1)"
        echo "runc $(runc --version | head -1)"
        echo "crun $(crun --version | head -1)"
        echo "docker $(dockerd --version)"
} >"$out/facts" 2>&1

# the package first, once: it installs, registers with the system dockerd
# and purges itself before the tests of the build's binary
if [ -n "${HR_DEBS:-}" ] && { [ -z "${HR_VM_TESTS:-}" ] || [[ " $HR_VM_TESTS " == *" vm/package.sh "* ]]; }; then
        echo "== [pkg] vm/package.sh"
        HR_DEBS=$HR_DEBS timeout 1200 bash "$HR_SOURCE/tests/vm/package.sh" >"$out/pkg-package.log" 2>&1
        rc=$?
        echo "$rc pkg package" >>"$out/results"
        echo "== [pkg] vm/package.sh: exit $rc"
fi
tests=${HR_VM_TESTS:-"vm/host-shape.sh e2e/dockerd.sh e2e/docker-fixtures.sh"}
tests=${tests//vm\/package.sh/}
for runtime in $HR_RUNTIMES; do
        mkdir -p /etc/hardened-runc
        case "$runtime" in
        runc) rm -f /etc/hardened-runc/config.json ;;
        *) printf '{"runtime": "%s"}\n' "$(command -v "$runtime")" >/etc/hardened-runc/config.json ;;
        esac
        for t in $tests; do
                name=$(basename "$t" .sh)
                echo "== [$runtime] $t"
                HR_VM_RUNTIME=$runtime HR_RUNTIME=$(command -v runc) \
                        timeout 1500 bash "$HR_SOURCE/tests/$t" >"$out/$runtime-$name.log" 2>&1
                rc=$?
                echo "$rc $runtime $name" >>"$out/results"
                echo "== [$runtime] $t: exit $rc"
        done
done
rm -f /etc/hardened-runc/config.json
sync
