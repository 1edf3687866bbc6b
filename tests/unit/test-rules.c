// SPDX-License-Identifier: GPL-2.0-or-later
/* Each rule on hand-made specs: rewrites, refusals, edge values. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <sched.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cleanup.h"
#include "helpers.h"
#include "pipeline.h"
#include "policy.h"
#include "report.h"
#include "seccomp-profile.h"

static struct hr_profile prof;
static char *bundle;
static const struct hook_allows *admin_hooks; /* the admin config's allow-list, for hooks */

static void setup(void)
{
        struct hr_config cfg = {.default_profile = "restricted", .profile_dir = "/nonexistent"};
        struct hr_error err = {0};
        cr_assert_eq(profile_load(&cfg, NULL, &prof, &err), 0, "%s", hr_error_msg(&err));
        bundle = make_temp_dir();
        cr_assert_eq(chmod(bundle, 0711), 0);
        cleanup_free char *rootfs = NULL;
        cr_assert(asprintf(&rootfs, "%s/rootfs", bundle) > 0);
        cr_assert_eq(mkdir(rootfs, 0755), 0);
}

static void teardown(void)
{
        profile_free(&prof);
        rm_tree(bundle);
        free(bundle);
}

TestSuite(rules, .init = setup, .fini = teardown);

/* Only the named rule, with the given action. */
static int only(const char *rule, enum rule_action action, struct json *spec, char **report_out,
                char **err_out)
{
        enum rule_action saved[64];
        struct report r = {0};
        struct hr_error err = {0};
        size_t len = 0;
        FILE *f;
        int rc;
        for (size_t i = 0; i < rule_count; i++) {
                saved[i] = prof.actions[i];
                prof.actions[i] = ACTION_OFF;
        }
        prof.actions[rule_index(rule)] = action;
        struct pipeline_env env = {bundle, "unit-test", NULL, SCOPE_CREATE, admin_hooks};
        rc = pipeline_run(spec, &env, prof.actions, &prof.params, &r, &err);
        for (size_t i = 0; i < rule_count; i++)
                prof.actions[i] = saved[i];
        f = open_memstream(report_out, &len);
        report_print(f, &r);
        fclose(f);
        *err_out = strdup(hr_error_msg(&err));
        report_free(&r);
        hr_error_clear(&err);
        return rc;
}

#define RUN(rule, action, text)                                                                    \
        cleanup_json struct json *spec = parse_or_die(text);                                       \
        cleanup_free char *rep = NULL;                                                             \
        cleanup_free char *msg = NULL;                                                             \
        int rc = only(rule, action, spec, &rep, &msg)

static char *at(const struct json *spec, const char *ptr)
{
        char *t = json_to_text(json_pointer_get(spec, ptr));
        cr_assert_not_null(t);
        return t;
}

#define EXPECT_AT(ptr, text)                                                                       \
        do {                                                                                       \
                cleanup_free char *_t = at(spec, ptr);                                             \
                cr_assert_str_eq(_t, text, "%s", ptr);                                             \
        } while (0)

#define EXPECT_IN(hay, needle)                                                                     \
        cr_assert(strstr(hay, needle) != NULL, "\"%s\" lacks \"%s\"", hay, needle)

Test(rules, user_root_goes)
{
        RUN("user", ACTION_ENFORCE,
            "{\"process\":{\"user\":{\"uid\":1000,\"gid\":0,\"additionalGids\":[0,5,0]}}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/process/user/uid", "1000");
        EXPECT_AT("/process/user/gid", "65534");
        EXPECT_AT("/process/user/additionalGids", "[0,5,0]");
}

Test(rules, user_absent_ids_are_root_to_go)
{
        RUN("user", ACTION_ENFORCE, "{\"process\":{\"user\":{}}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/process/user", "{\"uid\":65534,\"gid\":65534}");
}

