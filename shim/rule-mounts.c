// SPDX-License-Identifier: GPL-2.0-or-later
/* mounts: every mount is judged by the host tree it lets the container
 * reach (CIS Docker Benchmark v1.6.0 5.6, 5.32), and the rootfs by the same measure.
 *
 * Bind mounts: the source is resolved as runc resolves it (relative to the
 * bundle, runc's working directory; symlinks on the host) and judged both
 * as written, cleaned, and as resolved. It is refused when it is at or
 * below a sensitive tree, an ancestor of one (/, /var and /run hold the
 * runtimes' sockets and state), exactly a sensitiveExact path, or a Unix
 * socket (a door to a host daemon), unless it matches one of the allowed
 * patterns (the per-container files runtimes bind from their own state) or
 * allowedReadOnly patterns (harmless host files, such as the timezone,
 * which are then mounted read-only). A source that does not resolve is
 * refused: what appears there later was never judged. Then what the source
 * shows is judged in the filesystems' own terms (mountinfo): a source that
 * is a bind mount of a sensitive tree (a Docker volume made with -o
 * o=bind -o device=/etc), or has one below it (an rbind carries it), is
 * refused too.
 *
 * Other mounts: only proc at /proc, sysfs at /sys, mqueue at /dev/mqueue,
 * devpts at /dev/pts, cgroup (read-only) at /sys/fs/cgroup, and tmpfs; a
 * second proc or sysfs elsewhere would show what maskedPaths hides, and any
 * other type (overlay with lowerdir=/etc, ...) can name host trees in its
 * options. A tmpfs is at most the container's memory limit in size.
 *
 * Every bind and tmpfs gets nosuid and nodev (and loses suid and dev,
 * which would undo them), but for the tmpfs at /dev, where runc makes the
 * container's device nodes (the devices rule judges which); shared propagation becomes private
 * (v1.6.0 5.20), so mounts made inside do not appear on the host, or the host's inside.
 *
 * root.path must be a directory, not / nor an ancestor of a sensitive tree,
 * and inside one only where a runtime keeps its rootfs trees (rootfsAllowed
 * patterns).
 *
 * The check is at create time; a host path that is swapped for a symlink
 * between this check and runc's mount is not caught here. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "mountinfo.h"
#include "pathutil.h"
#include "pipeline.h"
#include "probe.h"

static const struct param_field params[] = {
    {"sensitive", PT_PATHS, P_OFF(sensitive_tree), 0, 0, NULL},
    {"sensitiveExact", PT_PATHS, P_OFF(sensitive_exact), 0, 0, NULL},
    {"allowed", PT_STRINGS, P_OFF(mount_allowed), 0, 0, NULL},
    {"allowedReadOnly", PT_STRINGS, P_OFF(mount_allowed_ro), 0, 0, NULL},
    {"rootfsAllowed", PT_STRINGS, P_OFF(rootfs_allowed), 0, 0, NULL},
    PARAM_END,
};

/* The non-bind mounts that may be made, and where. NULL: anywhere. */
static const struct {
        const char *type, *destination;
} kernel_mounts[] = {
    {"proc", "/proc"},
    {"sysfs", "/sys"},
    {"mqueue", "/dev/mqueue"},
    {"devpts", "/dev/pts"},
    {"cgroup", "/sys/fs/cgroup"},
    {"cgroup2", "/sys/fs/cgroup"},
    {"tmpfs", NULL},
};

static const char *const private_of[][2] = {{"shared", "private"}, {"rshared", "rprivate"}};

enum verdict { V_REFUSE, V_ALLOW, V_READ_ONLY };

static bool matches(const struct strlist *patterns, const char *path)
{
        for (size_t i = 0; i < patterns->n; i++)
                if (fnmatch(patterns->v[i], path, FNM_PATHNAME) == 0)
                        return true;
        return false;
}

/* Why path (absolute, clean) reaches a sensitive tree, or NULL. */
static const char *reach(const struct hr_params *p, const char *path, char *buf, size_t len)
{
        if (strlist_has(&p->sensitive_exact, path))
                return "a sensitive host path";
        for (size_t i = 0; i < p->sensitive_tree.n; i++) {
                const char *s = p->sensitive_tree.v[i];
                if (path_within(path, s)) {
                        snprintf(buf, len, "inside the host's %s", s);
                        return buf;
                }
                if (path_within(s, path)) {
                        snprintf(buf, len, "holds the host's %s", s);
                        return buf;
                }
        }
        return NULL;
}

