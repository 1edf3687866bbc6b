// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cleanup.h"
#include "diff.h"
#include "harden.h"
#include "pipeline.h"
#include "report.h"

static int print_spec(FILE *out, const struct json *spec, struct hr_error *err)
{
        cleanup_free char *text = NULL;
        if (json_emit(spec, true, &text, NULL, err) < 0)
                return -1;
        fputs(text, out);
        return 0;
}

static int print_diff(FILE *out, const struct json *before, const struct json *after,
                      struct hr_error *err)
{
        cleanup_free char *a = NULL;
        cleanup_free char *b = NULL;
        if (json_emit(before, true, &a, NULL, err) < 0 || json_emit(after, true, &b, NULL, err) < 0)
                return -1;
        return diff_unified(out, "a/config.json", a, "b/config.json", b, err);
}

/* Always store the re-emitted document, even when no rule changed it: runc
 * then reads exactly the bytes we judged, so no difference between yajl's
 * reading and Go's (escapes, surrogates) can reach it. */
static int store(int dirfd, const struct json *spec, const struct stat *st, struct hr_error *err)
{
        cleanup_free char *text = NULL;
        size_t len;
        if (json_emit(spec, false, &text, &len, err) < 0)
                return -1;
        return file_replace_at(dirfd, "config.json", text, len, st, err);
}

static int emit_dry_run(FILE *out, enum dry_run_mode mode, const struct json *before,
                        const struct json *spec, const struct report *report, struct hr_error *err)
{
        int rc = 0;
        switch (mode) {
        case DRY_RUN_SPEC:
                rc = print_spec(out, spec, err);
                break;
        case DRY_RUN_DIFF:
                rc = print_diff(out, before, spec, err);
                break;
        case DRY_RUN_REPORT:
                report_print(out, report);
                break;
        case DRY_RUN_OFF:
                break;
        }
        if (rc == 0 && fflush(out) != 0)
                rc = hr_fail(err, "cannot write the dry-run output");
        return rc;
}

int harden_bundle(const char *bundle, const struct hr_profile *profile, enum dry_run_mode dry_run,
                  FILE *out, struct hr_error *err)
{
        cleanup_close int dirfd = -1;
        cleanup_free char *display = NULL;
        cleanup_json struct json *spec = NULL;
        cleanup_json struct json *before = NULL;
        struct report report = {0};
        struct stat st;
        int rc;

        if (asprintf(&display, "%s/config.json", bundle) < 0)
                return hr_fail(err, "out of memory");
        dirfd = bundle_open_dir(bundle, err);
        if (dirfd < 0)
                return -1;
        if (json_load_at(dirfd, "config.json", display, &spec, &st, err) < 0)
                return -1;
        if (spec->type != JSON_OBJECT)
                return hr_fail(err, "%s: expected an object, found %s", display,
                               json_type_name(spec->type));
        if (dry_run == DRY_RUN_DIFF && (before = json_dup(spec)) == NULL)
                return hr_fail(err, "out of memory");

        rc = pipeline_run(spec, profile->actions, &report, err);
        if (rc < 0)
                hr_error_prefix(err, "%s (profile %s)", display, profile->name);
        if (dry_run == DRY_RUN_REPORT || (rc == 0 && dry_run != DRY_RUN_OFF))
                rc = emit_dry_run(out, dry_run, before, spec, &report, err) < 0 ? -1 : rc;
        else if (rc == 0)
                rc = store(dirfd, spec, &st, err) < 0 ? hr_error_prefix(err, "%s", display) : 0;
        report_free(&report);
        return rc;
}
