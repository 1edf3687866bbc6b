// SPDX-License-Identifier: GPL-2.0-or-later
/* check: the pipeline of create over a copy of the spec, with a probe that
 * knows nothing of the host, and its report read as findings. */
#define _GNU_SOURCE
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "check.h"
#include "cleanup.h"
#include "controls.h"
#include "gonum.h"
#include "harden.h"
#include "pipeline.h"
#include "plan.h"
#include "probe.h"
#include "report.h"
#include "rootless.h"
#include "runtime.h"
#include "staging.h"
#include "state.h"

enum check_format { FORMAT_TEXT, FORMAT_JSON };

/* One spec's verdict. */
struct verdict {
        struct report report;
        char *profile; /* the profile's name */
        char *id;      /* the container id the rules were given */
};

static void verdict_free(struct verdict *v)
{
        report_free(&v->report);
        free(v->profile);
        free(v->id);
        memset(v, 0, sizeof(*v));
}

static bool is_finding(enum change_kind k)
{
        return k == CHANGE_REWRITE || k == CHANGE_REFUSE || k == CHANGE_WARN;
}

static size_t finding_count(const struct verdict *v)
{
        size_t n = 0;
        for (size_t i = 0; i < v->report.n; i++)
                n += is_finding(v->report.items[i].kind);
        return n;
}

/* The id dockerd, containerd and podman give a container is the last part
 * of its cgroupsPath ("/docker/ID", "slice:prefix:ID"): what the cgroups
 * and hooks rules compare with the id when the check is given none. */
static char *id_from_spec(const struct json *spec)
{
        const struct json *p = json_pointer_get(spec, "/linux/cgroupsPath");
        const char *cut;
        if (p == NULL || p->type != JSON_STRING || p->len == 0)
                return NULL;
        cut = strrchr(p->text, strchr(p->text, ':') != NULL ? ':' : '/');
        cut = cut != NULL ? cut + 1 : p->text;
        return container_id_safe(cut) ? strdup(cut) : NULL;
}

/* The container id the rules get: the one given, or the spec's own, noted
 * as assumed (create compares it with the id runc is given). */
static int choose_id(const char *given, const struct json *spec, struct verdict *v,
                     struct hr_error *err)
{
        if (given != NULL) {
                v->id = strdup(given);
                return v->id != NULL ? 0 : hr_fail(err, "out of memory");
        }
        if ((v->id = id_from_spec(spec)) == NULL) {
                v->id = strdup("check");
                return v->id != NULL ? 0 : hr_fail(err, "out of memory");
        }
        cleanup_json struct json *shown = json_new_string(v->id);
        return report_add(&v->report, CHANGE_DEFER, "check", "/linux/cgroupsPath", shown, shown,
                          "the container id is taken to be the last part of cgroupsPath; "
                          "create compares it with the id runc is given",
                          err);
}

/* The profile: the one the container was created with (recorded), else
 * what the spec's annotation may pick, else --profile, else the default.
 * An annotation asking for a profile the admin did not list is a finding:
 * create refuses it. */
static int choose_profile(const struct hr_config *cfg, const char *flag, const char *recorded,
                          const struct json *spec, struct verdict *v, struct hr_profile *p,
                          struct hr_error *err)
{
        const char *selector = recorded;
        struct hr_error refused = {0};
        if (selector == NULL && harden_choose_profile(cfg, flag, spec, &selector, &refused) < 0) {
                int rc = report_add(
                    &v->report, CHANGE_REFUSE, "profile", "/annotations/" PROFILE_ANNOTATION,
                    json_obj_get(json_obj_get(spec, "annotations"), PROFILE_ANNOTATION), NULL,
                    hr_error_msg(&refused), err);
                hr_error_clear(&refused);
                if (rc < 0)
                        return -1;
                selector = flag;
        }
        if (profile_load(cfg, selector, p, err) < 0)
                return -1;
        v->profile = strdup(p->name);
        return v->profile != NULL ? 0 : hr_fail(err, "out of memory");
}

