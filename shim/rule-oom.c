// SPDX-License-Identifier: GPL-2.0-or-later
/* oom: the container is never safer from the OOM killer than the host's own
 * processes. A negative oomScoreAdj (-1000 makes a process unkillable)
 * becomes 0, and disableOOMKiller (--oom-kill-disable) goes: with it, a
 * container at its memory limit hangs its tasks instead of being killed,
 * and under cgroup v1 the host's memory pressure cannot be relieved by
 * killing it. */
#include "pipeline.h"

static int apply(struct rule_ctx *c)
{
        const struct json *adj = json_pointer_get(c->spec, "/process/oomScoreAdj");
        const struct json *off =
            json_pointer_get(c->spec, "/linux/resources/memory/disableOOMKiller");
        long long v;
        /* the fields rule checked the type */
        if (adj != NULL && json_int64(adj, &v) == 0 && v < 0 &&
            rule_set(c, "/process", "oomScoreAdj", json_new_int64(0),
                     "a negative OOM score protects the container from the OOM killer at the "
                     "host's expense") < 0)
                return -1;
        if (off != NULL && off->type == JSON_TRUE &&
            rule_unset(c, "/linux/resources/memory", "disableOOMKiller",
                       "without the OOM killer a container at its limit hangs instead of being "
                       "killed") < 0)
                return -1;
        return 0;
}

static const struct param_field params[] = {PARAM_END};
static const char *const owns[] = {"/process/oomScoreAdj",
                                   "/linux/resources/memory/disableOOMKiller", NULL};

const struct rule_def rule_oom = {
    .name = "oom",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC | SCOPE_UPDATE,
    .summary = "no negative OOM score adjustment; the OOM killer stays on",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
