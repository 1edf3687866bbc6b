// SPDX-License-Identifier: GPL-2.0-or-later
/* rootfs: the root filesystem is mounted read-only (CIS Docker Benchmark v1.6.0 5.13), and the
 * directories that ordinary programs expect to write get a size-capped
 * tmpfs (nosuid, nodev; noexec where the profile says), unless the spec
 * already mounts something there. The tmpfs belongs to the process user and
 * starts with a copy of what the image has there (runc's tmpcopyup), or
 * empty for the profile's tmpfsEmpty paths (a log directory whose files the
 * image ships owned by root: the process user creates its own). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pathutil.h"
#include "pipeline.h"

static const struct param_field params[] = {
    {"tmpfs", PT_PATHS, P_OFF(tmpfs_paths), 0, 0, NULL},
    {"tmpfsSize", PT_BYTES, P_OFF(tmpfs_size), 4096, 1LL << 40, NULL},
    {"tmpfsNoexec", PT_BOOL, P_OFF(tmpfs_noexec), 0, 0, NULL},
    {"tmpfsEmpty", PT_PATHS, P_OFF(tmpfs_empty), 0, 0, NULL},
    PARAM_END,
};

/* The container's process user, as the spec now says (the user rule ran). */
static void process_ids(const struct json *spec, long long *uid, long long *gid)
{
        *uid = *gid = 0; /* Go's zero value */
        json_int64(json_pointer_get(spec, "/process/user/uid"), uid);
        json_int64(json_pointer_get(spec, "/process/user/gid"), gid);
}

static struct json *tmpfs_options(const struct hr_params *p, const struct json *spec, bool copy)
{
        struct hr_error err = {0};
        struct json *o = json_new(JSON_ARRAY);
        char size[48], uid[32], gid[32];
        long long u, g;
        /* mode only counts where the image lacks the directory: when it
         * exists, runc chmods the new tmpfs to the directory's own mode (an
         * image's /tmp is 1777, its /run usually 0755). So the tmpfs belongs
         * to the process user, who can then write a 0755 /run too; and
         * tmpcopyup (runc's) copies what the image ships there, owners kept
         * (PostgreSQL's /run/postgresql) */
        const char *opts[] = {"nosuid",
                              "nodev",
                              p->tmpfs_noexec ? "noexec" : NULL,
                              "mode=1777",
                              copy ? "tmpcopyup" : NULL,
                              uid,
                              gid,
                              size};
        process_ids(spec, &u, &g);
        snprintf(uid, sizeof(uid), "uid=%lld", u);
        snprintf(gid, sizeof(gid), "gid=%lld", g);
        snprintf(size, sizeof(size), "size=%lldk", p->tmpfs_size / 1024);
        for (size_t i = 0; o != NULL && i < sizeof(opts) / sizeof(*opts); i++) {
                if (opts[i] != NULL && json_array_append(o, json_new_string(opts[i]), &err) < 0) {
                        hr_error_clear(&err);
                        json_free(o);
                        return NULL;
                }
        }
        return o;
}

static struct json *tmpfs_mount(const struct hr_params *p, const struct json *spec,
                                const char *dest, bool copy)
{
        return json_object_of("destination", json_new_string(dest), "type",
                              json_new_string("tmpfs"), "source", json_new_string("tmpfs"),
                              "options", tmpfs_options(p, spec, copy), NULL);
}

/* Where dir stands among the mounts: *exact when a mount targets dir itself;
 * *first_inside is the index of the first mount under it (or the length), so
 * that our tmpfs goes before it and does not hide it. */
static int scan_mounts(struct rule_ctx *c, const struct json *mounts, const char *dir, bool *exact,
                       size_t *first_inside)
{
        *exact = false;
        *first_inside = mounts ? mounts->n : 0;
        for (size_t i = 0; mounts != NULL && i < mounts->n; i++) {
                const struct json *dest = json_obj_get(mounts->vals[i], "destination");
                cleanup_free char *clean = NULL;
                if (dest == NULL || dest->type != JSON_STRING)
                        return hr_fail(c->err, "/mounts/%zu/destination: expected a string", i);
                clean = path_clean(dest->text);
                if (clean == NULL)
                        return hr_fail(c->err, "out of memory");
                if (strcmp(clean, dir) == 0)
                        *exact = true;
                if (path_within(clean, dir) && i < *first_inside)
                        *first_inside = i;
        }
        return 0;
}

static int ensure_scratch(struct rule_ctx *c, const char *dir, bool copy)
{
        const struct json *mounts = json_pointer_get(c->spec, "/mounts");
        bool exact;
        size_t at;
        if (mounts != NULL && mounts->type != JSON_ARRAY)
                return hr_fail(c->err, "/mounts: expected an array, found %s",
                               json_type_name(mounts->type));
        if (scan_mounts(c, mounts, dir, &exact, &at) < 0)
                return -1;
        if (exact)
                return 0;
        return rule_insert(c, "/mounts", at, tmpfs_mount(c->params, c->spec, dir, copy),
                           copy ? "writable scratch space on a read-only root filesystem"
                                : "writable scratch space on a read-only root filesystem, "
                                  "empty (the profile's tmpfsEmpty)");
}

static int apply(struct rule_ctx *c)
{
        const struct json *root = json_pointer_get(c->spec, "/root");
        if (root != NULL && root->type != JSON_OBJECT)
                return hr_fail(c->err, "/root: expected an object, found %s",
                               json_type_name(root->type));
        if (rule_set(c, "/root", "readonly", json_new_bool(true),
                     "the container must not modify its image") < 0)
                return -1;
        for (size_t i = 0; i < c->params->tmpfs_paths.n; i++)
                if (ensure_scratch(c, c->params->tmpfs_paths.v[i], true) < 0)
                        return -1;
        for (size_t i = 0; i < c->params->tmpfs_empty.n; i++)
                if (ensure_scratch(c, c->params->tmpfs_empty.v[i], false) < 0)
                        return -1;
        return 0;
}

static const char *const owns[] = {"/root/readonly", NULL};

const struct rule_def rule_rootfs = {
    .name = "rootfs",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "read-only root filesystem, size-capped tmpfs where programs write",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
