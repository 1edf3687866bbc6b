// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pipeline.h"
#include "probe.h"

/* Adding a control is one file and one row here. fields comes first: no
 * rule reads a field before its type is checked. Order matters: later rules
 * see earlier rules' rewrites. userns comes late: mounts must judge the
 * spec's own volume sources, not their staged copies, and sysctls needs the
 * mapping userns sets. */
const struct rule_def *const rule_table[] = {
    &rule_fields,    &rule_annotations, &rule_user,  &rule_groups,  &rule_rootfs,
    &rule_nnp,       &rule_caps,        &rule_cwd,   &rule_labels,  &rule_seccomp,
    &rule_resources, &rule_systemd,     &rule_oom,   &rule_rlimits, &rule_namespaces,
    &rule_cgroups,   &rule_mounts,      &rule_hooks, &rule_devices, &rule_paths,
    &rule_userns,    &rule_sysctls,
};
const size_t rule_count = sizeof(rule_table) / sizeof(*rule_table);

int rule_index(const char *name)
{
        for (size_t i = 0; i < rule_count; i++)
                if (strcmp(rule_table[i]->name, name) == 0)
                        return (int)i;
        return -1;
}

static const char *const action_names[] = {[ACTION_OFF] = "off",
                                           [ACTION_WARN] = "warn",
                                           [ACTION_ENFORCE] = "enforce",
                                           [ACTION_DENY] = "deny"};

int rule_action_parse(const char *s, enum rule_action *out)
{
        for (size_t i = 0; i < sizeof(action_names) / sizeof(*action_names); i++) {
                if (strcmp(s, action_names[i]) == 0) {
                        *out = (enum rule_action)i;
                        return 0;
                }
        }
        return -1;
}

const char *rule_action_name(enum rule_action a)
{
        return action_names[a];
}

/* What the action makes of a needed change: 1 apply it, 0 leave the spec
 * (warning recorded), -1 refused. */
static int decide(struct rule_ctx *c, bool fixable, const char *pointer, const struct json *before,
                  const struct json *after, const char *reason)
{
        enum change_kind kind = CHANGE_REFUSE;
        if (c->action == ACTION_WARN)
                kind = CHANGE_WARN;
        else if (c->action == ACTION_ENFORCE && fixable)
                kind = CHANGE_REWRITE;
        if (report_add(c->report, kind, c->rule, pointer, before, fixable ? after : NULL, reason,
                       c->err) < 0)
                return -1;
        if (kind == CHANGE_REFUSE) {
                const struct change *ch = &c->report->items[c->report->n - 1];
                c->refused = true;
                if (!fixable)
                        return hr_fail(c->err, "refused by rule %s: %s is %s: %s", c->rule, pointer,
                                       ch->before, reason);
                return hr_fail(c->err, "refused by rule %s: %s is %s, the policy requires %s (%s)",
                               c->rule, pointer, ch->before, ch->after, reason);
        }
        return kind == CHANGE_REWRITE;
}

/* parent + "/" + key, with the key escaped as RFC 6901 asks ("~0", "~1"). */
char *json_pointer_join(const char *parent, const char *key)
{
        size_t n = strlen(parent) + 2;
        char *p, *o;
        for (const char *k = key; *k; k++)
                n += (*k == '~' || *k == '/') ? 2 : 1;
        p = malloc(n);
        if (p == NULL)
                return NULL;
        o = stpcpy(p, parent);
        *o++ = '/';
        for (const char *k = key; *k; k++) {
                if (*k == '~' || *k == '/') {
                        *o++ = '~';
                        *o++ = *k == '~' ? '0' : '1';
                } else {
                        *o++ = *k;
                }
        }
        *o = '\0';
        return p;
}

int rule_set(struct rule_ctx *c, const char *parent_pointer, const char *key, struct json *wanted,
             const char *reason)
{
        cleanup_json struct json *owned = wanted;
        cleanup_free char *pointer = json_pointer_join(parent_pointer, key);
        struct json *parent = json_pointer_get(c->spec, parent_pointer);
        struct json *current = json_obj_get(parent, key);
        int d;
        if (owned == NULL || pointer == NULL)
                return hr_fail(c->err, "out of memory");
        if (json_equal(current, owned))
                return 0;
        d = decide(c, true, pointer, current, owned, reason);
        if (d <= 0)
                return d;
        parent = json_pointer_ensure_object(c->spec, parent_pointer, c->err);
        if (parent == NULL)
                return hr_error_prefix(c->err, "rule %s", c->rule);
        return json_obj_set(parent, key, steal_pointer(&owned), c->err);
}

