// SPDX-License-Identifier: GPL-2.0-or-later
/* The closed world: the runtime-spec field table, its owners, and the
 * fields rule's type and fate checks. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fields.h"
#include "helpers.h"
#include "json.h"
#include "pipeline.h"
#include "policy.h"
#include "report.h"

/* Names in the JSON model's list that no field of the table has: below an
 * object the table refuses whole (vm), or a spelling runc's update once
 * read. */
static const char *const outside_table[] = {"blkio", "hypervisor", "image", NULL};

static bool component_in_table(const char *name)
{
        for (size_t i = 0; i < spec_field_count; i++) {
                cleanup_free char *p = strdup(spec_fields[i].pattern);
                char *save = NULL;
                for (char *c = strtok_r(p, "/", &save); c; c = strtok_r(NULL, "/", &save))
                        if (strcmp(c, name) == 0)
                                return true;
        }
        return false;
}

Test(fields, every_field_of_the_json_model_has_an_entry_and_a_fate)
{
        size_t n;
        const char *const *names = json_oci_field_names(&n);
        for (size_t i = 0; i < n; i++) {
                bool excused = false;
                for (const char *const *o = outside_table; *o; o++)
                        excused |= strcmp(*o, names[i]) == 0;
                cr_assert(excused || component_in_table(names[i]),
                          "the JSON model knows the field \"%s\", the field table does not: give "
                          "it an entry with a type and an owner (shim/fields.c)",
                          names[i]);
        }
}

Test(fields, every_component_of_the_table_is_guarded_against_go_key_folding)
{
        size_t n;
        const char *const *names = json_oci_field_names(&n);
        for (size_t i = 0; i < spec_field_count; i++) {
                cleanup_free char *p = strdup(spec_fields[i].pattern);
                char *save = NULL;
                for (char *c = strtok_r(p, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
                        bool known = strcmp(c, "*") == 0;
                        for (size_t k = 0; k < n && !known; k++)
                                known = strcmp(names[k], c) == 0;
                        cr_assert(known, "%s: \"%s\" is missing from json.c's oci_fields",
                                  spec_fields[i].pattern, c);
                }
        }
}

Test(fields, every_entry_is_unique_has_a_parent_and_a_decider)
{
        for (size_t i = 0; i < spec_field_count; i++) {
                const struct spec_field *f = &spec_fields[i];
                const struct spec_field *d = spec_field_decider(f);
                cr_assert_eq(spec_field_find(f->pattern), f, "%s: twice in the table", f->pattern);
                cr_assert_not_null(d, "%s: FATE_PARENT with no deciding ancestor", f->pattern);
                if (f->fate == FATE_HARMLESS || f->fate == FATE_REFUSED)
                        cr_assert(f->why && *f->why, "%s: says not why", f->pattern);
                if (f->pattern[0] != '\0') {
                        char parent[256];
                        const char *slash = strrchr(f->pattern, '/');
                        snprintf(parent, sizeof(parent), "%.*s", (int)(slash - f->pattern),
                                 f->pattern);
                        cr_assert_not_null(spec_field_find(parent), "%s: no entry for its parent",
                                           f->pattern);
                }
        }
}

Test(fields, every_judged_field_has_exactly_one_owning_rule_and_every_claim_is_a_field)
{
        for (size_t i = 0; i < spec_field_count; i++) {
                const struct spec_field *f = &spec_fields[i];
                size_t owners = 0;
                if (f->fate != FATE_RULE)
                        continue;
                for (size_t r = 0; r < rule_count; r++)
                        for (const char *const *o = rule_table[r]->owns; *o; o++)
                                owners += strcmp(*o, f->pattern) == 0;
                cr_assert_eq(owners, 1, "%s is judged by a rule, and %zu rules own it", f->pattern,
                             owners);
        }
        for (size_t r = 0; r < rule_count; r++) {
                for (const char *const *o = rule_table[r]->owns; *o; o++) {
                        const struct spec_field *f = spec_field_find(*o);
                        cr_assert(f && f->fate == FATE_RULE,
                                  "rule %s owns %s, which the table does not give to a rule",
                                  rule_table[r]->name, *o);
                }
        }
}

Test(fields, the_printed_table_names_every_field_and_no_unknown_owner)
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        spec_fields_print(f);
        fclose(f);
        cr_assert_not_null(strstr(text, "/process/user/uid"));
        cr_assert_not_null(strstr(text, "rule user"));
        cr_assert_null(strstr(text, " ?\n"), "%s", text);
        free(text);
}

/* ---- the rule on documents ---------------------------------------------------------------- */

static struct hr_profile prof;

static void setup(void)
{
        struct hr_config cfg = {.default_profile = "restricted", .profile_dir = "/nonexistent"};
        struct hr_error err = {0};
        cr_assert_eq(profile_load(&cfg, NULL, &prof, &err), 0, "%s", hr_error_msg(&err));
}

