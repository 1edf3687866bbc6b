// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static char *value_text(const struct json *j)
{
        char *t = json_to_text(j);
        size_t n = t ? strlen(t) : 0;
        char *cut = NULL;
        if (n <= REPORT_VALUE_MAX)
                return t;
        if (asprintf(&cut, "%.*s... (%zu bytes)", REPORT_VALUE_MAX - 40, t, n) < 0)
                cut = NULL;
        free(t);
        return cut;
}

int report_add(struct report *r, enum change_kind kind, const char *rule, const char *pointer,
               const struct json *before, const struct json *after, const char *reason,
               struct hr_error *err)
{
        struct change c = {.kind = kind, .rule = rule};
        if (r->n == r->cap) {
                size_t cap = r->cap ? r->cap * 2 : 8;
                struct change *items = reallocarray(r->items, cap, sizeof(*items));
                if (items == NULL)
                        return hr_fail(err, "out of memory");
                r->items = items;
                r->cap = cap;
        }
        c.pointer = strdup(pointer);
        c.before = value_text(before);
        c.after = kind == CHANGE_REFUSE && after == NULL ? strdup("(no compliant value)")
                                                         : value_text(after);
        c.reason = strdup(reason);
        if (c.pointer == NULL || c.before == NULL || c.after == NULL || c.reason == NULL) {
                free(c.pointer);
                free(c.before);
                free(c.after);
                free(c.reason);
                return hr_fail(err, "out of memory");
        }
        r->items[r->n++] = c;
        return 0;
}

size_t report_count(const struct report *r, enum change_kind kind)
{
        size_t n = 0;
        for (size_t i = 0; i < r->n; i++)
                n += r->items[i].kind == kind;
        return n;
}

const char *change_kind_name(enum change_kind kind)
{
        static const char *const names[] = {"changed", "warning", "refused", "kept", "deferred"};
        return names[kind];
}

void report_print(FILE *f, const struct report *r)
{
        for (size_t i = 0; i < r->n; i++) {
                const struct change *c = &r->items[i];
                fprintf(f, "%s: %s %s: %s -> %s -- %s\n", c->rule, change_kind_name(c->kind),
                        c->pointer, c->before, c->after, c->reason);
        }
}

void report_free(struct report *r)
{
        for (size_t i = 0; i < r->n; i++) {
                free(r->items[i].pointer);
                free(r->items[i].before);
                free(r->items[i].after);
                free(r->items[i].reason);
        }
        free(r->items);
        r->items = NULL;
        r->n = r->cap = 0;
}
