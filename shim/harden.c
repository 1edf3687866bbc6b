// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cleanup.h"
#include "decision.h"
#include "diff.h"
#include "handoff.h"
#include "idblock.h"
#include "harden.h"
#include "pipeline.h"
#include "plan.h"
#include "probe.h"
#include "report.h"
#include "runtime.h"
#include "staging.h"
#include "state.h"

static int print_spec(FILE *out, const struct json *spec, struct hr_error *err)
{
        cleanup_free char *text = NULL;
        if (json_emit(spec, true, &text, NULL, err) < 0)
                return -1;
        fputs(text, out);
        return 0;
}

static int print_diff(FILE *out, const char *name, const struct json *before,
                      const struct json *after, struct hr_error *err)
{
        cleanup_free char *a = NULL;
        cleanup_free char *b = NULL;
        cleanup_free char *la = NULL;
        cleanup_free char *lb = NULL;
        if (asprintf(&la, "a/%s", name) < 0 || asprintf(&lb, "b/%s", name) < 0) {
                la = lb = NULL;
                return hr_fail(err, "out of memory");
        }
        if (json_emit(before, true, &a, NULL, err) < 0 || json_emit(after, true, &b, NULL, err) < 0)
                return -1;
        return diff_unified(out, la, a, lb, b, err);
}

/* Always store the re-emitted document, even when no rule changed it: runc
 * then reads exactly the bytes we judged, so no difference between yajl's
 * reading and Go's (escapes, surrogates) can reach it. */
static int store(int dirfd, const struct json *spec, const struct stat *st, struct hr_error *err)
{
        cleanup_free char *text = NULL;
        size_t len;
        if (json_emit(spec, false, &text, &len, err) < 0)
                return -1;
        return file_replace_at(dirfd, "config.json", text, len, st, err);
}

int harden_dry_run(FILE *out, enum dry_run_mode mode, const char *name, const struct json *before,
                   const struct json *spec, const struct report *report,
                   const struct staging_plan *plan, struct hr_error *err)
{
        int rc = 0;
        switch (mode) {
        case DRY_RUN_SPEC:
                rc = print_spec(out, spec, err);
                break;
        case DRY_RUN_DIFF:
                rc = print_diff(out, name, before, spec, err);
                break;
        case DRY_RUN_REPORT:
                report_print(out, report);
                if (plan != NULL)
                        staging_plan_print(out, plan);
                break;
        case DRY_RUN_OFF:
                break;
        }
        if (rc == 0 && fflush(out) != 0)
                rc = hr_fail(err, "cannot write the dry-run output");
        return rc;
}

/* A container may ask for a profile by annotation, but only for one the
 * admin listed: it can never choose to be weaker than the admin allows. */
int harden_choose_profile(const struct hr_config *cfg, const char *flag, const struct json *spec,
                          const char **selector, struct hr_error *err)
{
        const struct json *want =
            json_obj_get(json_obj_get(spec, "annotations"), PROFILE_ANNOTATION);
        *selector = flag;
        if (want == NULL)
                return 0;
        if (want->type != JSON_STRING || !strlist_has(&cfg->annotation_profiles, want->text))
                return hr_fail(
                    err,
                    "annotation %s asks for profile %s, which the admin config does not allow "
                    "(annotationProfiles)",
                    PROFILE_ANNOTATION, want->type == JSON_STRING ? want->text : "(not a string)");
        *selector = want->text;
        return 0;
}

static int load_spec(const struct harden_request *req, int *dirfd, struct json **spec,
                     struct stat *st, const char *display, struct hr_error *err)
{
        *dirfd = bundle_open_dir(req->bundle, err);
        if (*dirfd < 0)
                return -1;
        if (json_load_at(*dirfd, "config.json", display, JSON_OCI, spec, st, err) < 0)
                return -1;
        if ((*spec)->type != JSON_OBJECT)
                return hr_fail(err, "%s: expected an object, found %s", display,
                               json_type_name((*spec)->type));
        return 0;
}

static void record(const struct harden_request *req, const struct hr_profile *p,
                   const struct report *r, const struct hr_error *err)
{
        struct decision d = {req->container_id,
                             req->bundle,
                             p ? p->name : NULL,
                             p ? p->source : NULL,
                             r,
                             err && err->failed ? hr_error_msg(err) : NULL,
                             req->verb};
        if (req->dry_run == DRY_RUN_OFF)
                decision_record(req->cfg, &d);
}

