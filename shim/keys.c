// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "controls.h"
#include "json.h"
#include "keys.h"
#include "pipeline.h"
#include "policy.h"

/* The admin config's keys (policy.c config_load reads exactly these; a
 * unit test loads a config that sets each). */
const struct admin_key admin_keys[] = {
    {"runtime", "absolute path", "the build's runtime_path (/usr/sbin/runc, else /usr/bin/runc)"},
    {"defaultProfile", "name or absolute path", "restricted"},
    {"profileDir", "absolute path", "the build's profile_dir (/etc/hardened-runc/profiles)"},
    {"annotationProfiles", "list of profile names", "[] (no annotation may pick one)"},
    {"decisionLog.syslog", "bool", "true"},
    {"decisionLog.file", "absolute path", "none"},
    {"decisionLog.exec", "all | changed | refused", "all"},
    {"hooks[].path", "absolute path", "(no hook allowed)"},
    {"hooks[].args", "list of fnmatch patterns, one per argument", "-"},
    {"hooks[].env", "list of fnmatch patterns", "[] (no environment)"},
    {"hooks[].stages", "prestart | createRuntime | poststart | poststop", "-"},
};
const size_t admin_key_count = sizeof(admin_keys) / sizeof(*admin_keys);

static const char *type_name(const struct param_field *f)
{
        switch (f->type) {
        case PT_INT:
                return "integer";
        case PT_BYTES:
                return "bytes";
        case PT_BOOL:
                return "bool";
        case PT_CHOICE:
                return "choice";
        case PT_SOURCE:
                return "default|path";
        case PT_PATHS:
                return "paths";
        case PT_STRINGS:
                return "strings";
        case PT_CAPS:
                return "caps";
        case PT_RLIMITS:
                return "rlimits";
        }
        return "?";
}

/* The value as restricted sets it: compact JSON, a long list as its
 * length (profiles/restricted.json holds it). */
static char *default_text(const struct json *v)
{
        char *t = NULL;
        if (v == NULL)
                return strdup("(unset)");
        if (v->type == JSON_ARRAY && v->n > 4) {
                if (asprintf(&t, "(%zu entries)", v->n) < 0)
                        return NULL;
                return t;
        }
        if ((t = json_to_text(v)) != NULL && strlen(t) > 44) {
                free(t);
                return strdup("(see restricted.json)");
        }
        return t;
}

/* The distinct CIS numbers and PSS controls of a rule, "5.4; Capabilities
 * (Baseline)", or "-". */
static char *controls_text(const char *rule)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        const char *sep = "";
        if (f == NULL)
                return NULL;
        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < control_count; i++) {
                        const struct control *c = &control_table[i];
                        const char *v = pass == 0 ? c->cis : c->pss;
                        bool seen = false;
                        if (strcmp(c->rule, rule) != 0 || v == NULL)
                                continue;
                        for (size_t k = 0; k < i && !seen; k++) {
                                const char *w =
                                    pass == 0 ? control_table[k].cis : control_table[k].pss;
                                seen = strcmp(control_table[k].rule, rule) == 0 && w != NULL &&
                                       strcmp(w, v) == 0;
                        }
                        if (!seen) {
                                fprintf(f, "%s%s%s", sep, pass == 0 ? "CIS " : "PSS ", v);
                                sep = ", ";
                        }
                }
        if (fclose(f) != 0) {
                free(out);
                return NULL;
        }
        if (len == 0) {
                free(out);
                return strdup("-");
        }
        return out;
}

static int print_rule(FILE *out, const struct rule_def *r, const struct json *rules)
{
        const struct json *mine = json_obj_get(rules, r->name);
        cleanup_free char *ctl = controls_text(r->name);
        cleanup_free char *act = NULL;
        if (ctl == NULL || (act = default_text(json_obj_get(mine, "action"))) == NULL)
                return -1;
        fprintf(out, "rules.%s.action  %s  %s\n    controls: %s\n", r->name,
                "off|warn|enforce|deny", act, ctl);
        for (const struct param_field *f = r->fields; f != NULL && f->key != NULL; f++) {
                cleanup_free char *d = default_text(json_obj_get(mine, f->key));
                if (d == NULL)
                        return -1;
                fprintf(out, "rules.%s.%s  ", r->name, f->key);
                for (const char *const *c = f->choices; f->type == PT_CHOICE && c && *c; c++)
                        fprintf(out, "%s%s", *c, c[1] != NULL ? "|" : "");
                fprintf(out, "%s  %s\n", f->type == PT_CHOICE ? "" : type_name(f), d);
        }
        return 0;
}

int keys_print(FILE *out)
{
        cleanup_json struct json *restricted = NULL;
        struct hr_error err = {0};
        const struct json *rules;
        const struct embedded_profile *e = embedded_profiles;
        while (e->name != NULL && strcmp(e->name, "restricted") != 0)
                e++;
        if (e->name == NULL || json_parse_own(e->data, e->len, &restricted, &err) < 0) {
                hr_error_clear(&err);
                return -1;
        }
        rules = json_obj_get(restricted, "rules");
        fprintf(out, "# profile keys: KEY  TYPE  DEFAULT (the built-in restricted profile)\n");
        for (size_t i = 0; i < rule_count; i++)
                if (print_rule(out, rule_table[i], rules) < 0)
                        return -1;
        fprintf(out, "# admin config keys (--config; the build's config_path, "
                     "/etc/hardened-runc/config.json): KEY  TYPE  DEFAULT\n");
        for (size_t i = 0; i < admin_key_count; i++)
                fprintf(out, "%s  %s  %s\n", admin_keys[i].key, admin_keys[i].type,
                        admin_keys[i].dflt);
        return 0;
}
