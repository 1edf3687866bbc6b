// SPDX-License-Identifier: GPL-2.0-or-later
/* exec and update: Docker's captured exec processes and update resources
 * (../shared/fixtures), runc's exec flags as runc 1.1 reads them, and the
 * edge cases of issue 5. No container runs here: the integration layer
 * (tests/integration/exec-update.sh) proves the kernel's view. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "harden.h"
#include "helpers.h"
#include "policy.h"
#include "runc-args.h"

#define ARGV(...) ((char *[]){"hardened-runc", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"hardened-runc", __VA_ARGS__}) / sizeof(char *)))

/* runc_args keeps pointers into argv: give it one that outlives the call. */
static void parse(struct runc_args *a, int argc, char **argv)
{
        static char *pool[32][48];
        static size_t next;
        char **kept = pool[next++ % 32];
        struct hr_error err = {0};
        cr_assert_lt(argc, 48);
        memcpy(kept, argv, ((size_t)argc + 1) * sizeof(*argv));
        cr_assert_eq(runc_args_parse(argc, kept, a, &err), 0, "%s", hr_error_msg(&err));
}
#define PARSE(a, ...) parse((a), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

/* No decision log in unit tests; the container ids below have no state,
 * so the default profile (built-in restricted) applies. */
static struct hr_config cfg = {
    .runtime = "/usr/sbin/runc", .default_profile = "restricted", .profile_dir = "/nonexistent"};
#define NOSTATE "hr-unit-no-state"

/* A pipe holding text (small: it fits the pipe's buffer), to read from. */
static int pipe_with(const char *text)
{
        int p[2];
        cr_assert_eq(pipe(p), 0);
        cr_assert_eq(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
        close(p[1]);
        return p[0];
}

/* Run harden_exec or harden_update in a dry run; the output parsed. */
static struct json *dry(const struct runc_args *a, const char *stdin_text, struct hr_error *err,
                        int *rc)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        int in = stdin_text ? pipe_with(stdin_text) : -1;
        struct handoff h;
        struct json *j = NULL;
        *rc = a->verb == VERB_EXEC ? harden_exec(a, &cfg, f, &h, err)
                                   : harden_update(a, &cfg, in, f, &h, err);
        handoff_free(&h);
        fclose(f);
        if (in >= 0)
                close(in);
        if (*rc == 0 && a->dry_run == DRY_RUN_SPEC)
                j = parse_or_die(out);
        free(out);
        return j;
}

static long long int_at(const struct json *j, const char *ptr)
{
        long long v = -12345;
        const struct json *x = json_pointer_get(j, ptr);
        cr_assert_not_null(x, "%s missing", ptr);
        cr_assert_eq(json_int64(x, &v), 0, "%s not an integer", ptr);
        return v;
}

static void assert_process_hardened(const struct json *p, const char *what)
{
        static const char *const sets[] = {"bounding", "effective", "permitted", "inheritable",
                                           "ambient"};
        const struct json *gids = json_pointer_get(p, "/user/additionalGids");
        cr_assert_neq(int_at(p, "/user/uid"), 0, "%s: uid 0", what);
        cr_assert_neq(int_at(p, "/user/gid"), 0, "%s: gid 0", what);
        for (size_t i = 0; gids && i < gids->n; i++)
                cr_assert_str_neq(gids->vals[i]->text, "0", "%s: group 0 kept", what);
        cr_assert_eq(json_pointer_get(p, "/noNewPrivileges")->type, JSON_TRUE, "%s: nnp", what);
        for (size_t i = 0; i < sizeof(sets) / sizeof(*sets); i++) {
                const struct json *s = json_obj_get(json_obj_get(p, "capabilities"), sets[i]);
                cr_assert(s == NULL || s->n == 0, "%s: capabilities/%s not empty", what, sets[i]);
        }
}

/* env without its HOME entries */
static struct json *env_without_home(const struct json *env)
{
        struct json *out = json_new(JSON_ARRAY);
        struct hr_error err = {0};
        for (size_t i = 0; env != NULL && i < env->n; i++)
                if (strncmp(env->vals[i]->text, "HOME=", 5) != 0)
                        cr_assert_eq(json_array_append(out, json_dup(env->vals[i]), &err), 0);
        return out;
}

