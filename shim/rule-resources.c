// SPDX-License-Identifier: GPL-2.0-or-later
/* resources: memory, swap, pids and cpu get the profile's default when the
 * spec sets none and are clamped to its maximum (CIS Docker Benchmark v1.6.0 5.11, 5.12,
 * 5.29), also where cgroup v2 "unified" keys would override them. Swap (OCI
 * memory.swap is memory+swap) equals memory unless the profile allows extra.
 * A pids limit of 0 or -1 and a negative memory limit mean unlimited.
 *
 * `update` hands runc new resources where 0 (or absent) means "leave as it
 * is" (runc 1.1's update): those stay, a negative ("unlimited") value
 * becomes the maximum, and anything above it is clamped. What runc would
 * judge against a value it keeps (swap against memory, a quota against its
 * period) is completed so the result can be judged: new swap only with a
 * new memory limit, a quota with a period. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pipeline.h"
#include "probe.h"
#include "rootless.h"

#define BYTES_MAX 9223372036854771712LL /* what the kernel reports as unlimited */

static const struct param_field params[] = {
    {"memoryDefault", PT_BYTES, P_OFF(memory_default), 4194304, BYTES_MAX, NULL},
    {"memoryMax", PT_BYTES, P_OFF(memory_max), 4194304, BYTES_MAX, NULL},
    {"swapExtra", PT_BYTES, P_OFF(swap_extra), 0, BYTES_MAX, NULL},
    {"pidsDefault", PT_INT, P_OFF(pids_default), 1, 4194304, NULL},
    {"pidsMax", PT_INT, P_OFF(pids_max), 1, 4194304, NULL},
    {"rootlessWithoutLimits", PT_BOOL, P_OFF(rootless_without_limits), 0, 0, NULL},
    {"cpuDefault", PT_INT, P_OFF(cpu_default), 0, 1024000, NULL},
    {"cpuMax", PT_INT, P_OFF(cpu_max), 0, 1024000, NULL},
    {"cpuSharesMax", PT_INT, P_OFF(cpu_shares_max), 2, 262144, NULL},
    {"realtimeRuntimeMax", PT_INT, P_OFF(realtime_runtime_max), 0, 1000000, NULL},
    PARAM_END,
};

#define CFS_PERIOD     100000 /* microseconds, the kernel's and runc's default */
#define CFS_PERIOD_MIN 1000   /* the kernel's bounds for a period */
#define CFS_PERIOD_MAX 1000000

/* The integer at parent/key: 1 with *v set, 0 when absent, -1 malformed. */
static int get_int(struct rule_ctx *c, const char *parent, const char *key, long long *v)
{
        const struct json *j = json_obj_get(json_pointer_get(c->spec, parent), key);
        if (j == NULL)
                return 0;
        if (json_int64(j, v) < 0)
                return hr_fail(c->err, "%s/%s: not an integer", parent, key);
        return 1;
}

static long long clamp(long long v, long long lo, long long hi)
{
        return v < lo ? lo : v > hi ? hi : v;
}

static int memory(struct rule_ctx *c, long long *limit_out)
{
        const struct hr_params *p = c->params;
        const char *m = "/linux/resources/memory";
        long long limit = 0, swap = 0, want;
        int has = get_int(c, m, "limit", &limit), has_swap;
        if (has < 0)
                return -1;
        want = !has || limit == 0 ? p->memory_default : limit < 0 ? p->memory_max : limit;
        want = clamp(want, 1, p->memory_max);
        if (rule_set(c, m, "limit", json_new_int64(want),
                     !has || limit == 0 ? "no memory limit: the profile's default"
                                        : "memory limit clamped to the profile's maximum") < 0)
                return -1;
        if ((has_swap = get_int(c, m, "swap", &swap)) < 0)
                return -1;
        /* memory+swap: at least the memory limit, at most memory plus the allowed extra */
        long long top = want > BYTES_MAX - p->swap_extra ? BYTES_MAX : want + p->swap_extra;
        long long swap_want = !has_swap || swap <= 0 ? top : clamp(swap, want, top);
        *limit_out = want;
        return rule_set(c, m, "swap", json_new_int64(swap_want),
                        p->swap_extra ? "swap limited to the profile's extra"
                                      : "no swap beyond the memory limit");
}

