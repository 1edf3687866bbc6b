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
#include "seccomp-profile.h"

#define PROFILES_DIR FIXTURES_DIR "/../../profiles"

static char *dir;
static struct hr_config cfg;

static void setup(void)
{
        dir = make_temp_dir();
        cfg = (struct hr_config){.default_profile = "restricted", .profile_dir = dir};
}

static void teardown(void)
{
        rm_tree(dir);
        free(dir);
}

TestSuite(policy, .init = setup, .fini = teardown);

static char *write_profile(const char *name, const char *text)
{
        char *file = NULL;
        cr_assert(asprintf(&file, "%s/%s.json", dir, name) > 0);
        write_file(file, text, strlen(text), 0644);
        return file;
}

static void profile_refused(const char *text, const char *msg)
{
        cleanup_free char *file = write_profile("p", text);
        struct hr_profile p;
        struct hr_error err = {0};
        cr_assert_eq(profile_load(&cfg, "p", &p, &err), -1, "accepted %s", text);
        cr_assert(strstr(hr_error_msg(&err), msg) != NULL, "\"%s\" lacks \"%s\"",
                  hr_error_msg(&err), msg);
        cr_assert(strstr(hr_error_msg(&err), file) != NULL, "\"%s\" does not name %s",
                  hr_error_msg(&err), file);
        hr_error_clear(&err);
}

Test(policy, builtin_profiles_load_and_differ_as_documented)
{
        struct hr_profile r, b, s;
        struct hr_error err = {0};
        cr_assert_eq(profile_load(&cfg, "restricted", &r, &err), 0, "%s", hr_error_msg(&err));
        cr_assert_eq(profile_load(&cfg, "baseline", &b, &err), 0, "%s", hr_error_msg(&err));
        cr_assert_eq(profile_load(&cfg, "strict", &s, &err), 0, "%s", hr_error_msg(&err));
        for (size_t i = 0; i < rule_count; i++)
                cr_assert_eq(r.actions[i], ACTION_ENFORCE, "%s", rule_table[i]->name);
        cr_assert_eq(b.actions[rule_index("user")], ACTION_OFF);
        cr_assert_eq(b.actions[rule_index("rootfs")], ACTION_OFF);
        cr_assert_eq(b.actions[rule_index("devices")], ACTION_DENY);
        cr_assert_eq(b.params.cap_allow.n, 13);
        cr_assert_not(strlist_has(&b.params.cap_allow, "CAP_NET_RAW"));
        cr_assert(s.params.tmpfs_noexec);
        cr_assert_lt(s.params.memory_max, r.params.memory_max);
        cr_assert_not_null(r.params.seccomp_filter);
        profile_free(&r);
        profile_free(&b);
        profile_free(&s);
}

/* restricted is the base every profile starts from: it must set every
 * parameter of every rule, so that no value is an accident of C zeroing */
Test(policy, restricted_sets_every_rule_and_parameter)
{
        size_t len;
        cleanup_free char *text = slurp(PROFILES_DIR "/restricted.json", &len);
        cleanup_json struct json *doc = NULL;
        struct hr_error err = {0};
        cr_assert_eq(json_parse_own(text, len, &doc, &err), 0, "%s", hr_error_msg(&err));
        for (size_t i = 0; i < rule_count; i++) {
                const struct json *r =
                    json_obj_get(json_obj_get(doc, "rules"), rule_table[i]->name);
                cr_assert_not_null(r, "restricted.json lacks rule %s", rule_table[i]->name);
                cr_assert_not_null(json_obj_get(r, "action"), "%s lacks action",
                                   rule_table[i]->name);
                for (const struct param_field *f = rule_table[i]->fields; f->key; f++)
                        cr_assert_not_null(json_obj_get(r, f->key), "%s lacks %s",
                                           rule_table[i]->name, f->key);
        }
}

