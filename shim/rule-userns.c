// SPDX-License-Identifier: GPL-2.0-or-later
/* userns: the container runs in its own user namespace, so that its root is
 * an unprivileged uid on the host (CIS Docker 2.8). The mapping comes from
 * the profile; a spec that already maps root elsewhere keeps its mapping; a
 * namespace joined by path is never given new mappings; mapping container
 * root to host root is refused.
 *
 * The mapped root must be able to reach the rootfs: runc mounts it from
 * inside the new namespace. Docker's /var/lib/docker is 0710 root:root, so
 * Docker bundles need the rootfs staged elsewhere first (not done yet: such
 * bundles are refused with that reason rather than failing inside runc). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "pathutil.h"
#include "pipeline.h"

const struct param_field rule_userns_fields[] = {
    {"hostId", PT_INT, P_OFF(userns_host_id), 1, 4294967294LL, NULL},
    {"size", PT_INT, P_OFF(userns_size), 1, 4294967295LL, NULL},
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

/* Can the mapped root (an "other" on the host) search every directory on
 * the way to the rootfs? 1 (with *dir and *why set) when not; 0 when it can; -1 on
 * allocation failure. */
static int unreachable_dir(struct rule_ctx *c, const char *rootfs, char **dir, const char **why)
{
        cleanup_free char *joined = NULL;
        char real[PATH_MAX];
        if (rootfs[0] != '/' && asprintf(&joined, "%s/%s", c->bundle, rootfs) < 0)
                return -1;
        if (realpath(joined ? joined : rootfs, real) == NULL) {
                *why = strerror(errno);
                *dir = strdup(joined ? joined : rootfs);
                return *dir ? 1 : -1;
        }
        for (char *end = real + 1;; end++) {
                struct stat st;
                char saved = *end;
                if (saved != '/' && saved != '\0')
                        continue;
                *end = '\0';
                if (stat(real, &st) < 0 || ((st.st_mode & S_IXOTH) == 0 &&
                                            st.st_uid != (uid_t)c->params->userns_host_id)) {
                        *why = "not searchable by the mapped root";
                        *dir = strdup(real);
                        return *dir ? 1 : -1;
                }
                *end = saved;
                if (saved == '\0')
                        return 0;
        }
}

static struct json *mapping(long long host, long long size)
{
        struct hr_error err = {0};
        struct json *arr = json_new(JSON_ARRAY);
        if (arr == NULL || json_array_append(arr,
                                             json_object_of("containerID", json_new_int64(0),
                                                            "hostID", json_new_int64(host), "size",
                                                            json_new_int64(size), NULL),
                                             &err) < 0) {
                hr_error_clear(&err);
                json_free(arr);
                return NULL;
        }
        return arr;
}

static int add_namespace(struct rule_ctx *c, const struct json *ns)
{
        const struct json *root = json_pointer_get(c->spec, "/root/path");
        cleanup_free char *dir = NULL;
        const char *why = NULL;
        char reason[PATH_MAX + 160];
        int rc;
        if (root == NULL || root->type != JSON_STRING)
                return hr_fail(c->err, "/root/path: expected a string");
        rc = unreachable_dir(c, root->text, &dir, &why);
        if (rc < 0)
                return hr_fail(c->err, "out of memory");
        if (rc > 0) {
                snprintf(
                    reason, sizeof(reason),
                    "the mapped root cannot reach the rootfs (%s: %s); user namespaces for such "
                    "bundles need the rootfs staged at a reachable path, which is not supported "
                    "yet",
                    dir, why);
                return rule_refuse(c, "/root/path", root, reason);
        }
        if (ns == NULL) {
                if (rule_insert(c, "/linux/namespaces", (size_t)-1,
                                json_object_of("type", json_new_string("user"), NULL),
                                "container root must not be host root (CIS 2.8)") < 0)
                        return -1;
        }
        if (rule_set(c, "/linux", "uidMappings",
                     mapping(c->params->userns_host_id, c->params->userns_size),
                     "container uids map to unprivileged host uids") < 0)
                return -1;
        return rule_set(c, "/linux", "gidMappings",
                        mapping(c->params->userns_host_id, c->params->userns_size),
                        "container gids map to unprivileged host gids");
}

int rule_userns_apply(struct rule_ctx *c)
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