/* The container's own staging directory holds what hardened-runc staged
 * for it from sources judged at the time: a retried create of the same
 * bundle, rewritten by the first, names it. */
static bool own_staging(const struct rule_ctx *c, const char *path)
{
        return c->env->container_dir != NULL && path_within(path, c->env->container_dir);
}

static enum verdict judge_path(const struct rule_ctx *c, const char *path, const char **why,
                               char *buf, size_t len)
{
        const struct hr_params *p = c->params;
        if (own_staging(c, path) || matches(&p->mount_allowed, path))
                return V_ALLOW;
        if (matches(&p->mount_allowed_ro, path))
                return V_READ_ONLY;
        *why = reach(p, path, buf, len);
        return *why ? V_REFUSE : V_ALLOW;
}

/* ---- what a mount exposes ------------------------------------------------------------- */
/* A path names a directory of some filesystem: the mount that holds it
 * says which (device) and where in that filesystem (root + the rest). A
 * bind source can expose a sensitive tree without naming it: a Docker
 * volume created with -o type=none -o o=bind -o device=/etc is a bind
 * mount of /etc at .../volumes/x/_data, and an rbind carries every mount
 * below its source. Both are judged in the filesystems' own terms. */

struct mnt {
        char *dev, *root, *mp;
};

struct mnt_table {
        struct mnt *v;
        size_t n;
        /* the sensitive trees, each as the filesystem path (root) on dev that
         * holds it and its resolved host path (mp); dev NULL where absent */
        struct mnt *sensitive;
        size_t nsensitive;
        bool unknown; /* the probe does not read the mount table */
};

static void mnt_table_free(struct mnt_table *t)
{
        for (size_t i = 0; i < t->n; i++) {
                free(t->v[i].dev);
                free(t->v[i].root);
                free(t->v[i].mp);
        }
        free(t->v);
        for (size_t i = 0; t->sensitive != NULL && i < t->nsensitive; i++) {
                free(t->sensitive[i].root);
                free(t->sensitive[i].mp);
        }
        free(t->sensitive);
        memset(t, 0, sizeof(*t));
}

static int load_fn(const struct mount_line *m, void *arg)
{
        struct mnt_table *t = arg;
        struct mnt *v = reallocarray(t->v, t->n + 1, sizeof(*v));
        if (v == NULL)
                return -1;
        t->v = v;
        v[t->n].dev = strdup(m->dev);
        v[t->n].root = strdup(m->root);
        v[t->n].mp = strdup(m->mountpoint);
        t->n++;
        return v[t->n - 1].dev && v[t->n - 1].root && v[t->n - 1].mp ? 0 : -1;
}

/* The mount that holds path: the longest mountpoint above it, the last of
 * those (it covers the ones before). */
static const struct mnt *holding(const struct mnt_table *t, const char *path)
{
        const struct mnt *best = NULL;
        for (size_t i = 0; i < t->n; i++)
                if (path_within(path, t->v[i].mp) &&
                    (best == NULL || strlen(t->v[i].mp) >= strlen(best->mp)))
                        best = &t->v[i];
        return best;
}

/* path inside the filesystem of m: m's root and what path adds to m's
 * mountpoint; NULL when out of memory. */
static char *fs_path(const struct mnt *m, const char *path)
{
        const char *rest = strcmp(m->mp, "/") == 0 ? path : path + strlen(m->mp);
        cleanup_free char *joined = NULL;
        if (asprintf(&joined, "%s/%s", m->root, rest) < 0)
                return NULL;
        return path_clean(joined);
}

static bool related(const char *a, const char *b)
{
        return path_within(a, b) || path_within(b, a);
}

