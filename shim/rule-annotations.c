// SPDX-License-Identifier: GPL-2.0-or-later
/* annotations: Docker copies user annotations into the spec, and some
 * runtimes act on them: crun's run.oci.* keys pick handlers, load raw
 * seccomp BPF, keep supplementary groups. Those are stripped, so that
 * switching the real runtime cannot reopen what the rules closed. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pipeline.h"

static const struct param_field params[] = {
    {"stripPrefixes", PT_STRINGS, P_OFF(annotation_strip_prefixes), 0, 0, NULL},
    PARAM_END,
};

static int apply(struct rule_ctx *c)
{
        const struct json *a = json_pointer_get(c->spec, "/annotations");
        const struct strlist *strip = &c->params->annotation_strip_prefixes;
        if (a == NULL)
                return 0;
        if (a->type != JSON_OBJECT)
                return hr_fail(c->err, "/annotations: expected an object");
        for (size_t i = a->n; i-- > 0;) {
                for (size_t p = 0; p < strip->n; p++) {
                        cleanup_free char *key = NULL;
                        if (strncmp(a->keys[i], strip->v[p], strlen(strip->v[p])) != 0)
                                continue;
                        key = strdup(a->keys[i]);
                        if (key == NULL)
                                return hr_fail(c->err, "out of memory");
                        if (rule_unset(c, "/annotations", key,
                                       "annotation that changes the runtime's security") < 0)
                                return -1;
                        break;
                }
        }
        return 0;
}

static const char *const owns[] = {"/annotations", NULL};

const struct rule_def rule_annotations = {
    .name = "annotations",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "strip annotations that change runtime security (crun's run.oci.*)",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