Test(rules, userns_stages_the_rootfs_and_maps_by_strategy)
{
        {
                RUN("userns", ACTION_ENFORCE,
                    "{\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]"
                    "}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/root/path", "\"/run/hardened-runc/unit-test/rootfs\"");
                EXPECT_AT("/linux/namespaces", "[{\"type\":\"pid\"},{\"type\":\"user\"}]");
                /* auto: shift where idmapped mounts work (root on ext4, as here), else root-only */
                if (strstr(rep, "strategy shift") != NULL)
                        EXPECT_AT("/linux/uidMappings",
                                  "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
                else
                        EXPECT_AT("/linux/uidMappings",
                                  "[{\"containerID\":0,\"hostID\":100000,\"size\":1},"
                                  "{\"containerID\":1,\"hostID\":1,\"size\":65535}]");
                cr_assert_not_null(strstr(rep, "rootfs staged for the user namespace, strategy "),
                                   "%s", rep);
        }
        {
                free(prof.params.userns_strategy);
                prof.params.userns_strategy = strdup("root-only");
                RUN("userns", ACTION_ENFORCE, "{\"root\":{\"path\":\"rootfs\"}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/linux/gidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":1},"
                                                "{\"containerID\":1,\"hostID\":1,\"size\":65535}]");
                EXPECT_IN(rep, "strategy root-only: the profile asks for root-only");
        }
}

Test(rules, userns_refuses_what_it_cannot_stage)
{
        RUN("userns", ACTION_ENFORCE, "{\"root\":{\"path\":\"missing-rootfs\"}}");
        cr_assert_eq(rc, -1);
        EXPECT_IN(msg, "cannot stage the rootfs for a user namespace");
        EXPECT_IN(msg, "No such file or directory");
}

Test(rules, userns_keeps_a_remapped_root_and_refuses_root_to_root)
{
        {
                RUN("userns", ACTION_ENFORCE,
                    "{\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"user\"}"
                    "],"
                    "\"uidMappings\":[{\"containerID\":0,\"hostID\":231072,\"size\":65536}],"
                    "\"gidMappings\":[{\"containerID\":0,\"hostID\":231072,\"size\":65536}]}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/linux/uidMappings/0/hostID", "231072");
        }
        {
                RUN("userns", ACTION_ENFORCE,
                    "{\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"user\"}"
                    "],"
                    "\"uidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":65536}]}}");
                cr_assert_eq(rc, -1);
                EXPECT_IN(msg, "/linux/uidMappings/0 is");
                EXPECT_IN(msg, "maps host id 0, the host's root");
        }
}

/* Finding 3 of the review: a non-zero container id mapped to host root, and
 * other maps that reach host ids they should not. */
Test(rules, userns_maps_are_judged_by_every_host_id_they_cover)
{
        static const struct {
                const char *map, *pointer, *why;
        } cases[] = {
            {"[{\"containerID\":0,\"hostID\":100000,\"size\":1},{\"containerID\":1,\"hostID\":0,"
             "\"size\":1},{\"containerID\":2,\"hostID\":100002,\"size\":65534}]",
             "/linux/uidMappings/1 is", "host id 0"},
            {"[{\"containerID\":0,\"hostID\":1,\"size\":65535}]", "/linux/uidMappings/0",
             "below 65536"},
            {"[{\"containerID\":0,\"hostID\":100000,\"size\":0}]", "/linux/uidMappings/0",
             "zero-size"},
            {"[{\"containerID\":0,\"hostID\":4294967295,\"size\":2}]", "/linux/uidMappings/0",
             "past the last"},
            {"[{\"containerID\":0,\"hostID\":100000,\"size\":10},{\"containerID\":5,\"hostID\":"
             "200000,\"size\":10}]",
             "/linux/uidMappings/1", "overlaps entry 0"},
            {"[{\"containerID\":0,\"hostID\":100000,\"size\":10},{\"containerID\":10,\"hostID\":"
             "100005,\"size\":10}]",
             "/linux/uidMappings/1", "overlaps entry 0"},
            {"[]", "/linux/uidMappings", "without a mapping"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
                cleanup_free char *doc = NULL;
                cr_assert(asprintf(&doc,
                                   "{\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{"
                                   "\"type\":\"user\"}],\"uidMappings\":%s,\"gidMappings\":[{"
                                   "\"containerID\":0,\"hostID\":100000,\"size\":65536}]}}",
                                   cases[i].map) > 0);
                RUN("userns", ACTION_ENFORCE, doc);
                cr_assert_eq(rc, -1, "%s passed", cases[i].map);
                EXPECT_IN(msg, cases[i].pointer);
                EXPECT_IN(msg, cases[i].why);
        }
}

static void write_proc(const char *file, const char *text)
{
        int fd = open(file, O_WRONLY | O_CLOEXEC);
        cr_assert(fd >= 0, "open %s", file);
        cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text), "write %s", file);
        close(fd);
}

