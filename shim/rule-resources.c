// SPDX-License-Identifier: GPL-2.0-or-later
/* resources: memory, swap, pids and cpu get the profile's default when the
 * spec sets none and are clamped to its maximum (CIS Docker 5.10, 5.11,
 * 5.28), also where cgroup v2 "unified" keys would override them. Swap (OCI
 * memory.swap is memory+swap) equals memory unless the profile allows extra.
 * A pids limit of 0 or -1 and a negative memory limit mean unlimited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

#define BYTES_MAX 9223372036854771712LL /* what the kernel reports as unlimited */

const struct param_field rule_resources_fields[] = {
    {"memoryDefault", PT_BYTES, P_OFF(memory_default), 4194304, BYTES_MAX, NULL},
    {"memoryMax", PT_BYTES, P_OFF(memory_max), 4194304, BYTES_MAX, NULL},
    {"swapExtra", PT_BYTES, P_OFF(swap_extra), 0, BYTES_MAX, NULL},
    {"pidsDefault", PT_INT, P_OFF(pids_default), 1, 4194304, NULL},
    {"pidsMax", PT_INT, P_OFF(pids_max), 1, 4194304, NULL},
    {"cpuDefault", PT_INT, P_OFF(cpu_default), 0, 1024000, NULL},
    {"cpuMax", PT_INT, P_OFF(cpu_max), 0, 1024000, NULL},
    PARAM_END,
};

#define CFS_PERIOD 100000 /* microseconds, the kernel's and runc's default */

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
                     !has || limit == 0 ? "no memory limit: the profile's default (CIS 5.10)"
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
                        !has ? "no process limit: the profile's default (CIS 5.28)"
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
                const struct json *v = json_obj_get(u, keys[i]);
                long long cap = i == 0 ? mem : i == 1 ? c->params->swap_extra : pid_limit;
                long long n;
                char buf[32], *end;
                if (v == NULL)
                        continue;
                if (v->type != JSON_STRING)
                        return hr_fail(c->err, "/linux/resources/unified/%s: expected a string",
                                       keys[i]);
                n = strcmp(v->text, "max") == 0 ? -1 : strtoll(v->text, &end, 10);
                if (n != -1 && (*end != '\0' || end == v->text))
                        return hr_fail(
                            c->err,
                            "/linux/resources/unified/%s: \"%s\" is not a number or \"max\"",
                            keys[i], v->text);
                if (n >= 0 && n <= cap)
                        continue;
                snprintf(buf, sizeof(buf), "%lld", cap);
                if (rule_set(c, "/linux/resources/unified", keys[i], json_new_string(buf),
                             "cgroup v2 value clamped to the profile's maximum") < 0)
                        return -1;
        }
        return 0;
}

int rule_resources_apply(struct rule_ctx *c)
{
        long long mem, pid_limit;
        const struct json *r = json_pointer_get(c->spec, "/linux/resources");
        if (r != NULL && r->type != JSON_OBJECT)
                return hr_fail(c->err, "/linux/resources: expected an object");
        if (memory(c, &mem) < 0 || pids(c, &pid_limit) < 0 || cpu(c) < 0)
                return -1;
        return unified(c, mem, pid_limit);
}
