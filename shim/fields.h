/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime-spec field table: every field of the OCI runtime spec (1.0.2
 * through 1.2, and the 1.3 additions runtimes already read) under root,
 * mounts, process, hooks, linux and the top level, with the Go type runc's
 * decoder gives it and its fate: judged by a rule (the rule's descriptor
 * owns it), harmless, or refused. A field that is not in the table reaches
 * no runtime (closed world; the fields rule). */
#ifndef HR_FIELDS_H
#define HR_FIELDS_H

#include <stdbool.h>
#include <stdio.h>

#include "pipeline.h"

enum field_type {
        FT_OBJECT, /* a struct: its members are fields of their own */
        FT_MAP,    /* map[string]T: any key; the values share the entry pattern + "/" + "*" */
        FT_ARRAY,  /* the items share the entry pattern + "/" + "*" */
        FT_STRING,
        FT_BOOL,
        FT_U16,
        FT_U32,
        FT_U64,
        FT_I32,
        FT_I64,
};

enum field_fate {
        FATE_MEMBERS,  /* an object whose members each have a fate */
        FATE_RULE,     /* judged by the rule that owns it */
        FATE_HARMLESS, /* reaches nothing outside the container */
        FATE_REFUSED,  /* never passed to the runtime */
        FATE_PARENT,   /* below an entry whose fate covers it */
};

struct spec_field {
        const char *pattern; /* "/process/user/uid"; "*" for array items and map keys */
        enum field_type type;
        enum field_fate fate;
        const char *why; /* harmless or refused: the reason */
};

extern const struct spec_field spec_fields[];
extern const size_t spec_field_count;

/* The entry for a pattern, or NULL. */
const struct spec_field *spec_field_find(const char *pattern);
/* The entry whose fate decides for pattern's entry (itself, or its nearest
 * ancestor that is not FATE_PARENT). */
const struct spec_field *spec_field_decider(const struct spec_field *f);
/* The rule whose descriptor owns pattern or its nearest owned ancestor. */
const struct rule_def *spec_field_owner(const char *pattern);
const char *field_type_name(enum field_type t);

/* Print the table: every field, its type and who judges it. */
void spec_fields_print(FILE *out);

#endif
