// SPDX-License-Identifier: GPL-2.0-or-later
/* labels: the LSM labels of the container's processes are never an
 * unconfined one.
 *   create: an AppArmor profile "unconfined" (docker run --privileged, or
 *   --security-opt apparmor=unconfined) becomes the profile's apparmor
 *   profile where AppArmor is enabled and that profile is loaded, and is
 *   refused where it is not loaded; an SELinux process or mount label of
 *   type spc_t or unconfined_t is refused where SELinux is enabled. Where
 *   the LSM is disabled the label confines nothing and runc would refuse an
 *   AppArmor profile, so it goes.
 *   exec: an exec'd process keeps the container's labels: runc applies a
 *   process's own label when it names one and the container's when it is
 *   empty, so removing it is never weaker; `docker exec --privileged` asks
 *   for "unconfined" here. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "pipeline.h"
#include "probe.h"

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

static int create_apparmor(struct rule_ctx *c)
{
        const struct json *v = json_pointer_get(c->spec, "/process/apparmorProfile");
        const struct strlist *want = &c->params->apparmor_default;
        bool on = false;
        int rc;
        if (v == NULL || strcmp(v->text, "unconfined") != 0)
                return 0;
        if ((rc = apparmor_enabled(c->env->probe, &on)) == PROBE_UNKNOWN)
                return rule_defer(c, "/process/apparmorProfile", v,
                                  "whether AppArmor is enabled, and which of the profile's "
                                  "AppArmor profiles is loaded");
        if (rc < 0)
                return hr_fail_errno(c->err, errno, "read whether AppArmor is enabled");
        if (!on)
                return rule_unset(c, "/process", "apparmorProfile",
                                  "AppArmor is not enabled on this host: the profile confines "
                                  "nothing and runc would refuse it");
        for (size_t i = 0; i < want->n; i++)
                if (apparmor_loaded(c->env->probe, want->v[i]))
                        return rule_set(c, "/process", "apparmorProfile",
                                        json_new_string(want->v[i]),
                                        "an unconfined container: the profile's AppArmor profile "
                                        "instead");
        return rule_refuse(c, "/process/apparmorProfile", v,
                           "an unconfined container, and none of the profile's AppArmor "
                           "profiles (labels.apparmorProfile) is loaded");
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

static int keep_container_label(struct rule_ctx *c, const char *key)
{
        const struct json *v = json_obj_get(json_pointer_get(c->spec, "/process"), key);
        if (v == NULL)
                return 0;
        if (v->text[0] == '\0')
                return 0; /* empty: the container's already */
        return rule_unset(c, "/process", key,
                          "an exec'd process keeps the container's label: it may not choose "
                          "another");
}

static int apply(struct rule_ctx *c)
{
        if (c->env->scope == SCOPE_CREATE)
                return create_apparmor(c) < 0 || create_selinux(c, "/process", "selinuxLabel") < 0
                           ? -1
                           : create_selinux(c, "/linux", "mountLabel");
        if (keep_container_label(c, "apparmorProfile") < 0)
                return -1;
        return keep_container_label(c, "selinuxLabel");
}

static const char *const owns[] = {"/process/apparmorProfile", "/process/selinuxLabel",
                                   "/linux/mountLabel", NULL};

const struct rule_def rule_labels = {
    .name = "labels",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC,
    .summary = "no unconfined AppArmor profile or SELinux type; an exec'd process keeps the "
               "container's labels",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