/* A create for an id that has state is a retry (or follows a crash without
 * delete) when the runtime does not know the container, and is allowed. If
 * the runtime knows it, the runtime will refuse the create; it must not
 * first replace the running container's recorded profile (with a weaker
 * --profile, say), by which its execs and updates are judged. */
static int refuse_live_container(const struct harden_request *req, const char *dir,
                                 struct hr_error *err)
{
        char *tail[] = {"state", (char *)req->container_id, NULL};
        cleanup_free char **argv = NULL;
        cleanup_free char *out = NULL;
        struct container_state st;
        struct hr_error ignored = {0};
        int found = state_load(dir, &st, err);
        if (found < 0)
                return hr_error_prefix(err, "(`hardened-runc delete %s` removes it)",
                                       req->container_id);
        state_free(&st);
        if (found == 0 || req->args == NULL)
                return 0;
        if ((argv = runc_args_with_globals(req->args, tail)) == NULL)
                return hr_fail(err, "out of memory");
        if (runtime_capture(req->cfg->runtime, argv, JSON_MAX_SIZE, &out, &ignored) < 0) {
                hr_error_clear(&ignored);
                return 0; /* not a container the runtime knows */
        }
        return hr_fail(err,
                       "container %s exists: its recorded profile stays, and a second create "
                       "cannot replace it",
                       req->container_id);
}

/* The namespaces the runtime is to run in (nsenter.h), opened now: still
 * the ones judged. */
static int enter_open(const struct harden_request *req, const struct staging_plan *plan,
                      struct hr_error *err)
{
        if (plan->nenter > 0 && req->enter == NULL)
                return hr_fail(err, "internal error: namespaces to enter and no one to enter them");
        for (size_t i = 0; i < plan->nenter; i++)
                if (ns_enter_add(req->enter, plan->enter[i].nstype, plan->enter[i].path,
                                 plan->enter[i].dev, plan->enter[i].ino, err) < 0)
                        return -1;
        return 0;
}

/* Attach the staging the userns rule planned, record the container's state
 * (its profile, for exec and update), then store the spec that points at
 * the staging; a failure of any leaves nothing staged or recorded and
 * config.json as it was. */
static int commit(int dirfd, const struct json *spec, const struct stat *st,
                  const struct harden_request *req, const struct staging_plan *plan,
                  struct probe *probe, const char *selector, const char *display, const char *dir,
                  struct hr_error *err)
{
        struct hr_error undo = {0};
        const struct json *aa = json_pointer_get(spec, "/process/apparmorProfile");
        struct state_facts rec = {.profile = selector,
                                  .bundle = req->bundle,
                                  .enter = plan->enter,
                                  .nenter = plan->nenter,
                                  .apparmor = aa != NULL && aa->text[0] != '\0' ? aa->text : NULL};
        if (plan->dir != NULL && staging_apply(plan, probe, err) < 0)
                return -1;
        if (enter_open(req, plan, err) == 0 && state_record(dir, &rec, err) == 0 &&
            store(dirfd, spec, st, err) == 0)
                return 0;
        if (req->enter != NULL)
                ns_enter_close(req->enter);
        hr_error_prefix(err, "%s", display);
        if (staging_remove(dir, &undo) < 0)
                hr_error_prefix(err, "(staging left behind: %s)", hr_error_msg(&undo));
        hr_error_clear(&undo);
        return -1;
}

/* A refused create gives its block back and leaves no directory. */
static void unclaim(const char *dir, struct hr_error *err)
{
        struct hr_error undo = {0};
        if (staging_remove(dir, &undo) < 0)
                hr_error_prefix(err, "(its id block stays claimed: %s)", hr_error_msg(&undo));
        hr_error_clear(&undo);
}

/* The userns rule's claim of a host id block, for a create. */
struct id_claim {
        const char *dir;
        const struct hr_params *params;
        bool claimed;
};

static int claim_ids(void *arg, long long *host_id, struct hr_error *err)
{
        struct id_claim *c = arg;
        struct id_pool pool = {c->params->userns_host_id, c->params->userns_size,
                               c->params->userns_blocks};
        if (pool.base + pool.blocks * pool.size > 4294967295LL)
                return hr_fail(err,
                               "the id pool (userns.hostId %lld, %lld blocks of %lld) runs "
                               "past the last 32-bit id",
                               pool.base, pool.blocks, pool.size);
        if (idblock_claim(c->dir, &pool, host_id, err) < 0)
                return -1;
        c->claimed = true;
        return 0;
}

