// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "helpers.h"
#include "policy.h"
#include "runtime.h"

static void profile_refused(const char *text, const char *msg)
{
        struct hr_profile p;
        struct hr_error err = {0};
        cr_assert_eq(profile_parse(text, strlen(text), "/etc/p.json", &p, &err), -1, "accepted %s",
                     text);
        cr_assert(strstr(hr_error_msg(&err), msg) != NULL, "\"%s\" lacks \"%s\"",
                  hr_error_msg(&err), msg);
        hr_error_clear(&err);
}

Test(policy, builtin_restricted_enforces_every_rule)
{
        struct hr_config cfg = {.default_profile = "restricted", .profile_dir = "/nonexistent"};
        struct hr_profile p;
        struct hr_error err = {0};
        cr_assert_eq(profile_load(&cfg, NULL, &p, &err), 0, "%s", hr_error_msg(&err));
        cr_assert_str_eq(p.name, "restricted");
        for (size_t i = 0; i < rule_count; i++)
                cr_assert_eq(p.actions[i], ACTION_ENFORCE, "%s", rule_table[i].name);
        profile_free(&p);
}

Test(policy, profile_errors_name_file_key_and_value)
{
        profile_refused("{\"name\":\"x\",\"rules\":{\"nnp\":{\"action\":\"enfroce\"}}}",
                        "/etc/p.json: /rules/nnp/action: \"enfroce\" is not an action");
        profile_refused("{\"name\":\"x\",\"rules\":{\"nope\":{\"action\":\"off\"}}}",
                        "/etc/p.json: /rules/nope: unknown rule \"nope\"");
        profile_refused("{\"name\":\"x\",\"rules\":{\"nnp\":{\"actoin\":\"off\"}}}",
                        "/etc/p.json: /rules/nnp/actoin: unknown key");
        profile_refused("{\"name\":\"x\",\"rulez\":{}}", "/etc/p.json: unknown key \"rulez\"");
        profile_refused("{\"name\":\"x\",\"rules\":[]}",
                        "/etc/p.json: /rules: expected an object, found array");
        profile_refused("{\"name\":\"../x\"}",
                        "/etc/p.json: /name: \"../x\" is not a valid profile name");
        profile_refused("{\"rules\":{}}", "/etc/p.json: /name: missing");
        profile_refused("{\"name\":\"x\",\"name\":\"y\"}", "/etc/p.json: duplicate key");
}

Test(policy, profile_by_name_from_dir_and_by_path)
{
        char *dir = make_temp_dir();
        cleanup_free char *file = NULL;
        struct hr_config cfg = {.default_profile = "restricted", .profile_dir = dir};
        struct hr_profile p;
        struct hr_error err = {0};
        const char *text = "{\"name\":\"lax\",\"rules\":{\"rootfs\":{\"action\":\"warn\"}}}";
        cr_assert(asprintf(&file, "%s/lax.json", dir) > 0);
        write_file(file, text, strlen(text), 0644);
        cr_assert_eq(profile_load(&cfg, "lax", &p, &err), 0, "%s", hr_error_msg(&err));
        cr_assert_eq(p.actions[rule_index("rootfs")], ACTION_WARN);
        cr_assert_eq(p.actions[rule_index("nnp")], ACTION_ENFORCE,
                     "unmentioned rules keep their default");
        profile_free(&p);
        cr_assert_eq(profile_load(&cfg, file, &p, &err), 0, "%s", hr_error_msg(&err));
        profile_free(&p);
        cr_assert_eq(profile_load(&cfg, "missing", &p, &err), -1);
        cr_assert(strstr(hr_error_msg(&err), "no built-in profile") != NULL);
        hr_error_clear(&err);
        cr_assert_eq(profile_load(&cfg, "..", &p, &err), -1);
        hr_error_clear(&err);
        rm_tree(dir);
        free(dir);
}

static void config_refused(const char *text, const char *msg)
{
        char *dir = make_temp_dir();
        cleanup_free char *file = NULL;
        struct hr_config cfg;
        struct hr_error err = {0};
        cr_assert(asprintf(&file, "%s/config.json", dir) > 0);
        write_file(file, text, strlen(text), 0644);
        cr_assert_eq(config_load(file, &cfg, &err), -1, "accepted %s", text);
        cr_assert(strstr(hr_error_msg(&err), msg) != NULL, "\"%s\" lacks \"%s\"",
                  hr_error_msg(&err), msg);
        cr_assert(strstr(hr_error_msg(&err), file) != NULL, "\"%s\" does not name the file",
                  hr_error_msg(&err));
        hr_error_clear(&err);
        rm_tree(dir);
        free(dir);
}

Test(policy, admin_config_is_validated)
{
        config_refused("{\"runtime\":\"runc\"}", "/runtime: \"runc\" is not an absolute path");
        config_refused("{\"runtime\":5}", "/runtime: expected a string, found number");
        config_refused("{\"runtim\":\"/usr/sbin/runc\"}", "unknown key \"runtim\"");
        config_refused("{\"defaultProfile\":\"\"}", "/defaultProfile: empty value");
        config_refused("{\"profileDir\":\"rel\"}", "/profileDir: \"rel\" is not an absolute path");
}

Test(policy, admin_config_values_and_missing_files)
{
        char *dir = make_temp_dir();
        cleanup_free char *file = NULL;
        struct hr_config cfg;
        struct hr_error err = {0};
        const char *text =
            "{\"runtime\":\"/usr/bin/crun\",\"defaultProfile\":\"baseline\",\"profileDir\":\"/p\"}";
        cr_assert(asprintf(&file, "%s/config.json", dir) > 0);
        write_file(file, text, strlen(text), 0644);
        cr_assert_eq(config_load(file, &cfg, &err), 0, "%s", hr_error_msg(&err));
        cr_assert_str_eq(cfg.runtime, "/usr/bin/crun");
        cr_assert_str_eq(cfg.default_profile, "baseline");
        cr_assert_str_eq(cfg.profile_dir, "/p");
        config_free(&cfg);
        cr_assert_eq(config_load("/nonexistent/config.json", &cfg, &err), -1,
                     "an explicit file must exist");
        hr_error_clear(&err);
        rm_tree(dir);
        free(dir);
}

Test(runtime, refuses_relative_missing_and_self)
{
        struct hr_error err = {0};
        cr_assert_eq(runtime_check("runc", &err), -1);
        cr_assert(strstr(hr_error_msg(&err), "not an absolute path") != NULL);
        hr_error_clear(&err);
        cr_assert_eq(runtime_check("/nonexistent/runc", &err), -1);
        hr_error_clear(&err);
        cr_assert_eq(runtime_check("/etc/passwd", &err), -1);
        cr_assert(strstr(hr_error_msg(&err), "not an executable") != NULL);
        hr_error_clear(&err);
        cr_assert_eq(runtime_check("/proc/self/exe", &err), -1);
        cr_assert(strstr(hr_error_msg(&err), "is hardened-runc itself") != NULL, "%s",
                  hr_error_msg(&err));
        hr_error_clear(&err);
        cr_assert_eq(runtime_check("/bin/sh", &err), 0, "%s", hr_error_msg(&err));
}
