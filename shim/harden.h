/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hardening a bundle's config.json: load, run the pipeline, then either
 * store the result atomically or (dry run) print it. */
#ifndef HR_HARDEN_H
#define HR_HARDEN_H

#include <stdio.h>

#include "error.h"
#include "policy.h"
#include "runc-args.h"

/* On refusal or error config.json is left byte-identical. In dry-run mode
 * nothing is written and the result goes to out (for DRY_RUN_REPORT, the
 * report is printed even when the spec is refused). */
int harden_bundle(const char *bundle, const struct hr_profile *profile, enum dry_run_mode dry_run,
                  FILE *out, struct hr_error *err);

#endif
