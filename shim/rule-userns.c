// SPDX-License-Identifier: GPL-2.0-or-later
/* userns: the container runs in its own user namespace, and no id it has
 * is the host's root (CIS Docker Benchmark v1.6.0 5.31). Maps are judged by every host id
 * they cover:
 *   - a map the spec brings (dockerd userns-remap) is kept only when no
 *     entry's host range holds 0 or starts below hostIdMin (the host's own
 *     users and daemons), and no entry is empty, runs past 2^32 or
 *     overlaps another (on either side);
 *   - a namespace joined by path must not be the host's, brings no maps of
 *     its own in the spec, and its maps, as the kernel reports them in host
 *     ids, are judged the same way.
 * Otherwise the rootfs is staged (plan.h) and the mapping follows the
 * strategy: shift (the default) maps 0..size-1 to hostId.. and refuses a
 * container whose rootfs or volumes cannot be idmapped, saying what;
 * root-only maps 0 alone to hostId and leaves the other ids as the host's
 * (weaker: an admin's choice); auto takes shift where it works and falls
 * back to root-only, the report and the decision log saying why. The staged
 * root is writable unless root.readonly is true. The rule only decides,
 * asking the probe; the staging is planned and attached once every rule has
 * passed (harden.c). */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cleanup.h"
#include "pathutil.h"
#include "pipeline.h"
#include "plan.h"
#include "nsenter.h"
#include "probe.h"
#include "rootless.h"

static const char *const strategies[] = {"auto", "shift", "root-only", NULL};
static const char *const id_ranges[] = {"exclusive", "shared", NULL};

static const struct param_field params[] = {
    {"strategy", PT_CHOICE, P_OFF(userns_strategy), 0, 0, strategies},
    {"hostId", PT_INT, P_OFF(userns_host_id), 1, 4294967294LL, NULL},
    {"size", PT_INT, P_OFF(userns_size), 2, 4294967295LL, NULL},
    {"hostIdMin", PT_INT, P_OFF(userns_host_min), 1, 4294967295LL, NULL},
    {"idRange", PT_CHOICE, P_OFF(userns_id_range), 0, 0, id_ranges},
    {"blocks", PT_INT, P_OFF(userns_blocks), 1, 65536, NULL},
    PARAM_END,
};

static const struct json *find_user_ns(const struct json *nss, size_t *index)
{
        for (size_t i = 0; nss != NULL && nss->type == JSON_ARRAY && i < nss->n; i++) {
                const struct json *t = json_obj_get(nss->vals[i], "type");
                if (t != NULL && t->type == JSON_STRING && strcmp(t->text, "user") == 0) {
                        *index = i;
                        return nss->vals[i];
                }
        }
        return NULL;
}

/* The kernel takes at most this many entries in a map (user_namespaces(7)). */
#define MAP_ENTRIES_MAX 340
#define ID_SPACE        4294967296ULL /* ids are 32 bits */

struct id_range {
        unsigned long long first, count;
};

static bool ranges_overlap(struct id_range a, struct id_range b)
{
        return a.first < b.first + b.count && b.first < a.first + a.count;
}

/* What is wrong with entry i of map, judged against the entries before it,
 * or NULL. */
static const char *map_entry_fault(const struct json *map, size_t i, unsigned long long host_min,
                                   char *buf, size_t len)
{
        unsigned long long c = 0, h = 0, n = 0;
        const struct json *e = map->vals[i];
        if (json_uint64(json_obj_get(e, "containerID"), &c) < 0 ||
            json_uint64(json_obj_get(e, "hostID"), &h) < 0 ||
            json_uint64(json_obj_get(e, "size"), &n) < 0)
                return "an entry needs containerID, hostID and size";
        if (n == 0)
                return "a zero-size entry";
        if (c + n > ID_SPACE || h + n > ID_SPACE)
                return "the range runs past the last 32-bit id";
        if (h == 0)
                return "maps host id 0, the host's root, into the container";
        if (h < host_min) {
                snprintf(buf, len,
                         "maps host ids from %llu, below %llu (userns.hostIdMin): the host's "
                         "own users and daemons",
                         h, host_min);
                return buf;
        }
        for (size_t k = 0; k < i; k++) {
                unsigned long long c2 = 0, h2 = 0, n2 = 0;
                const struct json *o = map->vals[k];
                json_uint64(json_obj_get(o, "containerID"), &c2);
                json_uint64(json_obj_get(o, "hostID"), &h2);
                json_uint64(json_obj_get(o, "size"), &n2);
                if (ranges_overlap((struct id_range){c, n}, (struct id_range){c2, n2}) ||
                    ranges_overlap((struct id_range){h, n}, (struct id_range){h2, n2})) {
                        snprintf(buf, len, "overlaps entry %zu", k);
                        return buf;
                }
        }
        return NULL;
}