/* Judge spec (changed in place: the caller's copy) as create would, from
 * the spec alone. Only an error that is not a refusal fails. */
static int judge(const struct hr_config *cfg, const char *flag, const char *recorded,
                 const char *root, const char *own_dir, const char *bundle, const char *id,
                 struct json *spec, struct verdict *v, struct hr_error *err)
{
        struct hr_profile profile = {0};
        struct staging_plan plan = {0};
        struct probe blind;
        cleanup_free char *dir = NULL;
        struct hr_error judged = {0};
        int rc;
        if (choose_id(id, spec, v, err) < 0 ||
            choose_profile(cfg, flag, recorded, spec, v, &profile, err) < 0)
                return -1;
        if (own_dir != NULL)
                dir = strdup(own_dir);
        else
                dir = container_dir(root, v->id, err);
        if (dir == NULL) {
                profile_free(&profile);
                return -1;
        }
        struct pipeline_env env = {.bundle = bundle,
                                   .container_id = v->id,
                                   .container_dir = dir,
                                   .staging = &plan,
                                   .probe = &blind,
                                   .scope = SCOPE_CREATE,
                                   .hooks = &cfg->hooks};
        probe_init(&blind, PROBE_BLIND);
        rc = pipeline_run(spec, &env, profile.actions, &profile.params, &v->report, &judged);
        probe_free(&blind);
        staging_plan_free(&plan);
        profile_free(&profile);
        /* a refusal is a finding; anything else (out of memory) is not */
        if (rc < 0 && report_count(&v->report, CHANGE_REFUSE) == 0) {
                *err = judged;
                return -1;
        }
        hr_error_clear(&judged);
        return 0;
}

/* ---- output ------------------------------------------------------------ */

static const char *finding_kind(enum change_kind k)
{
        switch (k) {
        case CHANGE_REWRITE:
                return "would change";
        case CHANGE_REFUSE:
                return "would refuse";
        case CHANGE_WARN:
                return "warning";
        case CHANGE_KEEP:
                return "kept";
        case CHANGE_DEFER:
                return "not judged here";
        }
        return "?";
}

static void print_control(FILE *out, const struct change *c)
{
        const struct control *ctl = control_for(c->rule, c->pointer, c->before, c->reason);
        if (ctl == NULL)
                return;
        if (ctl->cis != NULL)
                fprintf(out, "      CIS:    %s %s: %s\n", CIS_BENCHMARK, ctl->cis, ctl->cis_title);
        if (ctl->pss != NULL)
                fprintf(out, "      PSS:    %s: %s\n", PSS_NAME, ctl->pss);
}

static void print_text(FILE *out, const char *label, const struct verdict *v)
{
        size_t n = finding_count(v);
        bool deferred = false;
        fprintf(out, "%s: profile %s: %s", label, v->profile ? v->profile : "(none)",
                n == 0 ? "compliant" : "not compliant");
        if (n > 0)
                fprintf(out, ", %zu finding%s", n, n == 1 ? "" : "s");
        if (report_count(&v->report, CHANGE_REFUSE) > 0)
                fprintf(out, " (create would refuse it: %zu)",
                        report_count(&v->report, CHANGE_REFUSE));
        fputc('\n', out);
        for (size_t i = 0; i < v->report.n; i++) {
                const struct change *c = &v->report.items[i];
                if (!is_finding(c->kind)) {
                        deferred |= c->kind == CHANGE_DEFER;
                        continue;
                }
                fprintf(out, "  %s %s (%s)\n", c->rule, c->pointer, finding_kind(c->kind));
                fprintf(out, "      value:  %s\n      wanted: %s\n      why:    %s\n", c->before,
                        c->after, c->reason);
                print_control(out, c);
        }
        if (!deferred)
                return;
        fprintf(out, "  not judged from the spec alone (create judges them on the host):\n");
        for (size_t i = 0; i < v->report.n; i++) {
                const struct change *c = &v->report.items[i];
                if (c->kind == CHANGE_DEFER)
                        fprintf(out, "    %s %s: %s -- %s\n", c->rule, c->pointer, c->before,
                                c->reason);
        }
}

