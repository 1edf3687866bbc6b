// SPDX-License-Identifier: GPL-2.0-or-later
/* systemd: under the systemd cgroup driver (runc and crun's
 * --systemd-cgroup, which containerd passes for Docker's and the kubelet's
 * systemd driver) the container's cgroup is a systemd scope, and systemd
 * writes the unit's own idea of every limit back into its cgroup on each
 * `systemctl daemon-reload` and property change. A limit the runtime wrote
 * only to cgroupfs is then lost: runc 1.1 hands systemd no MemorySwapMax
 * when swap equals memory (it writes memory.swap.max 0 itself), so swap
 * returned to "max" (measured on Debian 12, systemd 252).
 *   create: every unit property the runtime takes from
 *   `org.systemd.property.NAME` annotations (runc, crun) is judged: one of
 *   the profile's keepProperties stays, any other goes (MemoryMax, TasksMax,
 *   DeviceAllow, Delegate... would lift what the other rules set), except
 *   this rule's own MemorySwapMax at the value it sets itself; then,
 *   under the systemd driver on cgroup v2, the final swap limit is added as
 *   the unit's own MemorySwapMax, so that systemd itself holds it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pipeline.h"
#include "probe.h"

#define PROPERTY_PREFIX "org.systemd.property."

static const struct param_field params[] = {
    {"keepProperties", PT_STRINGS, P_OFF(systemd_keep_properties), 0, 0, NULL},
    PARAM_END,
};

static bool kept(const struct strlist *keep, const char *name)
{
        for (size_t i = 0; i < keep->n; i++)
                if (strcmp(keep->v[i], name) == 0)
                        return true;
        return false;
}

/* The positive integer at pointer, or 0. */
static long long positive(const struct rule_ctx *c, const char *pointer)
{
        long long v = 0;
        const struct json *j = json_pointer_get(c->spec, pointer);
        return j != NULL && json_int64(j, &v) == 0 && v > 0 ? v : 0;
}

/* The swap limit hold_limits gives the unit for this spec: "uint64 N"
 * with N = swap - memory, or NULL when it gives none. The caller frees. */
static char *own_swap_max(const struct rule_ctx *c)
{
        long long mem = positive(c, "/linux/resources/memory/limit");
        long long swap = positive(c, "/linux/resources/memory/swap");
        char *text = NULL;
        if (mem == 0 || swap < mem || asprintf(&text, "uint64 %lld", swap - mem) < 0)
                return NULL;
        return text;
}

/* The property this rule itself sets, with the value it sets: a spec
 * create already hardened carries it, and judging that spec again (check
 * of a live bundle) must find nothing to change. */
static bool is_own(const struct rule_ctx *c, const char *key, const struct json *v)
{
        cleanup_free char *own = NULL;
        if (strcmp(key, PROPERTY_PREFIX "MemorySwapMax") != 0 || v->type != JSON_STRING)
                return false;
        own = own_swap_max(c);
        return own != NULL && strcmp(own, v->text) == 0;
}

static int judge_callers(struct rule_ctx *c)
{
        const struct json *a = json_pointer_get(c->spec, "/annotations");
        const size_t plen = strlen(PROPERTY_PREFIX);
        if (a == NULL)
                return 0;
        for (size_t i = a->n; i-- > 0;) {
                cleanup_free char *key = NULL;
                if (strncmp(a->keys[i], PROPERTY_PREFIX, plen) != 0 ||
                    kept(&c->params->systemd_keep_properties, a->keys[i] + plen) ||
                    is_own(c, a->keys[i], a->vals[i]))
                        continue;
                if ((key = strdup(a->keys[i])) == NULL)
                        return hr_fail(c->err, "out of memory");
                if (rule_unset(c, "/annotations", key,
                               "a systemd unit property of the container's scope, which the "
                               "runtime sets as host root: it could lift the limits and device "
                               "rules (systemd.keepProperties lists the ones a caller may set)") <
                    0)
                        return -1;
        }
        return 0;
}

static int set_property(struct rule_ctx *c, const char *name, unsigned long long value,
                        const char *reason)
{
        cleanup_free char *key = NULL;
        cleanup_free char *text = NULL;
        const struct json *now;
        if (asprintf(&key, PROPERTY_PREFIX "%s", name) < 0 ||
            asprintf(&text, "uint64 %llu", value) < 0) {
                key = text = NULL;
                return hr_fail(c->err, "out of memory");
        }
        now = json_obj_get(json_pointer_get(c->spec, "/annotations"), key);
        if (now != NULL && now->type == JSON_STRING && strcmp(now->text, text) == 0)
                return 0;
        if (json_pointer_ensure_object(c->spec, "/annotations", c->err) == NULL)
                return -1;
        return rule_set(c, "/annotations", key, json_new_string(text), reason);
}

/* runc 1.1 hands systemd MemoryMax, TasksMax and CPUQuotaPerSecUSec
 * itself, at create and on every update, but no MemorySwapMax when swap
 * equals memory (cgroup v2's swap.max 0): that one the unit gets here.
 * It stays right across updates: the resources rule keeps swap at memory
 * plus the profile's swapExtra. (crun puts the container in a "container"
 * cgroup below the scope, which systemd does not write.) Only swap: a
 * unit MemoryMax would cap a later update that raises the limit under a
 * runtime that writes only cgroupfs. */
static int hold_limits(struct rule_ctx *c)
{
        long long mem = positive(c, "/linux/resources/memory/limit");
        long long swap = positive(c, "/linux/resources/memory/swap");
        if (mem == 0 || swap < mem)
                return 0;
        /* the same value own_swap_max names */
        return set_property(c, "MemorySwapMax", (unsigned long long)(swap - mem),
                            "systemd holds the swap limit: it rewrites the scope's cgroup from "
                            "its unit on daemon-reload and on every property change, and runc "
                            "1.1 does not hand it this one");
}

static int apply(struct rule_ctx *c)
{
        const struct json *a = json_pointer_get(c->spec, "/annotations");
        bool v2 = false;
        int rc;
        if (a != NULL && a->type != JSON_OBJECT)
                return hr_fail(c->err, "/annotations: expected an object");
        if (judge_callers(c) < 0)
                return -1;
        if (!c->env->systemd_cgroup)
                return 0;
        if ((rc = probe_cgroup2(c->env->probe, &v2)) == PROBE_UNKNOWN)
                return rule_defer(c, "/annotations", a,
                                  "whether the host runs cgroup v2, where the systemd unit "
                                  "holds the limits");
        if (rc < 0)
                return hr_fail_errno(c->err, errno, "statfs /sys/fs/cgroup");
        return v2 ? hold_limits(c) : 0;
}

static const char *const owns[] = {NULL};

const struct rule_def rule_systemd = {
    .name = "systemd",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "no caller-set systemd unit property beyond an allow-list; under the systemd "
               "cgroup driver the unit itself holds the swap limit",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
