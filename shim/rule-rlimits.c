// SPDX-License-Identifier: GPL-2.0-or-later
/* rlimits: each resource limit the profile caps is clamped to its maximum,
 * and added at the maximum when the spec has none (CIS Docker 5.18), so a
 * container cannot raise, say, RLIMIT_NOFILE past what the host budgets. */
#include <stdio.h>
#include <string.h>

#include "pipeline.h"

const struct param_field rule_rlimits_fields[] = {
    {"max", PT_RLIMITS, P_OFF(rlimits), 0, 9223372036854775807LL, NULL},
    PARAM_END,
};

static struct json *rlimit(const char *type, long long v)
{
        struct hr_error err = {0};
        struct json *o = json_new(JSON_OBJECT);
        if (o == NULL || json_obj_set(o, "type", json_new_string(type), &err) < 0 ||
            json_obj_set(o, "hard", json_new_int64(v), &err) < 0 ||
            json_obj_set(o, "soft", json_new_int64(v), &err) < 0) {
                hr_error_clear(&err);
                json_free(o);
                return NULL;
        }
        return o;
}

static int clamp_entry(struct rule_ctx *c, const struct json *entry, size_t i, long long max)
{
        static const char *const keys[] = {"hard", "soft"};
        char ptr[64];
        snprintf(ptr, sizeof(ptr), "/process/rlimits/%zu", i);
        for (size_t k = 0; k < 2; k++) {
                long long v;
                /* rlimits are uint64 in Go: a value that does not fit in
                 * long long is above any maximum we can hold */
                const struct json *j = json_obj_get(entry, keys[k]);
                if (j == NULL || j->type != JSON_NUMBER)
                        return hr_fail(c->err, "%s/%s: expected a number", ptr, keys[k]);
                if (json_int64(j, &v) == 0 && v >= 0 && v <= max)
                        continue;
                if (rule_set(c, ptr, keys[k], json_new_int64(max),
                             "resource limit clamped to the profile's maximum") < 0)
                        return -1;
        }
        return 0;
}

int rule_rlimits_apply(struct rule_ctx *c)
{
        const struct rlimit_caps *caps = &c->params->rlimits;
        const struct json *rl = json_pointer_get(c->spec, "/process/rlimits");
        if (rl != NULL && rl->type != JSON_ARRAY)
                return hr_fail(c->err, "/process/rlimits: expected an array");
        for (size_t k = 0; k < caps->n; k++) {
                bool found = false;
                for (size_t i = 0; rl != NULL && i < rl->n; i++) {
                        const struct json *t = json_obj_get(rl->vals[i], "type");
                        if (t == NULL || t->type != JSON_STRING)
                                return hr_fail(c->err,
                                               "/process/rlimits/%zu/type: expected a string", i);
                        if (strcmp(t->text, caps->v[k].type) != 0)
                                continue;
                        found = true;
                        if (clamp_entry(c, rl->vals[i], i, caps->v[k].max) < 0)
                                return -1;
                }
                if (!found && rule_insert(c, "/process/rlimits", (size_t)-1,
                                          rlimit(caps->v[k].type, caps->v[k].max),
                                          "resource limit the profile caps, at its maximum") < 0)
                        return -1;
                rl = json_pointer_get(c->spec, "/process/rlimits");
        }
        return 0;
}
