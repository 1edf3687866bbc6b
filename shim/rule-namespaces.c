// SPDX-License-Identifier: GPL-2.0-or-later
/* namespaces: the container has its own pid, network, ipc, uts and mount
 * namespaces (CIS Docker Benchmark v1.6.0 5.10, 5.16, 5.17, 5.21). Docker expresses --pid,
 * --ipc and --uts host by leaving the entry out, and --network host by
 * joining the host's namespace by path: both are refused, since no rewrite
 * keeps what was asked for. A path to another container's namespace
 * (--network container:X) is fine. A missing cgroup namespace, Docker's
 * default on cgroup v1, is added. */
#include <stdio.h>
#include <string.h>

#include "pathutil.h"
#include "pipeline.h"
#include "probe.h"

static const struct param_field params[] = {PARAM_END};

static const char *const required[] = {"pid", "network", "ipc", "uts", "mount"};

static const struct json *find(const struct json *nss, const char *type, size_t *at)
{
        for (size_t i = 0; nss != NULL && i < nss->n; i++) {
                const struct json *t = json_obj_get(nss->vals[i], "type");
                if (t != NULL && t->type == JSON_STRING && strcmp(t->text, type) == 0) {
                        *at = i;
                        return nss->vals[i];
                }
        }
        return NULL;
}

static int check_path(struct rule_ctx *c, const struct json *ns, size_t at, const char *type)
{
        const struct json *path = json_obj_get(ns, "path");
        char ptr[64];
        bool ours = false;
        if (path == NULL)
                return 0;
        snprintf(ptr, sizeof(ptr), "/linux/namespaces/%zu/path", at);
        if (path->type != JSON_STRING)
                return hr_fail(c->err, "%s: expected a string", ptr);
        switch (probe_ns_is_ours(c->env->probe, path->text, type, &ours)) {
        case 0:
                break;
        case PROBE_UNKNOWN:
                return rule_defer(c, ptr, path, "which namespace this path joins");
        default:
                return rule_refuse(c, ptr, path, "cannot verify which namespace this path joins");
        }
        if (ours) {
                char why[96];
                snprintf(why, sizeof(why), "joins the host's %s namespace", type);
                return rule_refuse(c, ptr, path, why);
        }
        return 0;
}

static int apply(struct rule_ctx *c)
{
        const struct json *nss = json_pointer_get(c->spec, "/linux/namespaces");
        const struct json *ns;
        size_t at = 0;
        if (nss != NULL && nss->type != JSON_ARRAY)
                return hr_fail(c->err, "/linux/namespaces: expected an array");
        /* every namespace is checked, so the report names each host one */
        for (size_t i = 0; i < sizeof(required) / sizeof(*required); i++) {
                char why[96];
                ns = find(nss, required[i], &at);
                if (ns != NULL) {
                        if (check_path(c, ns, at, required[i]) < 0 && !c->refused)
                                return -1;
                        continue;
                }
                snprintf(why, sizeof(why), "no %s namespace: the container shares the host's",
                         required[i]);
                if (rule_refuse(c, "/linux/namespaces", nss, why) < 0 && !c->refused)
                        return -1;
        }
        ns = find(nss, "cgroup", &at);
        if (ns != NULL) {
                if (check_path(c, ns, at, "cgroup") < 0 && !c->refused)
                        return -1;
        } else if (rule_insert(c, "/linux/namespaces", (size_t)-1,
                               json_object_of("type", json_new_string("cgroup"), NULL),
                               "own cgroup namespace: the host's cgroup tree stays hidden") < 0 &&
                   !c->refused) {
                return -1;
        }
        return c->refused ? -1 : 0;
}

static const char *const owns[] = {"/linux/namespaces", NULL};

const struct rule_def rule_namespaces = {
    .name = "namespaces",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "own pid, network, ipc, uts, mount and cgroup namespaces: no host namespace",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