Test(policy, profile_errors_name_file_key_and_value)
{
        profile_refused("{\"name\":\"x\",\"rules\":{\"nnp\":{\"action\":\"enfroce\"}}}",
                        "/rules/nnp/action: \"enfroce\" is not an action");
        profile_refused("{\"name\":\"x\",\"rules\":{\"nope\":{\"action\":\"off\"}}}",
                        "/rules/nope: unknown rule \"nope\"");
        profile_refused("{\"name\":\"x\",\"rules\":{\"nnp\":{\"actoin\":\"off\"}}}",
                        "/rules/nnp/actoin: unknown key (known: action)");
        profile_refused("{\"name\":\"x\",\"rules\":{\"user\":{\"uid\":0}}}",
                        "/rules/user/uid: 0 is out of range");
        profile_refused("{\"name\":\"x\",\"rules\":{\"user\":{\"uid\":\"1000\"}}}",
                        "/rules/user/uid: \"1000\" is not an integer");
        profile_refused(
            "{\"name\":\"x\",\"rules\":{\"caps\":{\"allow\":[\"CAP_CHOWN\",\"NET_RAW\"]}}}",
            "/rules/caps/allow/1: \"NET_RAW\" is not a capability known to libcap-ng");
        profile_refused("{\"name\":\"x\",\"rules\":{\"caps\":{\"allow\":[\"CAP_FLY\"]}}}",
                        "\"CAP_FLY\" is not a capability");
        profile_refused("{\"name\":\"x\",\"rules\":{\"resources\":{\"memoryMax\":\"4q\"}}}",
                        "/rules/resources/memoryMax: \"4q\" is not a size");
        profile_refused("{\"name\":\"x\",\"rules\":{\"resources\":{\"memoryMax\":\"1k\"}}}",
                        "/rules/resources/memoryMax: 1024 is out of range");
        profile_refused("{\"name\":\"x\",\"rules\":{\"rlimits\":{\"max\":{\"RLIMIT_NOFLIE\":5}}}}",
                        "/rules/rlimits/max/RLIMIT_NOFLIE: unknown resource limit");
        profile_refused("{\"name\":\"x\",\"rules\":{\"rootfs\":{\"tmpfs\":[\"tmp\"]}}}",
                        "/rules/rootfs/tmpfs/0: \"tmp\" is not an absolute path");
        profile_refused("{\"name\":\"x\",\"rules\":{\"rootfs\":{\"tmpfsNoexec\":1}}}",
                        "/rules/rootfs/tmpfsNoexec: expected true or false");
        profile_refused("{\"name\":\"x\",\"rules\":{\"seccomp\":{\"mode\":\"audit\"}}}",
                        "/rules/seccomp/mode: \"audit\" is not an allowed value");
        profile_refused("{\"name\":\"x\",\"rules\":{\"seccomp\":{\"profile\":\"mine.json\"}}}",
                        "\"mine.json\" is not \"default\" or an absolute path");
        profile_refused("{\"name\":\"x\",\"rulez\":{}}", "unknown key \"rulez\"");
        profile_refused("{\"name\":\"../x\"}", "/name: \"../x\" is not a valid profile name");
        profile_refused("{\"rules\":{}}", "/name: missing");
        profile_refused("{\"name\":\"x\",\"name\":\"y\"}", "duplicate key");
}

static void seccomp_refused(const char *filter, const char *msg)
{
        cleanup_free char *sfile = NULL;
        cleanup_free char *ptext = NULL;
        struct hr_profile p;
        struct hr_error err = {0};
        cr_assert(asprintf(&sfile, "%s/filter.json", dir) > 0);
        write_file(sfile, filter, strlen(filter), 0644);
        cr_assert(asprintf(&ptext, "{\"name\":\"x\",\"rules\":{\"seccomp\":{\"profile\":\"%s\"}}}",
                           sfile) > 0);
        cleanup_free char *pf = write_profile("p", ptext);
        cr_assert_eq(profile_load(&cfg, "p", &p, &err), -1, "accepted %s", filter);
        cr_assert(strstr(hr_error_msg(&err), msg) != NULL, "\"%s\" lacks \"%s\"",
                  hr_error_msg(&err), msg);
        cr_assert(strstr(hr_error_msg(&err), sfile) != NULL, "\"%s\" does not name %s",
                  hr_error_msg(&err), sfile);
        hr_error_clear(&err);
}

Test(policy, seccomp_names_are_checked_with_libseccomp)
{
        seccomp_refused(
            "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"raed\"],"
            "\"action\":\"SCMP_ACT_ALLOW\"}]}",
            "/syscalls/0/names/1: \"raed\" is not a system call libseccomp knows");
        /* a real call, but of another architecture than the filter's */
        seccomp_refused(
            "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
            "\"SCMP_ARCH_AARCH64\"],\"syscalls\":[{\"names\":[\"arm_fadvise64_64\"],"
            "\"action\":\"SCMP_ACT_ALLOW\"}]}",
            "\"arm_fadvise64_64\" is not a system call libseccomp knows on these architectures");
        seccomp_refused(
            "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_Z80\"]}",
            "/architectures/0: \"SCMP_ARCH_Z80\" is not an architecture libseccomp knows");
        seccomp_refused("{\"defaultAction\":\"SCMP_ACT_MAYBE\"}",
                        "/defaultAction: not a seccomp action");
        seccomp_refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
                        "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":9,\"value\":1,\"op\":"
                        "\"SCMP_CMP_EQ\"}]}]}",
                        "/syscalls/0/args/0/index: not an argument index 0-5");
        seccomp_refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"bogus\":1}",
                        "/: unknown key \"bogus\"");
}

Test(policy, the_shipped_seccomp_profile_validates_for_x86_64_and_aarch64)
{
        size_t len;
        cleanup_free char *text = slurp(PROFILES_DIR "/seccomp/default.json", &len);
        cleanup_json struct json *f = parse_or_die(text);
        struct hr_error err = {0};
        cr_assert_eq(seccomp_filter_validate(f, "default.json", &err), 0, "%s", hr_error_msg(&err));
        cr_assert(json_array_has_string(json_obj_get(f, "architectures"), "SCMP_ARCH_AARCH64"));
}