static int pids(struct rule_ctx *c, long long *limit_out)
{
        const struct hr_params *p = c->params;
        long long limit = 0, want;
        int has = get_int(c, "/linux/resources/pids", "limit", &limit);
        if (has < 0)
                return -1;
        /* 0 meant unlimited before runc 1.4, -1 always does */
        want = !has ? p->pids_default : limit <= 0 ? p->pids_max : clamp(limit, 1, p->pids_max);
        *limit_out = want;
        return rule_set(c, "/linux/resources/pids", "limit", json_new_int64(want),
                        !has ? "no process limit: the profile's default"
                             : "process limit clamped to the profile's maximum");
}

static int cpu(struct rule_ctx *c)
{
        const struct hr_params *p = c->params;
        const char *cp = "/linux/resources/cpu";
        long long quota = 0, period = 0, want;
        int has_q = get_int(c, cp, "quota", &quota), has_p = get_int(c, cp, "period", &period);
        if (has_q < 0 || has_p < 0)
                return -1;
        if (p->cpu_max == 0 && p->cpu_default == 0)
                return 0;
        if (!has_p || period <= 0)
                period = CFS_PERIOD;
        period = clamp(period, CFS_PERIOD_MIN, CFS_PERIOD_MAX);
        /* millicpus -> quota for this period */
        want = !has_q || quota <= 0 ? (p->cpu_default ? p->cpu_default : p->cpu_max) * period / 1000
                                    : quota;
        if (p->cpu_max)
                want = clamp(want, 1000, p->cpu_max * period / 1000);
        if (want <= 0)
                return 0;
        if (rule_set(c, cp, "period", json_new_int64(period), "CPU quota period") < 0)
                return -1;
        return rule_set(c, cp, "quota", json_new_int64(want),
                        !has_q || quota <= 0 ? "no CPU limit: the profile's default"
                                             : "CPU quota clamped to the profile's maximum");
}

/* A unified value: a decimal number, or "max" (-1). */
static int unified_number(struct rule_ctx *c, const char *key, const char *text, long long *n)
{
        char *end;
        if (strcmp(text, "max") == 0) {
                *n = -1;
                return 0;
        }
        errno = 0;
        *n = strtoll(text, &end, 10);
        if (end == text || *end != '\0' || errno != 0 || *n < 0)
                return hr_fail(c->err,
                               "/linux/resources/unified/%s: \"%s\" is not a number or \"max\"",
                               key, text);
        return 0;
}

static const struct json *unified_string(struct rule_ctx *c, const char *key)
{
        const struct json *v =
            json_obj_get(json_pointer_get(c->spec, "/linux/resources/unified"), key);
        if (v != NULL && v->type != JSON_STRING) {
                hr_fail(c->err, "/linux/resources/unified/%s: expected a string", key);
                return NULL;
        }
        return v;
}

/* value: a number, or with period >= 0 "QUOTA PERIOD" (cpu.max) */
static int unified_set(struct rule_ctx *c, const char *key, long long value, long long period)
{
        char buf[48];
        if (period >= 0)
                snprintf(buf, sizeof(buf), "%lld %lld", value, period);
        else
                snprintf(buf, sizeof(buf), "%lld", value);
        return rule_set(c, "/linux/resources/unified", key, json_new_string(buf),
                        "cgroup v2 value clamped to the profile's maximum");
}

/* cpu.max is "QUOTA [PERIOD]": QUOTA a number or "max" (-1), PERIOD a
 * number (*has_period 0 when it is left out). */
static int parse_cpu_max(struct rule_ctx *c, const char *value, long long *quota, long long *period,
                         bool *has_period)
{
        cleanup_free char *text = strdup(value);
        char *sp;
        if (text == NULL)
                return hr_fail(c->err, "out of memory");
        if ((sp = strchr(text, ' ')) != NULL)
                *sp++ = '\0';
        *has_period = sp != NULL;
        *period = CFS_PERIOD;
        if (unified_number(c, "cpu.max", text, quota) < 0 ||
            (sp != NULL && unified_number(c, "cpu.max", sp, period) < 0))
                return -1;
        if (*period < 0)
                return hr_fail(c->err,
                               "/linux/resources/unified/cpu.max: \"%s\": the period "
                               "cannot be \"max\"",
                               value);
        return 0;
}