static int mnt_table_load(struct mnt_table *t, struct probe *pr, const struct hr_params *p,
                          struct hr_error *err)
{
        int rc = probe_mounts(pr, load_fn, t, err);
        if (rc < 0)
                return -1;
        t->unknown = rc == PROBE_UNKNOWN;
        if ((t->sensitive = calloc(p->sensitive_tree.n + 1, sizeof(*t->sensitive))) == NULL)
                return hr_fail(err, "out of memory");
        t->nsensitive = p->sensitive_tree.n;
        for (size_t i = 0; !t->unknown && i < p->sensitive_tree.n; i++) {
                cleanup_free char *real = NULL;
                const struct mnt *m;
                if (probe_realpath(pr, p->sensitive_tree.v[i], &real) != 0 ||
                    (m = holding(t, real)) == NULL)
                        continue; /* not on this host: nothing to expose */
                t->sensitive[i].dev = m->dev;
                if ((t->sensitive[i].mp = strdup(real)) == NULL ||
                    (t->sensitive[i].root = fs_path(m, real)) == NULL)
                        return hr_fail(err, "out of memory");
        }
        return 0;
}

/* Does showing filesystem dev's directory fs at host path host reach a
 * sensitive tree that host itself, as a path, does not? *why names it. */
static const char *exposes(const struct mnt_table *t, const struct hr_params *p, const char *dev,
                           const char *fs, const char *host)
{
        for (size_t i = 0; i < p->sensitive_tree.n; i++) {
                const struct mnt *s = &t->sensitive[i];
                if (s->dev != NULL && strcmp(s->dev, dev) == 0 && related(fs, s->root) &&
                    !related(host, s->mp))
                        return p->sensitive_tree.v[i];
        }
        return NULL;
}

/* Every mount a bind of real (resolved) would show: its own and, below it,
 * the mounts an rbind carries. Returns the sensitive tree exposed, or
 * NULL. */
static const char *exposed_tree(const struct mnt_table *t, const struct hr_params *p,
                                const char *real, char **where)
{
        const struct mnt *m = holding(t, real);
        cleanup_free char *fs = m ? fs_path(m, real) : NULL;
        const char *hit = fs ? exposes(t, p, m->dev, fs, real) : NULL;
        if (hit != NULL) {
                *where = strdup(m->mp);
                return hit;
        }
        for (size_t i = 0; i < t->n; i++) {
                if (strcmp(t->v[i].mp, real) == 0 || !path_within(t->v[i].mp, real))
                        continue;
                if ((hit = exposes(t, p, t->v[i].dev, t->v[i].root, t->v[i].mp)) != NULL) {
                        *where = strdup(t->v[i].mp);
                        return hit;
                }
        }
        return NULL;
}

/* path as runc opens it: relative paths start at the bundle, and a
 * relative bundle at our (and runc's) working directory. */
static char *host_path(const char *bundle, const char *path)
{
        cleanup_free char *cwd = NULL;
        cleanup_free char *joined = NULL;
        if (path[0] == '/')
                return path_clean(path);
        if (bundle == NULL || bundle[0] != '/') {
                if ((cwd = getcwd(NULL, 0)) == NULL)
                        return NULL;
        }
        if (asprintf(&joined, "%s%s%s/%s", cwd ? cwd : "", cwd ? "/" : "", bundle ? bundle : ".",
                     path) < 0)
                return NULL;
        return path_clean(joined);
}

static int refuse_source(struct rule_ctx *c, const char *ptr, const struct json *src,
                         const char *shown, const char *why)
{
        cleanup_free char *msg = NULL;
        if (asprintf(&msg, "bind-mounts %s, %s", shown, why) < 0)
                return hr_fail(c->err, "out of memory");
        return rule_refuse(c, ptr, src, msg);
}

/* What a source the probe cannot resolve is judged by at create. */
#define SOURCE_AT_CREATE                                                                           \
        "where the source resolves on the host, whether it is a socket, and what is mounted "      \
        "there"

