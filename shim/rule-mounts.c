// SPDX-License-Identifier: GPL-2.0-or-later
/* mounts: no bind mount of a sensitive host path (CIS Docker 5.5, 5.6, 5.31:
 * the host's root, /etc, /proc, /sys, /dev, the Docker and containerd
 * sockets and state), checked on the host path after symlinks are resolved,
 * because runc follows them. Bind mounts get nosuid and nodev; shared mount
 * propagation becomes private (CIS 5.19), so that mounts made inside do not
 * appear on the host. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pathutil.h"
#include "pipeline.h"

static const struct param_field params[] = {
    {"sensitiveExact", PT_PATHS, P_OFF(sensitive_exact), 0, 0, NULL},
    {"sensitiveTree", PT_PATHS, P_OFF(sensitive_tree), 0, 0, NULL},
    PARAM_END,
};

static const char *const private_of[][2] = {{"shared", "private"}, {"rshared", "rprivate"}};

static bool sensitive(const struct hr_params *p, const char *path)
{
        if (strlist_has(&p->sensitive_exact, path))
                return true;
        for (size_t i = 0; i < p->sensitive_tree.n; i++)
                if (path_within(path, p->sensitive_tree.v[i]))
                        return true;
        return false;
}

static int check_source(struct rule_ctx *c, const struct json *src, size_t i)
{
        cleanup_free char *clean = NULL;
        char real[PATH_MAX];
        char ptr[64], why[PATH_MAX + 64];
        snprintf(ptr, sizeof(ptr), "/mounts/%zu/source", i);
        if (src == NULL || src->type != JSON_STRING)
                return hr_fail(c->err, "%s: expected a string", ptr);
        clean = path_clean(src->text);
        if (clean == NULL)
                return hr_fail(c->err, "out of memory");
        if (sensitive(c->params, clean)) {
                snprintf(why, sizeof(why), "bind-mounts the host's %s, a sensitive path", clean);
                return rule_refuse(c, ptr, src, why);
        }
        if (realpath(clean, real) != NULL && sensitive(c->params, real)) {
                snprintf(why, sizeof(why),
                         "bind-mounts %s, which resolves to the host's %s, a sensitive path", clean,
                         real);
                return rule_refuse(c, ptr, src, why);
        }
        return 0;
}

/* The options with shared propagation made private and, for binds, nosuid
 * and nodev added. */
static struct json *hardened_options(const struct json *opts, bool bind)
{
        struct hr_error err = {0};
        struct json *out = json_new(JSON_ARRAY);
        bool nosuid = false, nodev = false;
        int rc = out ? 0 : -1;
        for (size_t k = 0; rc == 0 && opts != NULL && k < opts->n; k++) {
                const char *o = opts->vals[k]->text;
                for (size_t p = 0; p < sizeof(private_of) / sizeof(*private_of); p++)
                        if (strcmp(o, private_of[p][0]) == 0)
                                o = private_of[p][1];
                nosuid |= strcmp(o, "nosuid") == 0;
                nodev |= strcmp(o, "nodev") == 0;
                rc = json_array_append(out, json_new_string(o), &err);
        }
        if (rc == 0 && bind && !nosuid)
                rc = json_array_append(out, json_new_string("nosuid"), &err);
        if (rc == 0 && bind && !nodev)
                rc = json_array_append(out, json_new_string("nodev"), &err);
        if (rc < 0) {
                hr_error_clear(&err);
                json_free(out);
                return NULL;
        }
        return out;
}

static int harden_mount(struct rule_ctx *c, const struct json *m, size_t i)
{
        const struct json *type = json_obj_get(m, "type");
        const struct json *opts = json_obj_get(m, "options");
        bool bind = type != NULL && type->type == JSON_STRING && strcmp(type->text, "bind") == 0;
        char ptr[64];
        snprintf(ptr, sizeof(ptr), "/mounts/%zu", i);
        if (m->type != JSON_OBJECT)
                return hr_fail(c->err, "%s: expected an object", ptr);
        if (opts != NULL && opts->type != JSON_ARRAY)
                return hr_fail(c->err, "%s/options: expected an array", ptr);
        for (size_t k = 0; opts != NULL && k < opts->n; k++) {
                if (opts->vals[k]->type != JSON_STRING)
                        return hr_fail(c->err, "%s/options/%zu: expected a string", ptr, k);
                bind |= strcmp(opts->vals[k]->text, "bind") == 0 ||
                        strcmp(opts->vals[k]->text, "rbind") == 0;
        }
        if (bind && check_source(c, json_obj_get(m, "source"), i) < 0)
                return -1;
        return rule_set(
            c, ptr, "options", hardened_options(opts, bind),
            bind ? "bind mounts carry no setuid programs or device nodes; no shared propagation"
                 : "no shared propagation (CIS 5.19)");
}

static int apply(struct rule_ctx *c)
{
        const struct json *mounts = json_pointer_get(c->spec, "/mounts");
        const struct json *prop = json_pointer_get(c->spec, "/linux/rootfsPropagation");
        if (prop != NULL && prop->type == JSON_STRING &&
            (strcmp(prop->text, "shared") == 0 || strcmp(prop->text, "rshared") == 0) &&
            rule_set(c, "/linux", "rootfsPropagation", json_new_string("rprivate"),
                     "no shared propagation of the root (CIS 5.19)") < 0)
                return -1;
        if (mounts != NULL && mounts->type != JSON_ARRAY)
                return hr_fail(c->err, "/mounts: expected an array");
        for (size_t i = 0; mounts != NULL && i < mounts->n; i++)
                if (harden_mount(c, mounts->vals[i], i) < 0)
                        return -1;
        return 0;
}

static const char *const owns[] = {"/root/path", "/mounts", "/linux/rootfsPropagation", NULL};

const struct rule_def rule_mounts = {
    .name = "mounts",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "no sensitive host paths; bind mounts nosuid,nodev; no shared propagation",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
