// SPDX-License-Identifier: GPL-2.0-or-later
/* Every rule against every captured Docker spec, per profile, compared with
 * the checked-in reports under tests/golden/ (HR_UPDATE_GOLDEN=1 rewrites
 * them; review the diff by hand before committing). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cleanup.h"
#include "helpers.h"
#include "pipeline.h"
#include "policy.h"
#include "plan.h"
#include "probe.h"
#include "report.h"

#define GOLDEN_DIR FIXTURES_DIR "/../golden"

static struct hr_profile load(const char *name)
{
        struct hr_config cfg = {.default_profile = "restricted", .profile_dir = "/nonexistent"};
        struct hr_profile p;
        struct hr_error err = {0};
        cr_assert_eq(profile_load(&cfg, name, &p, &err), 0, "%s: %s", name, hr_error_msg(&err));
        return p;
}

static struct json *load_fixture(const char *name)
{
        cleanup_free char *path = NULL;
        cr_assert(asprintf(&path, "%s/%s", FIXTURES_DIR, name) > 0);
        cleanup_free char *text = slurp(path, NULL);
        return parse_or_die(text);
}

/* The id dockerd gave the captured container: the last part of its
 * cgroupsPath, which the cgroups rule checks against the id. */
static const char *container_id(const struct json *spec)
{
        const struct json *p = json_pointer_get(spec, "/linux/cgroupsPath");
        const char *slash = p && p->type == JSON_STRING ? strrchr(p->text, '/') : NULL;
        return slash ? slash + 1 : "golden";
}

/* Run the pipeline with pr (NULL: the host's own probe); the report text
 * plus the final verdict line. */
static char *run_with(struct json *spec, const struct hr_profile *p, struct probe *pr, int *rc)
{
        struct report r = {0};
        struct hr_error err = {0};
        struct staging_plan plan = {0};
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        struct pipeline_env env = {.bundle = "/nonexistent-bundle",
                                   .container_id = container_id(spec),
                                   .container_dir = "/run/hardened-runc/+run+runc/golden",
                                   .staging = &plan,
                                   .probe = pr,
                                   .scope = SCOPE_CREATE};
        *rc = pipeline_run(spec, &env, p->actions, &p->params, &r, &err);
        report_print(f, &r);
        /* the plan a dry run prints after the report */
        if (*rc == 0 && plan.dir != NULL && pr != NULL) {
                cr_assert_eq(staging_steps(&plan, spec, pr, &err), 0, "%s", hr_error_msg(&err));
                staging_plan_print(f, &plan);
        }
        fprintf(f, "=> %s\n", *rc == 0 ? "allowed" : hr_error_msg(&err));
        fclose(f);
        staging_plan_free(&plan);
        report_free(&r);
        hr_error_clear(&err);
        return out;
}

static char *run(struct json *spec, const struct hr_profile *p, int *rc)
{
        return run_with(spec, p, NULL, rc);
}

/* Limits the rlimits rule reads when a spec has none: fixed, so that the
 * reports do not depend on the shell that runs the tests. */
static void fixed_rlimits(void)
{
        struct rlimit nofile = {1024, 4096}, zero = {0, 0}, memlock = {65536, 65536},
                      nproc = {1024, 1024};
        cr_assert_eq(setrlimit(RLIMIT_NOFILE, &nofile), 0);
        cr_assert_eq(setrlimit(RLIMIT_CORE, &zero), 0);
        cr_assert_eq(setrlimit(RLIMIT_RTPRIO, &zero), 0);
        cr_assert_eq(setrlimit(RLIMIT_NICE, &zero), 0);
        cr_assert_eq(setrlimit(RLIMIT_MEMLOCK, &memlock), 0);
        cr_assert_eq(setrlimit(RLIMIT_NPROC, &nproc), 0);
}