/* Every entry of a map the spec brings (dockerd userns-remap) or a joined
 * namespace has: no host root, no zero-size, overflowing or overlapping
 * entry, nothing below hostIdMin. where names the map in messages. */
static int check_map(struct rule_ctx *c, const char *where, const struct json *map)
{
        char buf[160];
        int rc = 0;
        if (map == NULL || map->n == 0)
                return rule_refuse(c, where, map,
                                   "a user namespace without a mapping runs as the overflow "
                                   "user and cannot be judged");
        if (map->n > MAP_ENTRIES_MAX)
                return rule_refuse(c, where, map, "more entries than the kernel takes");
        for (size_t i = 0; i < map->n; i++) {
                const char *fault = map_entry_fault(
                    map, i, (unsigned long long)c->params->userns_host_min, buf, sizeof(buf));
                char ptr[160];
                if (fault == NULL)
                        continue;
                snprintf(ptr, sizeof(ptr), "%s/%zu", where, i);
                if (rule_refuse(c, ptr, map->vals[i], fault) < 0) {
                        if (!c->refused)
                                return -1;
                        rc = -1;
                }
        }
        return rc;
}

static int check_existing_mappings(struct rule_ctx *c)
{
        int u = check_map(c, "/linux/uidMappings", json_pointer_get(c->spec, "/linux/uidMappings"));
        if (u < 0 && !c->refused)
                return -1;
        return check_map(c, "/linux/gidMappings", json_pointer_get(c->spec, "/linux/gidMappings")) <
                           0 ||
                       u < 0
                   ? -1
                   : 0;
}

/* A namespace joined by path: its owner set the maps; they are judged as
 * the kernel reports them, in host ids. */
/* The host id container root has in a uid_map, or -1. */
static long long root_host_id(const struct json *uid_map)
{
        for (size_t i = 0; uid_map != NULL && i < uid_map->n; i++) {
                unsigned long long cid = 0, hid = 0;
                if (json_uint64(json_obj_get(uid_map->vals[i], "containerID"), &cid) == 0 &&
                    cid == 0 && json_uint64(json_obj_get(uid_map->vals[i], "hostID"), &hid) == 0)
                        return (long long)hid;
        }
        return -1;
}

/* The kernel's maps of a joined user namespace, when asked for. */
struct joined_maps {
        long long root_host; /* host id of its root; -1: the probe could not tell */
        struct json *uid_map, *gid_map;
};

/* maps: where not NULL, filled (the caller frees the maps). */
static int check_joined(struct rule_ctx *c, const char *ptr, const struct json *path,
                        struct joined_maps *maps)
{
        struct json *uid_map = NULL, *gid_map = NULL;
        struct hr_error err = {0};
        char where[192];
        int rc = probe_userns_maps(c->env->probe, path->text, &uid_map, &gid_map, &err);
        if (maps != NULL)
                *maps = (struct joined_maps){-1, NULL, NULL};
        if (rc == PROBE_UNKNOWN)
                return rule_defer(c, ptr, path, "the maps of the user namespace it joins");
        if (rc < 0) {
                rc = rule_refusef(c, ptr, path,
                                  "cannot read the maps of the user namespace it joins: %s",
                                  hr_error_msg(&err));
                hr_error_clear(&err);
                return rc;
        }
        snprintf(where, sizeof(where), "%s (its uid_map)", ptr);
        rc = check_map(c, where, uid_map);
        snprintf(where, sizeof(where), "%s (its gid_map)", ptr);
        if ((rc == 0 || c->refused) && check_map(c, where, gid_map) < 0)
                rc = -1;
        if (maps != NULL && rc == 0) {
                *maps = (struct joined_maps){root_host_id(uid_map), uid_map, gid_map};
                return 0;
        }
        json_free(uid_map);
        json_free(gid_map);
        return rc;
}

static struct json *one_mapping(long long cid, long long hid, long long size)
{
        return json_object_of("containerID", json_new_int64(cid), "hostID", json_new_int64(hid),
                              "size", json_new_int64(size), NULL);
}

/* shift: 0..size-1 -> host..; root-only: 0 -> host, 1..size-1 as they are */
static struct json *mapping(const struct hr_params *p, enum userns_strategy s, long long host_id)
{
        struct hr_error err = {0};
        struct json *arr = json_new(JSON_ARRAY);
        int rc = arr ? 0 : -1;
        if (s == STRATEGY_SHIFT) {
                rc = rc ?: json_array_append(arr, one_mapping(0, host_id, p->userns_size), &err);
        } else {
                rc = rc ?: json_array_append(arr, one_mapping(0, host_id, 1), &err);
                rc = rc ?: json_array_append(arr, one_mapping(1, 1, p->userns_size - 1), &err);
        }
        hr_error_clear(&err);
        if (rc < 0) {
                json_free(arr);
                return NULL;
        }
        return arr;
}