/* A user namespace joined by path is judged by its maps as the kernel
 * reports them: a child here in a fresh namespace with a map of our own. */
Test(rules, userns_joined_by_path_is_judged_by_its_kernel_maps)
{
        if (geteuid() != 0)
                cr_skip_test("needs root to make a user namespace with a map to host root");
        for (int round = 0; round < 2; round++) {
                int ready[2], done[2];
                char c;
                cr_assert_eq(pipe(ready), 0);
                cr_assert_eq(pipe(done), 0);
                pid_t pid = fork();
                if (pid == 0) {
                        close(ready[0]);
                        close(done[1]);
                        if (unshare(CLONE_NEWUSER) < 0)
                                _exit(1);
                        (void)!write(ready[1], "x", 1);
                        (void)!read(done[0], &c, 1);
                        _exit(0);
                }
                close(ready[1]);
                close(done[0]);
                cr_assert_eq(read(ready[0], &c, 1), 1);
                cleanup_free char *file = NULL;
                cleanup_free char *line = NULL;
                cr_assert(asprintf(&file, "/proc/%d/uid_map", pid) > 0);
                /* round 0: host root mapped in; round 1: a clean shifted map */
                cr_assert(asprintf(&line, round == 0 ? "0 0 1\n" : "0 300000 65536\n") > 0);
                write_proc(file, line);
                free(file);
                cr_assert(asprintf(&file, "/proc/%d/gid_map", pid) > 0);
                write_proc(file, "0 300000 65536\n");
                cleanup_free char *doc = NULL;
                cr_assert(asprintf(&doc,
                                   "{\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{"
                                   "\"type\":\"user\",\"path\":\"/proc/%d/ns/user\"}]}}",
                                   pid) > 0);
                {
                        RUN("userns", ACTION_ENFORCE, doc);
                        if (round == 0) {
                                cr_assert_eq(rc, -1, "a joined namespace mapping host root passed");
                                EXPECT_IN(msg, "(its uid_map)/0");
                                EXPECT_IN(msg, "host id 0");
                        } else {
                                cr_assert_eq(rc, 0, "%s", msg);
                        }
                }
                close(done[1]);
                waitpid(pid, NULL, 0);
                close(ready[0]);
        }
}

Test(rules, userns_joined_by_path_gets_no_mappings_and_never_the_hosts)
{
        RUN("userns", ACTION_ENFORCE,
            "{\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"user\","
            "\"path\":\"/proc/self/ns/user\"}]}}");
        cr_assert_eq(rc, -1);
        EXPECT_IN(msg, "joins the host's user namespace");
        cr_assert_null(json_pointer_get(spec, "/linux/uidMappings"));
}

