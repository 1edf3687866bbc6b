// SPDX-License-Identifier: GPL-2.0-or-later
/* sysctls: only sysctls the profile allows, which should be namespaced ones
 * (net.* in the container's own network namespace, the IPC ones), since
 * others change the host (no CIS recommendation; the Pod Security Standards' Sysctls control). In a
 * user namespace the kernel refuses Docker's ping_group_range "0 2147483647": it is rewritten to
 * the mapped group range. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pipeline.h"

static const struct param_field params[] = {
    {"allow", PT_STRINGS, P_OFF(sysctl_allow), 0, 0, NULL},
    {"allowPrefixes", PT_STRINGS, P_OFF(sysctl_allow_prefixes), 0, 0, NULL},
    PARAM_END,
};

/* A sysctl name this rule can judge: dot-separated components of letters,
 * digits, '_' and '-'. The runtimes turn every '.' into '/' under
 * /proc/sys, so no other form names one file the allow list speaks of: a
 * '/' is a separator the list never matched, and an empty component
 * ("net..x", a leading or trailing dot) a path no name spells. */
static bool well_formed(const char *name)
{
        size_t run = 0;
        for (const char *p = name; *p != '\0'; p++) {
                if (*p == '.') {
                        if (run == 0)
                                return false;
                        run = 0;
                } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                           (*p >= '0' && *p <= '9') || *p == '_' || *p == '-') {
                        run++;
                } else {
                        return false;
                }
        }
        return run > 0;
}

static bool allowed(const struct hr_params *p, const char *name)
{
        if (strlist_has(&p->sysctl_allow, name))
                return true;
        for (size_t i = 0; i < p->sysctl_allow_prefixes.n; i++)
                if (strncmp(name, p->sysctl_allow_prefixes.v[i],
                            strlen(p->sysctl_allow_prefixes.v[i])) == 0)
                        return true;
        return false;
}

/* The group range the gid mappings cover, lowest to highest, if any. */
static bool mapped_gids(const struct json *spec, long long *lo, long long *hi)
{
        const struct json *maps = json_pointer_get(spec, "/linux/gidMappings");
        bool any = false;
        for (size_t i = 0; maps != NULL && maps->type == JSON_ARRAY && i < maps->n; i++) {
                long long cid, size;
                if (json_int64(json_obj_get(maps->vals[i], "containerID"), &cid) < 0 ||
                    json_int64(json_obj_get(maps->vals[i], "size"), &size) < 0 || size < 1)
                        return false;
                if (!any || cid < *lo)
                        *lo = cid;
                if (!any || cid + size - 1 > *hi)
                        *hi = cid + size - 1;
                any = true;
        }
        return any;
}

static int ping_range(struct rule_ctx *c, const struct json *v)
{
        long long lo, hi, a, b;
        char want[64];
        if (!mapped_gids(c->spec, &lo, &hi))
                return 0;
        if (v->type == JSON_STRING && sscanf(v->text, "%lld %lld", &a, &b) == 2 && a >= lo &&
            b <= hi)
                return 0;
        snprintf(want, sizeof(want), "%lld %lld", lo, hi);
        return rule_set(c, "/linux/sysctl", "net.ipv4.ping_group_range", json_new_string(want),
                        "inside a user namespace the kernel accepts only mapped groups");
}

static bool has_ns(const struct json *spec, const char *type)
{
        const struct json *nss = json_pointer_get(spec, "/linux/namespaces");
        for (size_t i = 0; nss != NULL && nss->type == JSON_ARRAY && i < nss->n; i++) {
                const struct json *t = json_obj_get(nss->vals[i], "type");
                if (t != NULL && t->type == JSON_STRING && strcmp(t->text, type) == 0)
                        return true;
        }
        return false;
}

/* A user namespace and no network namespace in the spec: the one
 * hardened-runc enters for the container (the userns rule, nsenter.h),
 * which the host's user namespace owns (the namespaces rule refuses the
 * host's own). */
static bool netns_entered(const struct json *spec)
{
        return has_ns(spec, "user") && !has_ns(spec, "network");
}

static int apply(struct rule_ctx *c)
{
        const struct json *s = json_pointer_get(c->spec, "/linux/sysctl");
        if (s == NULL)
                return 0;
        if (s->type != JSON_OBJECT)
                return hr_fail(c->err, "/linux/sysctl: expected an object");
        /* backwards: removing a key shifts the ones after it */
        for (size_t i = s->n; i-- > 0;) {
                cleanup_free char *key = strdup(s->keys[i]);
                if (key == NULL)
                        return hr_fail(c->err, "out of memory");
                if (!well_formed(key)) {
                        cleanup_free char *ptr = json_pointer_join("/linux/sysctl", key);
                        if (ptr == NULL)
                                return hr_fail(c->err, "out of memory");
                        if (rule_refuse(c, ptr, s->vals[i],
                                        "not a sysctl name: dot-separated components of "
                                        "letters, digits, '_' and '-'") < 0)
                                return -1;
                } else if (!allowed(c->params, key)) {
                        if (rule_unset(c, "/linux/sysctl", key,
                                       "not a namespaced sysctl the profile allows") < 0)
                                return -1;
                } else if (strncmp(key, "net.", 4) == 0 && netns_entered(c->spec)) {
                        cleanup_free char *ptr = json_pointer_join("/linux/sysctl", key);
                        if (ptr == NULL)
                                return hr_fail(c->err, "out of memory");
                        if (rule_refuse(c, ptr, s->vals[i],
                                        "a network sysctl for a network namespace the host's "
                                        "user namespace owns (hardened-runc enters it for the "
                                        "container): the container's root cannot set it there, "
                                        "and runc refuses it without a network namespace in the "
                                        "spec") < 0)
                                return -1;
                } else if (strcmp(key, "net.ipv4.ping_group_range") == 0 &&
                           ping_range(c, s->vals[i]) < 0) {
                        return -1;
                }
        }
        return 0;
}

static const char *const owns[] = {"/linux/sysctl", NULL};

const struct rule_def rule_sysctls = {
    .name = "sysctls",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "only namespaced, allowed sysctls; ping_group_range inside the mapping",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