static void golden(const char *profile)
{
        char **names = fixture_names(".config.json");
        struct hr_profile p = load(profile);
        bool update = getenv("HR_UPDATE_GOLDEN") != NULL;
        fixed_rlimits();
        for (char **n = names; *n; n++) {
                cleanup_json struct json *spec = load_fixture(*n);
                cleanup_free char *path = NULL;
                struct probe blind;
                int rc;
                /* the spec alone decides: nothing of this host is read */
                probe_init(&blind, PROBE_BLIND);
                cleanup_free char *got = run_with(spec, &p, &blind, &rc);
                probe_free(&blind);
                cr_assert(asprintf(&path, "%s/%s/%.*s.report", GOLDEN_DIR, profile,
                                   (int)(strlen(*n) - strlen(".config.json")), *n) > 0);
                if (update) {
                        write_file(path, got, strlen(got), 0644);
                        continue;
                }
                cleanup_free char *want = slurp(path, NULL);
                cr_assert_str_eq(got, want, "%s under %s differs from %s", *n, profile, path);
        }
        profile_free(&p);
        fixture_names_free(names);
}

Test(golden, restricted)
{
        golden("restricted");
}

Test(golden, baseline)
{
        golden("baseline");
}

Test(golden, strict)
{
        golden("strict");
}

/* With the staging of Docker rootfs not built yet, userns refuses Docker
 * bundles; with it off, every fixture must end hardened (or be refused by
 * a rule that cannot rewrite), and a second pass must change nothing. */
Test(pipeline, every_fixture_ends_hardened_and_the_rules_are_idempotent)
{
        char **names = fixture_names(".config.json");
        struct hr_profile p = load("restricted");
        p.actions[rule_index("userns")] = ACTION_OFF;
        /* the captured rootfs and bind sources live on the capturing host:
         * the mounts rule judges host paths (its own tests, and the Docker
         * end-to-end tests, judge real ones) */
        p.actions[rule_index("mounts")] = ACTION_OFF;
        for (char **n = names; *n; n++) {
                cleanup_json struct json *spec = load_fixture(*n);
                int rc, rc2;
                /* the dockerd that made the captures does not run here, so its
                 * hook would be refused (the hooks rule's unit tests and the
                 * Docker end-to-end tests judge it live) */
                for (size_t k = 0; k < spec->n; k++)
                        if (strcmp(spec->keys[k], "hooks") == 0)
                                json_remove_at(spec, k);
                cleanup_free char *first = run(spec, &p, &rc);
                cleanup_free char *second = NULL;
                if (rc != 0) {
                        cr_assert(strstr(first, "refused by rule namespaces") ||
                                      strstr(first, "refused by rule mounts"),
                                  "%s: %s", *n, first);
                        continue;
                }
                cr_assert_eq(json_pointer_get(spec, "/process/noNewPrivileges")->type, JSON_TRUE,
                             "%s", *n);
                cr_assert_eq(json_pointer_get(spec, "/root/readonly")->type, JSON_TRUE, "%s", *n);
                const struct json *bounding =
                    json_pointer_get(spec, "/process/capabilities/bounding");
                cr_assert(bounding == NULL || bounding->n == 0, "%s", *n);
                cr_assert_neq(json_pointer_get(spec, "/process/user/uid")->text[0], '0', "%s", *n);
                second = run(spec, &p, &rc2);
                cr_assert_eq(rc2, 0);
                cr_assert_str_eq(second, "=> allowed\n", "%s: second pass changed things", *n);
        }
        profile_free(&p);
        fixture_names_free(names);
}

Test(pipeline, warn_records_without_changing_and_off_does_nothing)
{
        cleanup_json struct json *spec = load_fixture("privileged.config.json");
        cleanup_json struct json *orig = json_dup(spec);
        struct hr_profile p = load("restricted");
        int rc;
        for (size_t i = 0; i < rule_count; i++)
                p.actions[i] = ACTION_WARN;
        cleanup_free char *out = run(spec, &p, &rc);
        cr_assert_eq(rc, 0, "%s", out);
        cr_assert(json_equal(spec, orig));
        cr_assert_not_null(strstr(out, "caps: warning /process/capabilities/bounding"), "%s", out);
        cr_assert_null(strstr(out, "changed"), "%s", out);
        for (size_t i = 0; i < rule_count; i++)
                p.actions[i] = ACTION_OFF;
        cleanup_free char *none = run(spec, &p, &rc);
        cr_assert_str_eq(none, "=> allowed\n");
        profile_free(&p);
}

