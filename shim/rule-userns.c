// SPDX-License-Identifier: GPL-2.0-or-later
/* userns: the container runs in its own user namespace, so that its root is
 * an unprivileged uid on the host (CIS Docker 2.8).
 *
 * A spec that already maps root to a non-root host uid (dockerd with
 * userns-remap) keeps its mapping; a namespace joined by path gets no new
 * mappings (its owner set them); mapping root to root and joining the
 * host's user namespace are refused.
 *
 * Otherwise the rootfs is staged (see staging.h) and the mapping follows
 * the strategy: shift maps 0..size-1 to hostId..; root-only maps 0 alone to
 * hostId and leaves the other ids as they are. auto takes shift where the
 * kernel and filesystems allow idmapped mounts, else root-only; the report
 * and the decision log say which and why. The staging is attached only once
 * every rule has passed (harden.c). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cleanup.h"
#include "pathutil.h"
#include "pipeline.h"
#include "staging.h"

static const char *const strategies[] = {"auto", "shift", "root-only", NULL};

static const struct param_field params[] = {
    {"strategy", PT_CHOICE, P_OFF(userns_strategy), 0, 0, strategies},
    {"hostId", PT_INT, P_OFF(userns_host_id), 1, 4294967294LL, NULL},
    {"size", PT_INT, P_OFF(userns_size), 2, 4294967295LL, NULL},
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

/* -1: malformed; 0: no mapping of id 0 to host 0; 1: there is one. */
static int maps_root_to_root(struct rule_ctx *c, const char *key)
{
        const struct json *maps = json_pointer_get(c->spec, key);
        for (size_t i = 0; maps != NULL && i < maps->n; i++) {
                long long cid, hid;
                if (json_int64(json_obj_get(maps->vals[i], "containerID"), &cid) < 0 ||
                    json_int64(json_obj_get(maps->vals[i], "hostID"), &hid) < 0)
                        return hr_fail(c->err, "%s/%zu: containerID and hostID must be integers",
                                       key, i);
                if (cid == 0 && hid == 0)
                        return 1;
        }
        return 0;
}

static int check_existing_mappings(struct rule_ctx *c)
{
        static const char *const keys[] = {"/linux/uidMappings", "/linux/gidMappings"};
        for (size_t i = 0; i < 2; i++) {
                int r = maps_root_to_root(c, keys[i]);
                if (r < 0)
                        return -1;
                if (r > 0 &&
                    rule_refuse(
                        c, keys[i], json_pointer_get(c->spec, keys[i]),
                        "container root mapped to host root is no user namespace isolation") < 0)
                        return -1;
        }
        return 0;
}

static struct json *one_mapping(long long cid, long long hid, long long size)
{
        return json_object_of("containerID", json_new_int64(cid), "hostID", json_new_int64(hid),
                              "size", json_new_int64(size), NULL);
}

