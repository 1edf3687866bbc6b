// SPDX-License-Identifier: GPL-2.0-or-later
/* groups: the process's groups never include one that guards host secrets
 * or daemons. Inside a user namespace a gid is not the host's, except on an
 * idmapped volume, where a file of host group N is reached by container
 * group N: --group-add docker next to a volume holding docker.sock is
 * Docker's root. The protected set is resolved on the host at create time:
 * the groups the profile names (root, shadow, docker, disk, ...) and the
 * owner group of every socket it names.
 *   - gid 0 in additionalGids goes unless the process is uid 0, whom the
 *     group adds nothing to (Docker adds it to every container);
 *   - any other protected gid, as the primary gid or a supplementary one,
 *     is refused: the caller asked for it by name or number. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"
#include "probe.h"

static const struct param_field params[] = {
    {"protectedGroups", PT_STRINGS, P_OFF(protected_groups), 0, 0, NULL},
    {"protectedSockets", PT_PATHS, P_OFF(protected_sockets), 0, 0, NULL},
    PARAM_END,
};

/* The protected gids, resolved once per judgement: -1 where the group or
 * socket does not exist on this host. */
struct protected_set {
        long long *gid;
        const char **what;
        size_t n;
};

static int resolve(struct probe *pr, const struct hr_params *p, struct protected_set *s)
{
        size_t total = p->protected_groups.n + p->protected_sockets.n;
        s->n = 0;
        s->gid = calloc(total + 1, sizeof(*s->gid));
        s->what = calloc(total + 1, sizeof(*s->what));
        if (s->gid == NULL || s->what == NULL)
                return -1;
        for (size_t i = 0; i < p->protected_groups.n; i++) {
                const struct group *g = getgrnam(p->protected_groups.v[i]); /* one thread */
                s->what[s->n] = p->protected_groups.v[i];
                s->gid[s->n++] = g != NULL ? (long long)g->gr_gid : -1;
        }
        for (size_t i = 0; i < p->protected_sockets.n; i++) {
                struct stat st;
                bool sock =
                    probe_stat(pr, p->protected_sockets.v[i], &st) == 0 && S_ISSOCK(st.st_mode);
                s->what[s->n] = p->protected_sockets.v[i];
                s->gid[s->n++] = sock ? (long long)st.st_gid : -1;
        }
        return 0;
}

static void protected_set_free(struct protected_set *s)
{
        free(s->gid);
        free(s->what);
}

/* Is gid (not 0) one the host's protected groups or sockets have? */
static bool protected_gid(const struct protected_set *s, long long gid, const char **what)
{
        for (size_t i = 0; i < s->n; i++) {
                if (s->gid[i] == gid) {
                        *what = s->what[i];
                        return true;
                }
        }
        return false;
}

static int refuse_protected(struct rule_ctx *c, const char *ptr, const struct json *v,
                            const char *what)
{
        return rule_refusef(c, ptr, v,
                            "the host's %s group (%s): on an idmapped volume the container would "
                            "have its access",
                            what[0] == '/' ? "socket's" : "protected", what);
}

static int judge_gids(struct rule_ctx *c, const struct protected_set *set, const struct json *user,
                      long long uid)
{
        const struct json *groups = json_obj_get(user, "additionalGids");
        struct json *kept;
        struct hr_error err = {0};
        bool drop0 = false;
        const char *what;
        if (groups == NULL)
                return 0;
        kept = json_new(JSON_ARRAY);
        for (size_t i = 0; kept != NULL && i < groups->n; i++) {
                long long g = -1;
                char ptr[64];
                json_int64(groups->vals[i], &g); /* a uint32: the fields rule checked */
                snprintf(ptr, sizeof(ptr), "/process/user/additionalGids/%zu", i);
                if (g == 0 && uid != 0) {
                        drop0 = true;
                        continue;
                }
                if (g != 0 && protected_gid(set, g, &what) &&
                    refuse_protected(c, ptr, groups->vals[i], what) < 0) {
                        json_free(kept);
                        return -1;
                }
                if (json_array_append(kept, json_dup(groups->vals[i]), &err) < 0) {
                        hr_error_clear(&err);
                        return hr_fail(c->err, "out of memory");
                }
        }
        if (kept == NULL)
                return hr_fail(c->err, "out of memory");
        if (!drop0) {
                json_free(kept);
                return 0;
        }
        return rule_set(c, "/process/user", "additionalGids", kept,
                        "membership of group 0 gives access to root-group files");
}

static int apply(struct rule_ctx *c)
{
        const struct json *user = json_pointer_get(c->spec, "/process/user");
        const struct json *gid = json_obj_get(user, "gid");
        struct protected_set set = {0};
        long long uid = 0, g = 0;
        const char *what;
        int rc = 0;
        if (user == NULL)
                return 0;
        if (resolve(c->env->probe, c->params, &set) < 0) {
                protected_set_free(&set);
                return hr_fail(c->err, "out of memory");
        }
        if (json_obj_get(user, "uid") != NULL)
                json_int64(json_obj_get(user, "uid"), &uid);
        if (gid != NULL && json_int64(gid, &g) == 0 && g != 0 && protected_gid(&set, g, &what))
                rc = refuse_protected(c, "/process/user/gid", gid, what);
        if (rc == 0 || c->refused)
                rc = judge_gids(c, &set, user, uid) < 0 ? -1 : rc;
        protected_set_free(&set);
        return rc;
}

static const char *const owns[] = {"/process/user/additionalGids", NULL};

const struct rule_def rule_groups = {
    .name = "groups",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "no group that guards host secrets or daemons (shadow, docker, disk, a socket's "
               "group); gid 0 only for uid 0",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