static void teardown(void)
{
        profile_free(&prof);
}

/* The fields rule alone, with action; returns rc, the error and the report. */
static int judge(const char *text, enum rule_action action, enum pipeline_scope scope, char **msg,
                 char **rep)
{
        cleanup_json struct json *spec = parse_or_die(text);
        enum rule_action actions[64];
        struct report r = {0};
        struct hr_error err = {0};
        struct pipeline_env env = {
            .bundle = "/nonexistent", .container_id = "unit-test", .scope = scope};
        size_t len = 0;
        FILE *f;
        int rc;
        for (size_t i = 0; i < rule_count; i++)
                actions[i] = ACTION_OFF;
        actions[rule_index("fields")] = action;
        rc = pipeline_run(spec, &env, actions, &prof.params, &r, &err);
        *msg = strdup(hr_error_msg(&err));
        f = open_memstream(rep, &len);
        report_print(f, &r);
        fclose(f);
        report_free(&r);
        hr_error_clear(&err);
        return rc;
}

TestSuite(fields_rule, .init = setup, .fini = teardown);

Test(fields_rule, types_runc_would_refuse_are_refused_naming_field_and_value)
{
        static const struct {
                const char *doc, *want;
        } cases[] = {
            {"{\"process\":{\"noNewPrivileges\":\"false\"}}",
             "/process/noNewPrivileges is \"false\": the field is of type bool"},
            {"{\"process\":{\"user\":{\"uid\":-1}}}", "/process/user/uid is -1"},
            {"{\"process\":{\"user\":{\"uid\":4294967296}}}", "/process/user/uid is 4294967296"},
            {"{\"process\":{\"user\":{\"uid\":1.0}}}", "/process/user/uid is 1.0"},
            {"{\"process\":{\"user\":{\"uid\":1e3}}}", "/process/user/uid is 1e3"},
            {"{\"process\":{\"user\":{\"additionalGids\":[1,\"2\"]}}}",
             "/process/user/additionalGids/1 is \"2\""},
            {"{\"linux\":{\"uidMappings\":null}}", "/linux/uidMappings is null"},
            {"{\"linux\":{\"resources\":{\"pids\":{\"limit\":9223372036854775808}}}}",
             "/linux/resources/pids/limit is 9223372036854775808"},
            {"{\"linux\":{\"resources\":{\"blockIO\":{\"weight\":65536}}}}",
             "/linux/resources/blockIO/weight is 65536"},
            {"{\"mounts\":{}}", "/mounts is {}: the field is of type array"},
            {"{\"linux\":{\"sysctl\":{\"a/b\":1}}}", "/linux/sysctl/a~1b is 1"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
                cleanup_free char *msg = NULL;
                cleanup_free char *rep = NULL;
                /* off too: types are not a policy choice */
                int rc = judge(cases[i].doc, ACTION_OFF, SCOPE_CREATE, &msg, &rep);
                cr_assert_eq(rc, -1, "%s passed", cases[i].doc);
                cr_assert(strstr(msg, cases[i].want), "%s: \"%s\" lacks \"%s\"", cases[i].doc, msg,
                          cases[i].want);
        }
}

Test(fields_rule, well_typed_extremes_pass)
{
        cleanup_free char *msg = NULL;
        cleanup_free char *rep = NULL;
        int rc = judge("{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":4294967295,"
                       "\"gid\":0},\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":"
                       "18446744073709551615,\"soft\":0}],\"oomScoreAdj\":-1000},\"linux\":{"
                       "\"resources\":{\"memory\":{\"limit\":-9223372036854775808}}}}",
                       ACTION_ENFORCE, SCOPE_CREATE, &msg, &rep);
        cr_assert_eq(rc, 0, "%s", msg);
}

Test(fields_rule, unknown_fields_are_refused_with_their_pointer_and_vendor_keys_pass)
{
        cleanup_free char *msg = NULL;
        cleanup_free char *rep = NULL;
        int rc = judge("{\"org.example.vendor\":{\"x\":1},\"process\":{\"user\":{\"uid\":1,"
                       "\"capabilitiesExtra\":[\"CAP_SYS_ADMIN\"]}}}",
                       ACTION_ENFORCE, SCOPE_CREATE, &msg, &rep);
        cr_assert_eq(rc, -1);
        cr_assert(strstr(msg, "/process/user/capabilitiesExtra"), "%s", msg);
        cr_assert(strstr(msg, "CAP_SYS_ADMIN"), "%s", msg);
        cr_assert_null(strstr(rep, "org.example.vendor"), "%s", rep);
}

Test(fields_rule, unknown_fields_warn_records_and_passes)
{
        cleanup_free char *msg = NULL;
        cleanup_free char *rep = NULL;
        struct hr_error err = {0};
        const char *warn =
            "{\"name\":\"test\",\"rules\":{\"fields\":{\"unknownFields\":\"warn\"}}}";
        cr_assert_eq(profile_overlay(&prof, warn, strlen(warn), "test", &err), 0, "%s",
                     hr_error_msg(&err));
        int rc = judge("{\"linux\":{\"newThing\":true}}", ACTION_ENFORCE, SCOPE_CREATE, &msg, &rep);
        cr_assert_eq(rc, 0, "%s", msg);
        cr_assert(strstr(rep, "/linux/newThing"), "%s", rep);
        cr_assert(strstr(rep, "warn"), "%s", rep);
}

Test(fields_rule, refused_fields_are_refused_and_warn_only_records)
{
        static const char *const docs[] = {
            "{\"linux\":{\"intelRdt\":{\"closID\":\"victim\"}}}",
            "{\"linux\":{\"netDevices\":{\"eth0\":{}}}}",
            "{\"mounts\":[{\"destination\":\"/d\",\"uidMappings\":[{\"containerID\":0,"
            "\"hostID\":0,\"size\":1}]}]}",
            "{\"windows\":{}}",
            "{\"process\":{\"scheduler\":{\"policy\":\"SCHED_FIFO\",\"priority\":99}}}",
        };
        for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
                cleanup_free char *msg = NULL;
                cleanup_free char *rep = NULL;
                cleanup_free char *msg2 = NULL;
                cleanup_free char *rep2 = NULL;
                cr_assert_eq(judge(docs[i], ACTION_ENFORCE, SCOPE_CREATE, &msg, &rep), -1, "%s",
                             docs[i]);
                cr_assert(strstr(msg, "refused by rule fields"), "%s: %s", docs[i], msg);
                cr_assert_eq(judge(docs[i], ACTION_WARN, SCOPE_CREATE, &msg2, &rep2), 0, "%s",
                             docs[i]);
                cr_assert(strstr(rep2, "warn"), "%s", rep2);
        }
}