static int set_str(struct json *o, const char *k, const char *v, struct hr_error *err)
{
        return json_obj_set(o, k, v != NULL ? json_new_string(v) : json_new(JSON_NULL), err);
}

static struct json *finding_json(const struct change *c, struct hr_error *err)
{
        const struct control *ctl = control_for(c->rule, c->pointer, c->before, c->reason);
        struct json *o = json_new(JSON_OBJECT);
        int rc = o != NULL ? 0 : hr_fail(err, "out of memory");
        rc = rc ?: set_str(o, "rule", c->rule, err);
        rc = rc ?: set_str(o, "pointer", c->pointer, err);
        rc = rc ?: set_str(o, "kind", finding_kind(c->kind), err);
        rc = rc ?: set_str(o, "value", c->before, err);
        rc = rc ?: set_str(o, "wanted", c->after, err);
        rc = rc ?: set_str(o, "reason", c->reason, err);
        if (is_finding(c->kind)) {
                rc = rc ?: set_str(o, "cis", ctl ? ctl->cis : NULL, err);
                rc = rc ?: set_str(o, "cisTitle", ctl ? ctl->cis_title : NULL, err);
                rc = rc ?: set_str(o, "pss", ctl ? ctl->pss : NULL, err);
        }
        if (rc < 0) {
                json_free(o);
                return NULL;
        }
        return o;
}

/* {"spec": label, "profile", "compliant", "findings": [...], "notJudged": [...]} */
static struct json *verdict_json(const char *label, const struct verdict *v, struct hr_error *err)
{
        struct json *o = json_new(JSON_OBJECT);
        struct json *found = json_new(JSON_ARRAY);
        struct json *later = json_new(JSON_ARRAY);
        int rc = o && found && later ? 0 : hr_fail(err, "out of memory");
        rc = rc ?: set_str(o, "spec", label, err);
        rc = rc ?: set_str(o, "profile", v->profile, err);
        rc = rc ?: json_obj_set(o, "compliant", json_new_bool(finding_count(v) == 0), err);
        for (size_t i = 0; rc == 0 && i < v->report.n; i++) {
                const struct change *c = &v->report.items[i];
                if (is_finding(c->kind))
                        rc = json_array_append(found, finding_json(c, err), err);
                else if (c->kind == CHANGE_DEFER)
                        rc = json_array_append(later, finding_json(c, err), err);
        }
        if (rc == 0 && json_obj_set(o, "findings", found, err) == 0) {
                found = NULL;
                if (json_obj_set(o, "notJudged", later, err) == 0)
                        later = NULL;
                else
                        rc = -1;
        } else {
                rc = -1;
        }
        json_free(found);
        json_free(later);
        if (rc < 0) {
                json_free(o);
                return NULL;
        }
        return o;
}

static int emit_json(FILE *out, const struct json *doc, struct hr_error *err)
{
        cleanup_free char *text = NULL;
        if (json_emit(doc, true, &text, NULL, err) < 0)
                return -1;
        fputs(text, out);
        return 0;
}

/* ---- what to check ----------------------------------------------------- */

struct check_opts {
        const struct runc_args *a;
        const struct hr_config *cfg;
        enum check_format format;
        FILE *out;
};

static int parse_opts(const struct runc_args *a, const struct hr_config *cfg, FILE *out,
                      struct check_opts *o, struct hr_error *err)
{
        const struct flag_use *f = runc_args_last(a, "format");
        const struct flag_use *b = runc_args_last(a, "bundle");
        bool running = runc_args_bool(a, "running", false);
        int given = (a->container_id != NULL) + (b != NULL) + running;
        *o = (struct check_opts){a, cfg, FORMAT_TEXT, out};
        const struct flag_use *id = runc_args_last(a, "id");
        if (id != NULL && !container_id_safe(id->value))
                return hr_fail(err, "check --id %s: not a container id", id->value);
        if (f != NULL && strcmp(f->value, "json") == 0)
                o->format = FORMAT_JSON;
        else if (f != NULL && strcmp(f->value, "text") != 0)
                return hr_fail(err, "check --format %s: expected text or json", f->value);
        if (given != 1)
                return hr_fail(err,
                               "check: give one of FILE, - (stdin), --bundle DIR or --running%s",
                               given > 1 ? ", not several" : "");
        return 0;
}

