/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OCI hook stages, for the hooks rule and the admin config's allow-list. */
#ifndef HR_HOOKS_H
#define HR_HOOKS_H

#include <stdbool.h>

enum hook_stage {
        HOOK_PRESTART,
        HOOK_CREATE_RUNTIME,
        HOOK_CREATE_CONTAINER,
        HOOK_START_CONTAINER,
        HOOK_POSTSTART,
        HOOK_POSTSTOP,
        HOOK_STAGES,
};

/* The stage's name in the spec ("createRuntime"), or -1. */
int hook_stage_index(const char *name);
const char *hook_stage_name(enum hook_stage s);
/* createContainer and startContainer run in the container's mount
 * namespace, with the container's cwd and environment, as host root
 * (CVE-2025-23266): no allow-list can make them safe. */
bool hook_stage_never(enum hook_stage s);

#endif
