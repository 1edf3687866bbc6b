// SPDX-License-Identifier: GPL-2.0-or-later
/* caps: the bounding, effective and permitted sets become what the spec asks
 * for intersected with the profile's allow-list (CIS Docker Benchmark v1.6.0 5.4); the
 * inheritable and ambient sets are emptied, since only they carry
 * capabilities across an exec of a non-privileged program. --privileged and
 * --cap-add ALL ask for all 38-41. Unknown names are refused: runc would
 * silently ignore a name it does not know, we cannot judge one. */
#include <stdio.h>

#include "pipeline.h"

static const struct param_field params[] = {
    {"allow", PT_CAPS, P_OFF(cap_allow), 0, 0, NULL},
    PARAM_END,
};

static const char *const allowed_sets[] = {"bounding", "effective", "permitted"};
static const char *const emptied_sets[] = {"inheritable", "ambient"};

/* The set filtered to the allow-list (or emptied); NULL on refusal/error. */
static struct json *filter_set(struct rule_ctx *c, const char *name, const struct json *set,
                               bool keep_allowed)
{
        struct hr_error err = {0};
        struct json *out = json_new(JSON_ARRAY);
        char ptr[64];
        for (size_t i = 0; out != NULL && i < set->n; i++) {
                const struct json *cap = set->vals[i];
                snprintf(ptr, sizeof(ptr), "/process/capabilities/%s/%zu", name, i);
                if (cap->type != JSON_STRING) {
                        hr_fail(c->err, "%s: expected a string", ptr);
                        goto fail;
                }
                if (!cap_name_known(cap->text)) {
                        rule_refuse(c, ptr, cap, "not a capability this system knows");
                        if (c->err->failed)
                                goto fail;
                        continue;
                }
                if (keep_allowed && strlist_has(&c->params->cap_allow, cap->text) &&
                    json_array_append(out, json_dup(cap), &err) < 0) {
                        hr_fail(c->err, "%s", hr_error_msg(&err));
                        goto fail;
                }
        }
        if (out == NULL)
                hr_fail(c->err, "out of memory");
        return out;
fail:
        hr_error_clear(&err);
        json_free(out);
        return NULL;
}

static int harden_set(struct rule_ctx *c, const struct json *caps, const char *name,
                      bool keep_allowed)
{
        const struct json *set = json_obj_get(caps, name);
        struct json *wanted;
        if (set == NULL)
                return 0; /* absent is empty */
        if (set->type != JSON_ARRAY)
                return hr_fail(c->err, "/process/capabilities/%s: expected an array", name);
        wanted = filter_set(c, name, set, keep_allowed);
        if (wanted == NULL)
                return -1;
        return rule_set(c, "/process/capabilities", name, wanted,
                        keep_allowed ? "only the profile's capabilities"
                                     : "no capabilities carried across exec");
}

static int apply(struct rule_ctx *c)
{
        const struct json *caps = json_pointer_get(c->spec, "/process/capabilities");
        if (caps == NULL)
                return 0;
        if (caps->type != JSON_OBJECT)
                return hr_fail(c->err, "/process/capabilities: expected an object");
        for (size_t i = 0; i < sizeof(allowed_sets) / sizeof(*allowed_sets); i++)
                if (harden_set(c, caps, allowed_sets[i], true) < 0)
                        return -1;
        for (size_t i = 0; i < sizeof(emptied_sets) / sizeof(*emptied_sets); i++)
                if (harden_set(c, caps, emptied_sets[i], false) < 0)
                        return -1;
        return 0;
}

static const char *const owns[] = {"/process/capabilities", NULL};

const struct rule_def rule_caps = {
    .name = "caps",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "capabilities limited to the profile's allow-list; no inheritable, no ambient",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