/* The spec of FILE, "-" (in) or DIR/config.json, and the directory its
 * relative paths start from. */
static int load_target(const struct check_opts *o, int in, struct json **spec, char **label,
                       char **bundle, struct hr_error *err)
{
        const struct flag_use *b = runc_args_last(o->a, "bundle");
        const char *file = o->a->container_id;
        cleanup_free char *text = NULL;
        cleanup_free char *copy = NULL;
        size_t len;
        if (b != NULL) {
                cleanup_close int dirfd = bundle_open_dir(b->value, err);
                if (asprintf(label, "%s/config.json", b->value) < 0)
                        return *label = NULL, hr_fail(err, "out of memory");
                if (dirfd < 0 ||
                    json_load_at(dirfd, "config.json", *label, JSON_OCI, spec, NULL, err) < 0)
                        return -1;
                *bundle = strdup(b->value);
        } else if (strcmp(file, "-") == 0) {
                *label = strdup("(stdin)");
                if (fd_read_all(in, JSON_MAX_SIZE, &text, &len, err) < 0 ||
                    json_parse(text, len, spec, err) < 0)
                        return hr_error_prefix(err, "the spec on stdin");
                *bundle = strdup(".");
        } else {
                *label = strdup(file);
                if (json_load_path(file, JSON_OCI, spec, err) < 0)
                        return -1;
                if ((copy = strdup(file)) == NULL)
                        return hr_fail(err, "out of memory");
                *bundle = strdup(dirname(copy));
        }
        if (*label == NULL || *bundle == NULL)
                return hr_fail(err, "out of memory");
        if ((*spec)->type != JSON_OBJECT)
                return hr_fail(err, "%s: expected an object, found %s", *label,
                               json_type_name((*spec)->type));
        return 0;
}

/* The container id, when the spec's cgroupsPath does not give it: --id,
 * else the bundle directory's name (containerd and dockerd name a task's
 * bundle after the container). */
static const char *given_id(const struct check_opts *o, const struct json *spec)
{
        const struct flag_use *id = runc_args_last(o->a, "id");
        const struct flag_use *b = runc_args_last(o->a, "bundle");
        const struct json *cg = json_pointer_get(spec, "/linux/cgroupsPath");
        const char *base;
        if (id != NULL)
                return id->value;
        if (b == NULL || (cg != NULL && cg->type == JSON_STRING && cg->len > 0))
                return NULL;
        base = strrchr(b->value, '/');
        base = base != NULL && base[1] != '\0' ? base + 1 : b->value;
        return container_id_safe(base) ? base : NULL;
}

/* A bundle create rewrote names its own staging: root.path is
 * STAGING/ROOT/ID/rootfs, and the state there records this bundle. Then
 * that directory (its staged paths are the container's own) and the
 * profile it was created with judge it. 1 when found, 0 when not. */
