// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cleanup.h"
#include "hr-config.h"
#include "policy.h"

#define NAME_MAX_LEN 64

/* A value's check failure: "<file>: <pointer>: <problem>". */
#define bad(err, src, ptr, ...)                                                                    \
        hr_error_prefix((hr_fail(err, __VA_ARGS__), err), "%s: %s", src, ptr)

static bool valid_name(const char *s)
{
        size_t n = strlen(s);
        if (n == 0 || n > NAME_MAX_LEN || s[0] == '.')
                return false;
        return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int want_object(const struct json *v, const char *src, const char *ptr, struct hr_error *err)
{
        if (v->type != JSON_OBJECT)
                return bad(err, src, ptr, "expected an object, found %s", json_type_name(v->type));
        return 0;
}

static int want_string(const struct json *v, const char *src, const char *ptr, struct hr_error *err)
{
        if (v->type != JSON_STRING)
                return bad(err, src, ptr, "expected a string, found %s", json_type_name(v->type));
        return 0;
}

static int take_string(const struct json *v, char **dst, const char *src, const char *ptr,
                       struct hr_error *err)
{
        char *s;
        if (want_string(v, src, ptr, err) < 0)
                return -1;
        s = strdup(v->text);
        if (s == NULL)
                return hr_fail(err, "out of memory");
        free(*dst);
        *dst = s;
        return 0;
}

static int take_abs_path(const struct json *v, char **dst, const char *src, const char *ptr,
                         struct hr_error *err)
{
        if (want_string(v, src, ptr, err) < 0)
                return -1;
        if (v->text[0] != '/')
                return bad(err, src, ptr, "\"%s\" is not an absolute path", v->text);
        return take_string(v, dst, src, ptr, err);
}

/* ---- admin configuration ---------------------------------------------------- */

static int config_defaults(struct hr_config *cfg, struct hr_error *err)
{
        cfg->source = strdup("built-in defaults");
        cfg->runtime = strdup(HR_DEFAULT_RUNTIME);
        cfg->default_profile = strdup("restricted");
        cfg->profile_dir = strdup(HR_DEFAULT_PROFILE_DIR);
        if (!cfg->source || !cfg->runtime || !cfg->default_profile || !cfg->profile_dir)
                return hr_fail(err, "out of memory");
        return 0;
}

static int config_apply(struct hr_config *cfg, const struct json *doc, const char *src,
                        struct hr_error *err)
{
        if (want_object(doc, src, "/", err) < 0)
                return -1;
        for (size_t i = 0; i < doc->n; i++) {
                const char *k = doc->keys[i];
                const struct json *v = doc->vals[i];
                char ptr[NAME_MAX_LEN + 2];
                int rc;
                snprintf(ptr, sizeof(ptr), "/%s", k);
                if (strcmp(k, "runtime") == 0)
                        rc = take_abs_path(v, &cfg->runtime, src, ptr, err);
                else if (strcmp(k, "profileDir") == 0)
                        rc = take_abs_path(v, &cfg->profile_dir, src, ptr, err);
                else if (strcmp(k, "defaultProfile") == 0)
                        rc = take_string(v, &cfg->default_profile, src, ptr, err);
                else
                        rc = hr_fail(
                            err,
                            "%s: unknown key \"%s\" (known: runtime, defaultProfile, profileDir)",
                            src, k);
                if (rc < 0)
                        return -1;
        }
        if (cfg->default_profile[0] == '\0')
                return bad(err, src, "/defaultProfile", "empty value");
        return 0;
}

int config_load(const char *path, struct hr_config *cfg, struct hr_error *err)
{
        cleanup_json struct json *doc = NULL;
        const char *file = path ? path : HR_DEFAULT_CONFIG;
        memset(cfg, 0, sizeof(*cfg));
        if (config_defaults(cfg, err) < 0)
                goto fail;
        if (json_load_path(file, &doc, err) < 0) {
                if (path == NULL && err->errnum == ENOENT) {
                        hr_error_clear(err);
                        return 0; /* no admin file: built-in defaults */
                }
                hr_error_prefix(err, "admin config");
                goto fail;
        }
        free(cfg->source);
        cfg->source = strdup(file);
        if (cfg->source == NULL) {
                hr_fail(err, "out of memory");
                goto fail;
        }
        if (config_apply(cfg, doc, file, err) < 0)
                goto fail;
        return 0;
fail:
        config_free(cfg);
        return -1;
}

void config_free(struct hr_config *cfg)
{
        free(cfg->source);
        free(cfg->runtime);
        free(cfg->default_profile);
        free(cfg->profile_dir);
        memset(cfg, 0, sizeof(*cfg));
}

/* ---- profiles ------------------------------------------------------------------ */

static int profile_rule(struct hr_profile *p, const char *rule, const struct json *v,
                        const char *src, struct hr_error *err)
{
        char ptr[160];
        int idx = rule_index(rule);
        snprintf(ptr, sizeof(ptr), "/rules/%.64s", rule);
        if (idx < 0)
                return bad(err, src, ptr, "unknown rule \"%s\"", rule);
        if (want_object(v, src, ptr, err) < 0)
                return -1;
        for (size_t i = 0; i < v->n; i++) {
                snprintf(ptr, sizeof(ptr), "/rules/%.64s/%.64s", rule, v->keys[i]);
                if (strcmp(v->keys[i], "action") != 0)
                        return bad(err, src, ptr, "unknown key (known: action)");
                if (want_string(v->vals[i], src, ptr, err) < 0)
                        return -1;
                if (rule_action_parse(v->vals[i]->text, &p->actions[idx]) < 0)
                        return bad(err, src, ptr,
                                   "\"%s\" is not an action (enforce, deny, warn, off)",
                                   v->vals[i]->text);
        }
        return 0;
}

static int profile_apply(struct hr_profile *p, const struct json *doc, const char *src,
                         struct hr_error *err)
{
        if (want_object(doc, src, "/", err) < 0)
                return -1;
        for (size_t i = 0; i < doc->n; i++) {
                const char *k = doc->keys[i];
                const struct json *v = doc->vals[i];
                if (strcmp(k, "name") == 0) {
                        if (take_string(v, &p->name, src, "/name", err) < 0)
                                return -1;
                        if (!valid_name(p->name))
                                return bad(err, src, "/name", "\"%s\" is not a valid profile name",
                                           p->name);
                } else if (strcmp(k, "description") == 0) {
                        if (want_string(v, src, "/description", err) < 0)
                                return -1;
                } else if (strcmp(k, "rules") == 0) {
                        if (want_object(v, src, "/rules", err) < 0)
                                return -1;
                        for (size_t r = 0; r < v->n; r++)
                                if (profile_rule(p, v->keys[r], v->vals[r], src, err) < 0)
                                        return -1;
                } else {
                        return hr_fail(err,
                                       "%s: unknown key \"%s\" (known: name, description, rules)",
                                       src, k);
                }
        }
        if (p->name == NULL)
                return bad(err, src, "/name", "missing");
        return 0;
}

static int profile_init(struct hr_profile *p, const char *source, struct hr_error *err)
{
        memset(p, 0, sizeof(*p));
        p->source = strdup(source);
        p->actions = calloc(rule_count, sizeof(*p->actions));
        if (p->source == NULL || p->actions == NULL)
                return hr_fail(err, "out of memory");
        /* A rule the profile does not mention keeps its table default. */
        for (size_t i = 0; i < rule_count; i++)
                p->actions[i] = rule_table[i].default_action;
        return 0;
}

static int profile_from_json(const struct json *doc, const char *source, struct hr_profile *p,
                             struct hr_error *err)
{
        if (profile_init(p, source, err) < 0 || profile_apply(p, doc, source, err) < 0) {
                profile_free(p);
                return -1;
        }
        return 0;
}

int profile_parse(const char *data, size_t len, const char *source, struct hr_profile *p,
                  struct hr_error *err)
{
        cleanup_json struct json *doc = NULL;
        memset(p, 0, sizeof(*p));
        if (json_parse(data, len, &doc, err) < 0)
                return hr_error_prefix(err, "%s", source);
        return profile_from_json(doc, source, p, err);
}

static const struct embedded_profile *embedded(const char *name)
{
        for (const struct embedded_profile *e = embedded_profiles; e->name != NULL; e++)
                if (strcmp(e->name, name) == 0)
                        return e;
        return NULL;
}

int profile_load(const struct hr_config *cfg, const char *selector, struct hr_profile *p,
                 struct hr_error *err)
{
        cleanup_json struct json *doc = NULL;
        cleanup_free char *path = NULL;
        const struct embedded_profile *e;
        const char *sel = selector ? selector : cfg->default_profile;

        memset(p, 0, sizeof(*p));
        if (strchr(sel, '/') != NULL) {
                if (json_load_path(sel, &doc, err) < 0)
                        return hr_error_prefix(err, "profile");
                return profile_from_json(doc, sel, p, err);
        }
        if (!valid_name(sel))
                return hr_fail(
                    err, "profile \"%s\": not a valid name (letters, digits, '.', '_', '-')", sel);
        if (asprintf(&path, "%s/%s.json", cfg->profile_dir, sel) < 0)
                return hr_fail(err, "out of memory");
        if (json_load_path(path, &doc, err) == 0)
                return profile_from_json(doc, path, p, err);
        if (err->errnum != ENOENT)
                return hr_error_prefix(err, "profile \"%s\"", sel);
        hr_error_clear(err);
        e = embedded(sel);
        if (e == NULL)
                return hr_fail(err, "profile \"%s\": no %s and no built-in profile of that name",
                               sel, path);
        return profile_parse(e->data, e->len, "built-in profile", p, err);
}

void profile_free(struct hr_profile *p)
{
        free(p->name);
        free(p->source);
        free(p->actions);
        memset(p, 0, sizeof(*p));
}
