// SPDX-License-Identifier: GPL-2.0-or-later
/* labels: the LSM labels of the container's processes are never an
 * unconfined one.
 *   create: where AppArmor is enabled, an AppArmor profile "unconfined"
 *   (docker run --privileged, or --security-opt apparmor=unconfined) or
 *   none at all (a bundle's spec; ctr) becomes the first of the profile's
 *   labels.apparmorProfile that is loaded, and is refused when none is;
 *   where AppArmor is disabled a profile confines nothing and runc would
 *   refuse it, so it goes. An SELinux process or mount label of type spc_t
 *   or unconfined_t is refused where SELinux is enabled, and removed where
 *   it is not.
 *   exec: an exec'd process gets the container's AppArmor profile, as
 *   create recorded it (state.h), whatever the caller asks (`docker exec
 *   --privileged` asks for "unconfined"): runc 1.1 applies no profile to an
 *   exec'd process whose spec names none, it does not remember the
 *   container's. A container not created through us gets the profile's
 *   default, as at create. Its SELinux label goes: runc applies the
 *   container's own label to a process that names none. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "pipeline.h"
#include "probe.h"
#include "state.h"

static const struct param_field params[] = {
    {"apparmorProfile", PT_STRINGS, P_OFF(apparmor_default), 0, 0, NULL},
    PARAM_END,
};

static int apparmor_enabled(struct probe *pr, bool *on)
{
        return probe_file_has(pr, "/sys/module/apparmor/parameters/enabled", "Y", false, on);
}

static bool apparmor_loaded(struct probe *pr, const char *profile)
{
        cleanup_free char *prefix = NULL;
        bool found = false;
        if (asprintf(&prefix, "%s (", profile) < 0)
                return false;
        return probe_file_has(pr, "/sys/kernel/security/apparmor/profiles", prefix, true, &found) ==
                   0 &&
               found;
}

/* The first of the profile's AppArmor profiles that is loaded, set at
 * /process/apparmorProfile; refused when none is. why: the request. */
static int apparmor_default(struct rule_ctx *c, const char *why)
{
        const struct strlist *want = &c->params->apparmor_default;
        const struct json *v = json_pointer_get(c->spec, "/process/apparmorProfile");
        char reason[160];
        for (size_t i = 0; i < want->n; i++) {
                if (!apparmor_loaded(c->env->probe, want->v[i]))
                        continue;
                snprintf(reason, sizeof(reason), "%s: the profile's AppArmor profile instead", why);
                return rule_set(c, "/process", "apparmorProfile", json_new_string(want->v[i]),
                                reason);
        }
        snprintf(reason, sizeof(reason),
                 "%s, and none of the profile's AppArmor profiles (labels.apparmorProfile) is "
                 "loaded",
                 why);
        return rule_refuse(c, "/process/apparmorProfile", v, reason);
}

/* 1 with *on set, 0 when deferred (a dry run that cannot read the host). */
static int apparmor_state(struct rule_ctx *c, bool *on)
{
        const struct json *v = json_pointer_get(c->spec, "/process/apparmorProfile");
        int rc = apparmor_enabled(c->env->probe, on);
        if (rc == PROBE_UNKNOWN)
                return rule_defer(c, "/process/apparmorProfile", v,
                                  "whether AppArmor is enabled, and which of the profile's "
                                  "AppArmor profiles is loaded") < 0
                           ? -1
                           : 0;
        if (rc < 0)
                return hr_fail_errno(c->err, errno, "read whether AppArmor is enabled");
        return 1;
}

static int create_apparmor(struct rule_ctx *c)
{
        const struct json *v = json_pointer_get(c->spec, "/process/apparmorProfile");
        bool none = v == NULL || v->text[0] == '\0';
        bool on = false;
        int rc;
        if (!none && strcmp(v->text, "unconfined") != 0)
                return 0;
        if ((rc = apparmor_state(c, &on)) <= 0)
                return rc;
        if (!on)
                return none ? 0
                            : rule_unset(c, "/process", "apparmorProfile",
                                         "AppArmor is not enabled on this host: the profile "
                                         "confines nothing and runc would refuse it");
        return apparmor_default(c, none ? "a container without an AppArmor profile runs "
                                          "unconfined"
                                        : "an unconfined container");
}

