// SPDX-License-Identifier: GPL-2.0-or-later
/* exec: the process runc will start in a running container. With --process
 * FILE runc reads the whole process from FILE; without it runc re-reads the
 * bundle's config.json process and applies its exec flags over it. Either
 * way we build that same process here, judge it with the process-level
 * rules, and hand runc the result as --process /proc/self/fd/N, dropping
 * the flags it replaces. The caller's file is never written: it may still
 * hold it open. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cleanup.h"
#include "gonum.h"
#include "harden.h"
#include "pipeline.h"
#include "runtime.h"
#include "state.h"

/* The exec flags whose effect the process file carries. */
static const char *const replaced_flags[] = {
    "process",      "cwd", "env",      "tty",           "user", "additional-gids",
    "no-new-privs", "cap", "apparmor", "process-label", NULL};

static int set_string(struct json *p, const char *key, const char *value, struct hr_error *err)
{
        struct json *v = json_new_string(value);
        return v ? json_obj_set(p, key, v, err) : hr_fail(err, "out of memory");
}

/* Exec's string flags: the last non-empty value replaces the process's. */
static int apply_strings(struct json *p, const struct runc_args *a, struct hr_error *err)
{
        static const struct {
                const char *flag, *key;
        } map[] = {
            {"cwd", "cwd"}, {"apparmor", "apparmorProfile"}, {"process-label", "selinuxLabel"}};
        for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
                const struct flag_use *u = runc_args_last(a, map[i].flag);
                if (u != NULL && u->value[0] != '\0' &&
                    set_string(p, map[i].key, u->value, err) < 0)
                        return -1;
        }
        return 0;
}

static struct json *array_at(struct json *obj, const char *key, struct hr_error *err)
{
        struct json *arr = json_obj_get(obj, key);
        if (arr == NULL || arr->type == JSON_NULL) {
                arr = json_new(JSON_ARRAY);
                if (arr == NULL || json_obj_set(obj, key, arr, err) < 0)
                        return hr_fail(err, "out of memory"), NULL;
        }
        if (arr->type != JSON_ARRAY)
                return hr_fail(err, "process/%s: expected an array", key), NULL;
        return arr;
}

static int append_string(struct json *obj, const char *key, const char *s, struct hr_error *err)
{
        struct json *arr = array_at(obj, key, err);
        return arr ? json_array_append(arr, json_new_string(s), err) : -1;
}

/* --cap adds to bounding, effective and permitted, and to ambient when the
 * process has an inheritable set (runc 1.1 getProcess). */
static int apply_caps(struct json *p, const struct runc_args *a, struct hr_error *err)
{
        static const char *const sets[] = {"bounding", "effective", "permitted"};
        for (size_t i = 0; i < a->nuses; i++) {
                const struct flag_use *u = &a->uses[i];
                struct json *caps;
                if (strcmp(u->name, "cap") != 0)
                        continue;
                caps = json_obj_get(p, "capabilities");
                if (caps == NULL && json_obj_set(p, "capabilities", json_new(JSON_OBJECT), err) < 0)
                        return -1;
                caps = json_obj_get(p, "capabilities");
                if (caps->type != JSON_OBJECT)
                        return hr_fail(err, "process/capabilities: expected an object");
                for (size_t s = 0; s < sizeof(sets) / sizeof(*sets); s++)
                        if (append_string(caps, sets[s], u->value, err) < 0)
                                return -1;
                if (json_obj_get(caps, "inheritable") != NULL &&
                    json_obj_get(caps, "inheritable")->type != JSON_NULL &&
                    append_string(caps, "ambient", u->value, err) < 0)
                        return -1;
        }
        return 0;
}

static int apply_env(struct json *p, const struct runc_args *a, struct hr_error *err)
{
        for (size_t i = 0; i < a->nuses; i++)
                if (strcmp(a->uses[i].name, "env") == 0 &&
                    append_string(p, "env", a->uses[i].value, err) < 0)
                        return -1;
        return 0;
}

static struct json *user_object(struct json *p, struct hr_error *err)
{
        struct json *user = json_obj_get(p, "user");
        if (user == NULL && json_obj_set(p, "user", json_new(JSON_OBJECT), err) < 0)
                return NULL;
        user = json_obj_get(p, "user");
        if (user->type != JSON_OBJECT)
                return hr_fail(err, "process/user: expected an object"), NULL;
        return user;
}

/* runc: uid and gid through strconv.Atoi, then uint32(): "-u 4294967296"
 * is uid 0, and so it is here. */
