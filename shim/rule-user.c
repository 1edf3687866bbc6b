// SPDX-License-Identifier: GPL-2.0-or-later
/* user: the container's process does not run as uid 0 or gid 0 (CIS Docker Benchmark
 * v1.6.0 4.1). Supplementary groups are the groups rule's. A process moved off
 * uid 0 whose HOME is root's (/root, or none) gets HOME=/tmp: root's home
 * is not its own, and programs that write there (git config --global,
 * shells' histories, caches) would fail. */
#include <stdio.h>
#include <string.h>

#include "pipeline.h"

static const struct param_field params[] = {
    {"uid", PT_INT, P_OFF(uid), 1, 4294967294LL, NULL},
    {"gid", PT_INT, P_OFF(gid), 1, 4294967294LL, NULL},
    PARAM_END,
};

/* Go decodes an absent uid or gid as 0. */
static int id_of(struct rule_ctx *c, const struct json *user, const char *key, long long *out)
{
        const struct json *v = json_obj_get(user, key);
        *out = 0;
        if (v != NULL && json_int64(v, out) < 0)
                return hr_fail(c->err, "/process/user/%s: not an integer", key);
        return 0;
}

/* HOME of root's, or none: the environment of a process that was root. */
static int home_for(struct rule_ctx *c)
{
        const struct json *env = json_pointer_get(c->spec, "/process/env");
        struct json *next;
        bool found = false;
        if (env != NULL && env->type != JSON_ARRAY)
                return hr_fail(c->err, "/process/env: expected an array");
        for (size_t i = 0; env != NULL && i < env->n; i++) {
                const struct json *e = env->vals[i];
                if (e->type != JSON_STRING || strncmp(e->text, "HOME=", 5) != 0)
                        continue;
                if (strcmp(e->text, "HOME=/root") != 0 && strcmp(e->text, "HOME=/") != 0)
                        return 0; /* a home of the image's choosing */
                found = true;
        }
        next = json_new(JSON_ARRAY);
        for (size_t i = 0; next != NULL && env != NULL && i < env->n; i++) {
                const struct json *e = env->vals[i];
                if (e->type == JSON_STRING && strncmp(e->text, "HOME=", 5) == 0)
                        continue;
                if (json_array_append(next, json_dup(e), c->err) < 0) {
                        json_free(next);
                        return -1;
                }
        }
        if (next == NULL || json_array_append(next, json_new_string("HOME=/tmp"), c->err) < 0) {
                json_free(next);
                return hr_fail(c->err, "out of memory");
        }
        return rule_set(c, "/process", "env", next,
                        found ? "HOME was root's, and the process no longer is: /tmp, which it "
                                "may write"
                              : "no HOME, and the process is no longer root: /tmp, which it may "
                                "write");
}

static int apply(struct rule_ctx *c)
{
        const struct json *user = json_pointer_get(c->spec, "/process/user");
        long long uid, gid;
        if (user != NULL && user->type != JSON_OBJECT)
                return hr_fail(c->err, "/process/user: expected an object");
        if (id_of(c, user, "uid", &uid) < 0 || id_of(c, user, "gid", &gid) < 0)
                return -1;
        if (uid == 0 && rule_set(c, "/process/user", "uid", json_new_int64(c->params->uid),
                                 "the container's process must not run as root") < 0)
                return -1;
        if (uid == 0 && c->action == ACTION_ENFORCE && home_for(c) < 0)
                return -1;
        if (gid == 0 && rule_set(c, "/process/user", "gid", json_new_int64(c->params->gid),
                                 "the container's process must not run with group root") < 0)
                return -1;
        return 0;
}

static const char *const owns[] = {"/process/user/uid", "/process/user/gid", NULL};

const struct rule_def rule_user = {
    .name = "user",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "uid/gid 0 become the profile's",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
