// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cleanup.h"
#include "hooks.h"
#include "hr-config.h"
#include "policy.h"
#include "seccomp-profile.h"

#define NAME_MAX_LEN 64

static bool valid_name(const char *s)
{
        size_t n = strlen(s);
        if (n == 0 || n > NAME_MAX_LEN || s[0] == '.')
                return false;
        return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int want_type(const struct json *v, enum json_type t, const char *src, const char *ptr,
                     struct hr_error *err)
{
        if (v->type != t && !(t == JSON_TRUE && json_is_bool(v)))
                return hr_fail_at(err, src, ptr, "expected %s, found %s",
                                  t == JSON_TRUE ? "true or false" : json_type_name(t),
                                  json_type_name(v->type));
        return 0;
}

static int take_string(const struct json *v, char **dst, const char *src, const char *ptr,
                       struct hr_error *err)
{
        char *s;
        if (want_type(v, JSON_STRING, src, ptr, err) < 0)
                return -1;
        if (v->len == 0)
                return hr_fail_at(err, src, ptr, "empty value");
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
        if (want_type(v, JSON_STRING, src, ptr, err) < 0)
                return -1;
        if (v->text[0] != '/')
                return hr_fail_at(err, src, ptr, "\"%s\" is not an absolute path", v->text);
        return take_string(v, dst, src, ptr, err);
}

/* ---- admin configuration ---------------------------------------------------- */

static const struct param_field annotation_field = {
    "annotationProfiles", PT_STRINGS, 0, 0, 0, NULL};

static int config_log_exec(struct hr_config *cfg, const struct json *v, const char *src,
                           struct hr_error *err)
{
        static const char *const names[] = {"all", "changed", "refused"};
        if (want_type(v, JSON_STRING, src, "/decisionLog/exec", err) < 0)
                return -1;
        for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
                if (strcmp(v->text, names[i]) == 0) {
                        cfg->log_exec = (enum log_exec)i;
                        return 0;
                }
        return hr_fail(err, "%s: /decisionLog/exec: \"%s\" (expected all, changed or refused)", src,
                       v->text);
}

static int config_log(struct hr_config *cfg, const struct json *v, const char *src,
                      struct hr_error *err)
{
        if (want_type(v, JSON_OBJECT, src, "/decisionLog", err) < 0)
                return -1;
        for (size_t i = 0; i < v->n; i++) {
                if (strcmp(v->keys[i], "syslog") == 0) {
                        if (want_type(v->vals[i], JSON_TRUE, src, "/decisionLog/syslog", err) < 0)
                                return -1;
                        cfg->log_syslog = v->vals[i]->type == JSON_TRUE;
                } else if (strcmp(v->keys[i], "file") == 0) {
                        if (take_abs_path(v->vals[i], &cfg->log_file, src, "/decisionLog/file",
                                          err) < 0)
                                return -1;
                } else if (strcmp(v->keys[i], "exec") == 0) {
                        if (config_log_exec(cfg, v->vals[i], src, err) < 0)
                                return -1;
                } else {
                        return hr_fail(
                            err, "%s: /decisionLog: unknown key \"%s\" (known: syslog, file, exec)",
                            src, v->keys[i]);
                }
        }
        return 0;
}

static const struct param_field hook_list_field = {"hooks", PT_STRINGS, 0, 0, 0, NULL};

static int hook_stages(const struct json *v, unsigned *mask, const char *src, const char *ptr,
                       struct hr_error *err)
{
        if (want_type(v, JSON_ARRAY, src, ptr, err) < 0)
                return -1;
        for (size_t i = 0; i < v->n; i++) {
                int s = v->vals[i]->type == JSON_STRING ? hook_stage_index(v->vals[i]->text) : -1;
                if (s < 0)
                        return hr_fail_at(err, src, ptr, "item %zu is not a hook stage", i);
                if (hook_stage_never((enum hook_stage)s))
                        return hr_fail_at(err, src, ptr,
                                          "%s hooks run in the container with its environment as "
                                          "host root (CVE-2025-23266): never allowed",
                                          v->vals[i]->text);
                *mask |= 1u << s;
        }
        return 0;
}

/* One allow-list entry: {"path": ABS, "args": [PATTERN...], "env": [PATTERN...],
 * "stages": [STAGE...]}; path and stages are required. */
static int hook_entry(struct hook_allow *h, const struct json *v, const char *src, const char *ptr,
                      struct hr_error *err)
{
        char p[128];
        if (want_type(v, JSON_OBJECT, src, ptr, err) < 0)
                return -1;
        for (size_t i = 0; i < v->n; i++) {
                const char *k = v->keys[i];
                int rc;
                snprintf(p, sizeof(p), "%s/%.32s", ptr, k);
                if (strcmp(k, "path") == 0)
                        rc = take_abs_path(v->vals[i], &h->path, src, p, err);
                else if (strcmp(k, "args") == 0)
                        rc = param_parse_list(&hook_list_field, v->vals[i], &h->args, src, p, err);
                else if (strcmp(k, "env") == 0)
                        rc = param_parse_list(&hook_list_field, v->vals[i], &h->env, src, p, err);
                else if (strcmp(k, "stages") == 0)
                        rc = hook_stages(v->vals[i], &h->stages, src, p, err);
                else
                        rc =
                            hr_fail_at(err, src, p, "unknown key (known: path, args, env, stages)");
                if (rc < 0)
                        return -1;
        }
        if (h->path == NULL || h->stages == 0)
                return hr_fail_at(err, src, ptr, "a hook entry needs a path and its stages");
        return 0;
}

static int config_hooks(struct hr_config *cfg, const struct json *v, const char *src,
                        struct hr_error *err)
{
        if (want_type(v, JSON_ARRAY, src, "/hooks", err) < 0)
                return -1;
        cfg->hooks.v = calloc(v->n ? v->n : 1, sizeof(*cfg->hooks.v));
        if (cfg->hooks.v == NULL)
                return hr_fail(err, "out of memory");
        for (size_t i = 0; i < v->n; i++) {
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/hooks/%zu", i);
                cfg->hooks.n++;
                if (hook_entry(&cfg->hooks.v[i], v->vals[i], src, ptr, err) < 0)
                        return -1;
        }
        return 0;
}

static void hooks_free(struct hook_allows *h)
{
        for (size_t i = 0; i < h->n; i++) {
                free(h->v[i].path);
                strlist_free(&h->v[i].args);
                strlist_free(&h->v[i].env);
        }
        free(h->v);
        memset(h, 0, sizeof(*h));
}

static int config_apply(struct hr_config *cfg, const struct json *doc, const char *src,
                        struct hr_error *err)
{
        if (want_type(doc, JSON_OBJECT, src, "/", err) < 0)
                return -1;
        for (size_t i = 0; i < doc->n; i++) {
                const char *k = doc->keys[i];
                const struct json *v = doc->vals[i];
                int rc;
                if (strcmp(k, "runtime") == 0)
                        rc = take_abs_path(v, &cfg->runtime, src, "/runtime", err);
                else if (strcmp(k, "profileDir") == 0)
                        rc = take_abs_path(v, &cfg->profile_dir, src, "/profileDir", err);
                else if (strcmp(k, "defaultProfile") == 0)
                        rc = take_string(v, &cfg->default_profile, src, "/defaultProfile", err);
                else if (strcmp(k, "annotationProfiles") == 0)
                        rc = param_parse_list(&annotation_field, v, &cfg->annotation_profiles, src,
                                              "/annotationProfiles", err);
                else if (strcmp(k, "decisionLog") == 0)
                        rc = config_log(cfg, v, src, err);
                else if (strcmp(k, "hooks") == 0)
                        rc = config_hooks(cfg, v, src, err);
                else
                        rc = hr_fail(
                            err,
                            "%s: unknown key \"%s\" (known: runtime, defaultProfile, profileDir, "
                            "annotationProfiles, decisionLog, hooks)",
                            src, k);
                if (rc < 0)
                        return -1;
        }
        return 0;
}

static int config_defaults(struct hr_config *cfg, struct hr_error *err)
{
        cfg->runtime = strdup(HR_DEFAULT_RUNTIME);
        cfg->default_profile = strdup("restricted");
        cfg->profile_dir = strdup(HR_DEFAULT_PROFILE_DIR);
        cfg->log_syslog = true;
        if (!cfg->runtime || !cfg->default_profile || !cfg->profile_dir)
                return hr_fail(err, "out of memory");
        return 0;
}

int config_load(const char *path, struct hr_config *cfg, struct hr_error *err)
{
        cleanup_json struct json *doc = NULL;
        const char *file = path ? path : HR_DEFAULT_CONFIG;
        memset(cfg, 0, sizeof(*cfg));
        if (config_defaults(cfg, err) < 0)
                goto fail;
        if (json_load_path(file, JSON_OWN, &doc, err) < 0) {
                if (path == NULL && err->errnum == ENOENT) {
                        hr_error_clear(err);
                        return 0; /* no admin file: built-in defaults */
                }
                hr_error_prefix(err, "admin config");
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
        strlist_free(&cfg->annotation_profiles);
        hooks_free(&cfg->hooks);
        free(cfg->runtime);
        free(cfg->default_profile);
        free(cfg->profile_dir);
        free(cfg->log_file);
        memset(cfg, 0, sizeof(*cfg));
}

/* ---- profiles ------------------------------------------------------------------ */

static int profile_rule(struct hr_profile *p, const char *rule, const struct json *v,
                        const char *src, struct hr_error *err)
{
        char ptr[200], known[512];
        int idx = rule_index(rule);
        snprintf(ptr, sizeof(ptr), "/rules/%.64s", rule);
        if (idx < 0)
                return hr_fail_at(err, src, ptr, "unknown rule \"%s\"", rule);
        if (want_type(v, JSON_OBJECT, src, ptr, err) < 0)
                return -1;
        for (size_t i = 0; i < v->n; i++) {
                const struct param_field *f = param_find(rule_table[idx]->fields, v->keys[i]);
                snprintf(ptr, sizeof(ptr), "/rules/%.64s/%.64s", rule, v->keys[i]);
                if (strcmp(v->keys[i], "action") == 0) {
                        if (want_type(v->vals[i], JSON_STRING, src, ptr, err) < 0)
                                return -1;
                        if (rule_action_parse(v->vals[i]->text, &p->actions[idx]) < 0)
                                return hr_fail_at(
                                    err, src, ptr,
                                    "\"%s\" is not an action (enforce, deny, warn, off)",
                                    v->vals[i]->text);
                } else if (f == NULL) {
                        return hr_fail_at(
                            err, src, ptr, "unknown key (known: %s)",
                            param_keys(rule_table[idx]->fields, known, sizeof(known)));
                } else if (param_parse(&p->params, f, v->vals[i], src, ptr, err) < 0) {
                        return -1;
                }
        }
        return 0;
}

static int profile_apply(struct hr_profile *p, const struct json *doc, const char *src,
                         struct hr_error *err)
{
        bool named = false;
        if (want_type(doc, JSON_OBJECT, src, "/", err) < 0)
                return -1;
        for (size_t i = 0; i < doc->n; i++) {
                const char *k = doc->keys[i];
                const struct json *v = doc->vals[i];
                if (strcmp(k, "name") == 0) {
                        if (take_string(v, &p->name, src, "/name", err) < 0)
                                return -1;
                        if (!valid_name(p->name))
                                return hr_fail_at(err, src, "/name",
                                                  "\"%s\" is not a valid profile name", p->name);
                        named = true;
                } else if (strcmp(k, "description") == 0) {
                        if (want_type(v, JSON_STRING, src, "/description", err) < 0)
                                return -1;
                } else if (strcmp(k, "rules") == 0) {
                        if (want_type(v, JSON_OBJECT, src, "/rules", err) < 0)
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
        if (!named)
                return hr_fail_at(err, src, "/name", "missing");
        free(p->source);
        p->source = strdup(src);
        return p->source ? 0 : hr_fail(err, "out of memory");
}

int profile_overlay(struct hr_profile *p, const char *data, size_t len, const char *source,
                    struct hr_error *err)
{
        cleanup_json struct json *doc = NULL;
        if (json_parse_own(data, len, &doc, err) < 0)
                return hr_error_prefix(err, "%s", source);
        return profile_apply(p, doc, source, err);
}

static const struct embedded_profile *embedded(const char *name)
{
        for (const struct embedded_profile *e = embedded_profiles; e->name != NULL; e++)
                if (strcmp(e->name, name) == 0)
                        return e;
        return NULL;
}

/* The base every profile starts from: the built-in restricted profile. */
static int profile_base(struct hr_profile *p, struct hr_error *err)
{
        const struct embedded_profile *e = embedded("restricted");
        memset(p, 0, sizeof(*p));
        p->actions = calloc(rule_count, sizeof(*p->actions));
        if (p->actions == NULL)
                return hr_fail(err, "out of memory");
        for (size_t i = 0; i < rule_count; i++)
                p->actions[i] = rule_table[i]->default_action;
        if (e == NULL)
                return hr_fail(err, "no built-in restricted profile");
        return profile_overlay(p, e->data, e->len, "built-in profile restricted", err);
}

static int overlay_selected(const struct hr_config *cfg, const char *sel, struct hr_profile *p,
                            struct hr_error *err)
{
        cleanup_json struct json *doc = NULL;
        cleanup_free char *path = NULL;
        const struct embedded_profile *e;
        if (strchr(sel, '/') != NULL) {
                if (json_load_path(sel, JSON_OWN, &doc, err) < 0)
                        return hr_error_prefix(err, "profile");
                return profile_apply(p, doc, sel, err);
        }
        if (!valid_name(sel))
                return hr_fail(
                    err, "profile \"%s\": not a valid name (letters, digits, '.', '_', '-')", sel);
        if (asprintf(&path, "%s/%s.json", cfg->profile_dir, sel) < 0)
                return hr_fail(err, "out of memory");
        if (json_load_path(path, JSON_OWN, &doc, err) == 0)
                return profile_apply(p, doc, path, err);
        if (err->errnum != ENOENT)
                return hr_error_prefix(err, "profile \"%s\"", sel);
        hr_error_clear(err);
        e = embedded(sel);
        if (e == NULL)
                return hr_fail(err, "profile \"%s\": no %s and no built-in profile of that name",
                               sel, path);
        if (strcmp(sel, "restricted") == 0)
                return 0; /* already the base */
        char src[NAME_MAX_LEN + 32];
        snprintf(src, sizeof(src), "built-in profile %s", sel);
        return profile_overlay(p, e->data, e->len, src, err);
}

int profile_load(const struct hr_config *cfg, const char *selector, struct hr_profile *p,
                 struct hr_error *err)
{
        const char *sel = selector ? selector : cfg->default_profile;
        if (profile_base(p, err) < 0 || overlay_selected(cfg, sel, p, err) < 0)
                goto fail;
        if (p->actions[rule_index("seccomp")] != ACTION_OFF &&
            seccomp_filter_load(p->params.seccomp_profile, p->params.seccomp_mode,
                                &p->params.seccomp_filter, err) < 0) {
                hr_error_prefix(err, "profile %s", p->name);
                goto fail;
        }
        return 0;
fail:
        profile_free(p);
        return -1;
}

void profile_free(struct hr_profile *p)
{
        free(p->name);
        free(p->source);
        free(p->actions);
        params_free(&p->params);
        memset(p, 0, sizeof(*p));
}