static enum userns_strategy wanted(const struct hr_params *p)
{
        if (strcmp(p->userns_strategy, "shift") == 0)
                return STRATEGY_SHIFT;
        return strcmp(p->userns_strategy, "root-only") == 0 ? STRATEGY_ROOT_ONLY : STRATEGY_AUTO;
}

/* The source mount's flags a user namespace cannot drop go into the
 * mount's options, so that the runtime's remount keeps them. */
static int keep_locked(struct rule_ctx *c, const char *ptr, const struct strlist *locked)
{
        const struct json *opts = json_obj_get(json_pointer_get(c->spec, ptr), "options");
        struct hr_error err = {0};
        struct json *want;
        bool changed = false;
        if (locked->n == 0)
                return 0;
        want = opts != NULL ? json_dup(opts) : json_new(JSON_ARRAY);
        for (size_t i = 0; want != NULL && i < locked->n; i++) {
                if (json_array_has_string(want, locked->v[i]))
                        continue;
                changed = true;
                if (json_array_append(want, json_new_string(locked->v[i]), &err) < 0) {
                        hr_error_clear(&err);
                        json_free(want);
                        return hr_fail(c->err, "out of memory");
                }
        }
        if (want == NULL)
                return hr_fail(c->err, "out of memory");
        if (!changed) {
                json_free(want);
                return 0;
        }
        return rule_set(c, ptr, "options", want,
                        "in a user namespace the kernel keeps the source mount's flags (it locks "
                        "them): the runtime's remount must ask for them too");
}

/* Point the spec at the staged rootfs and volumes. */
static int use_staging(struct rule_ctx *c, const struct staging_plan *plan)
{
        cleanup_free char *why = NULL;
        if (asprintf(&why, "rootfs staged for the user namespace, strategy %s: %s; %s",
                     plan->strategy == STRATEGY_SHIFT ? "shift" : "root-only", plan->why,
                     plan->writable ? "writable (writes land in the rootfs's own upper layer or "
                                      "directory)"
                     : plan->writable_why ? plan->writable_why
                                          : "read-only, as root.readonly asks") < 0) {
                why = NULL;
                return hr_fail(c->err, "out of memory");
        }
        if (rule_set(c, "/root", "path", json_new_string(plan->rootfs), why) < 0)
                return -1;
        for (size_t i = 0; i < plan->nvolumes; i++) {
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/mounts/%zu", plan->volumes[i].mount_index);
                if (rule_set(c, ptr, "source", json_new_string(plan->volumes[i].target),
                             plan->volumes[i].plain
                                 ? "volume staged as a plain bind, nosuid,nodev: its filesystem "
                                   "cannot be idmapped by this kernel (tmpfs before Linux 6.3), "
                                   "so its files show with their host owners"
                                 : "volume staged as an idmapped bind, nosuid,nodev: its owners "
                                   "show unchanged inside") < 0 ||
                    keep_locked(c, ptr, &plan->volumes[i].locked) < 0)
                        return -1;
        }
        return 0;
}

/* Is the device node at path on the host the one the entry describes?
 * PROBE_UNKNOWN when the probe cannot tell. */
static int host_has_node(struct probe *pr, const struct json *d)
{
        const struct json *path = json_obj_get(d, "path");
        const struct json *type = json_obj_get(d, "type");
        long long major, minor;
        struct stat st;
        int rc;
        if (path == NULL || path->type != JSON_STRING || type == NULL ||
            type->type != JSON_STRING || json_int64(json_obj_get(d, "major"), &major) < 0 ||
            json_int64(json_obj_get(d, "minor"), &minor) < 0)
                return 0;
        if ((rc = probe_stat(pr, path->text, &st)) != 0)
                return rc == PROBE_UNKNOWN ? rc : 0;
        if (!(strcmp(type->text, "b") == 0 ? S_ISBLK(st.st_mode) : S_ISCHR(st.st_mode)))
                return 0;
        return (long long)major(st.st_rdev) == major && (long long)minor(st.st_rdev) == minor;
}

/* In a user namespace runc cannot mknod: it bind-mounts each listed node
 * from the same path on the host. A node the host lacks there (a renamed
 * --device) would fail the container, so it goes. */
static int devices_for_userns(struct rule_ctx *c)
{
        const struct json *devs = json_pointer_get(c->spec, "/linux/devices");
        struct hr_error err = {0};
        struct json *kept;
        if (devs == NULL || devs->type != JSON_ARRAY)
                return 0;
        kept = json_new(JSON_ARRAY);
        for (size_t i = 0; kept != NULL && i < devs->n; i++) {
                int has = host_has_node(c->env->probe, devs->vals[i]);
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/linux/devices/%zu", i);
                if (has == PROBE_UNKNOWN &&
                    rule_defer(c, ptr, devs->vals[i], "the host's node at the same path") < 0) {
                        json_free(kept);
                        return -1;
                }
                if (has != 0 && json_array_append(kept, json_dup(devs->vals[i]), &err) < 0) {
                        hr_error_clear(&err);
                        json_free(kept);
                        return hr_fail(c->err, "out of memory");
                }
        }
        return rule_set(c, "/linux", "devices", kept,
                        "in a user namespace runc binds device nodes from the same host path, "
                        "which must exist");
}