Test(exec, docker_processes_are_hardened)
{
        char **names = fixture_names(".process.json");
        cr_assert_not_null(names[0], "no exec fixtures");
        for (char **n = names; *n; n++) {
                cleanup_free char *path = NULL;
                struct runc_args a;
                struct hr_error err = {0};
                int rc;
                cr_assert(asprintf(&path, "%s/%s", FIXTURES_DIR, *n) > 0);
                PARSE(&a, "--dry-run=spec", "--root", "/r", "exec", "--process", path, "--detach",
                      "--pid-file", "/b/e.pid", NOSTATE);
                cleanup_json struct json *p = dry(&a, NULL, &err, &rc);
                cr_assert_eq(rc, 0, "%s: %s", *n, hr_error_msg(&err));
                assert_process_hardened(p, *n);
                /* what the process is for stays */
                cleanup_free char *orig_text = slurp(path, NULL);
                cleanup_json struct json *orig = parse_or_die(orig_text);
                cr_assert(json_equal(json_obj_get(p, "args"), json_obj_get(orig, "args")));
                {
                        cleanup_json struct json *e1 = env_without_home(json_obj_get(p, "env"));
                        cleanup_json struct json *e2 = env_without_home(json_obj_get(orig, "env"));
                        long long uid = -1;
                        cr_assert(json_equal(e1, e2), "%s: env changed beyond HOME", *n);
                        /* a process that was root gets a HOME it may write */
                        json_int64(json_pointer_get(orig, "/user/uid"), &uid);
                        if (uid == 0)
                                cr_assert(
                                    json_array_has_string(json_obj_get(p, "env"), "HOME=/tmp"),
                                    "%s: HOME not moved off root's", *n);
                }
                cr_assert(json_equal(json_obj_get(p, "cwd"), json_obj_get(orig, "cwd")));
                runc_args_free(&a);
        }
        fixture_names_free(names);
}

/* A bundle whose config.json process runc's exec flags start from. */
static char *flag_bundle(void)
{
        char *dir = make_temp_dir();
        cleanup_free char *path = NULL;
        const char *spec = "{\"process\":{\"user\":{\"uid\":1000,\"gid\":1000},\"args\":[\"sh\"],"
                           "\"env\":[\"PATH=/bin\"],\"cwd\":\"/\",\"noNewPrivileges\":true,"
                           "\"capabilities\":{\"bounding\":[],\"effective\":[],\"permitted\":[]}},"
                           "\"root\":{\"path\":\"rootfs\"}}";
        cr_assert(asprintf(&path, "%s/config.json", dir) > 0);
        write_file(path, spec, strlen(spec), 0644);
        return dir;
}

static struct json *from_flags(const struct runc_args *a, const char *bundle, struct hr_error *err)
{
        struct json *p = NULL;
        return exec_process_from_bundle(a, bundle, &p, err) == 0 ? p : NULL;
}

/* Judge {"process": p} as harden_exec does. */
static struct json *judge_in(struct json *p, const struct container_state *cs, struct hr_error *err,
                             int *rc)
{
        struct hr_profile prof;
        struct report r = {0};
        struct pipeline_env env = {
            .bundle = "/b", .container_id = NOSTATE, .container = cs, .scope = SCOPE_EXEC};
        struct json *doc = json_object_of("process", p, NULL);
        cr_assert_eq(profile_load(&cfg, NULL, &prof, err), 0, "%s", hr_error_msg(err));
        *rc = pipeline_run(doc, &env, prof.actions, &prof.params, &r, err);
        report_free(&r);
        profile_free(&prof);
        return doc;
}

static struct json *judge(struct json *p, struct hr_error *err, int *rc)
{
        return judge_in(p, NULL, err, rc);
}