static int apply_user(struct json *p, const struct runc_args *a, struct hr_error *err)
{
        const struct flag_use *u = runc_args_last(a, "user");
        cleanup_free char *spec = NULL;
        struct json *user;
        char *colon;
        long long uid, gid;
        if (u == NULL || u->value[0] == '\0')
                return 0;
        if ((spec = strdup(u->value)) == NULL)
                return hr_fail(err, "out of memory");
        if ((colon = strchr(spec, ':')) != NULL)
                *colon++ = '\0';
        if (go_atoi(spec, &uid) < 0 || (colon != NULL && go_atoi(colon, &gid) < 0))
                return hr_fail(
                    err, "exec --user %s: not UID[:GID] in numbers (runc would refuse it too)",
                    u->value);
        if ((user = user_object(p, err)) == NULL)
                return -1;
        if (colon != NULL &&
            json_obj_set(user, "gid", json_new_int64((long long)(unsigned)gid), err) < 0)
                return -1;
        return json_obj_set(user, "uid", json_new_int64((long long)(unsigned)uid), err);
}

/* --additional-gids: int64 flags (base 0), negative refused, then uint32(). */
static int apply_gids(struct json *p, const struct runc_args *a, struct hr_error *err)
{
        for (size_t i = 0; i < a->nuses; i++) {
                const struct flag_use *u = &a->uses[i];
                struct json *user, *gids;
                long long g;
                if (strcmp(u->name, "additional-gids") != 0)
                        continue;
                if (go_parse_int0(u->value, &g) < 0 || g < 0)
                        return hr_fail(err, "exec --additional-gids %s: not a group id", u->value);
                if ((user = user_object(p, err)) == NULL ||
                    (gids = array_at(user, "additionalGids", err)) == NULL)
                        return -1;
                if (json_array_append(gids, json_new_int64((long long)(unsigned)g), err) < 0)
                        return -1;
        }
        return 0;
}

/* The command: what follows the container id. */
static int apply_args(struct json *p, const struct runc_args *a, struct hr_error *err)
{
        struct json *args = json_new(JSON_ARRAY);
        if (args == NULL)
                return hr_fail(err, "out of memory");
        for (int i = a->positional + 1; i < a->argc; i++)
                if (json_array_append(args, json_new_string(a->argv[i]), err) < 0) {
                        json_free(args);
                        return -1;
                }
        if (args->n == 0) {
                json_free(args);
                return hr_fail(err,
                               "exec: process args cannot be empty (runc would refuse it too)");
        }
        return json_obj_set(p, "args", args, err);
}

/* runc 1.1 getProcess without --process, step by step. */
static int apply_exec_flags(struct json *p, const struct runc_args *a, struct hr_error *err)
{
        if (apply_args(p, a, err) < 0 || apply_strings(p, a, err) < 0 ||
            apply_caps(p, a, err) < 0 || apply_env(p, a, err) < 0)
                return -1;
        if (json_obj_set(p, "terminal", json_new_bool(runc_args_bool(a, "tty", false)), err) < 0)
                return -1;
        if (runc_args_last(a, "no-new-privs") != NULL &&
            json_obj_set(p, "noNewPrivileges",
                         json_new_bool(runc_args_bool(a, "no-new-privs", true)), err) < 0)
                return -1;
        return apply_user(p, a, err) < 0 ? -1 : apply_gids(p, a, err);
}

int exec_process_from_bundle(const struct runc_args *a, const char *bundle, struct json **out,
                             struct hr_error *err)
{
        cleanup_close int dirfd = -1;
        cleanup_free char *display = NULL;
        cleanup_json struct json *spec = NULL;
        struct json *p;
        if (asprintf(&display, "%s/config.json", bundle) < 0) {
                display = NULL;
                return hr_fail(err, "out of memory");
        }
        if ((dirfd = bundle_open_dir(bundle, err)) < 0 ||
            json_load_at(dirfd, "config.json", display, JSON_OCI, &spec, NULL, err) < 0)
                return -1;
        p = json_obj_get(spec, "process");
        if (spec->type != JSON_OBJECT || p == NULL || p->type != JSON_OBJECT)
                return hr_fail_at(err, display, "/process", "expected an object");
        if ((*out = json_dup(p)) == NULL)
                return hr_fail(err, "out of memory");
        if (apply_exec_flags(*out, a, err) == 0)
                return 0;
        json_free(*out);
        *out = NULL;
        return -1;
}

/* The runtime's state of the container: an object, the caller's. */
static int runtime_state(const struct runc_args *a, const struct hr_config *cfg, struct json **st,
                         struct hr_error *err)
{
        char *tail[] = {"state", (char *)a->container_id, NULL};
        cleanup_free char **argv = runc_args_with_globals(a, tail);
        cleanup_free char *text = NULL;
        if (argv == NULL)
                return hr_fail(err, "out of memory");
        if (runtime_capture(cfg->runtime, argv, JSON_MAX_SIZE, &text, err) < 0 ||
            json_parse_own(text, strlen(text), st, err) < 0)
                return hr_error_prefix(err, "the runtime's state of %s", a->container_id);
        if ((*st)->type != JSON_OBJECT)
                return hr_fail(err, "the runtime's state of %s: not an object", a->container_id);
        return 0;
}