Test(rules, caps_intersect_with_the_allow_list_and_refuse_unknown_names)
{
        strlist_free(&prof.params.cap_allow);
        prof.params.cap_allow.v = calloc(2, sizeof(char *));
        prof.params.cap_allow.v[0] = strdup("CAP_CHOWN");
        prof.params.cap_allow.n = 1;
        {
                RUN("caps", ACTION_ENFORCE,
                    "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_SYS_ADMIN\"]"
                    ","
                    "\"effective\":[\"CAP_SYS_ADMIN\"],\"ambient\":[\"CAP_CHOWN\"],\"inheritable\":"
                    "[\"CAP_CHOWN\"]}}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/process/capabilities", "{\"bounding\":[\"CAP_CHOWN\"],\"effective\":[],"
                                                   "\"ambient\":[],\"inheritable\":[]}");
        }
        {
                RUN("caps", ACTION_ENFORCE,
                    "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_FLY\"]}}}");
                cr_assert_eq(rc, -1);
                EXPECT_IN(msg, "/process/capabilities/bounding/0 is \"CAP_FLY\": not a capability "
                               "this system knows");
        }
}

Test(rules, seccomp_replaces_and_never_lets_notify_through)
{
        {
                RUN("seccomp", ACTION_ENFORCE,
                    "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_NOTIFY\","
                    "\"listenerPath\":\"/run/agent.sock\"}}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_IN(rep, "user-space agent");
                cr_assert(json_equal(json_pointer_get(spec, "/linux/seccomp"),
                                     prof.params.seccomp_filter));
        }
        {
                RUN("seccomp", ACTION_WARN,
                    "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                    "\"syscalls\":[{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}}}");
                cr_assert_eq(rc, -1, "warn must not let a notify filter through");
                EXPECT_IN(rep, "seccomp: refused /linux/seccomp");
        }
        {
                RUN("seccomp", ACTION_OFF,
                    "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\","
                    "\"listenerPath\":\"/run/agent.sock\"}}}");
                cr_assert_eq(rc, -1, "off must not let a notify filter through");
                EXPECT_IN(msg, "SCMP_ACT_NOTIFY");
        }
        {
                RUN("seccomp", ACTION_OFF,
                    "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"}}}");
                cr_assert_eq(rc, 0, "%s", msg);
                cr_assert_null(strstr(rep, "seccomp"), "%s", rep);
        }
}

Test(rules, seccomp_log_mode_logs_instead_of_denying)
{
        struct json *f = NULL;
        struct hr_error err = {0};
        cr_assert_eq(seccomp_filter_load("default", "log", &f, &err), 0, "%s", hr_error_msg(&err));
        cleanup_free char *t = json_to_text(f);
        cr_assert_null(strstr(t, "SCMP_ACT_ERRNO"), "%s", t);
        cr_assert_null(strstr(t, "errnoRet"), "%s", t);
        cr_assert_not_null(strstr(t, "SCMP_ACT_LOG"));
        json_free(f);
}

Test(rules, resources_defaults_and_clamps)
{
        {
                RUN("resources", ACTION_ENFORCE,
                    "{\"linux\":{\"resources\":{\"memory\":{\"limit\":-1,\"swap\":-1},"
                    "\"pids\":{\"limit\":0},\"cpu\":{\"quota\":900000,\"period\":100000}}}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/linux/resources/memory/limit", "4294967296");
                EXPECT_AT("/linux/resources/memory/swap", "4294967296");
                EXPECT_AT("/linux/resources/pids/limit", "4096");
                EXPECT_AT("/linux/resources/cpu/quota", "400000");
        }
        {
                RUN("resources", ACTION_ENFORCE,
                    "{\"linux\":{\"resources\":{\"memory\":{\"limit\":268435456,"
                    "\"swap\":536870912},\"pids\":{\"limit\":-1}}}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/linux/resources/memory/limit", "268435456");
                EXPECT_AT("/linux/resources/memory/swap", "268435456");
                EXPECT_AT("/linux/resources/pids/limit", "4096");
        }
        {
                RUN("resources", ACTION_ENFORCE,
                    "{\"linux\":{\"resources\":{\"pids\":{\"limit\":100},\"unified\":"
                    "{\"memory.max\":\"max\",\"pids.max\":\"max\",\"memory.swap.max\":\"1G\"}}}}");
                cr_assert_eq(rc, -1, "a unified value that is not a number is malformed");
                EXPECT_IN(msg, "memory.swap.max: \"1G\" is not a number or \"max\"");
        }
        {
                RUN("resources", ACTION_ENFORCE,
                    "{\"linux\":{\"resources\":{\"pids\":{\"limit\":100},\"unified\":"
                    "{\"memory.max\":\"max\",\"pids.max\":\"max\",\"memory.high\":\"max\"}}}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/linux/resources/unified",
                          "{\"memory.max\":\"536870912\",\"pids.max\":\"100\","
                          "\"memory.high\":\"max\"}");
        }
}

