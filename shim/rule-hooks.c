// SPDX-License-Identifier: GPL-2.0-or-later
/* hooks: an OCI hook runs as host root, outside every namespace, limit and
 * filter of the container, so a hook in the spec is a command on the host.
 * A hook passes only when:
 *   - it is Docker's own network hook: path /proc/PID/exe of a running
 *     dockerd owned by root, arguments "libnetwork-setkey -exec-root=DIR
 *     <this container's id> <network id>", no environment (dockerd adds it
 *     to every container, --network none included); or
 *   - the admin config's hooks allow-list has its path, stage, arguments
 *     and environment (an allowed binary with LD_PRELOAD in its
 *     environment would be any binary).
 * createContainer and startContainer hooks run inside the container's mount
 * namespace with its environment (CVE-2025-23266) and never pass. Every
 * kept hook is in the report; every other one is refused, naming it. */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"
#include "pipeline.h"
#include "probe.h"

static const char *const stage_names[HOOK_STAGES] = {
    [HOOK_PRESTART] = "prestart",
    [HOOK_CREATE_RUNTIME] = "createRuntime",
    [HOOK_CREATE_CONTAINER] = "createContainer",
    [HOOK_START_CONTAINER] = "startContainer",
    [HOOK_POSTSTART] = "poststart",
    [HOOK_POSTSTOP] = "poststop",
};

int hook_stage_index(const char *name)
{
        for (int i = 0; i < HOOK_STAGES; i++)
                if (strcmp(stage_names[i], name) == 0)
                        return i;
        return -1;
}

const char *hook_stage_name(enum hook_stage s)
{
        return stage_names[s];
}

bool hook_stage_never(enum hook_stage s)
{
        return s == HOOK_CREATE_CONTAINER || s == HOOK_START_CONTAINER;
}

static const char *str_at(const struct json *arr, size_t i)
{
        return arr != NULL && i < arr->n ? arr->vals[i]->text : NULL;
}

static size_t len_of(const struct json *arr)
{
        return arr != NULL ? arr->n : 0;
}

static bool all_hex(const char *s, size_t min, size_t max)
{
        size_t n = strlen(s);
        return n >= min && n <= max && strspn(s, "0123456789abcdef") == n;
}

/* Is /proc/PID (from path "/proc/PID/exe") a root-owned process whose
 * executable is named dockerd? DOCKERD_UNKNOWN when the probe cannot tell
 * (a dry run of a captured spec). */
enum dockerd_answer { DOCKERD_NO, DOCKERD_YES, DOCKERD_UNKNOWN };

static enum dockerd_answer is_dockerd_exe(struct probe *pr, const char *path)
{
        cleanup_free char *exe = NULL;
        char dir[64];
        const char *pid = path + strlen("/proc/");
        size_t digits = strspn(pid, "0123456789");
        struct stat st;
        const char *base;
        int rc;
        if (strncmp(path, "/proc/", 6) != 0 || digits == 0 || digits > 10 ||
            strcmp(pid + digits, "/exe") != 0)
                return DOCKERD_NO;
        snprintf(dir, sizeof(dir), "/proc/%.*s", (int)digits, pid);
        if ((rc = probe_stat(pr, dir, &st)) == 0 && st.st_uid == 0)
                rc = probe_readlink(pr, path, &exe);
        else if (rc == 0)
                return DOCKERD_NO;
        if (rc != 0 || exe == NULL)
                return rc == PROBE_UNKNOWN ? DOCKERD_UNKNOWN : DOCKERD_NO;
        base = strrchr(exe, '/');
        return base != NULL && strcmp(base + 1, "dockerd") == 0 ? DOCKERD_YES : DOCKERD_NO;
}

/* Is this dockerd's libnetwork-setkey prestart hook for this very
 * container? */
