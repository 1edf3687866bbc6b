// SPDX-License-Identifier: GPL-2.0-or-later
/* update: new resources for a running container. runc 1.1 reads them from
 * --resources FILE (containerd: "-", stdin; podman: a file) or, without it,
 * from its flags. We read them the same way, clamp them with the resources
 * rule in its update mode, and hand runc the result: as --resources
 * /proc/self/fd/N (a sealed memfd) for the JSON forms, as rewritten flags
 * for the flag form. Every clamp is reported on stderr, where `runc update`
 * shows it; Docker only shows a runtime's output on failure, so there the
 * decision log and the cgroup itself (`docker stats`) tell. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cleanup.h"
#include "gonum.h"
#include "harden.h"

/* The flags the resources rule judges, with where they go in the JSON. */
static const struct {
        const char *flag, *parent, *key;
} judged[] = {
    {"memory", "memory", "limit"},   {"memory-swap", "memory", "swap"},
    {"pids-limit", "pids", "limit"}, {"cpu-quota", "cpu", "quota"},
    {"cpu-period", "cpu", "period"},
};
#define NJUDGED (sizeof(judged) / sizeof(*judged))
static const char *const resources_flag[] = {"resources", NULL};

static int load_json_form(const char *source, int in, struct json **out, struct hr_error *err)
{
        const char *display = strcmp(source, "-") == 0 ? "resources on stdin" : source;
        if (strcmp(source, "-") == 0) {
                cleanup_free char *buf = NULL;
                size_t len = 0;
                if (fd_read_all(in, JSON_MAX_SIZE, &buf, &len, err) < 0 ||
                    json_parse(buf, len, out, err) < 0)
                        return hr_error_prefix(err, "%s", display);
        } else if (json_load_path(source, JSON_OCI, out, err) < 0) {
                return -1;
        }
        if ((*out)->type != JSON_OBJECT)
                return hr_fail_at(err, display, "", "expected an object");
        return 0;
}

/* One flag's value as runc reads it. */
static int flag_value(const char *flag, const char *text, long long *v, struct hr_error *err)
{
        unsigned long long u;
        int rc;
        if (strcmp(flag, "memory") == 0 || strcmp(flag, "memory-swap") == 0)
                rc = strcmp(text, "-1") == 0 ? (*v = -1, 0) : go_ram_in_bytes(text, v);
        else if (strcmp(flag, "pids-limit") == 0)
                rc = go_parse_int0(text, v);
        else if (strcmp(flag, "cpu-quota") == 0)
                rc = go_atoi(text, v);
        else
                rc = go_parse_uint(text, &u) < 0 || u > LLONG_MAX ? -1 : (*v = (long long)u, 0);
        if (rc < 0)
                return hr_fail(err, "update --%s %s: not a value runc reads (or we can judge)",
                               flag, text);
        return 0;
}

/* The flag form as the resources object runc builds from it (0: unchanged). */
static int load_flag_form(const struct runc_args *a, struct json **out, struct hr_error *err)
{
        cleanup_json struct json *r = json_new(JSON_OBJECT);
        if (r == NULL)
                return hr_fail(err, "out of memory");
        for (size_t i = 0; i < NJUDGED; i++) {
                const struct flag_use *u = runc_args_last(a, judged[i].flag);
                struct json *parent;
                long long v = 0;
                if (u != NULL && u->value[0] != '\0' &&
                    flag_value(judged[i].flag, u->value, &v, err) < 0)
                        return -1;
                if ((parent = json_obj_get(r, judged[i].parent)) == NULL &&
                    json_obj_set(r, judged[i].parent, json_new(JSON_OBJECT), err) < 0)
                        return -1;
                parent = json_obj_get(r, judged[i].parent);
                if (json_obj_set(parent, judged[i].key, json_new_int64(v), err) < 0)
                        return -1;
        }
        *out = steal_pointer(&r);
        return 0;
}

static bool json_form(const struct runc_args *a)
{
        return a->resources != NULL && a->resources[0] != '\0';
}

/* Flag form: the judged flags are replaced by their clamped values (an
 * unchanged 0 is simply left out, as runc reads a missing flag). */
static int hand_off_flags(const struct runc_args *a, const struct json *r, struct handoff *h,
                          struct hr_error *err)
{
        const char *drop[NJUDGED + 1] = {NULL};
        for (size_t i = 0; i < NJUDGED; i++) {
                const struct json *j =
                    json_obj_get(json_obj_get(r, judged[i].parent), judged[i].key);
                long long v;
                drop[i] = judged[i].flag;
                if (j == NULL)
                        continue; /* unchanged */
                if (json_int64(j, &v) < 0)
                        return hr_fail(err,
                                       "internal error: /linux/resources/%s/%s is not an integer",
                                       judged[i].parent, judged[i].key);
                if (v != 0 && handoff_arg(h, err, "--%s=%lld", judged[i].flag, v) < 0)
                        return -1;
        }
        h->argv = runc_args_rebuild(a, drop, h->made);
        return h->argv ? 0 : hr_fail(err, "out of memory");
}

static void tell_clamps(const struct harden_job *j)
{
        for (size_t i = 0; i < j->report.n; i++) {
                const struct change *c = &j->report.items[i];
                fprintf(stderr, "hardened-runc: update %s: %s %s: %s -> %s (%s)\n",
                        j->args->container_id, change_kind_name(c->kind), c->pointer, c->before,
                        c->after, c->reason);
        }
}

int harden_update(const struct runc_args *a, const struct hr_config *cfg, int in, FILE *out,
                  struct handoff *h, struct hr_error *err)
{
        struct harden_job job = {.verb = "update",
                                 .args = a,
                                 .cfg = cfg,
                                 .name = "resources.json",
                                 .root = "/linux/resources",
                                 .scope = SCOPE_UPDATE};
        cleanup_json struct json *r = NULL;
        const struct json *judged_r;
        int rc;
        memset(h, 0, sizeof(*h));
        if (harden_job_start(&job, err) < 0)
                return harden_job_end(&job, -1, err);
        rc = json_form(a) ? load_json_form(a->resources, in, &r, err) : load_flag_form(a, &r, err);
        if (rc < 0) {
                hr_error_prefix(err, "update of %s", a->container_id);
                return harden_job_end(&job, -1, err);
        }
        rc = harden_job_run(
            &job,
            json_object_of("linux", json_object_of("resources", steal_pointer(&r), NULL), NULL),
            out, err);
        judged_r = json_pointer_get(job.doc, "/linux/resources");
        if (rc == 0 && a->dry_run == DRY_RUN_OFF) {
                tell_clamps(&job);
                rc = json_form(a)
                         ? handoff_document(a, judged_r, "resources", 3, resources_flag, h, err)
                         : hand_off_flags(a, judged_r, h, err);
        }
        return harden_job_end(&job, rc, err);
}