static int unified_cpu(struct rule_ctx *c)
{
        const struct json *v = unified_string(c, "cpu.max");
        long long quota, period, top;
        bool has_period;
        if (v == NULL || c->params->cpu_max == 0)
                return c->err->failed ? -1 : 0;
        if (parse_cpu_max(c, v->text, &quota, &period, &has_period) < 0)
                return -1;
        period = clamp(period, CFS_PERIOD_MIN, CFS_PERIOD_MAX);
        top = c->params->cpu_max * period / 1000;
        if (quota >= 0 && quota <= top && has_period)
                return 0;
        return unified_set(c, "cpu.max", quota < 0 || quota > top ? top : quota, period);
}

/* cgroup v2 keys that runc writes after, and over, the typed fields. */
static int unified(struct rule_ctx *c, long long mem, long long pid_limit)
{
        static const char *const keys[] = {"memory.max", "memory.swap.max", "pids.max"};
        const struct json *u = json_pointer_get(c->spec, "/linux/resources/unified");
        if (u == NULL)
                return 0;
        if (u->type != JSON_OBJECT)
                return hr_fail(c->err, "/linux/resources/unified: expected an object");
        for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
                const struct json *v = unified_string(c, keys[i]);
                long long cap = i == 0 ? mem : i == 1 ? c->params->swap_extra : pid_limit;
                long long n;
                if (v == NULL && c->err->failed)
                        return -1;
                if (v == NULL)
                        continue;
                if (unified_number(c, keys[i], v->text, &n) < 0)
                        return -1;
                if (n >= 0 && n <= cap)
                        continue;
                if (unified_set(c, keys[i], cap, -1) < 0)
                        return -1;
        }
        return unified_cpu(c);
}

/* CPU shares (cgroup v1; runc turns them into cpu.weight on v2) weigh the
 * container against its siblings, every other container: a large value
 * starves them. Real-time runtime lets its tasks preempt the host's. Both
 * are clamped where set, at create and at update alike. */
static int cpu_weights(struct rule_ctx *c)
{
        const char *cp = "/linux/resources/cpu";
        const struct hr_params *p = c->params;
        unsigned long long shares = 0;
        long long rt = 0;
        const struct json *s = json_obj_get(json_pointer_get(c->spec, cp), "shares");
        const struct json *w = unified_string(c, "cpu.weight");
        long long weight_top = 1 + ((p->cpu_shares_max - 2) * 9999) / 262142; /* runc's mapping */
        long long weight;
        if (s != NULL && json_uint64(s, &shares) == 0 &&
            shares > (unsigned long long)p->cpu_shares_max &&
            rule_set(c, cp, "shares", json_new_int64(p->cpu_shares_max),
                     "CPU shares clamped to the profile's maximum: more would starve the other "
                     "containers") < 0)
                return -1;
        if (get_int(c, cp, "realtimeRuntime", &rt) < 0)
                return -1;
        if (rt > p->realtime_runtime_max &&
            rule_set(c, cp, "realtimeRuntime", json_new_int64(p->realtime_runtime_max),
                     "real-time CPU time clamped to the profile's maximum: real-time tasks "
                     "preempt the host's") < 0)
                return -1;
        if (w == NULL)
                return c->err->failed ? -1 : 0;
        if (unified_number(c, "cpu.weight", w->text, &weight) < 0)
                return -1;
        if (weight >= 1 && weight <= weight_top)
                return 0;
        return unified_set(c, "cpu.weight", weight_top, -1);
}

/* ---- update: 0 or absent keeps the current value ---------------------- */