Test(rules, rlimits_clamped_and_added)
{
        struct rlimit core = {0, 0};
        cr_assert_eq(setrlimit(RLIMIT_CORE, &core), 0);
        RUN("rlimits", ACTION_ENFORCE,
            "{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":18446744073709551615,"
            "\"soft\":1024}]}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/process/rlimits",
                  "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1048576,\"soft\":1024},"
                  "{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}]");
}

Test(rules, namespaces_host_ones_are_refused_cgroup_is_added)
{
        {
                RUN("namespaces", ACTION_ENFORCE,
                    "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\","
                    "\"path\":\"/proc/self/ns/net\"},"
                    "{\"type\":\"uts\"},{\"type\":\"ipc\"}]}}");
                cr_assert_eq(rc, -1);
                EXPECT_IN(msg, "no pid namespace: the container shares the host's");
                EXPECT_IN(rep, "joins the host's network namespace");
        }
        {
                RUN("namespaces", ACTION_ENFORCE,
                    "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\"},{"
                    "\"type\":\"pid\"},"
                    "{\"type\":\"uts\"},{\"type\":\"ipc\"}]}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/linux/namespaces/5", "{\"type\":\"cgroup\"}");
        }
}

Test(rules, mounts_sensitive_sources_refused_even_through_symlinks)
{
        static const char *const bad[] = {"/", "/var/run/docker.sock", "/proc/1", "/etc", "//etc/"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                cleanup_free char *text = NULL;
                cr_assert(
                    asprintf(
                        &text,
                        "{\"mounts\":[{\"destination\":\"/h\",\"type\":\"bind\",\"source\":\"%s\","
                        "\"options\":[\"rbind\"]}]}",
                        bad[i]) > 0);
                RUN("mounts", ACTION_ENFORCE, text);
                cr_assert_eq(rc, -1, "%s accepted", bad[i]);
                EXPECT_IN(msg, "a sensitive path");
        }
        cleanup_free char *link = NULL;
        cr_assert(asprintf(&link, "%s/etc-link", bundle) > 0);
        cr_assert_eq(symlink("/etc", link), 0);
        cleanup_free char *text = NULL;
        cr_assert(
            asprintf(
                &text,
                "{\"mounts\":[{\"destination\":\"/h\",\"source\":\"%s\",\"options\":[\"bind\"]}]}",
                link) > 0);
        RUN("mounts", ACTION_ENFORCE, text);
        cr_assert_eq(rc, -1);
        EXPECT_IN(msg, "resolves to the host's /etc");
}

Test(rules, mounts_binds_get_nosuid_nodev_and_private_propagation)
{
        RUN("mounts", ACTION_ENFORCE,
            "{\"linux\":{\"rootfsPropagation\":\"rshared\"},\"mounts\":[{\"destination\":\"/"
            "d\",\"type\":\"bind\","
            "\"source\":\"/srv/"
            "data\",\"options\":[\"rbind\",\"rshared\",\"ro\"]},{\"destination\":\"/"
            "p\",\"type\":\"proc\","
            "\"source\":\"proc\",\"options\":[\"nosuid\"]}]}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/mounts/0/options", "[\"rbind\",\"rprivate\",\"ro\",\"nosuid\",\"nodev\"]");
        EXPECT_AT("/mounts/1/options", "[\"nosuid\"]");
        EXPECT_AT("/linux/rootfsPropagation", "\"rprivate\"");
}