static int created_through_us(const struct json *spec, const char *bundle, char **dir,
                              struct container_state *st)
{
        const struct json *p = json_pointer_get(spec, "/root/path");
        struct hr_error ignored = {0};
        const char *base = staging_root(&ignored);
        cleanup_free char *real = realpath(bundle, NULL);
        size_t nb, np;
        const char *rest, *slash;
        hr_error_clear(&ignored);
        if (p == NULL || p->type != JSON_STRING || base == NULL || real == NULL)
                return 0;
        nb = strlen(base);
        np = strlen(p->text);
        if (strncmp(p->text, base, nb) != 0 || p->text[nb] != '/' || np < nb + 8 ||
            strcmp(p->text + np - 7, "/rootfs") != 0)
                return 0;
        /* exactly ROOT/ID between them: one component each, neither "." nor
         * "..", so the directory is one of the staging root's own */
        rest = p->text + nb + 1;
        if ((slash = strchr(rest, '/')) == NULL || slash == rest ||
            (rest[0] == '.' && (slash == rest + 1 || (rest[1] == '.' && slash == rest + 2))))
                return 0;
        cleanup_free char *id = strndup(slash + 1, (size_t)(p->text + np - 7 - (slash + 1)));
        if (id == NULL || !container_id_safe(id) || strchr(id, '/') != NULL ||
            (*dir = strndup(p->text, np - 7)) == NULL)
                return 0;
        if (state_load(*dir, st, &ignored) == 1 && st->bundle != NULL &&
            strcmp(st->bundle, real) == 0)
                return 1;
        hr_error_clear(&ignored);
        state_free(st);
        free(*dir);
        *dir = NULL;
        return 0;
}

static int check_one(const struct check_opts *o, int in, struct hr_error *err)
{
        cleanup_json struct json *spec = NULL;
        cleanup_json struct json *doc = NULL;
        cleanup_free char *label = NULL;
        cleanup_free char *bundle = NULL;
        cleanup_free char *dir = NULL;
        struct container_state st = {0};
        struct verdict v = {0};
        int rc, ours;
        if (load_target(o, in, &spec, &label, &bundle, err) < 0)
                return -1;
        ours = created_through_us(spec, bundle, &dir, &st);
        rc = judge(o->cfg, o->a->profile, ours ? st.profile : NULL, o->a->root, dir, bundle,
                   ours ? strrchr(dir, '/') + 1 : given_id(o, spec), spec, &v, err);
        state_free(&st);
        if (rc < 0) {
                verdict_free(&v);
                return -1;
        }
        if (o->format == FORMAT_TEXT) {
                print_text(o->out, label, &v);
        } else {
                doc = verdict_json(label, &v, err);
                rc = doc != NULL && json_obj_set(doc, "benchmark", json_new_string(CIS_BENCHMARK),
                                                 err) == 0
                         ? emit_json(o->out, doc, err)
                         : -1;
        }
        if (rc == 0)
                rc = finding_count(&v) == 0 ? 0 : 1;
        verdict_free(&v);
        return rc;
}

/* ---- --running ------------------------------------------------------------ */

/* The runtime's containers: its `list --format json` (an array, or null). */
static int runtime_list(const struct check_opts *o, struct json **list, struct hr_error *err)
{
        char *tail[] = {"list", "--format", "json", NULL};
        cleanup_free char **argv = runc_args_with_globals(o->a, tail);
        cleanup_free char *text = NULL;
        if (argv == NULL)
                return hr_fail(err, "out of memory");
        if (runtime_capture(o->cfg->runtime, argv, JSON_MAX_SIZE, &text, err) < 0 ||
            json_parse_own(text, strlen(text), list, err) < 0)
                return hr_error_prefix(err, "%s list", o->cfg->runtime);
        if ((*list)->type != JSON_ARRAY && (*list)->type != JSON_NULL)
                return hr_fail(err, "%s list: not an array", o->cfg->runtime);
        return 0;
}