static enum dockerd_answer docker_setkey(struct rule_ctx *c, const struct json *h,
                                         enum hook_stage s)
{
        const struct json *args = json_obj_get(h, "args");
        const char *id = c->env->container_id;
        if (!(s == HOOK_PRESTART && json_obj_get(h, "env") == NULL && len_of(args) == 4 &&
              strcmp(str_at(args, 0), "libnetwork-setkey") == 0 &&
              strncmp(str_at(args, 1), "-exec-root=/", 12) == 0 && id != NULL &&
              strcmp(str_at(args, 2), id) == 0 && all_hex(str_at(args, 3), 12, 64)))
                return DOCKERD_NO;
        return is_dockerd_exe(c->env->probe, json_obj_get(h, "path")->text);
}

static bool env_allowed(const struct hook_allow *a, const struct json *env)
{
        for (size_t i = 0; i < len_of(env); i++) {
                bool ok = false;
                for (size_t k = 0; k < a->env.n && !ok; k++)
                        ok = fnmatch(a->env.v[k], str_at(env, i), 0) == 0;
                if (!ok)
                        return false;
        }
        return true;
}

static bool admin_allows(const struct hook_allow *a, const struct json *h, enum hook_stage s)
{
        const struct json *args = json_obj_get(h, "args");
        if ((a->stages & (1u << s)) == 0 || strcmp(a->path, json_obj_get(h, "path")->text) != 0 ||
            len_of(args) != a->args.n)
                return false;
        for (size_t i = 0; i < a->args.n; i++)
                if (fnmatch(a->args.v[i], str_at(args, i), 0) != 0)
                        return false;
        return env_allowed(a, json_obj_get(h, "env"));
}

static int judge_hook(struct rule_ctx *c, const struct json *h, enum hook_stage s, const char *ptr)
{
        const struct hook_allows *allow = c->env->hooks;
        if (json_obj_get(h, "path") == NULL)
                return rule_refuse(c, ptr, h, "a hook without a path");
        if (hook_stage_never(s))
                return rule_refuse(c, ptr, h,
                                   "runs as host root inside the container's mount namespace with "
                                   "its environment (CVE-2025-23266): never allowed");
        switch (docker_setkey(c, h, s)) {
        case DOCKERD_YES:
                return rule_keep(c, ptr, h,
                                 "Docker's libnetwork-setkey hook for this container, run by the "
                                 "root-owned dockerd it names");
        case DOCKERD_UNKNOWN:
                return rule_defer(c, ptr, h,
                                  "Docker's libnetwork-setkey hook for this container, if the "
                                  "process it names is the root-owned dockerd");
        case DOCKERD_NO:
                break;
        }
        for (size_t i = 0; allow != NULL && i < allow->n; i++)
                if (admin_allows(&allow->v[i], h, s))
                        return rule_keep(c, ptr, h, "allowed by the admin config (hooks)");
        return rule_refusef(c, ptr, h,
                            "a %s hook runs %s as host root, outside the container's namespaces "
                            "and limits; only hooks in the admin config's allow-list (hooks) run",
                            stage_names[s], json_obj_get(h, "path")->text);
}

static int apply(struct rule_ctx *c)
{
        const struct json *hooks = json_pointer_get(c->spec, "/hooks");
        int rc = 0;
        for (size_t k = 0; hooks != NULL && k < hooks->n; k++) {
                int s = hook_stage_index(hooks->keys[k]);
                const struct json *list = hooks->vals[k];
                if (s < 0) /* the fields rule knows every stage */
                        return hr_fail(c->err, "/hooks/%s: not a hook stage", hooks->keys[k]);
                for (size_t i = 0; i < list->n; i++) {
                        char ptr[64];
                        snprintf(ptr, sizeof(ptr), "/hooks/%s/%zu", stage_names[s], i);
                        if (judge_hook(c, list->vals[i], (enum hook_stage)s, ptr) < 0) {
                                if (!c->refused)
                                        return -1;
                                rc = -1; /* judge the rest too, for the report */
                        }
                }
        }
        return rc;
}

static const struct param_field params[] = {PARAM_END};
static const char *const owns[] = {"/hooks", NULL};

const struct rule_def rule_hooks = {
    .name = "hooks",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "hooks run as host root: only Docker's own network hook and the admin's "
               "allow-list",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