/* Judge a bind source; *read_only is set when it may only be read. */
static int check_source(struct rule_ctx *c, const struct json *src, size_t i,
                        const struct mnt_table *t, bool *read_only)
{
        cleanup_free char *clean = NULL;
        cleanup_free char *real = NULL;
        char ptr[64], buf[PATH_MAX + 64], shown[2 * PATH_MAX + 32];
        const char *why = NULL;
        enum verdict v1, v2 = V_ALLOW;
        struct stat st;
        int rc;
        snprintf(ptr, sizeof(ptr), "/mounts/%zu/source", i);
        if (src == NULL)
                return rule_refuse(c, ptr, src, "a bind mount without a source");
        if ((clean = host_path(c->env->bundle, src->text)) == NULL)
                return hr_fail(c->err, "out of memory");
        if ((rc = probe_realpath(c->env->probe, clean, &real)) < 0) {
                snprintf(buf, sizeof(buf), "which does not resolve on the host (%s)",
                         strerror(errno));
                return refuse_source(c, ptr, src, clean, buf);
        }
        if (rc == PROBE_UNKNOWN) {
                /* judged as written now, as resolved at create */
                if ((v1 = judge_path(c, clean, &why, buf, sizeof(buf))) == V_REFUSE)
                        return refuse_source(c, ptr, src, clean, why);
                *read_only = v1 == V_READ_ONLY;
                return rule_defer(c, ptr, src, SOURCE_AT_CREATE);
        }
        snprintf(shown, sizeof(shown), strcmp(clean, real) ? "%s (%s on the host)" : "%s", clean,
                 real);
        if ((v1 = judge_path(c, clean, &why, buf, sizeof(buf))) == V_REFUSE ||
            (v2 = judge_path(c, real, &why, buf, sizeof(buf))) == V_REFUSE)
                return refuse_source(c, ptr, src, shown, why);
        if (probe_stat(c->env->probe, real, &st) == 0 && S_ISSOCK(st.st_mode) &&
            !matches(&c->params->mount_allowed, real))
                return refuse_source(c, ptr, src, shown,
                                     "a Unix socket: a door to a host daemon (allow it with "
                                     "mounts.allowed)");
        if (t->unknown && rule_defer(c, ptr, src, "what is mounted at and below the source") < 0)
                return -1;
        if (!t->unknown && !own_staging(c, real)) {
                cleanup_free char *where = NULL;
                const char *tree = exposed_tree(t, c->params, real, &where);
                if (tree != NULL) {
                        snprintf(buf, sizeof(buf),
                                 "which shows the host's %s through the mount at %s (a bind "
                                 "mount, or a mount below it)",
                                 tree, where ? where : "?");
                        return refuse_source(c, ptr, src, shown, buf);
                }
        }
        *read_only = v1 == V_READ_ONLY || v2 == V_READ_ONLY;
        return 0;
}

static bool has_option(const struct json *opts, const char *name)
{
        return opts != NULL && json_array_has_string(opts, name);
}

/* The byte count of a tmpfs "size=" value (k, m, g suffixes), or -1 for
 * what cannot be judged here (a percentage of the host's memory). */
static long long tmpfs_bytes(const char *v)
{
        char *end;
        long long n;
        errno = 0;
        n = strtoll(v, &end, 10);
        if (errno != 0 || end == v || n < 0)
                return -1;
        switch (*end) {
        case 'k':
        case 'K':
                n = n > LLONG_MAX / 1024 ? -1 : n * 1024;
                end++;
                break;
        case 'm':
        case 'M':
                n = n > LLONG_MAX / 1048576 ? -1 : n * 1048576;
                end++;
                break;
        case 'g':
        case 'G':
                n = n > LLONG_MAX / 1073741824 ? -1 : n * 1073741824;
                end++;
                break;
        default:
                break;
        }
        return *end == '\0' ? n : -1;
}

struct opts_want {
        bool nosuid_nodev; /* binds and tmpfs */
        bool keep_dev;     /* the tmpfs at /dev, where runc makes the device nodes */
        bool read_only;
        long long size_cap; /* tmpfs: bytes, or 0 */
};

