// SPDX-License-Identifier: GPL-2.0-or-later
/* seccomp: the profile's filter replaces whatever the spec carries (CIS
 * Docker Benchmark v1.6.0 5.22). Replacing, not merging: Docker resolves its
 * capability-conditional rules before it writes config.json, so a spec made
 * with --cap-add SYS_ADMIN carries a filter that allows mount and unshare,
 * which stays wide open once the capability is dropped. A filter that hands
 * decisions to a user-space agent (SCMP_ACT_NOTIFY, listenerPath) never
 * passes, whatever the action, off included: it is replaced or refused.
 * What a capability the process keeps is for (chroot for CAP_SYS_CHROOT) is
 * added to the filter. */
#include <string.h>

#include "pipeline.h"
#include "seccomp-profile.h"

static const char *const modes[] = {"enforce", "log", NULL};

static const struct param_field params[] = {
    {"profile", PT_SOURCE, P_OFF(seccomp_profile), 0, 0, NULL},
    {"mode", PT_CHOICE, P_OFF(seccomp_mode), 0, 0, modes},
    PARAM_END,
};

static bool default_allows(const struct json *f)
{
        const struct json *a = json_obj_get(f, "defaultAction");
        return a != NULL && a->type == JSON_STRING &&
               (strcmp(a->text, "SCMP_ACT_ALLOW") == 0 || strcmp(a->text, "SCMP_ACT_LOG") == 0);
}

/* System calls that are what a capability is for: allowed when the process
 * holds it (its bounding set, after the caps rule), so that a profile never
 * grants a capability its own filter makes useless, as Docker's profile's
 * capability-conditional rules do. */
static const struct {
        const char *cap;
        const char *const *calls;
} cap_calls[] = {
    {"CAP_SYS_CHROOT", (const char *const[]){"chroot", NULL}},
};

/* The profile's filter, with what the process's capabilities are for; *why
 * says which. */
static struct json *filter_for_caps(struct rule_ctx *c, char *why, size_t len)
{
        const struct json *bounding = json_pointer_get(c->spec, "/process/capabilities/bounding");
        struct json *f = json_dup(c->params->seccomp_filter);
        struct json *calls = json_obj_get(f, "syscalls");
        size_t used = 0;
        why[0] = '\0';
        for (size_t i = 0; f != NULL && i < sizeof(cap_calls) / sizeof(*cap_calls); i++) {
                struct hr_error ignored = {0};
                struct json *rule;
                if (bounding == NULL || !json_array_has_string(bounding, cap_calls[i].cap))
                        continue;
                rule = json_object_of("names",
                                      json_array_of_strings((const char **)cap_calls[i].calls),
                                      "action", json_new_string("SCMP_ACT_ALLOW"), NULL);
                if (calls == NULL || calls->type != JSON_ARRAY ||
                    json_array_append(calls, rule, &ignored) < 0) {
                        hr_error_clear(&ignored);
                        json_free(f);
                        return NULL;
                }
                used += (size_t)snprintf(why + used, used < len ? len - used : 0,
                                         "; %s allowed: the process holds %s, which is for it",
                                         cap_calls[i].calls[0], cap_calls[i].cap);
        }
        return f;
}

static int apply(struct rule_ctx *c)
{
        const struct json *cur = json_pointer_get(c->spec, "/linux/seccomp");
        char caps_why[256], full[512];
        struct json *filter;
        const char *why = cur == NULL           ? "no seccomp filter: every system call is open"
                          : default_allows(cur) ? "the spec's filter allows by default"
                                                : "the profile's filter replaces the spec's";
        if (c->action == ACTION_OFF && !seccomp_filter_notifies(cur))
                return 0; /* runs when off only to guard against notify filters */
        if (c->params->seccomp_filter == NULL && c->action != ACTION_OFF)
                return hr_fail(c->err, "rule seccomp: the profile's filter is not loaded");
        if (seccomp_filter_notifies(cur) && c->action != ACTION_ENFORCE) {
                /* not even warn or off may let a notify filter through */
                struct rule_ctx strict = *c;
                int rc;
                strict.action = ACTION_DENY;
                rc = rule_refuse(&strict, "/linux/seccomp", cur,
                                 "a seccomp filter that defers to a user-space agent "
                                 "(SCMP_ACT_NOTIFY) is never allowed");
                c->refused = strict.refused;
                return rc;
        }
        if (seccomp_filter_notifies(cur))
                why = "a filter that defers to a user-space agent (SCMP_ACT_NOTIFY) is replaced";
        if ((filter = filter_for_caps(c, caps_why, sizeof(caps_why))) == NULL)
                return hr_fail(c->err, "rule seccomp: cannot extend the profile's filter (no "
                                       "syscalls array, or out of memory)");
        snprintf(full, sizeof(full), "%s%s", why, caps_why);
        return rule_set(c, "/linux", "seccomp", filter, full);
}

static const char *const owns[] = {"/linux/seccomp", NULL};

const struct rule_def rule_seccomp = {
    .name = "seccomp",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "the profile's seccomp filter replaces the spec's; never a notify filter",
    .fields = params,
    .owns = owns,
    .apply = apply,
    .runs_when_off = true,
};