Test(rules, devices_only_the_default_set)
{
        RUN("devices", ACTION_ENFORCE,
            "{\"linux\":{\"devices\":[{\"path\":\"/dev/"
            "mem\",\"type\":\"c\",\"major\":1,\"minor\":1},"
            "{\"path\":\"/dev/xnull\",\"type\":\"c\",\"major\":1,\"minor\":3}],"
            "\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwm\"},{\"allow\":true,"
            "\"type\":\"c\",\"major\":1,"
            "\"minor\":1,\"access\":\"rw\"},{\"allow\":true,\"type\":\"c\",\"major\":136,"
            "\"access\":\"rwm\"}]}}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/linux/devices",
                  "[{\"path\":\"/dev/xnull\",\"type\":\"c\",\"major\":1,\"minor\":3}]");
        EXPECT_AT("/linux/resources/devices",
                  "[{\"allow\":false,\"access\":\"rwm\"},"
                  "{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rwm\"},"
                  "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}]");
}

Test(rules, devices_deny_refuses_privileged)
{
        RUN("devices", ACTION_DENY,
            "{\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}}}");
        cr_assert_eq(rc, -1);
        EXPECT_IN(msg, "refused by rule devices");
}

Test(rules, paths_restored)
{
        RUN("paths", ACTION_ENFORCE, "{\"linux\":{\"maskedPaths\":[\"/proc/kcore\",\"/x\"]}}");
        cr_assert_eq(rc, 0, "%s", msg);
        cleanup_free char *m = at(spec, "/linux/maskedPaths");
        EXPECT_IN(m, "\"/proc/kcore\",\"/x\",\"/proc/asound\"");
        EXPECT_IN(m, "\"/sys/firmware\"");
        cleanup_free char *r = at(spec, "/linux/readonlyPaths");
        EXPECT_IN(r, "\"/proc/sysrq-trigger\"");
}

Test(rules, sysctls_only_allowed_and_ping_range_in_the_mapping)
{
        RUN("sysctls", ACTION_ENFORCE,
            "{\"linux\":{\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
            "\"sysctl\":{"
            "\"kernel.domainname\":\"x\",\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"1\","
            "\"net.ipv4.ping_group_range\":\"0 2147483647\",\"vm.swappiness\":\"0\"}}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/linux/sysctl", "{\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"1\","
                                   "\"net.ipv4.ping_group_range\":\"0 65535\"}");
        EXPECT_IN(rep, "sysctls: changed /linux/sysctl/kernel.domainname: \"x\" -> (absent)");
}

Test(rules, rlimits_added_never_above_what_the_container_would_inherit)
{
        struct rlimit nofile = {512, 2048};
        cr_assert_eq(setrlimit(RLIMIT_NOFILE, &nofile), 0);
        RUN("rlimits", ACTION_ENFORCE, "{\"process\":{}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/process/rlimits/0", "{\"type\":\"RLIMIT_NOFILE\",\"hard\":2048,\"soft\":512}");
}

Test(rules, annotations_crun_handlers_stripped)
{
        RUN("annotations", ACTION_ENFORCE,
            "{\"annotations\":{\"run.oci.seccomp_bpf_data\":\"AAAA\",\"org.example/"
            "a\":\"b\",\"run.oci.handler\":\"krun\"}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/annotations", "{\"org.example/a\":\"b\"}");
}