Test(exec, flags_build_the_process_runc_would)
{
        char *b = flag_bundle();
        struct runc_args a;
        struct hr_error err = {0};
        int rc;
        PARSE(&a, "exec", "-u", "0:0", "-c", "CAP_SYS_ADMIN", "--cap", "CAP_NET_ADMIN",
              "--no-new-privs=false", "-e", "A=1", "--env", "B=2", "-g", "0", "-g", "0x10", "--cwd",
              "/tmp", "-t", "--", "c1", "cmd", "-u", "0");
        cleanup_json struct json *p = from_flags(&a, b, &err);
        cr_assert_not_null(p, "%s", hr_error_msg(&err));
        /* runc's reading, before any rule */
        cr_assert_eq(int_at(p, "/user/uid"), 0);
        cr_assert_eq(int_at(p, "/user/gid"), 0);
        cr_assert_eq(int_at(p, "/user/additionalGids/1"), 16);
        cr_assert_eq(json_pointer_get(p, "/noNewPrivileges")->type, JSON_FALSE);
        cr_assert_str_eq(json_pointer_get(p, "/capabilities/bounding/1")->text, "CAP_NET_ADMIN");
        cr_assert_null(json_pointer_get(p, "/capabilities/ambient"), "no inheritable: no ambient");
        cr_assert_str_eq(json_pointer_get(p, "/env/2")->text, "B=2");
        cr_assert_str_eq(json_pointer_get(p, "/cwd")->text, "/tmp");
        cr_assert_eq(json_pointer_get(p, "/terminal")->type, JSON_TRUE);
        cr_assert_str_eq(json_pointer_get(p, "/args/0")->text, "cmd");
        cr_assert_str_eq(json_pointer_get(p, "/args/1")->text, "-u", "after the id: the command's");
        /* and judged */
        cleanup_json struct json *doc = judge(steal_pointer(&p), &err, &rc);
        cr_assert_eq(rc, 0, "%s", hr_error_msg(&err));
        assert_process_hardened(json_obj_get(doc, "process"), "exec flags");
        cr_assert_eq(int_at(doc, "/process/user/uid"), 65534);
        cr_assert_eq(int_at(doc, "/process/user/additionalGids/0"), 16, "group 0 dropped");
        runc_args_free(&a);
        rm_tree(b);
        free(b);
}

Test(exec, user_and_groups_read_as_runc_reads_them)
{
        static const struct {
                char *user;
                long long uid;
        } cases[] = {{"4294967296", 0}, {"-1", 4294967295LL}, {"+7", 7}, {"4294967297:5", 1}};
        char *b = flag_bundle();
        for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
                struct runc_args a;
                struct hr_error err = {0};
                PARSE(&a, "exec", "--user", cases[i].user, "c1", "true");
                cleanup_json struct json *p = from_flags(&a, b, &err);
                cr_assert_not_null(p, "%s", hr_error_msg(&err));
                cr_assert_eq(int_at(p, "/user/uid"), cases[i].uid, "-u %s", cases[i].user);
                runc_args_free(&a);
        }
        static char *bad[][2] = {
            {"--user", "0:x"}, {"--user", "root"}, {"-g", "-1"}, {"-g", "1_000"}, {"--user", ":0"}};
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                struct runc_args a;
                struct hr_error err = {0};
                PARSE(&a, "exec", bad[i][0], bad[i][1], "c1", "true");
                cr_assert_null(from_flags(&a, b, &err), "%s %s accepted", bad[i][0], bad[i][1]);
                cr_assert(strstr(hr_error_msg(&err), bad[i][1]) != NULL, "%s", hr_error_msg(&err));
                hr_error_clear(&err);
                runc_args_free(&a);
        }
        rm_tree(b);
        free(b);
}