/* The first host id of the container's range: under idRange exclusive a
 * block of the pool of its own, claimed at create (a dry run shows the
 * pool's first block and says so); under shared, hostId for every
 * container. */
static int host_ids(struct rule_ctx *c, long long *host_id)
{
        *host_id = c->params->userns_host_id;
        if (strcmp(c->params->userns_id_range, "exclusive") != 0)
                return 0;
        if (c->env->claim_ids == NULL)
                return rule_keep(c, "/linux/uidMappings", NULL,
                                 "idRange exclusive: create claims a block of the pool of its own; "
                                 "the first is shown here");
        if (c->env->claim_ids(c->env->claim_arg, host_id, c->err) < 0)
                return hr_error_prefix(c->err, "rule userns: a host id block");
        return 0;
}

/* Namespaces a spec may join by path, and the kernel filesystem each
 * needs mounted by the user namespace that owns it. */
static const struct {
        const char *type, *fstype;
        int nstype;
} joinable[] = {
    {"network", "sysfs", CLONE_NEWNET},
    {"ipc", "mqueue", CLONE_NEWIPC},
    {"pid", "proc", CLONE_NEWPID},
    {"uts", NULL, CLONE_NEWUTS},
};

/* The owner's path a runtime can join: /proc/PID/ns/user beside the joined
 * /proc/PID/ns/TYPE, if that is the very user namespace (same nsfs inode). */
static char *owner_path(struct probe *pr, const char *joined, dev_t dev, ino_t ino)
{
        const char *pid = joined + strlen("/proc/");
        size_t digits = strspn(pid, "0123456789");
        char *path = NULL;
        struct stat st;
        if (strncmp(joined, "/proc/", 6) != 0 || digits == 0 || digits > 10 ||
            strncmp(pid + digits, "/ns/", 4) != 0 ||
            asprintf(&path, "/proc/%.*s/ns/user", (int)digits, pid) < 0)
                return NULL;
        if (probe_stat(pr, path, &st) == 0 && st.st_dev == dev && st.st_ino == ino)
                return path;
        free(path);
        return NULL;
}

/* A namespace the spec joins by path. */
struct joined_ns {
        size_t k;         /* joinable[k] */
        const char *path; /* the spec's */
        dev_t dev;        /* the namespace's nsfs inode */
        ino_t ino;
        bool host; /* the host's user namespace owns it */
};

struct joined {
        char *userns; /* the owner's path, when not the host's */
        dev_t dev;    /* and its nsfs inode */
        ino_t ino;
        struct joined_ns ns[sizeof(joinable) / sizeof(*joinable)];
        size_t n;
};

static int note_ns(struct rule_ctx *c, const char *ptr, const struct json *path, size_t k,
                   bool host, struct joined *j)
{
        struct stat st;
        if (j->n == sizeof(j->ns) / sizeof(*j->ns))
                return rule_refuse(c, ptr, path, "joins a namespace type twice");
        if (probe_stat(c->env->probe, path->text, &st) < 0)
                return rule_refuse(c, ptr, path, "cannot stat the namespace it joins");
        j->ns[j->n++] = (struct joined_ns){k, path->text, st.st_dev, st.st_ino, host};
        return 0;
}

/* One joined namespace: who owns it. */
static int judge_joined(struct rule_ctx *c, const struct json *path, size_t at, size_t k,
                        struct joined *j)
{
        char ptr[64];
        bool host = false;
        dev_t dev = 0;
        ino_t ino = 0;
        int rc = probe_ns_owner(c->env->probe, path->text, &host, &dev, &ino);
        cleanup_free char *owner = NULL;
        snprintf(ptr, sizeof(ptr), "/linux/namespaces/%zu/path", at);
        if (rc == PROBE_UNKNOWN)
                return rule_defer(c, ptr, path, "which user namespace owns it");
        if (rc < 0)
                return rule_refuse(c, ptr, path, "cannot tell which user namespace owns it");
        if (host && joinable[k].nstype == CLONE_NEWPID)
                return rule_refuse(
                    c, ptr, path,
                    "joins a pid namespace the host's user namespace owns (a container's without "
                    "a user namespace): runc 1.1 enters the container's user namespace first on "
                    "every exec, and could not enter this one after it");
        if (note_ns(c, ptr, path, k, host, j) < 0)
                return -1;
        if (host)
                return 0;
        if (j->userns != NULL)
                return j->dev == dev && j->ino == ino
                           ? 0
                           : rule_refuse(c, ptr, path,
                                         "joins namespaces of two user namespaces of other "
                                         "containers: no container can be in both");
        if ((owner = owner_path(c->env->probe, path->text, dev, ino)) == NULL)
                return rule_refuse(c, ptr, path,
                                   "joins a namespace of another user namespace, which the "
                                   "runtime could only join by /proc/PID/ns/user of the same "
                                   "process");
        j->userns = steal_pointer(&owner);
        j->dev = dev;
        j->ino = ino;
        return 0;
}

