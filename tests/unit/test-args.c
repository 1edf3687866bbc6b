// SPDX-License-Identifier: GPL-2.0-or-later
/* The command lines of ../shared/fixtures/README.md (containerd-shim-runc-v2,
 * podman/conmon, dockerd probes) and runc's own forms. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "gonum.h"
#include "runc-args.h"

#define ARGV(...) ((char *[]){"hardened-runc", __VA_ARGS__, NULL})
#define ARGC(v)   ((int)(sizeof(v) / sizeof(char *)) - 1)

static struct runc_args ok(int argc, char **argv)
{
        struct runc_args a;
        struct hr_error err = {0};
        cr_assert_eq(runc_args_parse(argc, argv, &a, &err), 0, "refused: %s", hr_error_msg(&err));
        return a;
}

#define OK(...)                                                                                    \
        ({                                                                                         \
                char **_v = ARGV(__VA_ARGS__);                                                     \
                ok(ARGC(((char *[]){"hardened-runc", __VA_ARGS__, NULL})), _v);                    \
        })

static void refused(int argc, char **argv, const char *msg)
{
        struct runc_args a;
        struct hr_error err = {0};
        cr_assert_eq(runc_args_parse(argc, argv, &a, &err), -1, "accepted");
        cr_assert(strstr(hr_error_msg(&err), msg) != NULL, "\"%s\" lacks \"%s\"",
                  hr_error_msg(&err), msg);
        hr_error_clear(&err);
}

#define REFUSED(msg, ...)                                                                          \
        refused(ARGC(((char *[]){"hardened-runc", __VA_ARGS__, NULL})), ARGV(__VA_ARGS__), msg)

static void expect_runtime_argv(const struct runc_args *a, char **want)
{
        int n = 0;
        while (want[n])
                n++;
        cr_assert_eq(a->runtime_argc, n + 1, "argc %d, want %d", a->runtime_argc, n + 1);
        for (int i = 0; i < n; i++)
                cr_assert_str_eq(a->runtime_argv[i + 1], want[i]);
        cr_assert_null(a->runtime_argv[n + 1]);
}

Test(args, containerd_create)
{
        struct runc_args a = OK("--root", "/var/run/docker/runtime-runc/moby", "--log",
                                "/b/log.json", "--log-format", "json", "--systemd-cgroup", "create",
                                "--bundle", "/b", "--pid-file", "/b/init.pid", "--console-socket",
                                "/tmp/s", "--no-pivot", "--no-new-keyring", "abc");
        cr_assert_eq(a.verb, VERB_CREATE);
        cr_assert_str_eq(a.bundle, "/b");
        cr_assert_str_eq(a.container_id, "abc");
        cr_assert_str_eq(a.log_path, "/b/log.json");
        cr_assert_str_eq(a.log_format, "json");
        cr_assert_eq(a.dry_run, DRY_RUN_OFF);
        cr_assert(a.systemd_cgroup, "--systemd-cgroup not seen");
        cr_assert_eq(a.runtime_argc, 18);
        runc_args_free(&a);
        struct runc_args off = OK("--systemd-cgroup=false", "create", "abc");
        cr_assert(!off.systemd_cgroup, "--systemd-cgroup=false read as true");
        runc_args_free(&off);
}

Test(args, containerd_other_verbs_pass_through)
{
        static const struct {
                char *verb;
                enum runc_verb id;
        } v[] = {{"start", VERB_START},   {"state", VERB_STATE},   {"pause", VERB_PAUSE},
                 {"resume", VERB_RESUME}, {"delete", VERB_DELETE}, {"events", VERB_EVENTS}};
        for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
                struct runc_args a =
                    OK("--root", "/r", "--log", "/l", "--log-format", "json", v[i].verb, "id");
                cr_assert_eq(a.verb, v[i].id);
                cr_assert_str_eq(a.container_id, "id");
                cr_assert_eq(a.runtime_argc, 9);
                runc_args_free(&a);
        }
        struct runc_args k = OK("--root", "/r", "kill", "--all", "id", "9");
        cr_assert_eq(k.verb, VERB_KILL);
        runc_args_free(&k);
        struct runc_args d = OK("--root", "/r", "delete", "--force", "id");
        cr_assert_str_eq(d.container_id, "id");
        runc_args_free(&d);
        struct runc_args p = OK("--root", "/r", "ps", "--format", "json", "id");
        cr_assert_eq(p.verb, VERB_PS);
        cr_assert_str_eq(p.container_id, "id");
        runc_args_free(&p);
        struct runc_args e = OK("--root", "/r", "events", "--stats", "id");
        cr_assert_str_eq(e.container_id, "id");
        runc_args_free(&e);
}

Test(args, containerd_exec_and_update)
{
        struct runc_args a = OK("--root", "/r", "--log", "/l", "--log-format", "json", "exec",
                                "--process", "/tmp/runc-process123", "--console-socket", "/s",
                                "--detach", "--pid-file", "/b/e.pid", "id");
        cr_assert_eq(a.verb, VERB_EXEC);
        cr_assert_str_eq(a.process, "/tmp/runc-process123");
        cr_assert_str_eq(a.container_id, "id");
        runc_args_free(&a);
        struct runc_args u = OK("--root", "/r", "update", "--resources", "-", "id");
        cr_assert_eq(u.verb, VERB_UPDATE);
        cr_assert_str_eq(u.resources, "-");
        runc_args_free(&u);
}

Test(args, podman_forms)
{
        struct runc_args a = OK("create", "--bundle", "/b", "--pid-file", "/b/pidfile", "ctr");
        cr_assert_str_eq(a.bundle, "/b");
        cr_assert_null(a.log_path);
        runc_args_free(&a);
        struct runc_args u = OK("update", "--resources=/tmp/res.json", "ctr");
        cr_assert_str_eq(u.resources, "/tmp/res.json");
        runc_args_free(&u);
        struct runc_args r = OK("update", "-r", "/tmp/res.json", "ctr");
        cr_assert_str_eq(r.resources, "/tmp/res.json");
        runc_args_free(&r);
}

Test(args, runc_forms_and_default_bundle)
{
        struct runc_args a = OK("run", "-d", "id");
        cr_assert_eq(a.verb, VERB_RUN);
        cr_assert_str_eq(a.bundle, ".");
        runc_args_free(&a);
        struct runc_args b = OK("create", "-b", "/x", "id");
        cr_assert_str_eq(b.bundle, "/x");
        runc_args_free(&b);
        struct runc_args c = OK("create", "--bundle=/y", "id");
        cr_assert_str_eq(c.bundle, "/y");
        runc_args_free(&c);
        /* urfave/cli moves flags written after the ID in front of it */
        struct runc_args d = OK("create", "id", "--bundle", "/z");
        cr_assert_str_eq(d.bundle, "/z");
        cr_assert_str_eq(d.container_id, "id");
        runc_args_free(&d);
        /* Go's flag package: one dash is the same flag */
        struct runc_args e = OK("-root", "/r", "-log=/l", "create", "-bundle", "/w", "id");
        cr_assert_str_eq(e.bundle, "/w");
        cr_assert_str_eq(e.log_path, "/l");
        runc_args_free(&e);
        struct runc_args r = OK("restore", "--image-path", "/img", "-b", "/v", "id");
        cr_assert_eq(r.verb, VERB_RESTORE);
        cr_assert_str_eq(r.bundle, "/v");
        runc_args_free(&r);
}

