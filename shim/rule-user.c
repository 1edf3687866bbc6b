// SPDX-License-Identifier: GPL-2.0-or-later
/* user: the container's process does not run as uid 0 or gid 0 (CIS Docker
 * 4.1). Docker puts gid 0 in additionalGids by default, and --group-add 0
 * adds it again; both go. */
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

static int drop_gid0(struct rule_ctx *c, const struct json *user)
{
        const struct json *groups = json_obj_get(user, "additionalGids");
        struct json *kept;
        struct hr_error err = {0};
        if (groups == NULL)
                return 0;
        if (groups->type != JSON_ARRAY)
                return hr_fail(c->err, "/process/user/additionalGids: expected an array");
        kept = json_new(JSON_ARRAY);
        for (size_t i = 0; kept != NULL && i < groups->n; i++) {
                long long g;
                if (json_int64(groups->vals[i], &g) < 0) {
                        json_free(kept);
                        return hr_fail(c->err, "/process/user/additionalGids/%zu: not an integer",
                                       i);
                }
                if (g != 0 && json_array_append(kept, json_dup(groups->vals[i]), &err) < 0) {
                        json_free(kept);
                        return hr_fail(c->err, "%s", hr_error_msg(&err));
                }
        }
        return rule_set(c, "/process/user", "additionalGids", kept,
                        "membership of group 0 gives access to root-group files");
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
                                 "the container's process must not run as root (CIS 4.1)") < 0)
                return -1;
        if (gid == 0 && rule_set(c, "/process/user", "gid", json_new_int64(c->params->gid),
                                 "the container's process must not run with group root") < 0)
                return -1;
        return drop_gid0(c, json_pointer_get(c->spec, "/process/user"));
}

static const char *const owns[] = {"/process/user/uid", "/process/user/gid", NULL};

const struct rule_def rule_user = {
    .name = "user",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "uid/gid 0 become the profile's; gid 0 leaves additionalGids",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
