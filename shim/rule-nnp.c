// SPDX-License-Identifier: GPL-2.0-or-later
/* nnp: the container's process gets no_new_privs, so setuid binaries and file
 * capabilities cannot raise its privileges (CIS Docker Benchmark v1.6.0 5.26). An exec'd
 * process carries its own value, which the exec path must harden too. */
#include "pipeline.h"

static const struct param_field params[] = {PARAM_END};

static int apply(struct rule_ctx *c)
{
        return rule_set(c, "/process", "noNewPrivileges", json_new_bool(true),
                        "no privilege gain through setuid binaries or file capabilities");
}

static const char *const owns[] = {"/process/noNewPrivileges", NULL};

const struct rule_def rule_nnp = {
    .name = "nnp",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "no privilege gain through setuid binaries or file capabilities",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