static int memory_update(struct rule_ctx *c, long long *cap_out)
{
        const struct hr_params *p = c->params;
        const char *m = "/linux/resources/memory";
        long long limit = 0, swap = 0, want, top;
        int has = get_int(c, m, "limit", &limit), has_swap = get_int(c, m, "swap", &swap);
        if (has < 0 || has_swap < 0)
                return -1;
        *cap_out = p->memory_max;
        if (limit == 0) /* unchanged: so must swap be, the profile ties it to the limit */
                return has_swap && swap != 0
                           ? rule_unset(c, m, "swap",
                                        "swap changes only together with the memory limit")
                           : 0;
        want = limit < 0 ? p->memory_max : clamp(limit, 1, p->memory_max);
        if (rule_set(c, m, "limit", json_new_int64(want),
                     limit < 0 ? "no unlimited memory: the profile's maximum"
                               : "memory limit clamped to the profile's maximum") < 0)
                return -1;
        *cap_out = want;
        top = want > BYTES_MAX - p->swap_extra ? BYTES_MAX : want + p->swap_extra;
        return rule_set(c, m, "swap", json_new_int64(swap <= 0 ? top : clamp(swap, want, top)),
                        p->swap_extra ? "swap limited to the profile's extra"
                                      : "no swap beyond the memory limit");
}

static int pids_update(struct rule_ctx *c)
{
        long long limit = 0;
        if (get_int(c, "/linux/resources/pids", "limit", &limit) < 0)
                return -1;
        if (limit == 0)
                return 0;
        return rule_set(
            c, "/linux/resources/pids", "limit",
            json_new_int64(limit < 0 ? c->params->pids_max : clamp(limit, 1, c->params->pids_max)),
            limit < 0 ? "no unlimited processes: the profile's maximum"
                      : "process limit clamped to the profile's maximum");
}

static int cpu_update(struct rule_ctx *c)
{
        const char *cp = "/linux/resources/cpu";
        long long quota = 0, period = 0, top;
        if (get_int(c, cp, "quota", &quota) < 0 || get_int(c, cp, "period", &period) < 0)
                return -1;
        if (c->params->cpu_max == 0 || (quota == 0 && period == 0))
                return 0;
        period = clamp(period == 0 ? CFS_PERIOD : period, CFS_PERIOD_MIN, CFS_PERIOD_MAX);
        if (rule_set(c, cp, "period", json_new_int64(period),
                     "a CPU quota is judged against a period set with it") < 0)
                return -1;
        top = c->params->cpu_max * period / 1000;
        return rule_set(c, cp, "quota",
                        json_new_int64(quota <= 0 ? top : clamp(quota, CFS_PERIOD_MIN, top)),
                        quota == 0  ? "a new period with the current quota could exceed the "
                                      "maximum: the profile's maximum for it"
                        : quota < 0 ? "no unlimited CPU: the profile's maximum"
                                    : "CPU quota clamped to the profile's maximum");
}

/* Kernel memory limits: 0 means unset (runc reads it so), and cgroup v2
 * has no such limit (runc ignores it). crun 1.8 refuses the key itself on
 * cgroup v2, even at 0 ("cannot set kernel memory with cgroupv2"), which
 * Docker 20.10 sends with every docker update: it goes. */
static int kernel_memory(struct rule_ctx *c)
{
        static const char *const keys[] = {"kernel", "kernelTCP"};
        bool v2 = false;
        bool known = probe_cgroup2(c->env->probe, &v2) == 0;
        for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
                long long v = 0;
                int rc = get_int(c, "/linux/resources/memory", keys[i], &v);
                if (rc < 0)
                        return -1;
                if (rc == 0 || (v != 0 && !(known && v2)))
                        continue;
                if (rule_unset(c, "/linux/resources/memory", keys[i],
                               v == 0 ? "0 means unset, and crun refuses the key on cgroup v2"
                                      : "cgroup v2 has no kernel memory limit (runc ignores it, "
                                        "crun refuses it)") < 0)
                        return -1;
        }
        return 0;
}

/* An update's 0 (and "" for a CPU set) means "unchanged" to runc 1.1,
 * and Docker 20.10 sends every field it does not change so: memory limit
 * 0, cpu quota 0... crun 1.8 writes them (memory.max 0: the container is
 * OOM-killed). Absent means unchanged to both: they go. */
