/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The change report: every rewrite, warning and refusal a rule made, with
 * the JSON pointer it touched, the value before and after, and why. */
#ifndef HR_REPORT_H
#define HR_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "json.h"

enum change_kind {
        CHANGE_REWRITE, /* enforce: the spec was changed */
        CHANGE_WARN,    /* warn: recorded, spec left alone */
        CHANGE_REFUSE,  /* deny, or a spec we cannot make compliant */
        CHANGE_KEEP,    /* judged and let through as it is, worth recording */
        CHANGE_DEFER,   /* the probe could not tell: judged at create */
};

struct change {
        enum change_kind kind;
        const char *rule; /* static rule name */
        char *pointer;
        char *before; /* compact JSON text, or "(absent)" */
        char *after;
        char *reason;
};

struct report {
        struct change *items;
        size_t n, cap;
};

/* after NULL with kind CHANGE_REFUSE: no compliant value exists. Values are
 * kept as compact JSON, cut to REPORT_VALUE_MAX bytes (a seccomp filter is
 * tens of kilobytes). */
#define REPORT_VALUE_MAX 240
int report_add(struct report *r, enum change_kind kind, const char *rule, const char *pointer,
               const struct json *before, const struct json *after, const char *reason,
               struct hr_error *err);
size_t report_count(const struct report *r, enum change_kind kind);
const char *change_kind_name(enum change_kind kind);
/* One line per change: "rule: kind pointer: before -> after -- reason". */
void report_print(FILE *f, const struct report *r);
void report_free(struct report *r);

#endif
