#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The workload matrix: ordinary Debian 12 programs doing their work through
# a private dockerd, under plain runc (the control) and under each shipped
# profile (three runtimes registered with runtimeArgs). Each check proves
# the work was done (a page served, a query answered, an archive verified,
# a commit counted), never only that a process started.
#
# The table it measures is compared with the one in tests/workloads/README.md
# and README.md (between the "workloads:begin/end" markers): a difference
# fails, so the documents say what the product does. HR_UPDATE_WORKLOADS=1
# writes the measured table into both instead.
set -euo pipefail
. "${HR_SOURCE:?}/tests/lib.sh"
need_cmd debootstrap chroot dpkg-deb sha256sum git
. "$HR_SOURCE/tests/e2e/dockerd-lib.sh"

tree=$(HR_REPO_PACKAGES=jq debian_tree_with wl bash python3 nginx-light redis-server postgresql-15 \
        xz-utils git busybox sqlite3 lighttpd openssl)
[ -s "$tree.repo/Packages" ] || fail "no jq repository in $tree.repo"
# a shipped snippet per workload that needs more than restricted gives
snippets=(nginx lighttpd postgres-entrypoint)
snippet_of() { case $1 in nginx | lighttpd) echo "$1" ;; pg-entrypoint) echo postgres-entrypoint ;; esac; }
args=()
for s in "${snippets[@]}"; do args+=("hr-snippet-$s" "$HR_SOURCE/profiles/snippets/$s.json"); done
write_config runc hr-restricted restricted hr-baseline baseline hr-strict strict "${args[@]}"
start_daemon
pass "private dockerd is up, with hr-restricted, hr-baseline and hr-strict"
tar -C "$tree" -c . | D import -c 'CMD ["/bin/bash"]' - hr-wl:base >/dev/null
# what the official images prepare: redis's /data and PostgreSQL's data
# directory, owned by their users and declared volumes
D run --name prep --network none hr-wl:base sh -c \
        'mkdir -p /data /app /var/lib/postgresql/data && chown redis:redis /data &&
         chown postgres:postgres /var/lib/postgresql/data && chmod 0700 /var/lib/postgresql/data' >/dev/null
D commit -c 'VOLUME ["/data", "/var/lib/postgresql/data"]' prep hr-wl:test >/dev/null
D rm prep >/dev/null
img=hr-wl:test
pg_uid=$(D run --rm --network none "$img" id -u postgres)

runtimes=(runc hr-restricted hr-baseline hr-strict)
columns=(runc restricted baseline strict)

# cause TEXT: a short, stable reason from a failed run's output
cause() {
        local t=$1 k
        for k in "Read-only file system" "Permission denied" "Operation not permitted" \
                "dubious ownership" "refused by rule [a-z]*" "could not bind" "Address in use" \
                "No space left on device" "No such file or directory"; do
                if grep -qoE "$k" <<<"$t"; then
                        grep -oE "$k" <<<"$t" | sed -n 1p
                        return
                fi
        done
        echo "see the test log"
}

# get CONTAINER PORT PATH: an HTTP/1.0 GET on the container's own loopback
get() {
        D exec "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/$0 && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3' "$2" "$3"
}
# serve RUNTIME PORT PATH WANT DOCKER-ARGS... -- CMD...: a server answers
serve() {
        local rt=$1 port=$2 path=$3 want=$4 c out="" i
        shift 4
        c=$(D run -d --runtime "$rt" --network none "$@" 2>&1) || { echo "$c"; return 1; }
        for i in $(seq 1 60); do
                out=$(get "$c" "$port" "$path" 2>/dev/null) && break
                sleep 0.25
        done
        if grep -q "$want" <<<"$out"; then
                D rm -f "$c" >/dev/null
                return 0
        fi
        D logs "$c" 2>&1 | tail -5
        D rm -f "$c" >/dev/null
        return 1
}
# job RUNTIME WANT DOCKER-ARGS...: a one-shot run prints WANT
job() {
        local rt=$1 want=$2 out
        shift 2
        out=$(D run --rm --runtime "$rt" --network none "$@" 2>&1) || { echo "$out"; return 1; }
        grep -q -- "$want" <<<"$out" || { echo "$out"; return 1; }
}