/* shift: 0..size-1 -> host..; root-only: 0 -> host, 1..size-1 as they are */
static struct json *mapping(const struct hr_params *p, enum userns_strategy s)
{
        struct hr_error err = {0};
        struct json *arr = json_new(JSON_ARRAY);
        int rc = arr ? 0 : -1;
        if (s == STRATEGY_SHIFT) {
                rc = rc
                         ?: json_array_append(
                                arr, one_mapping(0, p->userns_host_id, p->userns_size), &err);
        } else {
                rc = rc ?: json_array_append(arr, one_mapping(0, p->userns_host_id, 1), &err);
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

/* Point the spec at the staged rootfs and volumes. */
static int use_staging(struct rule_ctx *c, const struct staging_plan *plan)
{
        char why[1024];
        snprintf(why, sizeof(why), "rootfs staged for the user namespace, strategy %s: %s",
                 plan->strategy == STRATEGY_SHIFT ? "shift" : "root-only", plan->why);
        if (rule_set(c, "/root", "path", json_new_string(plan->rootfs), why) < 0)
                return -1;
        for (size_t i = 0; i < plan->nvolumes; i++) {
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/mounts/%zu", plan->volumes[i].mount_index);
                if (rule_set(
                        c, ptr, "source", json_new_string(plan->volumes[i].target),
                        "volume staged as an idmapped bind: its owners show unchanged inside") < 0)
                        return -1;
        }
        return 0;
}

/* Is the device node at path on the host the one the entry describes? */
static bool host_has_node(const struct json *d)
{
        const struct json *path = json_obj_get(d, "path");
        const struct json *type = json_obj_get(d, "type");
        long long major, minor;
        struct stat st;
        if (path == NULL || path->type != JSON_STRING || type == NULL ||
            type->type != JSON_STRING || json_int64(json_obj_get(d, "major"), &major) < 0 ||
            json_int64(json_obj_get(d, "minor"), &minor) < 0 || stat(path->text, &st) < 0)
                return false;
        if (!(strcmp(type->text, "b") == 0 ? S_ISBLK(st.st_mode) : S_ISCHR(st.st_mode)))
                return false;
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
                if (host_has_node(devs->vals[i]) &&
                    json_array_append(kept, json_dup(devs->vals[i]), &err) < 0) {
                        hr_error_clear(&err);
                        return hr_fail(c->err, "out of memory");
                }
        }
        return rule_set(c, "/linux", "devices", kept,
                        "in a user namespace runc binds device nodes from the same host path, "
                        "which must exist");
}

static int add_namespace(struct rule_ctx *c, const struct json *ns)
{
        const struct json *root = json_pointer_get(c->spec, "/root/path");
        struct staging_plan plan;
        struct hr_error err = {0};
        char map[64];
        const char *id = c->env->container_id ? c->env->container_id : "";
        int rc;
        if (root == NULL || root->type != JSON_STRING)
                return hr_fail(c->err, "/root/path: expected a string");
        snprintf(map, sizeof(map), "0 %lld %lld", c->params->userns_host_id,
                 c->params->userns_size);
        if (staging_plan_make(id, c->env->bundle, root->text, json_pointer_get(c->spec, "/mounts"),
                              wanted(c->params), map, &plan, &err) < 0) {
                char why[1024];
                snprintf(why, sizeof(why), "cannot stage the rootfs for a user namespace: %s",
                         hr_error_msg(&err));
                hr_error_clear(&err);
                return rule_refuse(c, "/root/path", root, why);
        }
        rc = use_staging(c, &plan);
        if (rc == 0)
                rc = devices_for_userns(c);
        if (rc == 0 && ns == NULL)
                rc = rule_insert(c, "/linux/namespaces", (size_t)-1,
                                 json_object_of("type", json_new_string("user"), NULL),
                                 "container root must not be host root (CIS 2.8)");
        if (rc == 0)
                rc = rule_set(c, "/linux", "uidMappings", mapping(c->params, plan.strategy),
                              "container uids map to unprivileged host uids");
        if (rc == 0)
                rc = rule_set(c, "/linux", "gidMappings", mapping(c->params, plan.strategy),
                              "container gids map to unprivileged host gids");
        /* the staging is attached only if the spec now points at it */
        if (rc == 0 && c->action == ACTION_ENFORCE && c->env->staging != NULL) {
                *c->env->staging = plan;
                return 0;
        }
        staging_plan_free(&plan);
        return rc;
}

static int apply(struct rule_ctx *c)
{
        const struct json *nss = json_pointer_get(c->spec, "/linux/namespaces");
        const struct json *path;
        const struct json *ns;
        size_t at = 0;
        if (nss != NULL && nss->type != JSON_ARRAY)
                return hr_fail(c->err, "/linux/namespaces: expected an array");
        ns = find_user_ns(nss, &at);
        path = json_obj_get(ns, "path");
        if (path != NULL) {
                bool ours = false;
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/linux/namespaces/%zu/path", at);
                if (path->type != JSON_STRING)
                        return hr_fail(c->err, "%s: expected a string", ptr);
                if (ns_is_ours(path->text, "user", &ours) < 0 || ours)
                        return rule_refuse(c, ptr, path,
                                           ours ? "joins the host's user namespace"
                                                : "cannot verify the user namespace it joins");
                return 0; /* joined by path: its owner set the mappings; add none */
        }
        if (json_pointer_get(c->spec, "/linux/uidMappings") != NULL)
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
