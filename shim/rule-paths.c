// SPDX-License-Identifier: GPL-2.0-or-later
/* paths: the /proc and /sys entries that expose the host (kcore, keys,
 * timer_list, firmware, ...) stay masked, and /proc/sys, /proc/sysrq-trigger
 * and friends read-only. --privileged drops both lists; they come back. */
#include "pipeline.h"

static const struct param_field params[] = {
    {"masked", PT_PATHS, P_OFF(masked_paths), 0, 0, NULL},
    {"readonly", PT_PATHS, P_OFF(readonly_paths), 0, 0, NULL},
    PARAM_END,
};

/* The spec's list plus whatever of want it lacks, in the spec's order. */
static int complete(struct rule_ctx *c, const char *key, const struct strlist *want,
                    const char *reason)
{
        const struct json *have = json_obj_get(json_pointer_get(c->spec, "/linux"), key);
        struct hr_error err = {0};
        struct json *out;
        if (have != NULL && have->type != JSON_ARRAY)
                return hr_fail(c->err, "/linux/%s: expected an array", key);
        out = have ? json_dup(have) : json_new(JSON_ARRAY);
        for (size_t i = 0; out != NULL && i < want->n; i++) {
                if (json_array_has_string(out, want->v[i]))
                        continue;
                if (json_array_append(out, json_new_string(want->v[i]), &err) < 0) {
                        hr_error_clear(&err);
                        json_free(out);
                        return hr_fail(c->err, "out of memory");
                }
        }
        return rule_set(c, "/linux", key, out, reason);
}

static int apply(struct rule_ctx *c)
{
        if (complete(c, "maskedPaths", &c->params->masked_paths,
                     "host information in /proc and /sys stays hidden") < 0)
                return -1;
        return complete(c, "readonlyPaths", &c->params->readonly_paths,
                        "kernel settings in /proc stay read-only");
}

static const char *const owns[] = {"/linux/maskedPaths", "/linux/readonlyPaths", NULL};

const struct rule_def rule_paths = {
    .name = "paths",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "sensitive /proc and /sys paths masked or read-only",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