static const char *str_of(const struct json *o, const char *key)
{
        const struct json *v = json_obj_get(o, key);
        return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

/* Judge one listed container's bundle under the profile it was created
 * with (when it was created through us). */
static int judge_listed(const struct check_opts *o, const char *id, const char *bundle,
                        struct verdict *v, struct hr_error *err)
{
        cleanup_close int dirfd = -1;
        cleanup_json struct json *spec = NULL;
        cleanup_free char *dir = NULL;
        struct container_state st = {0};
        int found, rc;
        if (!container_id_safe(id) || bundle == NULL)
                return hr_fail(err, "the runtime lists a container without a usable id or bundle");
        if ((dir = container_dir(o->a->root, id, err)) == NULL ||
            (found = state_load(dir, &st, err)) < 0)
                return -1;
        if ((dirfd = bundle_open_dir(bundle, err)) < 0 ||
            json_load_at(dirfd, "config.json", "config.json", JSON_OCI, &spec, NULL, err) < 0)
                rc = hr_error_prefix(err, "%s", bundle);
        else
                rc = judge(o->cfg, o->a->profile, found ? st.profile : NULL, o->a->root, NULL,
                           bundle, id, spec, v, err);
        state_free(&st);
        return rc;
}

static int running_text(const struct check_opts *o, const char *id, const char *status,
                        const struct verdict *v, const struct hr_error *failed)
{
        size_t n = finding_count(v);
        if (failed != NULL)
                return fprintf(o->out, "%-20.64s %-8s cannot tell: %s\n", id, status,
                               hr_error_msg(failed)) < 0
                           ? -1
                           : 0;
        return fprintf(o->out, "%-20.64s %-8s %-13s profile %s, %zu finding%s\n", id, status,
                       n == 0 ? "compliant" : "not compliant", v->profile, n, n == 1 ? "" : "s") < 0
                   ? -1
                   : 0;
}

static int running_json(struct json *arr, const char *id, const char *status, const char *bundle,
                        const struct verdict *v, const struct hr_error *failed,
                        struct hr_error *err)
{
        struct json *o = failed == NULL ? verdict_json(bundle, v, err) : json_new(JSON_OBJECT);
        if (o == NULL || set_str(o, "id", id, err) < 0 || set_str(o, "status", status, err) < 0 ||
            (failed != NULL && set_str(o, "error", hr_error_msg(failed), err) < 0)) {
                json_free(o);
                return -1;
        }
        return json_array_append(arr, o, err);
}

static int check_running(const struct check_opts *o, struct hr_error *err)
{
        cleanup_json struct json *list = NULL;
        cleanup_json struct json *arr = json_new(JSON_ARRAY);
        bool any_finding = false, any_error = false;
        if (arr == NULL)
                return hr_fail(err, "out of memory");
        if (runtime_list(o, &list, err) < 0)
                return -1;
        for (size_t i = 0; list->type == JSON_ARRAY && i < list->n; i++) {
                const struct json *c = list->vals[i];
                const char *id = str_of(c, "id"), *status = str_of(c, "status");
                const char *bundle = str_of(c, "bundle");
                struct verdict v = {0};
                struct hr_error failed = {0};
                int rc = 0;
                if (judge_listed(o, id ? id : "", bundle, &v, &failed) < 0)
                        any_error = true;
                else
                        any_finding |= finding_count(&v) > 0;
                if (o->format == FORMAT_TEXT)
                        rc = running_text(o, id ? id : "?", status ? status : "?", &v,
                                          failed.failed ? &failed : NULL);
                else
                        rc = running_json(arr, id ? id : "?", status ? status : "?",
                                          bundle ? bundle : "?", &v, failed.failed ? &failed : NULL,
                                          err);
                verdict_free(&v);
                hr_error_clear(&failed);
                if (rc < 0)
                        return o->format == FORMAT_TEXT ? hr_fail(err, "cannot write") : -1;
        }
        if (o->format == FORMAT_JSON && emit_json(o->out, arr, err) < 0)
                return -1;
        if (any_error)
                return hr_fail(err, "check --running: some containers could not be judged");
        return any_finding ? 1 : 0;
}

int check_run(const struct runc_args *a, const struct hr_config *cfg, int in, FILE *out,
              struct hr_error *err)
{
        struct check_opts o;
        int rc;
        if (parse_opts(a, cfg, out, &o, err) < 0)
                return -1;
        rc = runc_args_bool(a, "running", false) ? check_running(&o, err) : check_one(&o, in, err);
        if (rc >= 0 && fflush(out) != 0)
                return hr_fail(err, "cannot write the check's output");
        return rc;
}
