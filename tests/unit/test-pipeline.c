// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "helpers.h"
#include "pipeline.h"
#include "report.h"

static enum rule_action *actions(enum rule_action all)
{
        enum rule_action *a = calloc(rule_count, sizeof(*a));
        for (size_t i = 0; i < rule_count; i++)
                a[i] = all;
        return a;
}

static struct json *load_fixture(const char *name)
{
        cleanup_free char *path = NULL;
        cr_assert(asprintf(&path, "%s/%s", FIXTURES_DIR, name) > 0);
        cleanup_free char *text = slurp(path, NULL);
        return parse_or_die(text);
}

static int count_mounts_at(const struct json *spec, const char *dest)
{
        const struct json *m = json_pointer_get(spec, "/mounts");
        int n = 0;
        for (size_t i = 0; m && i < m->n; i++)
                n += strcmp(json_obj_get(m->vals[i], "destination")->text, dest) == 0;
        return n;
}

Test(pipeline, every_docker_fixture_ends_hardened_and_the_rules_are_idempotent)
{
        char **names = fixture_names(".config.json");
        cleanup_free enum rule_action *enforce = actions(ACTION_ENFORCE);
        for (char **n = names; *n; n++) {
                cleanup_json struct json *spec = load_fixture(*n);
                cleanup_json struct json *again = NULL;
                struct report r = {0}, r2 = {0};
                struct hr_error err = {0};
                cr_assert_eq(pipeline_run(spec, enforce, &r, &err), 0, "%s: %s", *n,
                             hr_error_msg(&err));
                cr_assert_eq(json_pointer_get(spec, "/process/noNewPrivileges")->type, JSON_TRUE,
                             "%s", *n);
                cr_assert_eq(json_pointer_get(spec, "/root/readonly")->type, JSON_TRUE, "%s", *n);
                cr_assert_eq(count_mounts_at(spec, "/tmp"), 1, "%s", *n);
                cr_assert_eq(count_mounts_at(spec, "/run"), 1, "%s", *n);
                cr_assert_eq(count_mounts_at(spec, "/var/tmp"), 1, "%s", *n);
                cr_assert_eq(report_count(&r, CHANGE_REFUSE), 0);
                again = json_dup(spec);
                cr_assert_eq(pipeline_run(again, enforce, &r2, &err), 0);
                cr_assert_eq(r2.n, 0, "%s: second pass changed %zu things", *n, r2.n);
                cr_assert(json_equal(spec, again));
                report_free(&r);
                report_free(&r2);
        }
        fixture_names_free(names);
}

Test(pipeline, default_fixture_report_names_each_change)
{
        cleanup_json struct json *spec = load_fixture("default.config.json");
        cleanup_free enum rule_action *enforce = actions(ACTION_ENFORCE);
        struct report r = {0};
        struct hr_error err = {0};
        char *out = NULL;
        size_t len;
        FILE *f;
        cr_assert_eq(pipeline_run(spec, enforce, &r, &err), 0);
        f = open_memstream(&out, &len);
        report_print(f, &r);
        fclose(f);
        cr_assert(strstr(out, "nnp: changed /process/noNewPrivileges: (absent) -> true -- ") !=
                      NULL,
                  "%s", out);
        cr_assert(strstr(out, "rootfs: changed /root/readonly: (absent) -> true -- ") != NULL, "%s",
                  out);
        cr_assert(strstr(out, "\"destination\":\"/tmp\",\"type\":\"tmpfs\"") != NULL, "%s", out);
        free(out);
        report_free(&r);
}

Test(pipeline, already_hardened_keeps_its_values)
{
        cleanup_json struct json *spec = load_fixture("already-hardened.config.json");
        cleanup_free enum rule_action *enforce = actions(ACTION_ENFORCE);
        struct report r = {0};
        struct hr_error err = {0};
        cr_assert_eq(pipeline_run(spec, enforce, &r, &err), 0);
        for (size_t i = 0; i < r.n; i++)
                cr_assert_neq(strcmp(r.items[i].pointer, "/process/noNewPrivileges"), 0);
        for (size_t i = 0; i < r.n; i++)
                cr_assert_neq(strcmp(r.items[i].pointer, "/root/readonly"), 0);
        report_free(&r);
}