static int drop_unchanged(struct rule_ctx *c)
{
        static const char *const zero[][2] = {
            {"memory", "limit"},       {"memory", "reservation"}, {"memory", "swap"},
            {"memory", "kernel"},      {"memory", "kernelTCP"},   {"cpu", "shares"},
            {"cpu", "quota"},          {"cpu", "period"},         {"cpu", "realtimeRuntime"},
            {"cpu", "realtimePeriod"}, {"pids", "limit"},         {"blockIO", "weight"},
            {"blockIO", "leafWeight"}};
        static const char *const empty[][2] = {{"cpu", "cpus"}, {"cpu", "mems"}};
        char parent[64];
        for (size_t i = 0; i < sizeof(zero) / sizeof(*zero); i++) {
                long long v = 1;
                int rc;
                snprintf(parent, sizeof(parent), "/linux/resources/%s", zero[i][0]);
                if ((rc = get_int(c, parent, zero[i][1], &v)) < 0)
                        return -1;
                if (rc == 1 && v == 0 &&
                    rule_unset(c, parent, zero[i][1],
                               "0 means unchanged in an update; runc reads it so, crun would "
                               "write it") < 0)
                        return -1;
        }
        for (size_t i = 0; i < sizeof(empty) / sizeof(*empty); i++) {
                const struct json *v;
                snprintf(parent, sizeof(parent), "/linux/resources/%s", empty[i][0]);
                v = json_obj_get(json_pointer_get(c->spec, parent), empty[i][1]);
                if (v != NULL && v->type == JSON_STRING && v->text[0] == '\0' &&
                    rule_unset(c, parent, empty[i][1],
                               "\"\" means unchanged in an update; runc reads it so, crun would "
                               "write it") < 0)
                        return -1;
        }
        return 0;
}

static int resources_update(struct rule_ctx *c)
{
        long long mem_cap;
        if (kernel_memory(c) < 0 || memory_update(c, &mem_cap) < 0 || pids_update(c) < 0 ||
            cpu_update(c) < 0 || cpu_weights(c) < 0 || unified(c, mem_cap, c->params->pids_max) < 0)
                return -1;
        return drop_unchanged(c);
}

/* Can a rootless caller set cgroup limits here? Under cgroup v2 the
 * caller's delegated subtree takes them (runc fails where it was not
 * delegated); under cgroup v1 nobody delegates. */
static bool rootless_can_limit(struct probe *pr)
{
        bool v2 = false;
        return probe_cgroup2(pr, &v2) == 0 && v2;
}

/* A rootless caller that cannot set limits: the container would run
 * without them, which only an admin may choose. */
static int rootless_without_cgroups(struct rule_ctx *c)
{
        const struct json *r = json_pointer_get(c->spec, "/linux/resources");
        if (!c->params->rootless_without_limits)
                return rule_refuse(c, "/linux/resources", r,
                                   "running rootless where the caller cannot set cgroup limits "
                                   "(cgroup v1): the container would run without memory, pids "
                                   "and cpu limits; an admin allows that in a profile with "
                                   "resources.rootlessWithoutLimits");
        return r == NULL ? 0
                         : rule_unset(c, "/linux", "resources",
                                      "running rootless where the caller cannot set cgroup limits "
                                      "(cgroup v1): without them, as the profile allows "
                                      "(resources.rootlessWithoutLimits)");
}

static int apply(struct rule_ctx *c)
{
        long long mem, pid_limit;
        const struct json *r = json_pointer_get(c->spec, "/linux/resources");
        if (r != NULL && r->type != JSON_OBJECT)
                return hr_fail(c->err, "/linux/resources: expected an object");
        if (c->env->scope == SCOPE_UPDATE)
                return resources_update(c);
        if (probe_reads(c->env->probe) && rootless_caller() && !rootless_can_limit(c->env->probe))
                return rootless_without_cgroups(c);
        if (kernel_memory(c) < 0 || memory(c, &mem) < 0 || pids(c, &pid_limit) < 0 || cpu(c) < 0 ||
            cpu_weights(c) < 0)
                return -1;
        return unified(c, mem, pid_limit);
}

static const char *const owns[] = {"/linux/resources/memory/limit",
                                   "/linux/resources/memory/kernel",
                                   "/linux/resources/memory/kernelTCP",
                                   "/linux/resources/memory/swap",
                                   "/linux/resources/cpu/quota",
                                   "/linux/resources/cpu/period",
                                   "/linux/resources/cpu/shares",
                                   "/linux/resources/cpu/realtimeRuntime",
                                   "/linux/resources/pids/limit",
                                   "/linux/resources/unified",
                                   NULL};

const struct rule_def rule_resources = {
    .name = "resources",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_UPDATE,
    .summary = "memory, swap, pids and cpu limits: defaults when unset, clamped to maxima",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
