// SPDX-License-Identifier: GPL-2.0-or-later
/* cwd: the process starts in an absolute directory outside /proc. runc
 * refuses a relative one for exec; a working directory under /proc (such as
 * /proc/self/fd/N) is how CVE-2024-21626 reached a host directory through a
 * file descriptor leaked into runc's init, by image WORKDIR or `exec -w`.
 * Nothing can rewrite a working directory the program relies on, so this
 * rule refuses. The check is lexical: a symlink inside the image is the
 * runtime's to resolve. */
#include <stdlib.h>

#include "cleanup.h"
#include "pathutil.h"
#include "pipeline.h"

static const struct param_field params[] = {PARAM_END};

static int apply(struct rule_ctx *c)
{
        const struct json *cwd = json_pointer_get(c->spec, "/process/cwd");
        cleanup_free char *clean = NULL;
        if (cwd == NULL)
                return 0;
        if (cwd->type != JSON_STRING)
                return hr_fail(c->err, "/process/cwd: expected a string");
        if (cwd->text[0] != '/')
                return rule_refuse(c, "/process/cwd", cwd,
                                   "the working directory must be an absolute path");
        clean = path_clean(cwd->text);
        if (clean == NULL)
                return hr_fail(c->err, "out of memory");
        if (path_within(clean, "/proc"))
                return rule_refuse(c, "/process/cwd", cwd,
                                   "a working directory under /proc can reach the host through "
                                   "the runtime's file descriptors (CVE-2024-21626)");
        return 0;
}

static const char *const owns[] = {"/process/cwd", NULL};

const struct rule_def rule_cwd = {
    .name = "cwd",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "the working directory is an absolute path outside /proc",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