/* An exec'd process: the container's profile, never the caller's. */
static int exec_apparmor(struct rule_ctx *c)
{
        const struct json *v = json_pointer_get(c->spec, "/process/apparmorProfile");
        const char *mine = c->env->container ? c->env->container->apparmor : NULL;
        bool on = false;
        int rc;
        if (mine != NULL) {
                if (v != NULL && strcmp(v->text, mine) == 0)
                        return 0;
                return rule_set(c, "/process", "apparmorProfile", json_new_string(mine),
                                "an exec'd process gets the container's AppArmor profile (runc "
                                "applies none to a process that names none)");
        }
        if ((rc = apparmor_state(c, &on)) <= 0)
                return rc;
        if (!on)
                return v == NULL ? 0
                                 : rule_unset(c, "/process", "apparmorProfile",
                                              "AppArmor is not enabled on this host: the "
                                              "profile confines nothing and runc would refuse "
                                              "it");
        return apparmor_default(c, "an exec'd process of a container without a recorded "
                                   "AppArmor profile");
}

/* An SELinux label "user:role:type[:level]" whose type is unconfined. */
static bool unconfined_selinux(const char *label)
{
        const char *t = strchr(label, ':');
        t = t ? strchr(t + 1, ':') : NULL;
        if (t == NULL)
                return false;
        t++;
        return (strncmp(t, "spc_t", 5) == 0 && (t[5] == '\0' || t[5] == ':')) ||
               (strncmp(t, "unconfined_t", 12) == 0 && (t[12] == '\0' || t[12] == ':'));
}

static int create_selinux(struct rule_ctx *c, const char *parent, const char *key)
{
        const struct json *v = json_obj_get(json_pointer_get(c->spec, parent), key);
        char ptr[64];
        if (v == NULL || v->text[0] == '\0')
                return 0;
        snprintf(ptr, sizeof(ptr), "%s/%s", parent, key);
        if (!probe_reads(c->env->probe))
                return rule_defer(c, ptr, v, "whether SELinux is enabled");
        if (access("/sys/fs/selinux/enforce", F_OK) != 0)
                return rule_unset(c, parent, key,
                                  "SELinux is not enabled on this host: the label confines "
                                  "nothing");
        if (unconfined_selinux(v->text))
                return rule_refuse(c, ptr, v, "an unconfined SELinux type (spc_t, unconfined_t)");
        return 0;
}

/* runc applies the container's SELinux label to a process that names
 * none: removing the caller's is never weaker. */
static int keep_container_selinux(struct rule_ctx *c)
{
        const struct json *v = json_obj_get(json_pointer_get(c->spec, "/process"), "selinuxLabel");
        if (v == NULL || v->text[0] == '\0')
                return 0;
        return rule_unset(c, "/process", "selinuxLabel",
                          "an exec'd process keeps the container's label: it may not choose "
                          "another");
}

static int apply(struct rule_ctx *c)
{
        if (c->env->scope == SCOPE_CREATE)
                return create_apparmor(c) < 0 || create_selinux(c, "/process", "selinuxLabel") < 0
                           ? -1
                           : create_selinux(c, "/linux", "mountLabel");
        if (exec_apparmor(c) < 0)
                return -1;
        return keep_container_selinux(c);
}

static const char *const owns[] = {"/process/apparmorProfile", "/process/selinuxLabel",
                                   "/linux/mountLabel", NULL};

const struct rule_def rule_labels = {
    .name = "labels",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "no unconfined AppArmor profile or SELinux type; an exec'd process gets the "
               "container's AppArmor profile and keeps its SELinux label",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