int rule_unset(struct rule_ctx *c, const char *parent_pointer, const char *key, const char *reason)
{
        cleanup_free char *pointer = json_pointer_join(parent_pointer, key);
        struct json *parent = json_pointer_get(c->spec, parent_pointer);
        int d;
        if (pointer == NULL)
                return hr_fail(c->err, "out of memory");
        if (json_obj_get(parent, key) == NULL)
                return 0;
        d = decide(c, true, pointer, json_obj_get(parent, key), NULL, reason);
        if (d <= 0)
                return d;
        for (size_t i = 0; i < parent->n; i++) {
                if (strcmp(parent->keys[i], key) == 0) {
                        json_remove_at(parent,
                                       i); /* keys are unique: the parser refuses duplicates */
                        break;
                }
        }
        return 0;
}

int rule_insert(struct rule_ctx *c, const char *array_pointer, size_t at, struct json *item,
                const char *reason)
{
        cleanup_json struct json *owned = item;
        cleanup_free char *pointer = NULL;
        struct json *arr = json_pointer_get(c->spec, array_pointer);
        size_t len = arr && arr->type == JSON_ARRAY ? arr->n : 0;
        int d;
        if (owned == NULL || asprintf(&pointer, "%s/%zu", array_pointer, at < len ? at : len) < 0)
                return hr_fail(c->err, "out of memory");
        d = decide(c, true, pointer, NULL, owned, reason);
        if (d <= 0)
                return d;
        arr = json_pointer_ensure_array(c->spec, array_pointer, c->err);
        if (arr == NULL)
                return hr_error_prefix(c->err, "rule %s", c->rule);
        return json_array_insert(arr, at, steal_pointer(&owned), c->err);
}

int rule_refuse(struct rule_ctx *c, const char *pointer, const struct json *value,
                const char *reason)
{
        return decide(c, false, pointer, value, NULL, reason) < 0 ? -1 : 0;
}

int rule_refusef(struct rule_ctx *c, const char *pointer, const struct json *value, const char *fmt,
                 ...)
{
        cleanup_free char *why = NULL;
        va_list ap;
        int n;
        va_start(ap, fmt);
        n = vasprintf(&why, fmt, ap);
        va_end(ap);
        if (n < 0) {
                why = NULL; /* undefined after a failure */
                return hr_fail(c->err, "out of memory");
        }
        return rule_refuse(c, pointer, value, why);
}

int rule_keep(struct rule_ctx *c, const char *pointer, const struct json *value, const char *reason)
{
        return report_add(c->report, CHANGE_KEEP, c->rule, pointer, value, value, reason, c->err);
}

int rule_defer(struct rule_ctx *c, const char *pointer, const struct json *value, const char *what)
{
        cleanup_free char *reason = NULL;
        if (asprintf(&reason, "%s: judged at create, not by %s", what,
                     probe_mode_name(c->env->probe->mode)) < 0) {
                reason = NULL;
                return hr_fail(c->err, "out of memory");
        }
        return report_add(c->report, CHANGE_DEFER, c->rule, pointer, value, value, reason, c->err);
}

static int run_rules(struct json *spec, struct pipeline_env *env, const enum rule_action *actions,
                     const struct hr_params *params, struct report *report, struct hr_error *err)
{
        size_t refusals = 0;
        struct hr_error first = {0};
        for (size_t i = 0; i < rule_count; i++) {
                struct hr_error rule_err = {0};
                struct rule_ctx c = {spec,   env,    rule_table[i]->name, actions[i],
                                     params, report, &rule_err,           false};
                if ((rule_table[i]->scopes & env->scope) == 0)
                        continue;
                if (actions[i] == ACTION_OFF && !rule_table[i]->runs_when_off)
                        continue;
                if (rule_table[i]->apply(&c) == 0)
                        continue;
                if (!c.refused) { /* malformed spec or internal error: stop here */
                        hr_error_clear(&first);
                        *err = rule_err;
                        return -1;
                }
                if (refusals++ == 0)
                        first = rule_err;
                else
                        hr_error_clear(&rule_err);
        }
        if (refusals == 0)
                return 0;
        *err = first;
        if (refusals > 1)
                hr_error_prefix(err, "%zu rules refused the container, first", refusals);
        return -1;
}

int pipeline_run(struct json *spec, struct pipeline_env *env, const enum rule_action *actions,
                 const struct hr_params *params, struct report *report, struct hr_error *err)
{
        struct probe host;
        int rc;
        if (env->probe != NULL)
                return run_rules(spec, env, actions, params, report, err);
        probe_init(&host, PROBE_HOST);
        env->probe = &host;
        rc = run_rules(spec, env, actions, params, report, err);
        env->probe = NULL;
        probe_free(&host);
        return rc;
}
