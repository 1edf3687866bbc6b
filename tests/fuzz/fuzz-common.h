/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the fuzz targets: the shipped profiles, and running a document
 * through the rules of one scope with the staging probe replaced by a blind
 * one (it knows nothing of the host and touches nothing). */
#ifndef HR_FUZZ_COMMON_H
#define HR_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>

#include "json.h"
#include "pipeline.h"
#include "plan.h"
#include "policy.h"
#include "report.h"

#define FUZZ_PROFILES 3
extern struct hr_profile fuzz_profiles[FUZZ_PROFILES];

/* Load the shipped profiles once; aborts when one does not load. */
void fuzz_load_profiles(void);

/* Run doc (taken over) through profile p's rules of scope. *out: the
 * result, the caller's (NULL when refused); *changed: whether any rule
 * changed it. */
int fuzz_judge(struct json *doc, const struct hr_profile *p, enum pipeline_scope scope,
               struct json **out, bool *changed);

/* The input as an OCI document, or NULL when it is not one. */
struct json *fuzz_parse(const uint8_t *data, size_t size);

/* What is checked of an allowed document (a rule pass's result). */
enum fuzz_check {
        FUZZ_ROUNDTRIP,   /* it emits and parses back to itself */
        FUZZ_SECOND_PASS, /* ... and a second pass allows it and reports no change */
        FUZZ_SAME_RESULT, /* ... and leaves it equal, too */
};
void fuzz_check_stable(const struct json *once, const struct hr_profile *p,
                       enum pipeline_scope scope, enum fuzz_check check);

/* abort() with a message: libFuzzer reports it as a crash */
_Noreturn void fuzz_fail(const char *what, const struct json *doc);

#endif