Test(exec, labels_and_working_directory)
{
        struct hr_error err = {0};
        int rc;
        cleanup_json struct json *doc =
            judge(parse_or_die(
                      "{\"user\":{\"uid\":5,\"gid\":5},\"args\":[\"x\"],\"cwd\":\"/proc/../tmp\","
                      "\"apparmorProfile\":\"unconfined\",\"selinuxLabel\":\"spc_t\"}"),
                  &err, &rc);
        cr_assert_eq(rc, 0, "%s", hr_error_msg(&err));
        cr_assert_null(json_pointer_get(doc, "/process/apparmorProfile"));
        cr_assert_null(json_pointer_get(doc, "/process/selinuxLabel"));
        /* the container's recorded AppArmor profile, whatever the caller asks:
         * runc 1.1 applies none to an exec'd process that names none */
        static const char *const asks[] = {"unconfined", "other", "", NULL};
        struct container_state cs = {
            .profile = "restricted", .bundle = "/b", .apparmor = "docker-default"};
        for (size_t i = 0; i < sizeof(asks) / sizeof(*asks); i++) {
                cleanup_free char *text = NULL;
                cr_assert(asprintf(&text, "{\"args\":[\"x\"]%s%s%s}",
                                   asks[i] ? ",\"apparmorProfile\":\"" : "", asks[i] ? asks[i] : "",
                                   asks[i] ? "\"" : "") > 0);
                cleanup_json struct json *d = judge_in(parse_or_die(text), &cs, &err, &rc);
                const struct json *got = json_pointer_get(d, "/process/apparmorProfile");
                cr_assert_eq(rc, 0, "%s", hr_error_msg(&err));
                cr_assert(got != NULL && strcmp(got->text, "docker-default") == 0,
                          "exec asking %s got %s", asks[i] ? asks[i] : "none",
                          got ? got->text : "none");
        }
        static const char *const cwds[] = {"/proc/self/fd/7", "//proc/1/cwd", "tmp", "/proc"};
        for (size_t i = 0; i < sizeof(cwds) / sizeof(*cwds); i++) {
                cleanup_free char *text = NULL;
                cr_assert(asprintf(&text, "{\"args\":[\"x\"],\"cwd\":\"%s\"}", cwds[i]) > 0);
                cleanup_json struct json *d = judge(parse_or_die(text), &err, &rc);
                cr_assert_eq(rc, -1, "cwd %s accepted", cwds[i]);
                cr_assert(strstr(hr_error_msg(&err), "/process/cwd") != NULL, "%s",
                          hr_error_msg(&err));
                hr_error_clear(&err);
        }
}

Test(exec, memfd_handoff_is_sealed_and_above_preserved_fds)
{
        cleanup_free char *path = NULL;
        struct runc_args a;
        struct hr_error err = {0};
        struct handoff h;
        char buf[8192];
        const char *arg = NULL;
        int fd;
        cr_assert(asprintf(&path, "%s/exec-privileged.process.json", FIXTURES_DIR) > 0);
        PARSE(&a, "exec", "--preserve-fds", "5", "--process", path, "-u", "0", NOSTATE);
        cr_assert_eq(harden_exec(&a, &cfg, stdout, &h, &err), 0, "%s", hr_error_msg(&err));
        for (char **v = h.argv; *v; v++) {
                cr_assert_str_neq(*v, path, "the caller's file still reaches runc");
                cr_assert_str_neq(*v, "-u");
                if (strncmp(*v, "--process=/proc/self/fd/", 24) == 0)
                        arg = *v;
        }
        cr_assert_not_null(arg);
        cr_assert_str_eq(h.argv[1], "exec");
        fd = atoi(arg + 24);
        cr_assert_geq(fd, 8, "fd %d is among the preserved 3..7", fd);
        cr_assert_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0, "the runtime must inherit it");
        int seals = fcntl(fd, F_GET_SEALS);
        cr_assert_eq(seals & (F_SEAL_WRITE | F_SEAL_SEAL), F_SEAL_WRITE | F_SEAL_SEAL);
        cr_assert_eq(write(fd, "x", 1), -1, "a sealed memfd took a write");
        int rfd = open(arg + 10, O_RDONLY | O_CLOEXEC);
        ssize_t n = read(rfd, buf, sizeof(buf) - 1);
        cr_assert_gt(n, 0);
        buf[n] = '\0';
        cleanup_json struct json *p = parse_or_die(buf);
        assert_process_hardened(p, "handed-off process");
        close(rfd);
        close(fd);
        handoff_free(&h);
        runc_args_free(&a);
}

/* ---- update ------------------------------------------------------------ */

static struct json *update_stdin(const char *text, struct hr_error *err, int *rc)
{
        struct runc_args a;
        PARSE(&a, "--dry-run=spec", "update", "--resources=-", NOSTATE);
        struct json *j = dry(&a, text, err, rc);
        runc_args_free(&a);
        return j;
}

