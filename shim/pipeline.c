// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pipeline.h"

/* Adding a control is one file and one row here. Order matters: later rules
 * see earlier rules' rewrites. */
const struct rule_def rule_table[] = {
    {"nnp", ACTION_ENFORCE, rule_nnp_apply,
     "process.noNewPrivileges = true: no privilege gain through setuid binaries or file "
     "capabilities"},
    {"rootfs", ACTION_ENFORCE, rule_rootfs_apply,
     "read-only root filesystem, with size-capped tmpfs on /tmp, /run and /var/tmp"},
};
const size_t rule_count = sizeof(rule_table) / sizeof(*rule_table);

int rule_index(const char *name)
{
        for (size_t i = 0; i < rule_count; i++)
                if (strcmp(rule_table[i].name, name) == 0)
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
static int decide(struct rule_ctx *c, const char *pointer, const struct json *before,
                  const struct json *after, const char *reason)
{
        enum change_kind kind = c->action == ACTION_ENFORCE ? CHANGE_REWRITE
                                : c->action == ACTION_WARN  ? CHANGE_WARN
                                                            : CHANGE_REFUSE;
        if (report_add(c->report, kind, c->rule, pointer, before, after, reason, c->err) < 0)
                return -1;
        if (kind == CHANGE_REFUSE) {
                cleanup_free char *was = json_to_text(before);
                cleanup_free char *want = json_to_text(after);
                c->refused = true;
                return hr_fail(c->err, "refused by rule %s: %s is %s, the policy requires %s (%s)",
                               c->rule, pointer, was ? was : "?", want ? want : "?", reason);
        }
        return kind == CHANGE_REWRITE;
}

int rule_set(struct rule_ctx *c, const char *parent_pointer, const char *key, struct json *wanted,
             const char *reason)
{
        cleanup_free char *pointer = NULL;
        struct json *parent = json_pointer_get(c->spec, parent_pointer);
        struct json *current = json_obj_get(parent, key);
        int d;
        if (wanted == NULL)
                return hr_fail(c->err, "out of memory");
        if (json_equal(current, wanted)) {
                json_free(wanted);
                return 0;
        }
        if (asprintf(&pointer, "%s/%s", parent_pointer, key) < 0) {
                json_free(wanted);
                return hr_fail(c->err, "out of memory");
        }
        d = decide(c, pointer, current, wanted, reason);
        if (d <= 0) {
                json_free(wanted);
                return d;
        }
        parent = json_pointer_ensure_object(c->spec, parent_pointer, c->err);
        if (parent == NULL) {
                json_free(wanted);
                return hr_error_prefix(c->err, "rule %s", c->rule);
        }
        return json_obj_set(parent, key, wanted, c->err);
}

int rule_insert(struct rule_ctx *c, const char *array_pointer, size_t at, struct json *item,
                const char *reason)
{
        cleanup_free char *pointer = NULL;
        struct json *arr;
        int d;
        if (item == NULL)
                return hr_fail(c->err, "out of memory");
        arr = json_pointer_get(c->spec, array_pointer);
        if (asprintf(&pointer, "%s/%zu", array_pointer,
                     arr && at < arr->n ? at : (arr ? arr->n : 0)) < 0) {
                json_free(item);
                return hr_fail(c->err, "out of memory");
        }
        d = decide(c, pointer, NULL, item, reason);
        if (d <= 0) {
                json_free(item);
                return d;
        }
        arr = json_pointer_ensure_array(c->spec, array_pointer, c->err);
        if (arr == NULL) {
                json_free(item);
                return hr_error_prefix(c->err, "rule %s", c->rule);
        }
        return json_array_insert(arr, at, item, c->err);
}

int pipeline_run(struct json *spec, const enum rule_action *actions, struct report *report,
                 struct hr_error *err)
{
        size_t refusals = 0;
        struct hr_error first = {0};
        for (size_t i = 0; i < rule_count; i++) {
                struct hr_error rule_err = {0};
                struct rule_ctx c = {spec,   rule_table[i].name, actions[i],
                                     report, &rule_err,          false};
                if (actions[i] == ACTION_OFF)
                        continue;
                if (rule_table[i].apply(&c) == 0)
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
