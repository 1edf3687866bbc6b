// SPDX-License-Identifier: GPL-2.0-or-later
/* devices: the container gets only the default device nodes (null, zero,
 * full, random, urandom, tty, console, ptmx, pts), and its device cgroup
 * denies everything else (CIS Docker Benchmark v1.6.0 5.18). --privileged hands over every
 * host device and an allow-all cgroup rule; --device /dev/mem one more node.
 * Those go. runc allows its default devices in the cgroup only when the
 * spec does not list them: a node the spec lists (privileged lists them all)
 * needs its own allow rule, which this rule adds for the nodes it keeps. */
#include <stdio.h>
#include <string.h>

#include "pipeline.h"

static const struct param_field params[] = {PARAM_END};

struct devnum {
        long long major, minor; /* minor -1: any */
};

static const struct devnum defaults[] = {
    {1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {136, -1},
};

static bool is_default(const char *type, long long major, long long minor)
{
        if (strcmp(type, "c") != 0)
                return false;
        for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults); i++)
                if (defaults[i].major == major &&
                    (defaults[i].minor == -1 || defaults[i].minor == minor))
                        return true;
        return false;
}

/* Fields of a device or cgroup rule; absent numbers are -1 (wildcard). */
static int fields(struct rule_ctx *c, const struct json *d, const char *ptr, const char **type,
                  long long *major, long long *minor)
{
        const struct json *t = json_obj_get(d, "type");
        const struct json *ma = json_obj_get(d, "major");
        const struct json *mi = json_obj_get(d, "minor");
        *type = t && t->type == JSON_STRING ? t->text : "a";
        *major = *minor = -1;
        if (d->type != JSON_OBJECT || (ma && json_int64(ma, major) < 0) ||
            (mi && json_int64(mi, minor) < 0))
                return hr_fail(c->err, "%s: expected an object with integer major and minor", ptr);
        return 0;
}

static int nodes(struct rule_ctx *c)
{
        const struct json *devs = json_pointer_get(c->spec, "/linux/devices");
        struct hr_error err = {0};
        struct json *kept;
        if (devs == NULL)
                return 0;
        if (devs->type != JSON_ARRAY)
                return hr_fail(c->err, "/linux/devices: expected an array");
        kept = json_new(JSON_ARRAY);
        for (size_t i = 0; kept != NULL && i < devs->n; i++) {
                const char *type;
                long long major, minor;
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/linux/devices/%zu", i);
                if (fields(c, devs->vals[i], ptr, &type, &major, &minor) < 0) {
                        json_free(kept);
                        return -1;
                }
                if (is_default(type, major, minor) &&
                    json_array_append(kept, json_dup(devs->vals[i]), &err) < 0) {
                        hr_error_clear(&err);
                        return hr_fail(c->err, "out of memory");
                }
        }
        return rule_set(c, "/linux", "devices", kept,
                        "no host device nodes beyond the default set");
}

static struct json *deny_all(void)
{
        return json_object_of("allow", json_new_bool(false), "access", json_new_string("rwm"),
                              NULL);
}

static bool is_deny_all(const struct json *r)
{
        const struct json *a = json_obj_get(r, "allow");
        const struct json *acc = json_obj_get(r, "access");
        return a && a->type == JSON_FALSE && json_obj_get(r, "type") == NULL &&
               json_obj_get(r, "major") == NULL && acc && acc->type == JSON_STRING &&
               strcmp(acc->text, "rwm") == 0;
}

static bool allowed_exactly(const struct json *rules, long long major, long long minor)
{
        for (size_t i = 0; i < rules->n; i++) {
                const struct json *r = rules->vals[i];
                const struct json *a = json_obj_get(r, "allow");
                const struct json *t = json_obj_get(r, "type");
                long long ma = -1, mi = -1;
                if (a == NULL || a->type != JSON_TRUE || t == NULL || t->type != JSON_STRING ||
                    strcmp(t->text, "c") != 0)
                        continue;
                if (json_int64(json_obj_get(r, "major"), &ma) < 0 || ma != major)
                        continue;
                if (json_obj_get(r, "minor") == NULL ||
                    (json_int64(json_obj_get(r, "minor"), &mi) == 0 && mi == minor))
                        return true;
        }
        return false;
}

static struct json *allow_rule(long long major, long long minor)
{
        return json_object_of("allow", json_new_bool(true), "type", json_new_string("c"), "major",
                              json_new_int64(major), "minor", json_new_int64(minor), "access",
                              json_new_string("rwm"), NULL);
}

/* An allow rule for every default node the spec lists. */
static int allow_listed_nodes(struct rule_ctx *c, struct json *out)
{
        const struct json *devs = json_pointer_get(c->spec, "/linux/devices");
        struct hr_error err = {0};
        for (size_t i = 0; devs != NULL && devs->type == JSON_ARRAY && i < devs->n; i++) {
                const char *type;
                long long major, minor;
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/linux/devices/%zu", i);
                if (fields(c, devs->vals[i], ptr, &type, &major, &minor) < 0)
                        return -1;
                if (!is_default(type, major, minor) || allowed_exactly(out, major, minor))
                        continue;
                if (json_array_append(out, allow_rule(major, minor), &err) < 0) {
                        hr_error_clear(&err);
                        return hr_fail(c->err, "out of memory");
                }
        }
        return 0;
}

static int cgroup_rules(struct rule_ctx *c)
{
        const struct json *rules = json_pointer_get(c->spec, "/linux/resources/devices");
        struct hr_error err = {0};
        struct json *out = json_new(JSON_ARRAY);
        if (rules != NULL && rules->type != JSON_ARRAY) {
                json_free(out);
                return hr_fail(c->err, "/linux/resources/devices: expected an array");
        }
        if (out == NULL || json_array_append(out, deny_all(), &err) < 0)
                goto oom;
        for (size_t i = 0; rules != NULL && i < rules->n; i++) {
                const struct json *r = rules->vals[i];
                const struct json *allow = json_obj_get(r, "allow");
                const char *type;
                long long major, minor;
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/linux/resources/devices/%zu", i);
                if (fields(c, r, ptr, &type, &major, &minor) < 0) {
                        json_free(out);
                        return -1;
                }
                if (!json_is_bool(allow)) {
                        json_free(out);
                        return hr_fail(c->err, "%s/allow: expected a boolean", ptr);
                }
                if ((i == 0 && is_deny_all(r)) ||
                    (allow->type == JSON_TRUE && !is_default(type, major, minor)))
                        continue;
                if (json_array_append(out, json_dup(r), &err) < 0)
                        goto oom;
        }
        if (allow_listed_nodes(c, out) < 0) {
                json_free(out);
                return -1;
        }
        return rule_set(c, "/linux/resources", "devices", out,
                        "the device cgroup denies all but the default devices");
oom:
        hr_error_clear(&err);
        json_free(out);
        return hr_fail(c->err, "out of memory");
}

static int apply(struct rule_ctx *c)
{
        if (nodes(c) < 0)
                return -1;
        return cgroup_rules(c);
}

static const char *const owns[] = {"/linux/devices", "/linux/resources/devices", NULL};

const struct rule_def rule_devices = {
    .name = "devices",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "only the default device nodes; device cgroup denies the rest",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