Test(update, docker_resources_are_clamped)
{
        static const struct {
                const char *fixture;
                const char *ptr[3];
                long long want[3];
        } cases[] = {
            {"update-memory-100m",
             {"/memory/limit", "/memory/swap", "/cpu/quota"},
             {104857600, 104857600, 0}},
            {"update-unlimit-memory-pids",
             {"/memory/limit", "/pids/limit", "/cpu/quota"},
             {0, 4096, 0}},
            {"update-cpus-2", {"/cpu/quota", "/cpu/period", "/memory/limit"}, {200000, 100000, 0}},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
                cleanup_free char *path = NULL;
                struct hr_error err = {0};
                int rc;
                cr_assert(asprintf(&path, "%s/%s.resources.json", FIXTURES_DIR, cases[i].fixture) >
                          0);
                cleanup_free char *text = slurp(path, NULL);
                cleanup_json struct json *r = update_stdin(text, &err, &rc);
                cr_assert_eq(rc, 0, "%s: %s", cases[i].fixture, hr_error_msg(&err));
                /* 0, unchanged, goes: absent means the same to runc, and crun
                 * writes a 0 */
                for (size_t k = 0; k < 3; k++)
                        if (cases[i].want[k] == 0)
                                cr_assert_null(json_pointer_get(r, cases[i].ptr[k]), "%s %s",
                                               cases[i].fixture, cases[i].ptr[k]);
                        else
                                cr_assert_eq(int_at(r, cases[i].ptr[k]), cases[i].want[k], "%s %s",
                                             cases[i].fixture, cases[i].ptr[k]);
        }
}