Test(pipeline, deny_refuses_what_enforce_would_rewrite)
{
        cleanup_json struct json *spec = load_fixture("default.config.json");
        struct hr_profile p = load("restricted");
        int rc;
        for (size_t i = 0; i < rule_count; i++)
                p.actions[i] = ACTION_OFF;
        p.actions[rule_index("nnp")] = ACTION_DENY;
        cleanup_free char *out = run(spec, &p, &rc);
        cr_assert_eq(rc, -1);
        cr_assert_not_null(
            strstr(out,
                   "refused by rule nnp: /process/noNewPrivileges is (absent), the policy requires "
                   "true (no privilege gain"),
            "%s", out);
        profile_free(&p);
}

/* What a second judgement of a spec finds: its rewrites, warnings and
 * refusals, one per line ("" when it complies). */
static char *findings_of(struct json *spec, const struct hr_profile *p)
{
        struct report r = {0};
        struct hr_error err = {0};
        struct staging_plan plan = {0};
        struct probe blind;
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        struct pipeline_env env = {.bundle = "/nonexistent-bundle",
                                   .container_id = container_id(spec),
                                   .container_dir = "/run/hardened-runc/+run+runc/golden",
                                   .staging = &plan,
                                   .probe = &blind,
                                   .scope = SCOPE_CREATE};
        probe_init(&blind, PROBE_BLIND);
        (void)pipeline_run(spec, &env, p->actions, &p->params, &r, &err);
        for (size_t i = 0; i < r.n; i++)
                if (r.items[i].kind == CHANGE_REWRITE || r.items[i].kind == CHANGE_REFUSE ||
                    r.items[i].kind == CHANGE_WARN)
                        fprintf(f, "%s: %s %s: %s -> %s -- %s\n", r.items[i].rule,
                                change_kind_name(r.items[i].kind), r.items[i].pointer,
                                r.items[i].before, r.items[i].after, r.items[i].reason);
        fclose(f);
        probe_free(&blind);
        staging_plan_free(&plan);
        report_free(&r);
        hr_error_clear(&err);
        return out;
}

/* `check` over what create wrote finds nothing: every allowed fixture,
 * hardened once, complies with the profile that hardened it (the rules
 * are idempotent, so the check of a live container's bundle is clean). */
static void idempotent(const char *profile)
{
        char **names = fixture_names(".config.json");
        struct hr_profile p = load(profile);
        size_t allowed = 0;
        fixed_rlimits();
        for (char **n = names; *n; n++) {
                cleanup_json struct json *spec = load_fixture(*n);
                struct probe blind;
                int rc;
                probe_init(&blind, PROBE_BLIND);
                free(run_with(spec, &p, &blind, &rc));
                probe_free(&blind);
                if (rc != 0)
                        continue;
                allowed++;
                /* the same judgement of the capture finds what to change:
                 * the check below can fail */
                cleanup_json struct json *captured = load_fixture(*n);
                cleanup_free char *first = findings_of(captured, &p);
                cr_assert(first[0] != '\0' || strstr(*n, "already-hardened") != NULL,
                          "%s under %s: no findings in the capture", *n, profile);
                cleanup_free char *again = findings_of(spec, &p);
                cr_assert_str_empty(again, "%s under %s, hardened once, still has findings:\n%s",
                                    *n, profile, again);
        }
        cr_assert_gt(allowed, 5, "too few fixtures allowed under %s to prove anything", profile);
        profile_free(&p);
        fixture_names_free(names);
}

Test(idempotent, restricted)
{
        idempotent("restricted");
}

Test(idempotent, baseline)
{
        idempotent("baseline");
}

Test(idempotent, strict)
{
        idempotent("strict");
}
