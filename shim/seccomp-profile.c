// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cleanup.h"
#include "policy.h"
#include "seccomp-profile.h"

static const char *const actions[] = {
    "SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
    "SCMP_ACT_ERRNO",       "SCMP_ACT_TRACE",
    "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",      NULL,
};
static const char *const operators[] = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
    "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};
static const char *const top_keys[] = {
    "defaultAction", "defaultErrnoRet",  "architectures", "flags",
    "listenerPath",  "listenerMetadata", "syscalls",      NULL,
};
static const char *const rule_keys[] = {"names", "action", "errnoRet", "args", NULL};
static const char *const arg_keys[] = {"index", "value", "valueTwo", "op", NULL};
/* denying actions that log mode turns into SCMP_ACT_LOG */
static const char *const denying[] = {
    "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",        NULL,
};

static bool in(const char *const *set, const char *s)
{
        for (; *set; set++)
                if (strcmp(*set, s) == 0)
                        return true;
        return false;
}

static int check_keys(const struct json *o, const char *const *known, const char *src,
                      const char *ptr, struct hr_error *err)
{
        if (o->type != JSON_OBJECT)
                return hr_fail_at(err, src, NULL, "%s: expected an object", ptr);
        for (size_t i = 0; i < o->n; i++)
                if (!in(known, o->keys[i]))
                        return hr_fail_at(err, src, NULL, "%s: unknown key \"%s\"", ptr,
                                          o->keys[i]);
        return 0;
}

static int check_action(const struct json *a, const char *src, const char *ptr,
                        struct hr_error *err)
{
        if (a == NULL || a->type != JSON_STRING || !in(actions, a->text))
                return hr_fail_at(err, src, NULL, "%s: not a seccomp action", ptr);
        return 0;
}

/* OCI "SCMP_ARCH_X86_64" -> libseccomp's token for "x86_64", or 0. */
static uint32_t arch_token(const char *oci)
{
        char lower[64];
        size_t n;
        if (strncmp(oci, "SCMP_ARCH_", 10) != 0 || (n = strlen(oci + 10)) == 0 ||
            n >= sizeof(lower))
                return 0;
        for (size_t i = 0; i <= n; i++)
                lower[i] = (char)tolower((unsigned char)oci[10 + i]);
        return seccomp_arch_resolve_name(lower);
}

/* Does libseccomp know name on one of the filter's architectures (the
 * native one when the filter lists none)? */
static bool syscall_known(const struct json *arches, const char *name)
{
        if (arches == NULL || arches->n == 0)
                return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
        for (size_t i = 0; i < arches->n; i++) {
                uint32_t token = arch_token(arches->vals[i]->text);
                if (token != 0 &&
                    seccomp_syscall_resolve_name_arch(token, name) >= 0) /* < 0: another arch's */
                        return true;
        }
        return false;
}

static int check_arch(const struct json *a, const char *src, const char *ptr, struct hr_error *err)
{
        char lower[64];
        size_t n;
        if (a->type != JSON_STRING || strncmp(a->text, "SCMP_ARCH_", 10) != 0 ||
            (n = strlen(a->text + 10)) == 0 || n >= sizeof(lower))
                return hr_fail_at(err, src, NULL, "%s: not an architecture name", ptr);
        for (size_t i = 0; i <= n; i++)
                lower[i] = (char)tolower((unsigned char)a->text[10 + i]);
        if (seccomp_arch_resolve_name(lower) == 0)
                return hr_fail_at(err, src, NULL,
                                  "%s: \"%s\" is not an architecture libseccomp knows", ptr,
                                  a->text);
        return 0;
}

static int check_args(const struct json *args, const char *src, const char *ptr,
                      struct hr_error *err)
{
        char p[128];
        if (args->type != JSON_ARRAY)
                return hr_fail_at(err, src, NULL, "%s: expected an array", ptr);
        for (size_t i = 0; i < args->n; i++) {
                const struct json *op;
                long long idx;
                if (snprintf(p, sizeof(p), "%s/%zu", ptr, i) >= (int)sizeof(p))
                        return hr_fail_at(err, src, NULL, "%s: pointer too long", ptr);
                if (check_keys(args->vals[i], arg_keys, src, p, err) < 0)
                        return -1;
                op = json_obj_get(args->vals[i], "op");
                if (op == NULL || op->type != JSON_STRING || !in(operators, op->text))
                        return hr_fail_at(err, src, NULL, "%s/op: not a comparison operator", p);
                if (json_int64(json_obj_get(args->vals[i], "index"), &idx) < 0 || idx < 0 ||
                    idx > 5)
                        return hr_fail_at(err, src, NULL, "%s/index: not an argument index 0-5", p);
        }
        return 0;
}