/* opts made private, hardened as w asks; NULL when out of memory. */
static struct json *hardened_options(const struct json *opts, const struct opts_want *w)
{
        struct hr_error err = {0};
        struct json *out = json_new(JSON_ARRAY);
        bool sized = false;
        int rc = out ? 0 : -1;
        char size[48];
        snprintf(size, sizeof(size), "size=%lld", w->size_cap);
        for (size_t k = 0; rc == 0 && opts != NULL && k < opts->n; k++) {
                const char *o = opts->vals[k]->text;
                for (size_t p = 0; p < sizeof(private_of) / sizeof(*private_of); p++)
                        if (strcmp(o, private_of[p][0]) == 0)
                                o = private_of[p][1];
                if (w->nosuid_nodev &&
                    (strcmp(o, "suid") == 0 || (strcmp(o, "dev") == 0 && !w->keep_dev)))
                        continue;
                if (w->read_only && strcmp(o, "rw") == 0)
                        continue;
                if (w->size_cap > 0 && strncmp(o, "size=", 5) == 0) {
                        long long n = tmpfs_bytes(o + 5);
                        sized = true;
                        if (n < 0 || n > w->size_cap)
                                o = size;
                }
                rc = json_array_append(out, json_new_string(o), &err);
        }
        if (rc == 0 && w->nosuid_nodev && !has_option(opts, "nosuid"))
                rc = json_array_append(out, json_new_string("nosuid"), &err);
        if (rc == 0 && w->nosuid_nodev && !w->keep_dev && !has_option(opts, "nodev"))
                rc = json_array_append(out, json_new_string("nodev"), &err);
        if (rc == 0 && w->read_only && !has_option(opts, "ro"))
                rc = json_array_append(out, json_new_string("ro"), &err);
        if (rc == 0 && w->size_cap > 0 && !sized)
                rc = json_array_append(out, json_new_string(size), &err);
        if (rc < 0) {
                hr_error_clear(&err);
                json_free(out);
                return NULL;
        }
        return out;
}

/* A non-bind mount: one of kernel_mounts at its place. */
static int check_kernel_mount(struct rule_ctx *c, const struct json *m, size_t i, bool *tmpfs,
                              bool *cgroup)
{
        const struct json *type = json_obj_get(m, "type");
        const struct json *dest = json_obj_get(m, "destination");
        cleanup_free char *clean = dest ? path_clean(dest->text) : NULL;
        char ptr[64], why[256];
        snprintf(ptr, sizeof(ptr), "/mounts/%zu", i);
        if (dest == NULL || clean == NULL)
                return dest ? hr_fail(c->err, "out of memory")
                            : rule_refuse(c, ptr, m, "a mount without a destination");
        for (size_t k = 0; type != NULL && k < sizeof(kernel_mounts) / sizeof(*kernel_mounts);
             k++) {
                if (strcmp(type->text, kernel_mounts[k].type) != 0)
                        continue;
                if (kernel_mounts[k].destination == NULL ||
                    strcmp(kernel_mounts[k].destination, clean) == 0) {
                        *tmpfs = kernel_mounts[k].destination == NULL;
                        *cgroup = strncmp(type->text, "cgroup", 6) == 0;
                        return 0;
                }
                snprintf(why, sizeof(why), "a %s mount is allowed at %s only", type->text,
                         kernel_mounts[k].destination);
                return rule_refuse(c, ptr, m, why);
        }
        return rule_refuse(c, ptr, m,
                           "only bind, tmpfs, and proc, sysfs, mqueue, devpts and cgroup at their "
                           "own places: another filesystem type can reach host trees through "
                           "its source or options");
}

static bool is_dev_tmpfs(const struct json *m)
{
        cleanup_free char *clean = path_clean(json_obj_get(m, "destination")->text);
        return clean != NULL && strcmp(clean, "/dev") == 0;
}

static long long memory_limit(const struct json *spec)
{
        long long v = 0;
        return json_int64(json_pointer_get(spec, "/linux/resources/memory/limit"), &v) == 0 && v > 0
                   ? v
                   : 0;
}

static bool is_bind(const struct json *m)
{
        const struct json *type = json_obj_get(m, "type");
        const struct json *opts = json_obj_get(m, "options");
        return (type != NULL && strcmp(type->text, "bind") == 0) || has_option(opts, "bind") ||
               has_option(opts, "rbind");
}

/* Only binds need the host's mount table. */
static bool has_bind(const struct json *mounts)
{
        for (size_t i = 0; mounts != NULL && i < mounts->n; i++)
                if (is_bind(mounts->vals[i]))
                        return true;
        return false;
}