/* Who owns the namespaces the spec joins (network, ipc, pid, uts): another
 * container's user namespace, the host's, or both (a pod's app container:
 * the pod sandbox's ipc, uts and pid, and a network namespace made before
 * the runtime ran). */
static int joined_owner(struct rule_ctx *c, struct joined *j)
{
        const struct json *nss = json_pointer_get(c->spec, "/linux/namespaces");
        int rc = 0;
        for (size_t i = 0; nss != NULL && i < nss->n; i++) {
                const struct json *t = json_obj_get(nss->vals[i], "type");
                const struct json *path = json_obj_get(nss->vals[i], "path");
                for (size_t k = 0;
                     path != NULL && t != NULL && k < sizeof(joinable) / sizeof(*joinable); k++) {
                        if (strcmp(t->text, joinable[k].type) != 0)
                                continue;
                        if (judge_joined(c, path, i, k, j) < 0) {
                                if (!c->refused)
                                        return -1;
                                rc = -1;
                        }
                }
        }
        return rc;
}

/* The spec's mount options a fresh kernel filesystem of ours carries:
 * flags alone (nosuid, nodev, noexec always). */
static int kernfs_options(struct rule_ctx *c, const char *ptr, const struct json *opts, bool *ro)
{
        static const char *const flags[] = {"nosuid", "nodev", "noexec", "relatime", "rw", NULL};
        *ro = false;
        for (size_t i = 0; opts != NULL && opts->type == JSON_ARRAY && i < opts->n; i++) {
                const struct json *o = opts->vals[i];
                bool known = o->type == JSON_STRING && strcmp(o->text, "ro") == 0;
                for (size_t f = 0; !known && o->type == JSON_STRING && flags[f] != NULL; f++)
                        known = strcmp(o->text, flags[f]) == 0;
                if (!known)
                        return rule_refuse(c, ptr, o,
                                           "an option hardened-runc does not carry to the kernel "
                                           "filesystem it mounts for a joined namespace");
                if (strcmp(o->text, "ro") == 0)
                        *ro = true;
        }
        return 0;
}

/* Mount i (of the joined namespace's filesystem type) becomes a bind of a
 * fresh one staged for that namespace. */
static int kernfs_mount_of(struct rule_ctx *c, struct staging_plan *plan, size_t i,
                           const struct joined_ns *ns)
{
        const struct json *m = json_pointer_get(c->spec, "/mounts")->vals[i];
        struct staged_kernfs k = {.fstype = joinable[ns->k].fstype,
                                  .nstype = joinable[ns->k].nstype,
                                  .ns_path = (char *)ns->path,
                                  .dev = ns->dev,
                                  .ino = ns->ino};
        const char *target = NULL;
        char ptr[64], why[512];
        int rc;
        snprintf(ptr, sizeof(ptr), "/mounts/%zu/options", i);
        if (kernfs_options(c, ptr, json_obj_get(m, "options"), &k.ro) < 0)
                return -1;
        if (staging_add_kernfs(plan, &k, &target) < 0)
                return hr_fail(c->err, "out of memory");
        snprintf(why, sizeof(why),
                 "the host's user namespace owns the %s namespace it joins, and the kernel "
                 "refuses the container's own a %s for it: hardened-runc mounts a fresh one "
                 "for that namespace, as host root, and the container gets it as a bind",
                 joinable[ns->k].type, k.fstype);
        snprintf(ptr, sizeof(ptr), "/mounts/%zu", i);
        rc = rule_set(c, ptr, "type", json_new_string("bind"), why);
        rc = rc ?: rule_set(c, ptr, "source", json_new_string(target), why);
        return rc
                   ?: rule_set(c, ptr, "options",
                               json_array_of_strings((const char *[]){
                                   "bind", k.ro ? "ro" : "rw", "nosuid", "nodev", "noexec", NULL}),
                               why);
}

/* A joined namespace the host's user namespace owns leaves the spec:
 * hardened-runc enters it before the runtime runs (nsenter.h), and mounts
 * what the container needs of it. */