static int share_ids(void *arg, long long host_id, struct hr_error *err)
{
        struct id_claim *c = arg;
        if (idblock_share(c->dir, host_id, err) < 0)
                return -1;
        c->claimed = true;
        return 0;
}

int harden_bundle(const struct harden_request *req, struct hr_error *err)
{
        cleanup_close int dirfd = -1;
        cleanup_free char *display = NULL;
        cleanup_json struct json *spec = NULL;
        cleanup_json struct json *before = NULL;
        cleanup_free char *dir = NULL;
        struct report report = {0};
        struct hr_profile profile = {0};
        struct staging_plan plan = {0};
        struct probe probe;
        struct pipeline_env env = {.bundle = req->bundle,
                                   .container_id = req->container_id,
                                   .staging = &plan,
                                   .probe = &probe,
                                   .scope = SCOPE_CREATE,
                                   .systemd_cgroup = req->args != NULL && req->args->systemd_cgroup,
                                   .hooks = &req->cfg->hooks};
        const char *selector;
        struct stat st;
        int rc;

        if (asprintf(&display, "%s/config.json", req->bundle) < 0)
                return hr_fail(err, "out of memory");
        if ((dir = container_dir(req->args ? req->args->root : NULL, req->container_id, err)) ==
            NULL)
                return -1;
        env.container_dir = dir;
        /* before anything is judged or touched: a live container's record
         * stays, and its rewritten bundle is not judged a second time */
        if (req->dry_run == DRY_RUN_OFF &&
            (decision_log_check(req->cfg, err) < 0 || refuse_live_container(req, dir, err) < 0))
                return -1;
        if (load_spec(req, &dirfd, &spec, &st, display, err) < 0 ||
            harden_choose_profile(req->cfg, req->profile, spec, &selector, err) < 0 ||
            profile_load(req->cfg, selector, &profile, err) < 0) {
                record(req, NULL, NULL, err);
                return -1;
        }
        if (req->dry_run == DRY_RUN_DIFF && (before = json_dup(spec)) == NULL) {
                profile_free(&profile);
                return hr_fail(err, "out of memory");
        }
        struct id_claim claim = {dir, &profile.params, false};
        cleanup_close int lock = -1;
        if (req->dry_run == DRY_RUN_OFF) {
                env.claim_ids = claim_ids;
                env.share_ids = share_ids;
                env.claim_arg = &claim;
                if ((lock = staging_lock(dir, err)) < 0) {
                        profile_free(&profile);
                        return -1;
                }
        }
        /* a dry run reads the host but acts on nothing */
        probe_init(&probe, req->dry_run == DRY_RUN_OFF ? PROBE_HOST : PROBE_READ);
        rc = pipeline_run(spec, &env, profile.actions, &profile.params, &report, err);
        if (rc == 0 && plan.dir != NULL)
                rc = staging_steps(&plan, spec, &probe, err);
        if (rc < 0)
                hr_error_prefix(err, "%s (profile %s)", display, profile.name);
        if (rc < 0 && claim.claimed)
                unclaim(dir, err);
        if (req->dry_run == DRY_RUN_REPORT || (rc == 0 && req->dry_run != DRY_RUN_OFF))
                rc = harden_dry_run(req->out, req->dry_run, "config.json", before, spec, &report,
                                    rc == 0 ? &plan : NULL, err) < 0
                         ? -1
                         : rc;
        else if (rc == 0)
                rc = commit(dirfd, spec, &st, req, &plan, &probe,
                            selector ? selector : req->cfg->default_profile, display, dir, err);
        record(req, &profile, &report, rc < 0 ? err : NULL);
        staging_plan_free(&plan);
        probe_free(&probe);
        if (rc < 0 && lock >= 0 && !claim.claimed)
                unclaim(dir, err); /* the directory the lock made */
        if (rc == 0 && req->lock_fd != NULL)
                *req->lock_fd = steal_fd(&lock);
        report_free(&report);
        profile_free(&profile);
        return rc;
}

/* ---- exec and update --------------------------------------------------- */

int handoff_arg(struct handoff *h, struct hr_error *err, const char *fmt, ...)
{
        va_list ap;
        int n;
        if (h->nmade >= sizeof(h->made) / sizeof(*h->made))
                return hr_fail(err, "internal error: too many arguments made");
        va_start(ap, fmt);
        n = vasprintf(&h->made[h->nmade], fmt, ap);
        va_end(ap);
        if (n < 0) {
                h->made[h->nmade] = NULL;
                return hr_fail(err, "out of memory");
        }
        h->nmade++;
        return 0;
}