Test(rules, cwd_outside_proc_and_absolute)
{
        static const char *const bad[] = {"/proc/self/fd/7", "/proc", "//proc/./1/cwd/..", "tmp",
                                          ""};
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                cleanup_free char *text = NULL;
                cr_assert(asprintf(&text, "{\"process\":{\"cwd\":\"%s\"}}", bad[i]) > 0);
                RUN("cwd", ACTION_ENFORCE, text);
                cr_assert_eq(rc, -1, "cwd \"%s\" accepted", bad[i]);
                EXPECT_IN(msg, "/process/cwd");
        }
        RUN("cwd", ACTION_ENFORCE, "{\"process\":{\"cwd\":\"/proc/../procfs\"}}");
        cr_assert_eq(rc, 0, "%s", msg);
        cr_assert_str_eq(rep, "", "a compliant cwd is left alone");
}

/* ---- hooks, cgroups, oom, groups, labels, CPU weights ------------------------------------- */

Test(rules, hooks_run_only_from_the_admin_allow_list)
{
        static const char *const hostile[] = {
            "{\"hooks\":{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"id\"]}]}}",
            "{\"hooks\":{\"createRuntime\":[{\"path\":\"/usr/bin/nvidia-hook\"}]}}",
            "{\"hooks\":{\"poststart\":[{\"path\":\"/usr/bin/nvidia-hook\",\"args\":[\"x\"]}]}}",
            "{\"hooks\":{\"createContainer\":[{\"path\":\"/usr/bin/nvidia-hook\",\"args\":[\"h\","
            "\"prestart\"]}]}}",
            /* an allowed binary whose environment makes it any binary */
            "{\"hooks\":{\"prestart\":[{\"path\":\"/usr/bin/"
            "nvidia-hook\",\"args\":[\"h\",\"prestart\"],"
            "\"env\":[\"LD_PRELOAD=/tmp/x.so\"]}]}}",
            /* Docker's hook shape, but no dockerd behind the pid */
            "{\"hooks\":{\"prestart\":[{\"path\":\"/proc/1/exe\",\"args\":[\"libnetwork-setkey\","
            "\"-exec-root=/run/docker\",\"unit-test\",\"0123456789ab\"]}]}}",
        };
        struct hook_allow allow = {.path = "/usr/bin/nvidia-hook", .stages = 1u << 0};
        char *args[] = {"h", "pre*", NULL};
        struct hook_allows list = {&allow, 1};
        allow.args.v = args;
        allow.args.n = 2;
        admin_hooks = &list;
        for (size_t i = 0; i < sizeof(hostile) / sizeof(*hostile); i++) {
                RUN("hooks", ACTION_ENFORCE, hostile[i]);
                cr_assert_eq(rc, -1, "%s passed", hostile[i]);
                EXPECT_IN(msg, "refused by rule hooks: /hooks/");
        }
        {
                RUN("hooks", ACTION_ENFORCE,
                    "{\"hooks\":{\"prestart\":[{\"path\":\"/usr/bin/nvidia-hook\",\"args\":[\"h\","
                    "\"prestart\"]}]}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_IN(rep, "hooks: kept /hooks/prestart/0");
        }
        admin_hooks = NULL;
}

Test(rules, cgroups_path_must_be_a_new_cgroup_of_this_container)
{
        static const char *const bad[] = {
            "/rt-victim",
            "/docker",
            "/",
            "system.slice",
            "/docker/other-id",
            "/docker/../unit-test",
            "//unit-test",
            "system.slice:docker:other",
            "unit-test",
        };
        static const char *const good[] = {
            "/docker/unit-test",
            "system.slice:docker:unit-test",
            "/kubepods/burstable/pod1234/unit-test",
            "machine.slice:libpod:unit-test",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                cleanup_free char *doc = NULL;
                cr_assert(asprintf(&doc, "{\"linux\":{\"cgroupsPath\":\"%s\"}}", bad[i]) > 0);
                RUN("cgroups", ACTION_ENFORCE, doc);
                cr_assert_eq(rc, -1, "%s passed", bad[i]);
                EXPECT_IN(msg, "/linux/cgroupsPath");
        }
        for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
                cleanup_free char *doc = NULL;
                cr_assert(asprintf(&doc, "{\"linux\":{\"cgroupsPath\":\"%s\"}}", good[i]) > 0);
                RUN("cgroups", ACTION_ENFORCE, doc);
                cr_assert_eq(rc, 0, "%s: %s", good[i], msg);
        }
}