static int inherit(struct rule_ctx *c, struct staging_plan *plan, const struct joined_ns *ns)
{
        const struct json *mounts = json_pointer_get(c->spec, "/mounts");
        const struct json *hostname = json_pointer_get(c->spec, "/hostname");
        struct ns_join e = {joinable[ns->k].nstype, (char *)ns->path, ns->dev, ns->ino};
        if (staging_add_enter(plan, &e) < 0)
                return hr_fail(c->err, "out of memory");
        for (size_t i = 0; mounts != NULL && joinable[ns->k].fstype != NULL && i < mounts->n; i++) {
                const struct json *t = json_obj_get(mounts->vals[i], "type");
                if (t != NULL && t->type == JSON_STRING &&
                    strcmp(t->text, joinable[ns->k].fstype) == 0 &&
                    kernfs_mount_of(c, plan, i, ns) < 0)
                        return -1;
        }
        if (e.nstype == CLONE_NEWUTS && hostname != NULL)
                return rule_unset(c, "", "hostname",
                                  "it joins a uts namespace the host's user namespace owns, whose "
                                  "hostname it could not set: it has that namespace's");
        return 0;
}

/* The spec's namespaces without those hardened-runc enters for it. */
static int inherit_all(struct rule_ctx *c, struct staging_plan *plan, const struct joined *j)
{
        const struct json *nss = json_pointer_get(c->spec, "/linux/namespaces");
        struct json *kept;
        size_t inherited = 0;
        for (size_t i = 0; i < j->n; i++)
                if (j->ns[i].host) {
                        if (inherit(c, plan, &j->ns[i]) < 0)
                                return -1;
                        inherited++;
                }
        if (inherited == 0)
                return 0;
        if ((kept = json_new(JSON_ARRAY)) == NULL)
                return hr_fail(c->err, "out of memory");
        for (size_t i = 0; i < nss->n; i++) {
                const struct json *path = json_obj_get(nss->vals[i], "path");
                bool drop = false;
                for (size_t k = 0; path != NULL && k < j->n; k++)
                        drop = drop || (j->ns[k].host && j->ns[k].path == path->text);
                if (!drop && json_array_append(kept, json_dup(nss->vals[i]), c->err) < 0) {
                        json_free(kept);
                        return -1;
                }
        }
        return rule_set(c, "/linux", "namespaces", kept,
                        "a namespace the host's user namespace owns leaves the spec: runc 1.1 "
                        "enters the container's user namespace before the others, and could "
                        "then not enter it; hardened-runc, host root, enters it before the "
                        "runtime runs, on create and on every exec, and the container inherits "
                        "it");
}

/* runc 1.1 wants the maps of a user namespace it joins by path, too: the
 * kernel's, as read. */
static int set_joined_maps(struct rule_ctx *c, struct joined_maps *m)
{
        static const char *const why =
            "the maps of the user namespace it joins, as the kernel reports them";
        int rc = 0;
        if (m->uid_map == NULL) /* a dry run */
                return 0;
        rc = rule_set(c, "/linux", "uidMappings", steal_pointer(&m->uid_map), why);
        if (rc == 0)
                rc = rule_set(c, "/linux", "gidMappings", steal_pointer(&m->gid_map), why);
        json_free(m->gid_map);
        m->gid_map = NULL;
        return rc;
}

/* Enter the user namespace of the container whose namespaces the spec
 * joins: its maps (judged as any joined namespace's) and its id block. */
static int join_owner(struct rule_ctx *c, const struct json *ns, const char *userns,
                      long long *host_id)
{
        static const char *const why =
            "joins the user namespace of the container whose namespaces it joins: its maps and "
            "id block, as a pod shares them";
        size_t at = 0;
        struct json *path = json_new_string(userns);
        struct joined_maps maps;
        char ptr[64];
        int rc;
        if (path == NULL)
                return hr_fail(c->err, "out of memory");
        rc = check_joined(c, "/linux/namespaces (the user namespace owning what it joins)", path,
                          &maps);
        json_free(path);
        if (rc < 0)
                return -1;
        *host_id = maps.root_host;
        if (set_joined_maps(c, &maps) < 0)
                return -1;
        if (ns == NULL)
                return rule_insert(c, "/linux/namespaces", (size_t)-1,
                                   json_object_of("type", json_new_string("user"), "path",
                                                  json_new_string(userns), NULL),
                                   why);
        find_user_ns(json_pointer_get(c->spec, "/linux/namespaces"), &at);
        snprintf(ptr, sizeof(ptr), "/linux/namespaces/%zu", at);
        return rule_set(c, ptr, "path", json_new_string(userns), why);
}

/* 0 with *plan made; otherwise no plan: -1 refused (or an error), 1 when
 * the refusal was only recorded (warn). */
static int stage(struct rule_ctx *c, const struct stage_request *req, struct staging_plan *plan)
{
        const struct json *root = json_pointer_get(c->spec, "/root/path");
        struct hr_error err = {0};
        int rc;
        if (staging_decide(c->env->probe, req, plan, &err) == 0)
                return 0;
        rc = rule_refusef(c, "/root/path", root, "cannot stage the rootfs for a user namespace: %s",
                          hr_error_msg(&err));
        hr_error_clear(&err);
        return rc < 0 ? -1 : 1;
}

