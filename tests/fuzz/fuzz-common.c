// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "probe.h"

struct hr_profile fuzz_profiles[FUZZ_PROFILES];
static bool loaded;

void fuzz_load_profiles(void)
{
        static const char *const names[FUZZ_PROFILES] = {"restricted", "baseline", "strict"};
        struct hr_config cfg = {.default_profile = "restricted", .profile_dir = "/nonexistent"};
        if (loaded)
                return;
        for (size_t i = 0; i < FUZZ_PROFILES; i++) {
                struct hr_error err = {0};
                if (profile_load(&cfg, names[i], &fuzz_profiles[i], &err) < 0) {
                        fprintf(stderr, "profile %s: %s\n", names[i], hr_error_msg(&err));
                        abort();
                }
        }
        loaded = true;
}

_Noreturn void fuzz_fail(const char *what, const struct json *doc)
{
        char *text = NULL;
        size_t len = 0;
        struct hr_error err = {0};
        if (doc != NULL && json_emit(doc, false, &text, &len, &err) == 0)
                fprintf(stderr, "%s: %s\n", what, text);
        else
                fprintf(stderr, "%s\n", what);
        abort();
}

int fuzz_judge(struct json *doc, const struct hr_profile *p, enum pipeline_scope scope,
               struct json **out, bool *changed)
{
        struct report r = {0};
        struct hr_error err = {0};
        struct staging_plan plan = {0};
        struct probe blind;
        struct pipeline_env env = {.bundle = "/nonexistent-bundle",
                                   .container_id = "fuzz",
                                   .container_dir = "/run/hardened-runc/+run+runc/fuzz",
                                   .staging = &plan,
                                   .probe = &blind,
                                   .scope = scope};
        int rc;
        probe_init(&blind, PROBE_BLIND);
        rc = pipeline_run(doc, &env, p->actions, &p->params, &r, &err);
        if (rc == 0 && plan.dir != NULL && staging_steps(&plan, doc, &blind, &err) < 0)
                fuzz_fail("staging_steps failed on an allowed spec", doc);
        *changed = report_count(&r, CHANGE_REWRITE) > 0;
        staging_plan_free(&plan);
        probe_free(&blind);
        report_free(&r);
        hr_error_clear(&err);
        if (rc < 0) {
                json_free(doc);
                *out = NULL;
                return -1;
        }
        *out = doc;
        return 0;
}

struct json *fuzz_parse(const uint8_t *data, size_t size)
{
        struct json *doc = NULL;
        struct hr_error err = {0};
        if (json_parse((const char *)data, size, &doc, &err) < 0) {
                hr_error_clear(&err);
                return NULL;
        }
        return doc;
}

void fuzz_check_stable(const struct json *once, const struct hr_profile *p,
                       enum pipeline_scope scope, enum fuzz_check check)
{
        struct json *back = NULL, *again = NULL;
        struct hr_error err = {0};
        char *text = NULL;
        size_t len = 0;
        bool changed;
        if (json_emit(once, false, &text, &len, &err) < 0 ||
            json_parse(text, len, &back, &err) < 0 || !json_equal(back, once))
                fuzz_fail("an allowed document does not emit and parse back to itself", once);
        free(text);
        if (check == FUZZ_ROUNDTRIP) {
                json_free(back);
                return;
        }
        if (fuzz_judge(back, p, scope, &again, &changed) < 0)
                fuzz_fail("a hardened document is refused on a second pass", once);
        if (changed || (check == FUZZ_SAME_RESULT && !json_equal(again, once)))
                fuzz_fail("a second pass changed a hardened document", once);
        json_free(again);
}