Test(args, the_last_bundle_wins_as_in_go)
{
        struct runc_args a = OK("create", "--bundle", "/first", "-b", "/second", "id");
        cr_assert_str_eq(a.bundle, "/second");
        runc_args_free(&a);
}

Test(args, a_value_may_start_with_a_dash)
{
        struct runc_args a = OK("create", "--bundle", "-odd", "id");
        cr_assert_str_eq(a.bundle, "-odd");
        runc_args_free(&a);
}

Test(args, double_dash_ends_flags)
{
        struct runc_args a = OK("--root", "/r", "--", "create", "--bundle", "/b", "--", "id");
        cr_assert_eq(a.verb, VERB_CREATE);
        cr_assert_str_eq(a.bundle, "/b");
        cr_assert_str_eq(a.container_id, "id");
        runc_args_free(&a);
}

Test(args, reorder_quirk_is_reproduced_not_guessed)
{
        /* runc hands "id" to --no-pivot's value slot and then sees
         * "--bundle /b" as two more positionals: "Incorrect Usage" */
        REFUSED("expected 1 argument, got 3", "create", "--no-pivot", "id", "--bundle", "/b");
}

/* Each case was run against runc 1.1.5 (Debian 12) to see what it reads. */
Test(args, reorder_cases_measured_on_runc)
{
        /* runc: chdir --: the value slot takes "--" */
        struct runc_args a = OK("create", "--bundle", "--", "id");
        cr_assert_str_eq(a.bundle, "--");
        runc_args_free(&a);
        /* runc: chdir /nonexist */
        struct runc_args b = OK("create", "--bundle", "/b", "id", "--");
        cr_assert_str_eq(b.bundle, "/b");
        runc_args_free(&b);
        /* runc: reads ./config.json */
        struct runc_args c = OK("create", "--", "id");
        cr_assert_str_eq(c.bundle, ".");
        runc_args_free(&c);
        /* runc: Incorrect Usage */
        REFUSED("expected 1 argument, got 3", "create", "id", "--", "--bundle", "/x");
        /* runc: Incorrect Usage (--pid-file swallows "--bundle") */
        REFUSED("expected 1 argument, got 2", "create", "--pid-file", "--bundle", "/b", "id");
        /* runc: update reads stdin for container "id" */
        struct runc_args u = OK("update", "--resources", "-", "id");
        cr_assert_str_eq(u.resources, "-");
        cr_assert_str_eq(u.container_id, "id");
        runc_args_free(&u);
}