Test(update, edge_cases)
{
        static const struct {
                const char *in, *ptr, *want; /* want: number lexeme or string; NULL: absent */
        } cases[] = {
            {"{\"memory\":{\"limit\":-1}}", "/memory/limit", "4294967296"},
            {"{\"memory\":{\"limit\":-1}}", "/memory/swap", "4294967296"},
            {"{\"memory\":{\"limit\":8589934592,\"swap\":-1}}", "/memory/limit", "4294967296"},
            {"{\"memory\":{\"swap\":-1}}", "/memory/swap", NULL},
            {"{\"pids\":{\"limit\":0}}", "/pids/limit", NULL},
            /* Docker 20.10's docker update --pids-limit -1: every other field 0 */
            {"{\"memory\":{\"limit\":0,\"reservation\":0,\"kernel\":0},\"cpu\":{\"shares\":0,"
             "\"quota\":0,\"period\":0,\"cpus\":\"\"},\"pids\":{\"limit\":-1},\"blockIO\":{"
             "\"weight\":0}}",
             "/memory/limit", NULL},
            {"{\"memory\":{\"kernel\":0},\"cpu\":{\"quota\":0,\"cpus\":\"\"}}", "/cpu/cpus", NULL},
            {"{\"memory\":{\"kernel\":0},\"cpu\":{\"quota\":0}}", "/memory/kernel", NULL},
            {"{\"memory\":{\"kernel\":0},\"cpu\":{\"quota\":0}}", "/cpu/quota", NULL},
            {"{\"memory\":{\"reservation\":0},\"pids\":{\"limit\":-1}}", "/pids/limit", "4096"},
            {"{\"pids\":{\"limit\":-1}}", "/pids/limit", "4096"},
            {"{\"pids\":{\"limit\":100000}}", "/pids/limit", "4096"},
            {"{\"pids\":{\"limit\":64}}", "/pids/limit", "64"},
            {"{\"cpu\":{\"quota\":-1,\"period\":100000}}", "/cpu/quota", "400000"},
            {"{\"cpu\":{\"quota\":900000}}", "/cpu/period", "100000"},
            {"{\"cpu\":{\"period\":1000}}", "/cpu/quota", "4000"},
            {"{\"unified\":{\"pids.max\":\"max\"}}", "/unified/pids.max", "4096"},
            {"{\"unified\":{\"memory.max\":\"max\"}}", "/unified/memory.max", "4294967296"},
            {"{\"unified\":{\"cpu.max\":\"max 100000\"}}", "/unified/cpu.max", "400000 100000"},
            {"{\"unified\":{\"pids.max\":\"10\"}}", "/unified/pids.max", "10"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
                struct hr_error err = {0};
                int rc;
                cleanup_json struct json *r = update_stdin(cases[i].in, &err, &rc);
                cr_assert_eq(rc, 0, "%s: %s", cases[i].in, hr_error_msg(&err));
                const struct json *v = json_pointer_get(r, cases[i].ptr);
                if (cases[i].want == NULL) {
                        cr_assert_null(v, "%s: %s kept", cases[i].in, cases[i].ptr);
                        continue;
                }
                cr_assert_not_null(v, "%s: %s missing", cases[i].in, cases[i].ptr);
                cr_assert_str_eq(v->text, cases[i].want, "%s %s", cases[i].in, cases[i].ptr);
        }
        static const char *const bad[] = {"{\"memory\":{\"Limit\":-1}}", "[1]", "{} {}",
                                          "{\"unified\":{\"pids.max\":\"lots\"}}",
                                          "{\"pids\":{\"limit\":\"-1\"}}"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                struct hr_error err = {0};
                int rc;
                cleanup_json struct json *r = update_stdin(bad[i], &err, &rc);
                cr_assert_eq(rc, -1, "%s accepted", bad[i]);
                hr_error_clear(&err);
        }
}

static char **update_flags(struct runc_args *a, struct handoff *h)
{
        struct hr_error err = {0};
        cr_assert_eq(harden_update(a, &cfg, -1, stdout, h, &err), 0, "%s", hr_error_msg(&err));
        return h->argv;
}

static bool has_arg(char **v, const char *s)
{
        for (; *v; v++)
                if (strcmp(*v, s) == 0)
                        return true;
        return false;
}

Test(update, flag_form_is_rewritten)
{
        struct runc_args a;
        struct handoff h;
        /* urfave reorders: flags after the id count */
        PARSE(&a, "--root", "/r", "update", NOSTATE, "--memory", "-1", "--pids-limit", "0",
              "--cpu-share", "512");
        char **v = update_flags(&a, &h);
        cr_assert(has_arg(v, "--memory=4294967296"));
        cr_assert(has_arg(v, "--memory-swap=4294967296"));
        cr_assert_not(has_arg(v, "-1"), "the old value stayed");
        cr_assert_not(has_arg(v, "--pids-limit"), "an unchanged 0 is left out");
        cr_assert(has_arg(v, "--cpu-share") && has_arg(v, "512"), "other flags pass through");
        cr_assert_str_eq(v[3], "update");
        handoff_free(&h);
        runc_args_free(&a);

        PARSE(&a, "update", "--memory", "1.5g", "--pids-limit=0x2000", NOSTATE);
        v = update_flags(&a, &h);
        cr_assert(has_arg(v, "--memory=1610612736"));
        cr_assert(has_arg(v, "--pids-limit=4096"), "0x2000 is 8192 to runc: clamped");
        handoff_free(&h);
        runc_args_free(&a);

        static char *bad[][2] = {{"--memory", "1_000"},
                                 {"--memory", "1.2.3m"},
                                 {"--memory", "9999999999g"},
                                 {"--cpu-quota", "0x10"},
                                 {"--pids-limit", "ten"}};
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                struct hr_error err = {0};
                PARSE(&a, "update", bad[i][0], bad[i][1], NOSTATE);
                cr_assert_eq(harden_update(&a, &cfg, -1, stdout, &h, &err), -1, "%s %s", bad[i][0],
                             bad[i][1]);
                cr_assert(strstr(hr_error_msg(&err), bad[i][1]) != NULL, "%s", hr_error_msg(&err));
                hr_error_clear(&err);
                handoff_free(&h);
                runc_args_free(&a);
        }
}

Test(update, json_form_goes_by_memfd)
{
        struct runc_args a;
        struct handoff h;
        struct hr_error err = {0};
        int f = pipe_with("{\"pids\":{\"limit\":-1}}");
        PARSE(&a, "update", "-r", "-", NOSTATE);
        cr_assert_eq(harden_update(&a, &cfg, f, stdout, &h, &err), 0, "%s", hr_error_msg(&err));
        close(f);
        cr_assert_not(has_arg(h.argv, "-"));
        cr_assert_not(has_arg(h.argv, "-r"));
        cr_assert_eq(strncmp(h.argv[2], "--resources=/proc/self/fd/", 26), 0, "%s", h.argv[2]);
        close(atoi(h.argv[2] + 26));
        handoff_free(&h);
        runc_args_free(&a);
}