int container_init_pid(const struct runc_args *a, const struct hr_config *cfg, long long *pid,
                       struct hr_error *err)
{
        cleanup_json struct json *st = NULL;
        unsigned long long v;
        if (runtime_state(a, cfg, &st, err) < 0)
                return -1;
        if (json_uint64(json_obj_get(st, "pid"), &v) < 0 || v == 0 || v > 4194304)
                return hr_fail(err, "the runtime's state of %s has no init pid", a->container_id);
        *pid = (long long)v;
        return 0;
}

/* The namespaces create entered for the container (nsenter.h), as its init
 * process has them now: still the inodes judged, or the exec is refused. */
static int enter_for_exec(const struct runc_args *a, const struct hr_config *cfg,
                          const struct container_state *cs, struct ns_enter *e,
                          struct hr_error *err)
{
        static const char *const proc_names[] = {"net", "ipc", "uts"};
        long long pid;
        if (cs->nenter == 0)
                return 0;
        if (container_init_pid(a, cfg, &pid, err) < 0)
                return -1;
        for (size_t i = 0; i < cs->nenter; i++) {
                char path[64];
                int n = cs->enter[i].nstype == CLONE_NEWNET   ? 0
                        : cs->enter[i].nstype == CLONE_NEWIPC ? 1
                                                              : 2;
                snprintf(path, sizeof(path), "/proc/%lld/ns/%s", pid, proc_names[n]);
                if (ns_enter_add(e, cs->enter[i].nstype, path, cs->enter[i].dev, cs->enter[i].ino,
                                 err) < 0)
                        return hr_error_prefix(err, "exec in %s", a->container_id);
        }
        return 0;
}

/* A container created without us has no state: its bundle is what the
 * runtime reports, as runc itself finds it for exec. */
static int runtime_bundle(const struct runc_args *a, const struct hr_config *cfg, char **bundle,
                          struct hr_error *err)
{
        cleanup_json struct json *st = NULL;
        const struct json *b;
        if (runtime_state(a, cfg, &st, err) < 0)
                return hr_error_prefix(err, "find the bundle of %s", a->container_id);
        b = json_obj_get(st, "bundle");
        if (b == NULL || b->type != JSON_STRING || b->text[0] != '/')
                return hr_fail(err, "find the bundle of %s: the runtime's state has no bundle",
                               a->container_id);
        *bundle = strdup(b->text);
        return *bundle ? 0 : hr_fail(err, "out of memory");
}

static int load_process(const struct runc_args *a, const struct hr_config *cfg,
                        const struct container_state *st, struct json **out, struct hr_error *err)
{
        cleanup_free char *bundle = NULL;
        if (a->process != NULL && a->process[0] != '\0') {
                if (json_load_path(a->process, JSON_OCI, out, err) < 0)
                        return -1;
                if ((*out)->type != JSON_OBJECT)
                        return hr_fail_at(err, a->process, "", "expected an object");
                return 0;
        }
        if (st->bundle != NULL)
                return exec_process_from_bundle(a, st->bundle, out, err);
        if (runtime_bundle(a, cfg, &bundle, err) < 0)
                return -1;
        return exec_process_from_bundle(a, bundle, out, err);
}

/* --preserve-fds N passes fds 3..3+N-1 on: our memfd goes above them. */
static int first_free_fd(const struct runc_args *a, int *min_fd, struct hr_error *err)
{
        const struct flag_use *u = runc_args_last(a, "preserve-fds");
        long long n = 0;
        if (u != NULL && (go_parse_int0(u->value, &n) < 0 || n < 0 || n > 65536))
                return hr_fail(err, "exec --preserve-fds %s: not a descriptor count", u->value);
        *min_fd = 3 + (int)n;
        return 0;
}

int harden_exec(const struct runc_args *a, const struct hr_config *cfg, FILE *out,
                struct handoff *h, struct hr_error *err)
{
        struct harden_job job = {.verb = "exec",
                                 .args = a,
                                 .cfg = cfg,
                                 .name = "process.json",
                                 .root = "/process",
                                 .scope = SCOPE_EXEC};
        cleanup_json struct json *process = NULL;
        int rc, min_fd = 3;
        memset(h, 0, sizeof(*h));
        if (harden_job_start(&job, err) < 0)
                return harden_job_end(&job, -1, err);
        if (load_process(a, cfg, &job.state, &process, err) < 0) {
                hr_error_prefix(err, "exec in %s", a->container_id);
                return harden_job_end(&job, -1, err);
        }
        rc = harden_job_run(&job, json_object_of("process", steal_pointer(&process), NULL), out,
                            err);
        if (rc == 0 && a->dry_run == DRY_RUN_OFF)
                rc = first_free_fd(a, &min_fd, err) < 0
                         ? -1
                         : handoff_document(a, json_obj_get(job.doc, "process"), "process", min_fd,
                                            replaced_flags, h, err);
        if (rc == 0 && a->dry_run == DRY_RUN_OFF)
                rc = enter_for_exec(a, cfg, &job.state, &h->enter, err);
        return harden_job_end(&job, rc, err);
}