Test(args, exec_does_not_reorder)
{
        struct runc_args a = OK("exec", "id", "sh", "--process", "/p");
        cr_assert_null(a.process);
        cr_assert_str_eq(a.container_id, "id");
        runc_args_free(&a);
        struct runc_args b =
            OK("exec", "-p", "/p", "--user=0:0", "-e", "A=1", "--cap", "CAP_SYS_ADMIN", "id");
        cr_assert_str_eq(b.process, "/p");
        runc_args_free(&b);
}

Test(args, our_flags_are_removed_before_exec)
{
        struct runc_args a = OK("--profile=strict", "--dry-run=diff", "--config", "/etc/x.json",
                                "--root", "/r", "create", "--bundle", "/b", "id");
        cr_assert_str_eq(a.profile, "strict");
        cr_assert_str_eq(a.config, "/etc/x.json");
        cr_assert_eq(a.dry_run, DRY_RUN_DIFF);
        expect_runtime_argv(&a, (char *[]){"--root", "/r", "create", "--bundle", "/b", "id", NULL});
        runc_args_free(&a);
        struct runc_args b = OK("--dry-run", "--profile", "p", "create", "id");
        cr_assert_eq(b.dry_run, DRY_RUN_SPEC);
        expect_runtime_argv(&b, (char *[]){"create", "id", NULL});
        runc_args_free(&b);
        struct runc_args c = OK("--dry-run=report", "run", "id");
        cr_assert_eq(c.dry_run, DRY_RUN_REPORT);
        runc_args_free(&c);
}

Test(args, probes_and_help)
{
        struct runc_args v = OK("--version");
        cr_assert(v.version);
        cr_assert_eq(v.verb, VERB_NONE);
        runc_args_free(&v);
        struct runc_args f = OK("features");
        cr_assert_eq(f.verb, VERB_FEATURES);
        runc_args_free(&f);
        struct runc_args h = OK("create", "--help");
        cr_assert(h.help);
        runc_args_free(&h);
        struct runc_args hf = OK("create", "--help=false", "id");
        cr_assert_not(hf.help);
        runc_args_free(&hf);
}