w_http() { serve "$1" 8000 / "Directory listing" -w /usr/share/doc "$img" python3 -m http.server 8000; }
w_nginx() { serve "$1" 80 / "Welcome to nginx" "$img" nginx -g 'daemon off;'; }
w_lighttpd() { serve "$1" 80 /index.lighttpd.html "200 OK" "$img" lighttpd -D -f /etc/lighttpd/lighttpd.conf; }
redis_script='redis-server --dir /data --daemonize yes --logfile /tmp/redis.log && sleep 1 &&
redis-cli ping && redis-cli set k v && redis-cli get k && redis-cli bgsave && sleep 2 &&
if ls /data/dump.rdb; then echo redis-done; else tail -3 /tmp/redis.log; fi'
w_redis_user() { job "$1" redis-done --user redis "$img" sh -c "$redis_script"; }
w_redis_root() { job "$1" redis-done "$img" sh -c "$redis_script"; }
pg_script='d=/var/lib/postgresql/data/db; /usr/lib/postgresql/15/bin/initdb -D $d >/dev/null &&
/usr/lib/postgresql/15/bin/pg_ctl -D $d -o "-k /tmp -c listen_addresses=" -l /tmp/pg.log -w start >/dev/null &&
psql -h /tmp -d postgres -tAc "SELECT 1 + 1" && echo pg-done'
w_pg_user() {
        rm -rf "$work/pg" && mkdir "$work/pg" && chown "$pg_uid" "$work/pg" && chmod 0700 "$work/pg"
        job "$1" pg-done --user postgres -v "$work/pg:/var/lib/postgresql/data" "$img" sh -c "$pg_script"
}
w_pg_entrypoint() { # the official image's pattern: root chowns, then drops to postgres
        job "$1" pg-done "$img" sh -c "chown -R postgres:postgres /var/lib/postgresql/data &&
                exec setpriv --reuid postgres --regid postgres --init-groups sh -c '$pg_script'"
}
w_pipeline() {
        job "$1" "files: 300" "$img" sh -c 'busybox find /usr/share/doc -type f | busybox sort | busybox head -n 300 >/tmp/l &&
                busybox tar -cf /tmp/a.tar $(busybox cat /tmp/l) 2>/dev/null &&
                echo "files: $(busybox tar -tf /tmp/a.tar | busybox wc -l)"'
}
w_xz() {
        job "$1" xz-done "$img" sh -c 'head -c 16M /dev/urandom >/tmp/x && xz -T2 -k /tmp/x && xz -t /tmp/x.xz &&
                [ "$(xz -dc /tmp/x.xz | sha256sum)" = "$(sha256sum </tmp/x)" ] && echo xz-done'
}
w_git() {
        job "$1" "commits: 2" -v "$work/repo:/src:ro" "$img" sh -c \
                'git clone -q /src /tmp/c && echo "commits: $(git -C /tmp/c rev-list --count HEAD)"'
}
w_apt() {
        job "$1" "jq-1." -v "$tree.repo:/repo:ro" "$img" sh -c \
                'echo "deb [trusted=yes] file:/repo ./" >/etc/apt/sources.list && apt-get -q update >/dev/null &&
                 apt-get -q install -y jq >/dev/null && jq --version'
}
w_volume_workdir() {
        rm -rf "$work/out" && mkdir "$work/out"
        job "$1" wrote -v "$work/out:/work" -w /work "$img" python3 -c \
                'open("result.txt", "w").write("done\n"); print("wrote")'
}
w_image_workdir() {
        job "$1" wrote -w /app "$img" python3 -c 'open("state.json", "w").write("{}"); print("wrote")'
}
w_sqlite() {
        job "$1" "sqlite: 3" "$img" sh -c 'sqlite3 /tmp/t.db "CREATE TABLE t(x); INSERT INTO t VALUES (1),(2),(3);" &&
                echo "sqlite: $(sqlite3 /tmp/t.db "SELECT count(*) FROM t")"'
}
w_openssl() {
        job "$1" "CONNECTED" "$img" bash -c 'cd /tmp && openssl req -x509 -newkey rsa:2048 -nodes -keyout k -out c \
                -subj /CN=hr -days 1 2>/dev/null && (openssl s_server -accept 4433 -cert c -key k -quiet &) &&
                sleep 1 && openssl s_client -connect 127.0.0.1:4433 </dev/null 2>&1 | grep -m1 CONNECTED'
}