static int harden_mount(struct rule_ctx *c, const struct json *m, size_t i,
                        const struct mnt_table *t)
{
        const struct json *opts = json_obj_get(m, "options");
        bool bind = is_bind(m);
        bool tmpfs = false, cgroup = false;
        struct opts_want w = {0};
        char ptr[64];
        snprintf(ptr, sizeof(ptr), "/mounts/%zu", i);
        if (bind && check_source(c, json_obj_get(m, "source"), i, t, &w.read_only) < 0)
                return -1;
        if (!bind && check_kernel_mount(c, m, i, &tmpfs, &cgroup) < 0)
                return -1;
        w.nosuid_nodev = bind || tmpfs;
        w.keep_dev = tmpfs && is_dev_tmpfs(m);
        w.read_only |= cgroup;
        w.size_cap = tmpfs ? memory_limit(c->spec) : 0;
        return rule_set(c, ptr, "options", hardened_options(opts, &w),
                        bind    ? "bind mounts carry no setuid programs or device nodes; no shared "
                                  "propagation; harmless host files read-only"
                        : tmpfs ? "a tmpfs carries no setuid programs or device nodes and is at "
                                  "most the memory limit"
                                : "no shared propagation; the cgroup tree read-only");
}

static int check_rootfs(struct rule_ctx *c)
{
        const struct json *v = json_pointer_get(c->spec, "/root/path");
        cleanup_free char *clean = NULL;
        cleanup_free char *real = NULL;
        char buf[PATH_MAX + 64];
        const char *why;
        struct stat st;
        int rc;
        if (v == NULL)
                return rule_refuse(c, "/root/path", v, "a container needs a root filesystem");
        if ((clean = host_path(c->env->bundle, v->text)) == NULL)
                return hr_fail(c->err, "out of memory");
        rc = probe_realpath(c->env->probe, clean, &real);
        if (rc == 0)
                rc = probe_stat(c->env->probe, real, &st);
        if (rc < 0 || (rc == 0 && !S_ISDIR(st.st_mode)))
                return rule_refuse(c, "/root/path", v, "not a directory on the host");
        if (rc == PROBE_UNKNOWN) {
                free(real);
                if ((real = strdup(clean)) == NULL)
                        return hr_fail(c->err, "out of memory");
                if (rule_defer(c, "/root/path", v,
                               "where the root filesystem resolves on the host") < 0)
                        /* real is cleanup_free (freed on return); cppcheck does not model the
                         * cleanup attribute */
                        // cppcheck-suppress memleak
                        return -1;
        }
        for (int pass = 0; pass < 2; pass++) {
                const char *p = pass ? real : clean;
                if (own_staging(c, p) || matches(&c->params->rootfs_allowed, p))
                        continue;
                if ((why = reach(c->params, p, buf, sizeof(buf))) != NULL) {
                        char msg[2 * PATH_MAX + 128];
                        snprintf(msg, sizeof(msg),
                                 "the root filesystem would be %s, %s (a runtime's own rootfs "
                                 "trees are mounts.rootfsAllowed)",
                                 p, why);
                        return rule_refuse(c, "/root/path", v, msg);
                }
        }
        return 0;
}

static int apply(struct rule_ctx *c)
{
        const struct json *mounts = json_pointer_get(c->spec, "/mounts");
        const struct json *prop = json_pointer_get(c->spec, "/linux/rootfsPropagation");
        struct mnt_table t = {0};
        int rc = 0;
        if (json_pointer_get(c->spec, "/root") != NULL && check_rootfs(c) < 0 && !c->refused)
                return -1;
        if (prop != NULL &&
            (strcmp(prop->text, "shared") == 0 || strcmp(prop->text, "rshared") == 0) &&
            rule_set(c, "/linux", "rootfsPropagation", json_new_string("rprivate"),
                     "no shared propagation of the root") < 0 &&
            !c->refused)
                return -1;
        if (has_bind(mounts) && mnt_table_load(&t, c->env->probe, c->params, c->err) < 0) {
                mnt_table_free(&t);
                return -1;
        }
        for (size_t i = 0; mounts != NULL && i < mounts->n; i++) {
                if (harden_mount(c, mounts->vals[i], i, &t) < 0) {
                        if (!c->refused) {
                                mnt_table_free(&t);
                                return -1;
                        }
                        rc = -1; /* judge every mount, for the report */
                }
        }
        mnt_table_free(&t);
        return c->refused ? -1 : rc;
}

static const char *const owns[] = {"/root/path", "/mounts", "/linux/rootfsPropagation", NULL};

const struct rule_def rule_mounts = {
    .name = "mounts",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "mounts judged by the host tree they reach: no sensitive tree, ancestor or "
               "socket; only known kernel filesystems; nosuid,nodev; no shared propagation",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
