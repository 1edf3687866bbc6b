/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hardening a bundle's config.json: load, pick the profile, run the
 * pipeline, record the decision, then either store the result atomically or
 * (dry run) print it. */
#ifndef HR_HARDEN_H
#define HR_HARDEN_H

#include <stdio.h>

#include "error.h"
#include "pipeline.h"
#include "state.h"
#include "json.h"
#include "nsenter.h"
#include "report.h"
#include "policy.h"
#include "runc-args.h"

struct harden_request {
        const char *verb; /* create, run or restore: for the decision log */
        const char *bundle;
        const char *container_id;
        const char *profile; /* --profile, or NULL for the config's default */
        const struct hr_config *cfg;
        enum dry_run_mode dry_run;
        FILE *out;                    /* dry-run output */
        const struct runc_args *args; /* the command line, to ask the runtime; may be NULL */
        /* not a dry run: set to the lock of the container's directory
         * (staging_lock), which the caller keeps open until the runtime is
         * done; may be NULL (released on return) */
        int *lock_fd;
        /* not a dry run: filled with the namespaces the runtime must run
         * in (nsenter.h), which the caller enters; may be NULL when none */
        struct ns_enter *enter;
};

/* On refusal or error config.json is left byte-identical. In dry-run mode
 * nothing is written or logged and the result goes to out (for
 * DRY_RUN_REPORT the report is printed even when the spec is refused). */
int harden_bundle(const struct harden_request *req, struct hr_error *err);

/* The profile a spec is judged by: the one its annotation
 * PROFILE_ANNOTATION asks for, if the admin config lists it
 * (annotationProfiles; any other is refused), else flag (--profile, NULL
 * for the config's default). */
int harden_choose_profile(const struct hr_config *cfg, const char *flag, const struct json *spec,
                          const char **selector, struct hr_error *err);

struct staging_plan;
/* Print a dry run's result: the hardened document, a diff of it against
 * before (labelled a/name and b/name), or the report followed by the
 * staging plan (when there is one: plan may be NULL). */
int harden_dry_run(FILE *out, enum dry_run_mode mode, const char *name, const struct json *before,
                   const struct json *spec, const struct report *report,
                   const struct staging_plan *plan, struct hr_error *err);

/* exec and update judge a document of a running container: the process-
 * level rules judge {"process": P}, the resources rule {"linux":
 * {"resources": R}}, with the profile the container was created with
 * (its state file), else --profile, else the config's default. */
struct harden_job {
        const char *verb;
        const struct runc_args *args;
        const struct hr_config *cfg;
        const char *name;          /* the document, for a dry run's diff */
        const char *root;          /* where it sits in the wrapper: "/process" */
        enum pipeline_scope scope; /* which rules judge it */
        /* filled by harden_job_start and harden_job_run */
        char *dir; /* the container's directory (container_dir) */
        struct container_state state;
        struct hr_profile profile;
        struct report report;
        struct json *doc; /* the wrapper */
};
/* Find the container's profile. */
int harden_job_start(struct harden_job *j, struct hr_error *err);
/* Judge doc (the wrapper, taken over; NULL means out of memory) and, in a
 * dry run, print the result. */
int harden_job_run(struct harden_job *j, struct json *doc, FILE *out, struct hr_error *err);
/* Record the decision (not in a dry run), release the job, return rc. */
int harden_job_end(struct harden_job *j, int rc, struct hr_error *err);

/* exec and update hand the runtime a hardened copy instead of what they
 * were given: argv is the command line to exec, made holds the arguments
 * we wrote into it (and owns them). */
struct handoff {
        char **argv;
        char *made[6];
        size_t nmade;
        struct ns_enter enter; /* exec: what create entered for the container */
};
void handoff_free(struct handoff *h);

/* The init pid of a's container, as the runtime reports it (its state). */
int container_init_pid(const struct runc_args *a, const struct hr_config *cfg, long long *pid,
                       struct hr_error *err);
/* Add an argument to h->made. */
int handoff_arg(struct handoff *h, struct hr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Hand doc to the runtime as --flag=/proc/self/fd/N, a sealed memfd at a
 * descriptor >= min_fd, in place of every use of the verb flags in drop:
 * sets h->argv. */
int handoff_document(const struct runc_args *a, const struct json *doc, const char *flag,
                     int min_fd, const char *const *drop, struct handoff *h, struct hr_error *err);

/* exec: the process, from --process FILE or from the bundle's process and
 * runc's exec flags, goes through the process-level rules of the profile
 * the container was created with (else --profile, else the default); the
 * runtime gets it as --process /proc/self/fd/N, a sealed memfd. */
int harden_exec(const struct runc_args *a, const struct hr_config *cfg, FILE *out,
                struct handoff *h, struct hr_error *err);
/* The process runc 1.1 would build for exec without --process: bundle's
 * config.json process with the exec flags applied over it. */
int exec_process_from_bundle(const struct runc_args *a, const char *bundle, struct json **out,
                             struct hr_error *err);

/* update: the resources, from --resources FILE, --resources - (in) or the
 * flags, are clamped to the same profile's maxima; the runtime gets them as
 * --resources /proc/self/fd/N, or as rewritten flags. in: the descriptor
 * "--resources -" reads. Clamps are reported
 * on stderr. */
int harden_update(const struct runc_args *a, const struct hr_config *cfg, int in, FILE *out,
                  struct handoff *h, struct hr_error *err);

#endif
