#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer 2, user namespaces that do not break images: a Debian rootfs
# (debootstrap, cached) assembled as an overlay the way Docker's is, with a
# 0750 directory owned by www-data. A container running as www-data must
# reach it under strategy shift (idmapped layers) and under root-only; a
# plain shifted mapping without staging (the control) must not.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_root
need_cmd runc debootstrap python3
shim=${HR_SHIM:?}
cache=$(debian_tree)

work=$(mktemp -d /tmp/hr-deb.XXXXXX)
chmod 0711 "$work"
state=$work/state
ids="shift1 rootonly1 control1 writable1 writable2"
cleanup() {
        local id
        for id in $ids; do "$shim" --root "$state" delete -f "$id" >/dev/null 2>&1 || true; done
        for id in $ids; do runc --root "$state" delete -f "$id" >/dev/null 2>&1 || true; done
        mountpoint -q "$work/merged" && umount "$work/merged"
        rm -rf "$work"
        remove_staging_root
}
trap cleanup EXIT

# the image as read-only lower layer, the container's own layer on top
mkdir -p "$work/upper" "$work/work" "$work/merged"
mount -t overlay overlay -o "lowerdir=$cache,upperdir=$work/upper,workdir=$work/work" "$work/merged"
mkdir "$work/merged/var/lib/hrtest"
echo "www-data's own" >"$work/merged/var/lib/hrtest/file"
chown -R www-data:www-data "$work/merged/var/lib/hrtest"
chmod 0750 "$work/merged/var/lib/hrtest"
chmod 0640 "$work/merged/var/lib/hrtest/file"

bundle() { # NAME: a bundle on the overlay, running as www-data (33)
        mkdir -p "$work/$1"
        (cd "$work/$1" && runc spec)
        python3 - "$work/$1/config.json" "$work/merged" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"] = {"path": sys.argv[2], "readonly": True}
c["process"]["terminal"] = False
c["process"]["user"] = {"uid": 33, "gid": 33}
c["process"]["args"] = ["sh", "-c", "cat /proc/self/uid_map; id; ls -ld /var/lib/hrtest; cat /var/lib/hrtest/file"]
json.dump(c, open(sys.argv[1], "w"))
PY
}

profile() { # STRATEGY
        printf '{"name":"t-%s","rules":{"userns":{"action":"enforce","strategy":"%s"}}}\n' "$1" "$1" >"$work/$1.json"
}

for strategy in shift root-only; do
        id=${strategy/-/}1
        profile "$strategy"
        bundle "b-$strategy"
        report=$("$shim" --dry-run=report --profile "$work/$strategy.json" create --bundle "$work/b-$strategy" "$id")
        expect_contains "$report" "strategy $strategy" "$strategy: the report names the strategy"
        out=$("$shim" --profile "$work/$strategy.json" --root "$state" run --bundle "$work/b-$strategy" "$id" 2>&1) ||
                fail "$strategy: run failed: $out"
        expect_contains "$out" "uid=33(www-data)" "$strategy: runs as www-data"
        expect_contains "$out" "www-data www-data" "$strategy: the 0750 directory shows its owner"
        expect_contains "$out" "www-data's own" "$strategy: www-data reaches its 0750 directory"
        map=$(head -2 <<<"$out" | tr -s ' ' | sed 's/^ //')
        case $strategy in
        shift) own_block_map "$map" >/dev/null || fail "shift: map '$map'"; pass "shift: fully shifted map of a block of its own" ;;
        root-only) grep -qE '(^| )0 [1-9][0-9]{9} 1( |$)' <<<"$map" ||
                fail "root-only: map '$map'"
                pass "root-only: root alone mapped away, into a block of its own" ;;
        esac
        no_staging "$id"
done

# --- a writable root (readonly false): writes land in the overlay's own
# upper layer, owned on disk as the image's users, as without the shim ------
printf '{"name":"t-writable","rules":{"rootfs":{"action":"off"},"user":{"action":"off"},"userns":{"action":"enforce","strategy":"shift"}}}\n' >"$work/writable.json"
bundle writable
python3 - "$work/writable/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"]["readonly"] = False
c["process"]["user"] = {"uid": 0, "gid": 0}
c["process"]["args"] = ["sh", "-c", "echo root > /by-root && rm /etc/issue && grep -E ' / ' /proc/self/mounts"]
json.dump(c, open(sys.argv[1], "w"))
PY
report=$("$shim" --dry-run=report --profile "$work/writable.json" create --bundle "$work/writable" writable1)
expect_contains "$report" "plan: mount an overlay at /run/hardened-runc/" "writable: the plan mounts the staged overlay"
expect_contains "$report" ", writable: lowerdir=" "writable: the plan says the overlay is writable"
out=$("$shim" --profile "$work/writable.json" --root "$state" run --bundle "$work/writable" writable1 2>&1) ||
        fail "writable: run failed: $out"
expect_contains "$out" "overlay / overlay rw," "writable: / is a writable overlay inside"
bundle writable-www
python3 - "$work/writable-www/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"]["readonly"] = False
c["process"]["args"] = ["sh", "-c", "mkdir /var/lib/hrtest/sub && echo www > /var/lib/hrtest/sub/by-www"]
json.dump(c, open(sys.argv[1], "w"))
PY
out=$("$shim" --profile "$work/writable.json" --root "$state" run --bundle "$work/writable-www" writable2 2>&1) ||
        fail "writable: run as www-data failed: $out"
[ "$(stat -c '%u:%g %s' "$work/upper/by-root")" = "0:0 5" ] ||
        fail "writable: /by-root in the upper layer is $(stat -c '%u:%g %s' "$work/upper/by-root" 2>&1)"
pass "writable: a file root wrote is in the upper layer, owned 0:0 on disk"
[ "$(stat -c '%u:%g' "$work/upper/var/lib/hrtest/sub/by-www")" = "33:33" ] ||
        fail "writable: by-www is $(stat -c '%u:%g' "$work/upper/var/lib/hrtest/sub/by-www" 2>&1)"
pass "writable: a file www-data wrote is owned 33:33 on disk"
[ "$(stat -c '%F %t:%T' "$work/upper/etc/issue")" = "character special file 0:0" ] ||
        fail "writable: no whiteout for the removed /etc/issue"
pass "writable: a removed image file is a whiteout in the upper layer"
[ -e "$work/merged/by-root" ] || fail "writable: the original overlay does not show /by-root"
pass "writable: the original overlay (Docker's merged) shows the write"
no_staging writable1
no_staging writable2
[ ! -e "$work/hardened-runc-work" ] || fail "writable: the overlay's work directory was left beside the upper layer"
pass "writable: the work directory beside the upper layer is removed with the staging"

# control: the same container with a plain shifted mapping and no staging
bundle control
python3 - "$work/control/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
m = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["namespaces"].append({"type": "user"})
c["linux"]["uidMappings"] = m
c["linux"]["gidMappings"] = m
json.dump(c, open(sys.argv[1], "w"))
PY
out=$(runc --root "$state" run --bundle "$work/control" control1 2>&1 || true)
expect_contains "$out" "Permission denied" "control: without staging, the shifted www-data cannot reach its directory"
echo "all Debian rootfs checks passed"