int handoff_document(const struct runc_args *a, const struct json *doc, const char *flag,
                     int min_fd, const char *const *drop, struct handoff *h, struct hr_error *err)
{
        cleanup_free char *text = NULL;
        cleanup_free char *path = NULL;
        cleanup_free char *name = NULL;
        size_t len;
        if (asprintf(&name, "hardened-runc-%s", flag) < 0) {
                name = NULL;
                return hr_fail(err, "out of memory");
        }
        if (json_emit(doc, false, &text, &len, err) < 0 ||
            handoff_memfd(name, text, len, min_fd, &path, err) < 0)
                return -1;
        /* the descriptor stays open: the runtime inherits it */
        if (handoff_arg(h, err, "--%s=%s", flag, path) < 0)
                return -1;
        h->argv = runc_args_rebuild(a, drop, h->made);
        return h->argv ? 0 : hr_fail(err, "out of memory");
}

void handoff_free(struct handoff *h)
{
        free(h->argv);
        for (size_t i = 0; i < h->nmade; i++)
                free(h->made[i]);
        ns_enter_close(&h->enter);
        memset(h, 0, sizeof(*h));
}

int harden_job_start(struct harden_job *j, struct hr_error *err)
{
        const char *selector = j->args->profile;
        int found;
        if (j->args->dry_run == DRY_RUN_OFF && decision_log_check(j->cfg, err) < 0)
                return hr_error_prefix(err, "%s in %s", j->verb, j->args->container_id);
        if ((j->dir = container_dir(j->args->root, j->args->container_id, err)) == NULL)
                return hr_error_prefix(err, "%s in %s", j->verb, j->args->container_id);
        found = state_load(j->dir, &j->state, err);
        if (found < 0)
                return hr_error_prefix(err, "%s in %s", j->verb, j->args->container_id);
        if (found)
                selector = j->state.profile; /* what it was created with wins */
        if (profile_load(j->cfg, selector, &j->profile, err) < 0) {
                hr_error_prefix(err, "%s in %s", j->verb, j->args->container_id);
                state_free(&j->state);
                free(j->dir);
                j->dir = NULL;
                return -1;
        }
        return 0;
}

int harden_job_run(struct harden_job *j, struct json *doc, FILE *out, struct hr_error *err)
{
        cleanup_json struct json *before = NULL;
        struct pipeline_env env = {.bundle = j->state.bundle,
                                   .container = j->state.profile != NULL ? &j->state : NULL,
                                   .container_id = j->args->container_id,
                                   .container_dir = j->dir,
                                   .scope = j->scope,
                                   .hooks = &j->cfg->hooks};
        enum dry_run_mode mode = j->args->dry_run;
        struct probe probe;
        int rc;
        if ((j->doc = doc) == NULL || (mode == DRY_RUN_DIFF && (before = json_dup(doc)) == NULL))
                return hr_fail(err, "out of memory");
        probe_init(&probe, mode == DRY_RUN_OFF ? PROBE_HOST : PROBE_READ);
        env.probe = &probe;
        rc = pipeline_run(doc, &env, j->profile.actions, &j->profile.params, &j->report, err);
        probe_free(&probe);
        if (rc < 0)
                hr_error_prefix(err, "%s in %s (profile %s)", j->verb, j->args->container_id,
                                j->profile.name);
        if (mode == DRY_RUN_REPORT || (rc == 0 && mode != DRY_RUN_OFF))
                rc = harden_dry_run(out, mode, j->name, json_pointer_get(before, j->root),
                                    json_pointer_get(doc, j->root), &j->report, NULL, err) < 0
                         ? -1
                         : rc;
        return rc;
}

int harden_job_end(struct harden_job *j, int rc, struct hr_error *err)
{
        struct decision d = {j->args->container_id,
                             j->state.bundle,
                             j->profile.name,
                             j->profile.source,
                             &j->report,
                             rc < 0 && err->failed ? hr_error_msg(err) : NULL,
                             j->verb};
        if (j->args->dry_run == DRY_RUN_OFF)
                decision_record(j->cfg, &d);
        json_free(j->doc);
        j->doc = NULL;
        report_free(&j->report);
        profile_free(&j->profile);
        state_free(&j->state);
        free(j->dir);
        j->dir = NULL;
        return rc;
}