/* Hand the plan to harden.c, if the spec now points at it. */
static int keep_plan(struct rule_ctx *c, struct staging_plan *plan, int rc)
{
        if (rc == 0 && c->action == ACTION_ENFORCE && c->env->staging != NULL) {
                *c->env->staging = *plan;
                return 0;
        }
        staging_plan_free(plan);
        return rc;
}

/* Stage for req and point the spec at it, and at fresh kernel filesystems
 * for the joined namespaces its user namespace will not own (none when it
 * enters their owner). 0 with *plan made; 1 when the refusal to stage was
 * only recorded (warn); -1. */
static int staged(struct rule_ctx *c, const struct stage_request *req, const struct joined *j,
                  struct staging_plan *plan)
{
        int rc = stage(c, req, plan);
        if (rc != 0)
                return rc;
        rc = use_staging(c, plan);
        if (rc == 0)
                rc = devices_for_userns(c);
        if (rc == 0)
                rc = inherit_all(c, plan, j);
        if (rc < 0)
                staging_plan_free(plan);
        return rc;
}

/* With the user namespace (or the maps) of the container whose namespaces
 * the spec joins. */
static int with_owner(struct rule_ctx *c, const struct json *ns, struct stage_request *req,
                      const struct joined *j)
{
        struct staging_plan plan;
        int rc = join_owner(c, ns, j->userns, &req->host_id);
        req->userns_path = j->userns;
        if (rc == 0 && req->host_id < 0)
                req->host_id = c->params->userns_host_id; /* a dry run: not read */
        else if (rc == 0 && c->env->share_ids != NULL &&
                 c->env->share_ids(c->env->claim_arg, req->host_id, c->err) < 0)
                rc = hr_error_prefix(c->err, "rule userns: the joined container's id block");
        if (rc < 0 || (rc = staged(c, req, j, &plan)) != 0)
                return rc < 0 ? -1 : 0;
        return keep_plan(c, &plan, 0);
}

/* A user namespace of the container's own, on a block of the pool. */
static int own_namespace(struct rule_ctx *c, const struct json *ns, struct stage_request *req,
                         const struct joined *j)
{
        struct staging_plan plan;
        int rc;
        if (host_ids(c, &req->host_id) < 0)
                return -1;
        if ((rc = staged(c, req, j, &plan)) != 0)
                return rc < 0 ? -1 : 0;
        if (ns == NULL)
                rc = rule_insert(c, "/linux/namespaces", (size_t)-1,
                                 json_object_of("type", json_new_string("user"), NULL),
                                 "container root must not be host root");
        if (rc == 0)
                rc = rule_set(c, "/linux", "uidMappings",
                              mapping(c->params, plan.strategy, req->host_id),
                              "container uids map to unprivileged host uids");
        if (rc == 0)
                rc = rule_set(c, "/linux", "gidMappings",
                              mapping(c->params, plan.strategy, req->host_id),
                              "container gids map to unprivileged host gids");
        return keep_plan(c, &plan, rc);
}

static int add_namespace(struct rule_ctx *c, const struct json *ns)
{
        const struct json *root = json_pointer_get(c->spec, "/root/path");
        const struct json *ro = json_pointer_get(c->spec, "/root/readonly");
        struct stage_request req = {.dir = c->env->container_dir,
                                    .bundle = c->env->bundle,
                                    .mounts = json_pointer_get(c->spec, "/mounts"),
                                    .want = wanted(c->params),
                                    .size = c->params->userns_size,
                                    .writable = ro == NULL || ro->type != JSON_TRUE};
        struct joined j = {0};
        int rc;
        if (root == NULL || root->type != JSON_STRING)
                return hr_fail(c->err, "/root/path: expected a string");
        if (c->env->container_dir == NULL)
                return hr_fail(c->err, "internal error: no container directory to stage in");
        req.rootfs = root->text;
        if (joined_owner(c, &j) < 0)
                rc = -1;
        else if (j.userns != NULL)
                rc = with_owner(c, ns, &req, &j);
        else
                rc = own_namespace(c, ns, &req, &j);
        free(j.userns);
        return rc;
}

/* Maps a spec gives for a user namespace it joins by path (runc 1.1 wants
 * them) must be the kernel's: they are what runc chowns files and figures
 * ids by, and the kernel's maps are what apply. */
