// SPDX-License-Identifier: GPL-2.0-or-later
/* fields: the closed world. Every field of the document is looked up in the
 * runtime-spec field table (fields.h) before any rule reads it:
 *   - its JSON type and range must be what runc's Go decoder accepts for
 *     it (uint32 ids, booleans, int64 limits); otherwise the spec is
 *     refused naming the field, whatever the action, because runc would
 *     refuse it too and no rule may judge a value it misreads. null, which
 *     Go reads as "leave the field as it is", is refused the same way: a
 *     rule would take it for a value;
 *   - a field the table refuses is refused (recorded under warn);
 *   - a field the table does not know, below the top level, is refused or
 *     recorded as the profile's unknownFields says. Vendor keys at the top
 *     level reach runc as before: it ignores them. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fields.h"
#include "pipeline.h"

static const char *const unknown_choices[] = {"refuse", "warn", NULL};

static const struct param_field params[] = {
    {"unknownFields", PT_CHOICE, P_OFF(unknown_fields), 0, 0, unknown_choices},
    PARAM_END,
};

/* The walk carries the concrete pointer for messages and the table pattern
 * ("*" for items and map keys), both allocated as it goes. */
struct walk {
        struct rule_ctx *c;
        bool warn_unknown;
};

/* An integer lexeme within [0, max] (unsigned) or [min, max] (signed), as
 * strconv.ParseUint / ParseInt read it: no fraction, no exponent. */
static bool integer_fits(const struct json *v, bool is_signed, long long min,
                         unsigned long long max)
{
        const char *s = v->text;
        char *end = NULL;
        if (strpbrk(s, ".eE") != NULL)
                return false;
        errno = 0;
        if (!is_signed) {
                unsigned long long u;
                if (s[0] == '-')
                        return false;
                u = strtoull(s, &end, 10);
                return errno == 0 && *end == '\0' && u <= max;
        }
        long long i = strtoll(s, &end, 10);
        return errno == 0 && *end == '\0' && i >= min && (i < 0 || (unsigned long long)i <= max);
}

static bool type_ok(const struct json *v, enum field_type t)
{
        switch (t) {
        case FT_OBJECT:
        case FT_MAP:
                return v->type == JSON_OBJECT;
        case FT_ARRAY:
                return v->type == JSON_ARRAY;
        case FT_STRING:
                return v->type == JSON_STRING;
        case FT_BOOL:
                return v->type == JSON_TRUE || v->type == JSON_FALSE;
        case FT_U16:
                return v->type == JSON_NUMBER && integer_fits(v, false, 0, 65535);
        case FT_U32:
                return v->type == JSON_NUMBER && integer_fits(v, false, 0, 4294967295ULL);
        case FT_U64:
                return v->type == JSON_NUMBER && integer_fits(v, false, 0, ~0ULL);
        case FT_I32:
                return v->type == JSON_NUMBER && integer_fits(v, true, -2147483648LL, 2147483647);
        case FT_I64:
                return v->type == JSON_NUMBER &&
                       integer_fits(v, true, -9223372036854775807LL - 1, 9223372036854775807ULL);
        }
        return false;
}

static int type_error(struct rule_ctx *c, const char *pointer, const struct json *v,
                      const struct spec_field *f)
{
        cleanup_free char *text = json_to_text(v);
        const char *shown = text ? text : "?";
        if (v->type == JSON_NULL)
                return hr_fail(c->err,
                               "%s is null: leave the field out instead (runc would read "
                               "null as \"unchanged\", a rule as a value)",
                               pointer);
        return hr_fail(c->err,
                       "%s is %.80s%s: the field is of type %s, and runc's decoder would refuse "
                       "this value",
                       pointer, shown, strlen(shown) > 80 ? "..." : "", field_type_name(f->type));
}

static int walk_value(struct walk *w, const struct json *v, const char *pointer,
                      const char *pattern);

static int walk_member(struct walk *w, const char *pointer, const char *pattern, const char *key,
                       const struct json *v, bool is_map)
{
        /* the table's patterns hold no "~" or "/" a key would need escaped:
         * a key that does is not in the table either way */
        cleanup_free char *p = json_pointer_join(pointer, key);
        cleanup_free char *pat = json_pointer_join(pattern, is_map ? "*" : key);
        const struct spec_field *f;
        if (p == NULL || pat == NULL)
                return hr_fail(w->c->err, "out of memory");
        if ((f = spec_field_find(pat)) != NULL)
                return walk_value(w, v, p, pat);
        if (pattern[0] == '\0' || w->c->action == ACTION_OFF)
                return 0; /* a vendor key at the top level: runc ignores it */
        if (w->warn_unknown || w->c->action == ACTION_WARN) {
                char why[] = "not a field of the OCI runtime spec that hardened-runc judges "
                             "(unknownFields: warn)";
                struct rule_ctx quiet = *w->c;
                quiet.action = ACTION_WARN;
                return rule_refuse(&quiet, p, v, why);
        }
        return rule_refuse(w->c, p, v,
                           "not a field of the OCI runtime spec that hardened-runc judges: no "
                           "runtime gets a field no rule has judged (unknownFields: refuse)");
}

static int walk_value(struct walk *w, const struct json *v, const char *pointer,
                      const char *pattern)
{
        const struct spec_field *f = spec_field_find(pattern);
        const struct spec_field *d = spec_field_decider(f);
        int rc = 0;
        if (f == NULL || d == NULL)
                return hr_fail(w->c->err, "internal error: no field table entry for %s", pattern);
        if (v->type == JSON_NULL || !type_ok(v, f->type))
                return type_error(w->c, pointer, v, f);
        if (d->fate == FATE_REFUSED && d == f && w->c->action != ACTION_OFF) {
                char why[512];
                snprintf(why, sizeof(why), "%s (refused by the field table)", f->why);
                return rule_refuse(w->c, pointer, v, why);
        }
        if (v->type == JSON_ARRAY) {
                cleanup_free char *pat = json_pointer_join(pattern, "*");
                if (pat == NULL)
                        return hr_fail(w->c->err, "out of memory");
                for (size_t i = 0; rc == 0 && i < v->n; i++) {
                        cleanup_free char *p = NULL;
                        if (asprintf(&p, "%s/%zu", pointer, i) < 0)
                                return hr_fail(w->c->err, "out of memory");
                        rc = walk_value(w, v->vals[i], p, pat);
                }
                return rc;
        }
        for (size_t i = 0; rc == 0 && v->type == JSON_OBJECT && i < v->n; i++)
                rc = walk_member(w, pointer, pattern, v->keys[i], v->vals[i], f->type == FT_MAP);
        return rc;
}

static int apply(struct rule_ctx *c)
{
        struct walk w = {c, c->params->unknown_fields != NULL &&
                                strcmp(c->params->unknown_fields, "warn") == 0};
        return walk_value(&w, c->spec, "", "");
}

static const char *const owns[] = {NULL};

const struct rule_def rule_fields = {
    .name = "fields",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE | SCOPE_EXEC | SCOPE_UPDATE,
    .summary = "closed world: every field is of the type runc reads and judged by a rule, "
               "harmless or refused",
    .fields = params,
    .owns = owns,
    .apply = apply,
    .runs_when_off = true,
};