Test(args, unknown_things)
{
        /* a verb we do not know, and its flags, pass through */
        struct runc_args a = OK("--root", "/r", "frobnicate", "--weird", "x");
        cr_assert_eq(a.verb, VERB_OTHER);
        cr_assert_eq(a.runtime_argc, 6);
        runc_args_free(&a);
        /* an unknown flag of a verb that does not carry a spec passes too */
        struct runc_args b = OK("ps", "--weird", "id");
        cr_assert_eq(b.verb, VERB_PS);
        runc_args_free(&b);
        /* but not where runc would read a spec or where we cannot find the verb */
        REFUSED("flag provided but not defined: --weird", "create", "--weird", "id");
        REFUSED("global: flag provided but not defined: --weird", "--weird", "create", "id");
        REFUSED("flag needs an argument: --bundle", "create", "--bundle");
        REFUSED("expected 1 argument, got 0", "create", "id", "--bundle");
        REFUSED("not a boolean", "run", "--detach=maybe", "id");
        REFUSED("bad flag syntax", "create", "---bundle", "/b", "id");
        REFUSED("unknown mode", "--dry-run=everything", "create", "id");
        REFUSED("expected 1 argument, got 0", "create", "--bundle", "/b");
        REFUSED("empty value", "--profile=", "create", "id");
}

Test(gonum, numbers_as_go_reads_them)
{
        long long v;
        unsigned long long u;
        cr_assert(go_atoi("+12", &v) == 0 && v == 12);
        cr_assert(go_atoi("-9223372036854775808", &v) == 0 && v < 0);
        cr_assert_eq(go_atoi("9223372036854775808", &v), -1);
        cr_assert_eq(go_atoi("0x1", &v), -1);
        cr_assert_eq(go_atoi("", &v), -1);
        cr_assert(go_parse_int0("0x10", &v) == 0 && v == 16);
        cr_assert(go_parse_int0("010", &v) == 0 && v == 8);
        cr_assert(go_parse_int0("0o10", &v) == 0 && v == 8);
        cr_assert(go_parse_int0("0b11", &v) == 0 && v == 3);
        cr_assert(go_parse_int0("-0", &v) == 0 && v == 0);
        cr_assert_eq(go_parse_int0("09", &v), -1);
        cr_assert_eq(go_parse_int0("1_000", &v), -1);
        cr_assert(go_parse_uint("100000", &u) == 0 && u == 100000);
        cr_assert_eq(go_parse_uint("-1", &u), -1);
        cr_assert(go_ram_in_bytes("100m", &v) == 0 && v == 104857600);
        cr_assert(go_ram_in_bytes("100 MiB", &v) == 0 && v == 104857600);
        cr_assert(go_ram_in_bytes("1.5g", &v) == 0 && v == 1610612736);
        cr_assert(go_ram_in_bytes("512", &v) == 0 && v == 512);
        cr_assert(go_ram_in_bytes("2kb", &v) == 0 && v == 2048);
        cr_assert_eq(go_ram_in_bytes("1.2.3m", &v), -1);
        cr_assert_eq(go_ram_in_bytes("-1", &v), -1);
        cr_assert_eq(go_ram_in_bytes("8e", &v), -1);
        cr_assert_eq(go_ram_in_bytes("9999999999g", &v), -1);
}

/* exec and update rewrite the verb's flags: each use is found in argv. */
Test(args, verb_flags_are_recorded_where_they_are)
{
        /* runc_args keeps pointers into argv, which must outlive it */
        char *argv[] = {
            "hardened-runc", "--profile=strict", "update", "c1", "--memory", "1g", "-r", "f", NULL};
        struct runc_args a = ok(8, argv);
        cr_assert_eq(a.nuses, 2);
        cr_assert_str_eq(a.uses[0].name, "memory");
        cr_assert_eq(a.uses[0].at, 4);
        cr_assert_eq(a.uses[0].span, 2);
        cr_assert_str_eq(a.uses[1].name, "resources");
        cr_assert_str_eq(runc_args_last(&a, "resources")->value, "f");
        char *insert[] = {"--x=1", NULL};
        static const char *const drop[] = {"memory", NULL};
        cleanup_free char **v = runc_args_rebuild(&a, drop, insert);
        const char *want[] = {"hardened-runc", "update", "--x=1", "c1", "-r", "f", NULL};
        for (size_t i = 0; want[i]; i++)
                cr_assert_str_eq(v[i], want[i]);
        cr_assert_null(v[6]);
        runc_args_free(&a);
}
