/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hardening a bundle's config.json: load, pick the profile, run the
 * pipeline, record the decision, then either store the result atomically or
 * (dry run) print it. */
#ifndef HR_HARDEN_H
#define HR_HARDEN_H

#include <stdio.h>

#include "error.h"
#include "policy.h"
#include "runc-args.h"

struct harden_request {
        const char *bundle;
        const char *container_id;
        const char *profile; /* --profile, or NULL for the config's default */
        const struct hr_config *cfg;
        enum dry_run_mode dry_run;
        FILE *out; /* dry-run output */
};

/* On refusal or error config.json is left byte-identical. In dry-run mode
 * nothing is written or logged and the result goes to out (for
 * DRY_RUN_REPORT the report is printed even when the spec is refused). */
int harden_bundle(const struct harden_request *req, struct hr_error *err);

#endif
