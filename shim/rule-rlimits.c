// SPDX-License-Identifier: GPL-2.0-or-later
/* rlimits: every resource limit has a maximum (CIS Docker Benchmark v1.6.0 5.19): the
 * profile's, or for a type the profile does not cap, what the container
 * would inherit from the runtime (our own limit: runc passes its own on), so
 * a spec never raises a limit past what the host budgets (RLIMIT_RTPRIO
 * above 0 would let an unprivileged process take real-time priority). A
 * capped limit the spec leaves out is added at what the container would
 * otherwise inherit, clamped: adding it must never raise it. A type runc
 * does not know is refused. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "pipeline.h"

static const struct param_field params[] = {
    {"max", PT_RLIMITS, P_OFF(rlimits), 0, 9223372036854775807LL, NULL},
    PARAM_END,
};

static const struct {
        const char *name;
        int resource;
} resources[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

static long long at_most(rlim_t v, long long max)
{
        return v == RLIM_INFINITY || (unsigned long long)v > (unsigned long long)max ? max
                                                                                     : (long long)v;
}

/* The limit the container would inherit, clamped to max. */
static int inherited(struct rule_ctx *c, const char *type, long long max, long long *soft,
                     long long *hard)
{
        struct rlimit rl;
        for (size_t i = 0; i < sizeof(resources) / sizeof(*resources); i++) {
                if (strcmp(resources[i].name, type) != 0)
                        continue;
                if (getrlimit(resources[i].resource, &rl) < 0)
                        return hr_fail_errno(c->err, errno, "getrlimit %s", type);
                *hard = at_most(rl.rlim_max, max);
                *soft = at_most(rl.rlim_cur, *hard);
                return 0;
        }
        return hr_fail(c->err, "rule rlimits: no resource %s", type);
}

static struct json *rlimit(const char *type, long long soft, long long hard)
{
        return json_object_of("type", json_new_string(type), "hard", json_new_int64(hard), "soft",
                              json_new_int64(soft), NULL);
}

static bool known_type(const char *type)
{
        for (size_t i = 0; i < sizeof(resources) / sizeof(*resources); i++)
                if (strcmp(resources[i].name, type) == 0)
                        return true;
        return false;
}

static bool capped(const struct rlimit_caps *caps, const char *type)
{
        for (size_t k = 0; k < caps->n; k++)
                if (strcmp(caps->v[k].type, type) == 0)
                        return true;
        return false;
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

/* Entries of types the profile does not cap: at most what the container
 * would inherit. */
static int clamp_uncapped(struct rule_ctx *c)
{
        const struct json *rl = json_pointer_get(c->spec, "/process/rlimits");
        for (size_t i = 0; rl != NULL && i < rl->n; i++) {
                const struct json *t = json_obj_get(rl->vals[i], "type");
                long long soft = 0, hard = 0;
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/process/rlimits/%zu/type", i);
                if (t == NULL)
                        return rule_refuse(c, ptr, t, "a resource limit without a type");
                if (!known_type(t->text))
                        return rule_refuse(c, ptr, t, "not a resource limit runc knows");
                if (capped(&c->params->rlimits, t->text))
                        continue;
                if (inherited(c, t->text, 9223372036854775807LL, &soft, &hard) < 0 ||
                    clamp_entry(c, rl->vals[i], i, hard) < 0)
                        return -1;
        }
        return 0;
}

static int apply(struct rule_ctx *c)
{
        const struct rlimit_caps *caps = &c->params->rlimits;
        const struct json *rl = json_pointer_get(c->spec, "/process/rlimits");
        if (clamp_uncapped(c) < 0)
                return -1;
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
                if (!found) {
                        long long soft = 0, hard = 0;
                        if (inherited(c, caps->v[k].type, caps->v[k].max, &soft, &hard) < 0 ||
                            rule_insert(c, "/process/rlimits", (size_t)-1,
                                        rlimit(caps->v[k].type, soft, hard),
                                        "a limit the profile caps: what the container would "
                                        "inherit, at most the "
                                        "maximum") < 0)
                                return -1;
                }
                rl = json_pointer_get(c->spec, "/process/rlimits");
        }
        return 0;
}

static const char *const owns[] = {"/process/rlimits", NULL};

const struct rule_def rule_rlimits = {
    .name = "rlimits",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "resource limits (ulimits) clamped to the profile's maxima",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