Test(policy, profile_by_name_from_dir_overlays_restricted)
{
        cleanup_free char *file =
            write_profile("lax", "{\"name\":\"lax\",\"rules\":{\"rootfs\":{\"action\":\"warn\"}}}");
        struct hr_profile p;
        struct hr_error err = {0};
        cr_assert_eq(profile_load(&cfg, "lax", &p, &err), 0, "%s", hr_error_msg(&err));
        cr_assert_str_eq(p.name, "lax");
        cr_assert_eq(p.actions[rule_index("rootfs")], ACTION_WARN);
        cr_assert_eq(p.actions[rule_index("nnp")], ACTION_ENFORCE,
                     "unmentioned rules keep restricted's action");
        cr_assert_eq(p.params.uid, 65534, "unmentioned parameters keep restricted's value");
        profile_free(&p);
        cr_assert_eq(profile_load(&cfg, file, &p, &err), 0, "%s", hr_error_msg(&err));
        profile_free(&p);
        cr_assert_eq(profile_load(&cfg, "missing", &p, &err), -1);
        cr_assert(strstr(hr_error_msg(&err), "no built-in profile") != NULL);
        hr_error_clear(&err);
        cr_assert_eq(profile_load(&cfg, "..", &p, &err), -1);
        hr_error_clear(&err);
}

static void config_refused(const char *text, const char *msg)
{
        cleanup_free char *file = NULL;
        struct hr_config c;
        struct hr_error err = {0};
        cr_assert(asprintf(&file, "%s/config.json", dir) > 0);
        write_file(file, text, strlen(text), 0644);
        cr_assert_eq(config_load(file, &c, &err), -1, "accepted %s", text);
        cr_assert(strstr(hr_error_msg(&err), msg) != NULL, "\"%s\" lacks \"%s\"",
                  hr_error_msg(&err), msg);
        cr_assert(strstr(hr_error_msg(&err), file) != NULL, "\"%s\" does not name the file",
                  hr_error_msg(&err));
        hr_error_clear(&err);
}

Test(policy, admin_config_is_validated)
{
        config_refused("{\"runtime\":\"runc\"}", "/runtime: \"runc\" is not an absolute path");
        config_refused("{\"runtime\":5}", "/runtime: expected string, found number");
        config_refused("{\"runtim\":\"/usr/sbin/runc\"}", "unknown key \"runtim\"");
        config_refused("{\"defaultProfile\":\"\"}", "/defaultProfile: empty value");
        config_refused("{\"profileDir\":\"rel\"}", "/profileDir: \"rel\" is not an absolute path");
        config_refused("{\"annotationProfiles\":\"baseline\"}",
                       "/annotationProfiles: expected an array");
        config_refused("{\"decisionLog\":{\"file\":\"log.jsonl\"}}",
                       "/decisionLog/file: \"log.jsonl\" is not an absolute path");
        config_refused("{\"decisionLog\":{\"syslog\":\"yes\"}}",
                       "/decisionLog/syslog: expected true or false");
        config_refused("{\"decisionLog\":{\"journal\":true}}", "unknown key \"journal\"");
        config_refused("{\"decisionLog\":{\"exec\":\"some\"}}",
                       "/decisionLog/exec: \"some\" (expected all, changed or refused)");
        config_refused("{\"decisionLog\":{\"exec\":true}}", "/decisionLog/exec");
}

Test(policy, admin_config_values_and_missing_files)
{
        cleanup_free char *file = NULL;
        struct hr_config c;
        struct hr_error err = {0};
        const char *text =
            "{\"runtime\":\"/usr/bin/crun\",\"defaultProfile\":\"baseline\",\"profileDir\":\"/p\","
            "\"annotationProfiles\":[\"baseline\",\"strict\"],"
            "\"decisionLog\":{\"syslog\":false,\"file\":\"/var/log/"
            "hr.jsonl\",\"exec\":\"refused\"}}";
        cr_assert(asprintf(&file, "%s/config.json", dir) > 0);
        write_file(file, text, strlen(text), 0644);
        cr_assert_eq(config_load(file, &c, &err), 0, "%s", hr_error_msg(&err));
        cr_assert_str_eq(c.runtime, "/usr/bin/crun");
        cr_assert_str_eq(c.default_profile, "baseline");
        cr_assert_str_eq(c.profile_dir, "/p");
        cr_assert(strlist_has(&c.annotation_profiles, "strict"));
        cr_assert_not(c.log_syslog);
        cr_assert_str_eq(c.log_file, "/var/log/hr.jsonl");
        cr_assert_eq(c.log_exec, LOG_EXEC_REFUSED);
        config_free(&c);
        cr_assert_eq(config_load("/nonexistent/config.json", &c, &err), -1,
                     "an explicit file must exist");
        hr_error_clear(&err);
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