static int check_rule(const struct json *r, const struct json *arches, const char *src,
                      const char *ptr, struct hr_error *err)
{
        const struct json *names;
        char p[128];
        if (check_keys(r, rule_keys, src, ptr, err) < 0)
                return -1;
        snprintf(p, sizeof(p), "%s/action", ptr);
        if (check_action(json_obj_get(r, "action"), src, p, err) < 0)
                return -1;
        names = json_obj_get(r, "names");
        if (names == NULL || names->type != JSON_ARRAY || names->n == 0)
                return hr_fail_at(err, src, NULL, "%s/names: expected a non-empty array", ptr);
        for (size_t i = 0; i < names->n; i++) {
                const struct json *n = names->vals[i];
                if (n->type != JSON_STRING || !syscall_known(arches, n->text))
                        return hr_fail_at(err, src, NULL,
                                          "%s/names/%zu: \"%s\" is not a system call libseccomp "
                                          "knows on these architectures",
                                          ptr, i, n->type == JSON_STRING ? n->text : "?");
        }
        if (json_obj_get(r, "args") != NULL) {
                snprintf(p, sizeof(p), "%s/args", ptr);
                return check_args(json_obj_get(r, "args"), src, p, err);
        }
        return 0;
}

int seccomp_filter_validate(const struct json *f, const char *src, struct hr_error *err)
{
        const struct json *arches, *rules;
        if (check_keys(f, top_keys, src, "/", err) < 0 ||
            check_action(json_obj_get(f, "defaultAction"), src, "/defaultAction", err) < 0)
                return -1;
        arches = json_obj_get(f, "architectures");
        for (size_t i = 0; arches != NULL && i < arches->n; i++) {
                char p[64];
                snprintf(p, sizeof(p), "/architectures/%zu", i);
                if (check_arch(arches->vals[i], src, p, err) < 0)
                        return -1;
        }
        rules = json_obj_get(f, "syscalls");
        if (rules != NULL && rules->type != JSON_ARRAY)
                return hr_fail_at(err, src, NULL, "/syscalls: expected an array");
        for (size_t i = 0; rules != NULL && i < rules->n; i++) {
                char p[64];
                snprintf(p, sizeof(p), "/syscalls/%zu", i);
                if (check_rule(rules->vals[i], arches, src, p, err) < 0)
                        return -1;
        }
        return 0;
}

static bool action_is(const struct json *a, const char *name)
{
        return a != NULL && a->type == JSON_STRING && strcmp(a->text, name) == 0;
}

bool seccomp_filter_notifies(const struct json *f)
{
        const struct json *rules = json_obj_get(f, "syscalls");
        if (f == NULL || f->type != JSON_OBJECT)
                return false;
        if (json_obj_get(f, "listenerPath") != NULL ||
            action_is(json_obj_get(f, "defaultAction"), "SCMP_ACT_NOTIFY"))
                return true;
        for (size_t i = 0; rules != NULL && rules->type == JSON_ARRAY && i < rules->n; i++)
                if (action_is(json_obj_get(rules->vals[i], "action"), "SCMP_ACT_NOTIFY"))
                        return true;
        return false;
}

/* A denying action becomes SCMP_ACT_LOG, and its errno goes. */
static int log_instead(struct json *o, const char *action_key, const char *errno_key,
                       struct hr_error *err)
{
        const struct json *a = json_obj_get(o, action_key);
        if (a == NULL || a->type != JSON_STRING || !in(denying, a->text))
                return 0;
        if (json_obj_set(o, action_key, json_new_string("SCMP_ACT_LOG"), err) < 0)
                return -1;
        for (size_t k = 0; k < o->n; k++)
                if (strcmp(o->keys[k], errno_key) == 0)
                        json_remove_at(o, k--);
        return 0;
}

/* mode log: audit what would be denied, deny nothing */
static int to_log_mode(struct json *f, struct hr_error *err)
{
        struct json *rules = json_obj_get(f, "syscalls");
        if (log_instead(f, "defaultAction", "defaultErrnoRet", err) < 0)
                return -1;
        for (size_t i = 0; rules != NULL && i < rules->n; i++)
                if (log_instead(rules->vals[i], "action", "errnoRet", err) < 0)
                        return -1;
        return 0;
}

static const struct embedded_profile *builtin_filter(void)
{
        for (const struct embedded_profile *e = embedded_seccomp; e->name != NULL; e++)
                if (strcmp(e->name, "default") == 0)
                        return e;
        return NULL;
}

int seccomp_filter_load(const char *source, const char *mode, struct json **out,
                        struct hr_error *err)
{
        cleanup_json struct json *f = NULL;
        const char *src = source;
        *out = NULL;
        if (strcmp(source, "default") == 0) {
                const struct embedded_profile *e = builtin_filter();
                src = "built-in seccomp profile";
                if (e == NULL)
                        return hr_fail(err, "no built-in seccomp profile");
                if (json_parse(e->data, e->len, &f, err) < 0)
                        return hr_error_prefix(err, "%s", src);
        } else if (json_load_path(source, JSON_OCI, &f, err) < 0) {
                return hr_error_prefix(err, "seccomp profile");
        }
        if (seccomp_filter_validate(f, src, err) < 0)
                return -1;
        if (strcmp(mode, "log") == 0 && to_log_mode(f, err) < 0)
                return -1;
        *out = steal_pointer(&f);
        return 0;
}
