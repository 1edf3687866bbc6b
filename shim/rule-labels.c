// SPDX-License-Identifier: GPL-2.0-or-later
/* labels (exec only): an exec'd process keeps the container's AppArmor
 * profile and SELinux label. runc applies a process's own label when it
 * names one and the container's when it is empty, so removing it is never
 * weaker; `docker exec --privileged` asks for "unconfined" here. */
#include "pipeline.h"

static const struct param_field params[] = {PARAM_END};

static int keep_container_label(struct rule_ctx *c, const char *key)
{
        const struct json *v = json_obj_get(json_pointer_get(c->spec, "/process"), key);
        if (v == NULL)
                return 0;
        if (v->type != JSON_STRING)
                return hr_fail(c->err, "/process/%s: expected a string", key);
        if (v->text[0] == '\0')
                return 0; /* empty: the container's already */
        return rule_unset(c, "/process", key,
                          "an exec'd process keeps the container's label: it may not choose "
                          "another");
}

static int apply(struct rule_ctx *c)
{
        if (keep_container_label(c, "apparmorProfile") < 0)
                return -1;
        return keep_container_label(c, "selinuxLabel");
}

static const char *const owns[] = {"/process/apparmorProfile", "/process/selinuxLabel", NULL};

const struct rule_def rule_labels = {
    .name = "labels",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_EXEC,
    .summary = "an exec'd process keeps the container's AppArmor profile and SELinux label",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