static bool maps_equal(const struct json *a, const struct json *b)
{
        static const char *const fields[] = {"containerID", "hostID", "size"};
        if (a->type != JSON_ARRAY || b->type != JSON_ARRAY || a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                for (size_t f = 0; f < 3; f++) {
                        unsigned long long x, y;
                        if (json_uint64(json_obj_get(a->vals[i], fields[f]), &x) < 0 ||
                            json_uint64(json_obj_get(b->vals[i], fields[f]), &y) < 0 || x != y)
                                return false;
                }
        return true;
}

static int same_maps(struct rule_ctx *c, const char *key, const struct json *kernel)
{
        const struct json *given = json_obj_get(json_pointer_get(c->spec, "/linux"), key);
        char ptr[64], why[160];
        if (given == NULL || maps_equal(given, kernel))
                return 0;
        snprintf(ptr, sizeof(ptr), "/linux/%s", key);
        snprintf(why, sizeof(why),
                 "differs from the kernel's maps of the user namespace it joins by path, which "
                 "apply");
        return rule_refuse(c, ptr, given, why);
}

static int joined_by_path(struct rule_ctx *c, const char *ptr, const struct json *path)
{
        struct joined_maps maps;
        int rc = check_joined(c, ptr, path, &maps);
        if (rc == 0 && maps.uid_map != NULL) {
                rc = same_maps(c, "uidMappings", maps.uid_map);
                if (rc == 0 || c->refused)
                        rc = same_maps(c, "gidMappings", maps.gid_map) < 0 ? -1 : rc;
        }
        json_free(maps.uid_map);
        json_free(maps.gid_map);
        return rc;
}

/* Does a uid_map's text ("inside outside count" lines) reach host uid 0? */
static bool map_reaches_root(const char *map)
{
        const char *line = map;
        while (line != NULL && *line != '\0') {
                unsigned long long in, out, count;
                if (sscanf(line, "%llu %llu %llu", &in, &out, &count) == 3 && count > 0 && out == 0)
                        return true;
                line = strchr(line, '\n');
                line = line ? line + 1 : NULL;
        }
        return false;
}

/* A rootless caller (rootless.h): the container is in the caller's user
 * namespace already, whose root is the caller's own host uid, or in one
 * the spec nests inside it. Neither can reach beyond the caller's map;
 * there is nothing to stage (idmapped mounts need host root). Refused
 * only when the caller's map reaches host uid 0. */
static int rootless(struct rule_ctx *c)
{
        const char *map = rootless_uid_map();
        const struct json *nss = json_pointer_get(c->spec, "/linux/namespaces");
        char why[1024], shown[256];
        size_t n = 0;
        if (map == NULL)
                return rule_refuse(c, "/linux/namespaces", nss,
                                   "running rootless, and the caller's uid map cannot be read");
        for (const char *p = map; *p != '\0' && n + 1 < sizeof(shown); p++)
                if (*p != ' ' || (n > 0 && shown[n - 1] != ' ' && shown[n - 1] != ','))
                        shown[n++] = *p == '\n' ? ',' : *p;
        shown[n] = '\0';
        if (map_reaches_root(map)) {
                snprintf(why, sizeof(why),
                         "running in a user namespace whose map (%s) reaches host uid 0", shown);
                return rule_refuse(c, "/linux/namespaces", nss, why);
        }
        snprintf(why, sizeof(why),
                 "rootless: the runtime runs in the caller's user namespace (uid map %s), which "
                 "does not reach host uid 0: every id of the container, in it or in a user "
                 "namespace the spec nests in it, is one of the caller's; nothing is staged "
                 "(idmapped mounts need host root)",
                 shown);
        return rule_keep(c, "/linux/namespaces", nss, why);
}

static int apply(struct rule_ctx *c)
{
        const struct json *nss = json_pointer_get(c->spec, "/linux/namespaces");
        const struct json *path;
        const struct json *ns;
        size_t at = 0;
        if (nss != NULL && nss->type != JSON_ARRAY)
                return hr_fail(c->err, "/linux/namespaces: expected an array");
        if (probe_reads(c->env->probe) && rootless_caller())
                return rootless(c);
        ns = find_user_ns(nss, &at);
        path = json_obj_get(ns, "path");
        if (path != NULL) {
                bool ours = false;
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/linux/namespaces/%zu/path", at);
                int rc = probe_ns_is_ours(c->env->probe, path->text, "user", &ours);
                if (rc == PROBE_UNKNOWN &&
                    rule_defer(c, ptr, path, "which user namespace it joins") < 0)
                        return -1;
                if (rc < 0 || ours)
                        return rule_refuse(c, ptr, path,
                                           ours ? "joins the host's user namespace"
                                                : "cannot verify the user namespace it joins");
                return joined_by_path(c, ptr, path);
        }
        if (json_pointer_get(c->spec, "/linux/uidMappings") != NULL ||
            json_pointer_get(c->spec, "/linux/gidMappings") != NULL)
                return check_existing_mappings(c);
        return add_namespace(c, ns);
}

static const char *const owns[] = {"/linux/uidMappings", "/linux/gidMappings", NULL};

const struct rule_def rule_userns = {
    .name = "userns",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "a user namespace mapping container root to an unprivileged host uid",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
