/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A unified diff of two texts, for --dry-run=diff. */
#ifndef HR_DIFF_H
#define HR_DIFF_H

#include <stdio.h>

#include "error.h"

int diff_unified(FILE *out, const char *a_label, const char *a, const char *b_label, const char *b,
                 struct hr_error *err);

#endif