Test(pipeline, warn_records_without_changing)
{
        cleanup_json struct json *spec = load_fixture("default.config.json");
        cleanup_json struct json *orig = json_dup(spec);
        cleanup_free enum rule_action *warn = actions(ACTION_WARN);
        struct report r = {0};
        struct hr_error err = {0};
        cr_assert_eq(pipeline_run(spec, warn, &r, &err), 0);
        cr_assert(json_equal(spec, orig));
        cr_assert_eq(report_count(&r, CHANGE_WARN), 5);
        report_free(&r);
}

Test(pipeline, deny_refuses_and_names_rule_pointer_and_values)
{
        cleanup_json struct json *spec = load_fixture("default.config.json");
        cleanup_free enum rule_action *deny = actions(ACTION_DENY);
        struct report r = {0};
        struct hr_error err = {0};
        cr_assert_eq(pipeline_run(spec, deny, &r, &err), -1);
        cr_assert(strstr(hr_error_msg(&err),
                         "2 rules refused the container, first: refused by rule nnp: "
                         "/process/noNewPrivileges is (absent), the policy requires true") != NULL,
                  "%s", hr_error_msg(&err));
        cr_assert_eq(report_count(&r, CHANGE_REFUSE), 2);
        hr_error_clear(&err);
        report_free(&r);
}

Test(pipeline, off_does_nothing)
{
        cleanup_json struct json *spec = load_fixture("default.config.json");
        cleanup_json struct json *orig = json_dup(spec);
        cleanup_free enum rule_action *off = actions(ACTION_OFF);
        struct report r = {0};
        struct hr_error err = {0};
        cr_assert_eq(pipeline_run(spec, off, &r, &err), 0);
        cr_assert_eq(r.n, 0);
        cr_assert(json_equal(spec, orig));
}

Test(rootfs, existing_scratch_mounts_are_kept_and_ours_go_before_nested_ones)
{
        cleanup_json struct json *spec = parse_or_die(
            "{\"root\":{\"path\":\"r\"},\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\"},"
            "{\"destination\":\"//tmp/\",\"type\":\"bind\",\"source\":\"/srv\"},"
            "{\"destination\":\"/run/secrets\",\"type\":\"bind\",\"source\":\"/s\"}]}");
        cleanup_free enum rule_action *enforce = actions(ACTION_ENFORCE);
        struct report r = {0};
        struct hr_error err = {0};
        cr_assert_eq(pipeline_run(spec, enforce, &r, &err), 0, "%s", hr_error_msg(&err));
        const struct json *m = json_pointer_get(spec, "/mounts");
        cr_assert_eq(m->n, 5);
        cr_assert_str_eq(json_obj_get(m->vals[1], "destination")->text, "//tmp/",
                         "the spec's /tmp is kept");
        cr_assert_str_eq(json_obj_get(m->vals[2], "destination")->text, "/run",
                         "tmpfs before /run/secrets");
        cr_assert_str_eq(json_obj_get(m->vals[3], "destination")->text, "/run/secrets");
        cr_assert_str_eq(json_obj_get(m->vals[4], "destination")->text, "/var/tmp");
        report_free(&r);
}

Test(rootfs, malformed_specs_are_errors_not_refusals_to_skip)
{
        static const char *bad[] = {
            "{\"root\":true}",
            "{\"mounts\":[{\"type\":\"bind\"}]}",
            "{\"process\":[]}",
        };
        cleanup_free enum rule_action *enforce = actions(ACTION_ENFORCE);
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                cleanup_json struct json *spec = parse_or_die(bad[i]);
                struct report r = {0};
                struct hr_error err = {0};
                cr_assert_eq(pipeline_run(spec, enforce, &r, &err), -1, "accepted %s", bad[i]);
                hr_error_clear(&err);
                report_free(&r);
        }
}