Test(rules, oom_score_and_killer)
{
        RUN("oom", ACTION_ENFORCE,
            "{\"process\":{\"oomScoreAdj\":-1000},\"linux\":{\"resources\":{\"memory\":{"
            "\"disableOOMKiller\":true}}}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/process/oomScoreAdj", "0");
        EXPECT_AT("/linux/resources/memory", "{}");
}

Test(rules, groups_protected_gids_are_refused_and_gid0_goes_unless_root)
{
        {
                RUN("groups", ACTION_ENFORCE,
                    "{\"process\":{\"user\":{\"uid\":1000,\"gid\":1000,\"additionalGids\":[0,5,0]}}"
                    "}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/process/user/additionalGids", "[5]");
        }
        {
                RUN("groups", ACTION_ENFORCE,
                    "{\"process\":{\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[0]}}}");
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/process/user/additionalGids", "[0]");
        }
        {
                /* shadow is gid 42 on Debian; the test reads the host's */
                const struct group *g = getgrnam("shadow");
                cleanup_free char *doc = NULL;
                if (g == NULL)
                        cr_skip_test("no shadow group on this host");
                cr_assert(asprintf(&doc,
                                   "{\"process\":{\"user\":{\"uid\":1,\"gid\":1,"
                                   "\"additionalGids\":[%u]}}}",
                                   (unsigned)g->gr_gid) > 0);
                RUN("groups", ACTION_ENFORCE, doc);
                cr_assert_eq(rc, -1);
                EXPECT_IN(msg, "/process/user/additionalGids/0");
                EXPECT_IN(msg, "shadow");
        }
}

Test(rules, groups_a_socket_group_is_protected)
{
        const struct group *g = getgrnam("shadow");
        cleanup_free char *doc = NULL;
        if (g == NULL)
                cr_skip_test("no shadow group on this host");
        cr_assert(asprintf(&doc, "{\"process\":{\"user\":{\"uid\":1,\"gid\":%u}}}",
                           (unsigned)g->gr_gid) > 0);
        RUN("groups", ACTION_ENFORCE, doc);
        cr_assert_eq(rc, -1);
        EXPECT_IN(msg, "/process/user/gid");
}

Test(rules, labels_unconfined_at_create)
{
        RUN("labels", ACTION_ENFORCE,
            "{\"process\":{\"apparmorProfile\":\"unconfined\",\"selinuxLabel\":"
            "\"system_u:system_r:spc_t:s0\"}}");
        if (access("/sys/module/apparmor/parameters/enabled", F_OK) != 0 &&
            access("/sys/fs/selinux/enforce", F_OK) != 0) {
                /* neither LSM here: both labels confine nothing and go */
                cr_assert_eq(rc, 0, "%s", msg);
                EXPECT_AT("/process", "{}");
        } else {
                cr_assert(rc == -1 || json_pointer_get(spec, "/process/apparmorProfile") == NULL ||
                              strcmp(json_pointer_get(spec, "/process/apparmorProfile")->text,
                                     "unconfined") != 0,
                          "%s", msg);
        }
}

Test(rules, cpu_shares_and_realtime_are_clamped)
{
        RUN("resources", ACTION_ENFORCE,
            "{\"linux\":{\"resources\":{\"cpu\":{\"shares\":262144,\"realtimeRuntime\":950000},"
            "\"unified\":{\"cpu.weight\":\"10000\"}}}}");
        cr_assert_eq(rc, 0, "%s", msg);
        EXPECT_AT("/linux/resources/cpu/shares", "4096");
        EXPECT_AT("/linux/resources/cpu/realtimeRuntime", "0");
        EXPECT_AT("/linux/resources/unified/cpu.weight", "\"157\"");
}