# a repository on a host volume, owned by root as a host checkout would be
git init -q "$work/repo"
git -C "$work/repo" -c user.email=t@t -c user.name=t commit -q --allow-empty -m one
git -C "$work/repo" -c user.email=t@t -c user.name=t commit -q --allow-empty -m two

workloads=(
        "http|python3 -m http.server, GET|w_http"
        "nginx|nginx-light, stock config, as root|w_nginx"
        "lighttpd|lighttpd, stock config, as root|w_lighttpd"
        "redis-user|redis as redis: PING, SET/GET, BGSAVE|w_redis_user"
        "redis-root|redis as root: PING, SET/GET, BGSAVE|w_redis_root"
        "pg-user|PostgreSQL 15 as postgres, host-directory volume: initdb, SELECT|w_pg_user"
        "pg-entrypoint|PostgreSQL 15, official entrypoint pattern (root chowns, then drops)|w_pg_entrypoint"
        "pipeline|busybox find, sort, tar into /tmp|w_pipeline"
        "xz|xz -T2 into /tmp, verified|w_xz"
        "git|git clone of a repository on a host volume, into /tmp|w_git"
        "apt|apt-get install from a file: repository|w_apt"
        "volume-workdir|python writing to a volume mounted at its working directory|w_volume_workdir"
        "image-workdir|python writing to its working directory in the image|w_image_workdir"
        "sqlite|sqlite3 database in /tmp|w_sqlite"
        "openssl|openssl: a certificate made, a TLS handshake on loopback|w_openssl"
)

table=$work/table.md
printf '| workload | %s | %s | %s | %s |\n|---|---|---|---|---|\n' "${columns[@]}" >"$table"
for w in "${workloads[@]}"; do
        IFS='|' read -r key title fn <<<"$w"
        row="| $title |"
        for i in "${!runtimes[@]}"; do
                rt=${runtimes[$i]}
                snip=$(snippet_of "$key")
                if out=$("$fn" "$rt" 2>&1); then
                        cell=works
                elif [ "$rt" = hr-restricted ] && [ -n "$snip" ] && "$fn" "hr-snippet-$snip" >/dev/null 2>&1; then
                        cell="works with snippet $snip"
                else
                        cell="fails: $(cause "$out")"
                        printf '%s under %s: %s\n' "$key" "${columns[$i]}" "$(printf '%s' "$out" | tail -3)" >&2
                fi
                row="$row $cell |"
                [ "$rt" != runc ] || [ "$cell" = works ] || fail "control: $key fails under plain runc: $out"
        done
        echo "$row" >>"$table"
        echo "measured: $row"
done
cat "$table"

# the documents carry the measured table
update_doc() { # FILE
        python3 - "$1" "$table" <<'PY'
import sys
path, table = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
begin, end = "<!-- workloads:begin -->\n", "<!-- workloads:end -->"
a, b = text.index(begin) + len(begin), text.index(end)
open(path, "w").write(text[:a] + table + text[b:])
PY
}
doc_table() { # FILE
        sed -n '/<!-- workloads:begin -->/,/<!-- workloads:end -->/p' "$1" | sed '1d;$d'
}
for doc in "$HR_SOURCE/tests/workloads/README.md" "$HR_SOURCE/README.md"; do
        if [ "${HR_UPDATE_WORKLOADS:-0}" = 1 ]; then
                update_doc "$doc"
                pass "wrote the measured table into $doc"
        elif [ "$(doc_table "$doc")" != "$(cat "$table")" ]; then
                diff -u <(doc_table "$doc") "$table" >&2 || true
                fail "$doc does not carry the measured table (HR_UPDATE_WORKLOADS=1 writes it)"
        else
                pass "$doc carries the measured table"
        fi
done
assert_no_leftovers
