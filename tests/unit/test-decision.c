// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "decision.h"
#include "helpers.h"

static struct report sample(void)
{
        struct report r = {0};
        struct hr_error err = {0};
        cleanup_json struct json *t = json_new_bool(true);
        cr_assert_eq(
            report_add(&r, CHANGE_REWRITE, "nnp", "/process/noNewPrivileges", NULL, t, "why", &err),
            0);
        cr_assert_eq(report_add(&r, CHANGE_REFUSE, "namespaces", "/linux/namespaces", t, NULL,
                                "host pid", &err),
                     0);
        return r;
}

Test(decision, json_line_holds_the_whole_decision)
{
        struct report r = sample();
        struct decision d = {"c1",         "/b",
                             "restricted", "built-in profile restricted",
                             &r,           "refused by rule namespaces",
                             "exec"};
        cleanup_free char *line = decision_json_line(&d, "2026-01-01T00:00:00Z");
        size_t n = strlen(line);
        cr_assert_eq(line[n - 1], '\n');
        cr_assert_null(memchr(line, '\n', n - 1));
        cleanup_json struct json *j = parse_or_die(line);
        cr_assert_str_eq(json_obj_get(j, "container")->text, "c1");
        cr_assert_str_eq(json_obj_get(j, "verb")->text, "exec");
        cr_assert_str_eq(json_obj_get(j, "verdict")->text, "refused");
        cr_assert_str_eq(json_obj_get(j, "profileSource")->text, "built-in profile restricted");
        cr_assert_str_eq(json_pointer_get(j, "/changes/0/kind")->text, "changed");
        cr_assert_str_eq(json_pointer_get(j, "/changes/0/before")->text, "(absent)");
        cr_assert_str_eq(json_pointer_get(j, "/changes/1/after")->text, "(no compliant value)");
        report_free(&r);
}

Test(decision, record_appends_one_line_per_container)
{
        char *dir = make_temp_dir();
        cleanup_free char *file = NULL;
        struct report r = sample();
        cr_assert(asprintf(&file, "%s/decisions.jsonl", dir) > 0);
        struct hr_config cfg = {.log_syslog = false, .log_file = file};
        struct decision a = {"c1", "/b", "restricted", "/etc/p.json", &r, NULL, "create"};
        struct decision b = {"c2", "/b", NULL, NULL, NULL, "profile \"x\": not found", "create"};
        decision_record(&cfg, &a);
        decision_record(&cfg, &b);
        size_t len;
        cleanup_free char *text = slurp(file, &len);
        char *second = strchr(text, '\n') + 1;
        cleanup_json struct json *j1 = NULL;
        struct hr_error err = {0};
        cr_assert_eq(json_parse(text, (size_t)(second - text), &j1, &err), 0, "%s",
                     hr_error_msg(&err));
        cr_assert_str_eq(json_obj_get(j1, "verdict")->text, "allowed");
        cleanup_json struct json *j2 = parse_or_die(second);
        cr_assert_eq(json_obj_get(j2, "profile")->type, JSON_NULL);
        cr_assert_str_eq(json_obj_get(j2, "refusal")->text, "profile \"x\": not found");
        report_free(&r);
        rm_tree(dir);
        free(dir);
}

/* decisionLog.exec: which execs that go ahead are recorded. Creates,
 * updates and refusals always are. */
Test(decision, exec_setting_filters_only_allowed_execs)
{
        struct hr_error err = {0};
        struct report none = {0}, changed = {0}, warned = {0};
        cleanup_json struct json *t = json_new_bool(true);
        cr_assert_eq(
            report_add(&changed, CHANGE_REWRITE, "user", "/process/user/uid", NULL, t, "why", &err),
            0);
        cr_assert_eq(
            report_add(&warned, CHANGE_WARN, "caps", "/process/capabilities", NULL, t, "why", &err),
            0);
        struct {
                enum log_exec setting;
                const struct report *r;
                const char *verb, *refusal;
                bool want;
        } cases[] = {
            {LOG_EXEC_ALL, &none, "exec", NULL, true},
            {LOG_EXEC_CHANGED, &none, "exec", NULL, false},
            {LOG_EXEC_CHANGED, &changed, "exec", NULL, true},
            {LOG_EXEC_CHANGED, &warned, "exec", NULL, true},
            {LOG_EXEC_REFUSED, &changed, "exec", NULL, false},
            {LOG_EXEC_REFUSED, &warned, "exec", NULL, true},
            {LOG_EXEC_REFUSED, &none, "exec", "refused by rule caps", true},
            {LOG_EXEC_REFUSED, &none, "create", NULL, true},
            {LOG_EXEC_REFUSED, &none, "update", NULL, true},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
                struct hr_config cfg = {.log_exec = cases[i].setting};
                struct decision d = {"c",          "/b",       "restricted",
                                     "built-in",   cases[i].r, cases[i].refusal,
                                     cases[i].verb};
                cr_assert_eq(decision_worth_recording(&cfg, &d), cases[i].want, "case %zu", i);
        }
        report_free(&changed);
        report_free(&warned);
}

/* No descriptor is held: a log moved away (logrotate without
 * copytruncate) gets a new file at the next record. */
Test(decision, a_rotated_log_is_picked_up)
{
        char *dir = make_temp_dir();
        cleanup_free char *file = NULL, *old = NULL;
        cr_assert(asprintf(&file, "%s/decisions.jsonl", dir) > 0);
        cr_assert(asprintf(&old, "%s/decisions.jsonl.1", dir) > 0);
        struct hr_config cfg = {.log_file = file};
        struct decision a = {"c1", "/b", "restricted", "built-in", NULL, NULL, "create"};
        struct decision b = {"c2", "/b", "restricted", "built-in", NULL, NULL, "create"};
        decision_record(&cfg, &a);
        cr_assert_eq(rename(file, old), 0);
        decision_record(&cfg, &b);
        cleanup_free char *rotated = slurp(old, NULL);
        cleanup_free char *fresh = slurp(file, NULL);
        cr_assert(strstr(rotated, "\"c1\"") != NULL && strstr(rotated, "\"c2\"") == NULL);
        cr_assert(strstr(fresh, "\"c2\"") != NULL && strstr(fresh, "\"c1\"") == NULL);
        rm_tree(dir);
        free(dir);
}