Test(fields_rule, exec_and_update_documents_are_checked_too)
{
        cleanup_free char *msg = NULL;
        cleanup_free char *rep = NULL;
        cleanup_free char *msg2 = NULL;
        cleanup_free char *rep2 = NULL;
        cr_assert_eq(judge("{\"process\":{\"user\":{\"uid\":\"0\"}}}", ACTION_ENFORCE, SCOPE_EXEC,
                           &msg, &rep),
                     -1);
        cr_assert(strstr(msg, "/process/user/uid"), "%s", msg);
        cr_assert_eq(judge("{\"linux\":{\"resources\":{\"pids\":{\"limit\":1,\"x\":2}}}}",
                           ACTION_ENFORCE, SCOPE_UPDATE, &msg2, &rep2),
                     -1);
        cr_assert(strstr(msg2, "/linux/resources/pids/x"), "%s", msg2);
}

/* ---- the documents agree with the descriptors --------------------------------------------- */

/* Every rule has a row in README.md's rule table and an entry in the man
 * page's RULES section, both in pipeline order. */
Test(fields, readme_and_man_page_list_every_rule_in_pipeline_order)
{
        cleanup_free char *readme = slurp(FIXTURES_DIR "/../../README.md", NULL);
        cleanup_free char *man = slurp(FIXTURES_DIR "/../../man/hardened-runc-policy.5", NULL);
        const char *r = readme, *m = strstr(man, ".SH RULES");
        cr_assert_not_null(m);
        for (size_t i = 0; i < rule_count; i++) {
                cleanup_free char *row = NULL;
                cleanup_free char *entry = NULL;
                cr_assert(asprintf(&row, "\n| `%s` |", rule_table[i]->name) > 0);
                cr_assert(asprintf(&entry, "\n.B %s\n", rule_table[i]->name) > 0);
                r = strstr(r, row);
                m = strstr(m, entry);
                cr_assert_not_null(r, "README.md: no row for rule %s after the one before it",
                                   rule_table[i]->name);
                cr_assert_not_null(
                    m, "hardened-runc-policy.5: no RULES entry for %s after the one before it",
                    rule_table[i]->name);
        }
}

Test(fields, the_man_page_carries_the_printed_table)
{
        cleanup_free char *man = slurp(FIXTURES_DIR "/../../man/hardened-runc-policy.5", NULL);
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        spec_fields_print(f);
        fclose(f);
        const char *start = strstr(man, ".SH FIELD TABLE");
        cr_assert_not_null(start, "hardened-runc-policy.5: no FIELD TABLE section");
        start = strstr(start, ".ft CR\n");
        cr_assert_not_null(start, "hardened-runc-policy.5: FIELD TABLE without .ft CR");
        start += strlen(".ft CR\n");
        cr_assert_eq(strncmp(start, text, len), 0,
                     "the man page's FIELD TABLE differs from `hardened-runc fields`: paste its "
                     "output between .ft CR and .ft R");
        cr_assert_eq(strncmp(start + len, ".ft R\n", 6), 0, "the man page's FIELD TABLE is longer");
        free(text);
}
