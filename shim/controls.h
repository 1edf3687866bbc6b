/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which published control a finding answers: a recommendation of section 5
 * (Container Runtime) or 4.1 of the CIS Docker Benchmark, and a control of
 * the Kubernetes Pod Security Standards, where one exists. One table, read
 * by `check`, its manual and its tests. */
#ifndef HR_CONTROLS_H
#define HR_CONTROLS_H

#include <stddef.h>

/* The benchmark the numbers are taken from (its own table of contents). */
#define CIS_BENCHMARK "CIS Docker Benchmark v1.6.0"
#define PSS_NAME      "Kubernetes Pod Security Standards"

struct control {
        const char *rule;    /* the rule that makes the finding */
        const char *pointer; /* a JSON pointer prefix it applies to; "" for any */
        /* a text the finding's reason or value must hold ("pid namespace");
         * NULL: any */
        const char *match;
        const char *cis; /* recommendation number, NULL when none */
        const char *cis_title;
        const char *pss; /* "Capabilities (Baseline)", NULL when none */
};

/* The control of a finding of rule at pointer whose value (compact JSON)
 * is value, for reason; NULL when no published control covers it. */
const struct control *control_for(const char *rule, const char *pointer, const char *value,
                                  const char *reason);

extern const struct control control_table[];
extern const size_t control_count;

#endif
