// SPDX-License-Identifier: GPL-2.0-or-later
/* hardened-runc: dispatch only. Parse runc's command line, harden what the
 * verb hands the runtime, then exec the real runtime with the same
 * arguments minus our own. Every refusal exits 1 without exec. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cleanup.h"
#include "errlog.h"
#include "fields.h"
#include "gonum.h"
#include "harden.h"
#include "idblock.h"
#include "keys.h"
#include "nsenter.h"
#include "hr-config.h"
#include "pipeline.h"
#include "policy.h"
#include "runc-args.h"
#include "runtime.h"
#include "seccomp-log.h"
#include "setup.h"
#include "staging.h"
#include "usage.h"

/* Report err where the caller looks, release it, and return the exit
 * status of a refusal. */
static int refuse(const struct runc_args *a, struct hr_error *err)
{
        cleanup_free char *msg = NULL;
        if (asprintf(&msg, "hardened-runc: %s", hr_error_msg(err)) < 0)
                msg = NULL;
        errlog_report(a->log_path, a->log_format, msg ? msg : "hardened-runc: out of memory");
        hr_error_clear(err);
        return 1;
}

static bool hardens_bundle(const struct runc_args *a)
{
        /* runc prints help or its version and stops before any verb runs */
        return !a->help && !a->version &&
               (a->verb == VERB_CREATE || a->verb == VERB_RUN || a->verb == VERB_RESTORE);
}

static bool hardens_running(const struct runc_args *a)
{
        return !a->help && !a->version && (a->verb == VERB_EXEC || a->verb == VERB_UPDATE);
}

/* exec and update: judge what they hand the runtime, then exec it with the
 * hardened copy instead (or, in a dry run, print it). Returns only on
 * failure or after a dry run. */
static int harden_and_exec(const struct runc_args *a, const struct hr_config *cfg,
                           struct hr_error *err)
{
        struct handoff h;
        int rc = a->verb == VERB_EXEC ? harden_exec(a, cfg, stdout, &h, err)
                                      : harden_update(a, cfg, STDIN_FILENO, stdout, &h, err);
        if (rc == 0 && a->dry_run == DRY_RUN_OFF && (rc = ns_enter_all(&h.enter, err)) == 0)
                rc = runtime_exec(cfg->runtime, h.argv, err);
        handoff_free(&h);
        return rc;
}

/* The staged rootfs and the state of the container (lazy unmounts, then
 * the directories). A failure is reported but does not fail the delete. */
static void remove_staging(const struct runc_args *a)
{
        struct hr_error err = {0};
        cleanup_free char *dir = NULL;
        if (a->container_id == NULL || !container_id_safe(a->container_id))
                return;
        if ((dir = container_dir(a->root, a->container_id, &err)) == NULL ||
            staging_remove(dir, &err) < 0)
                fprintf(stderr, "hardened-runc: warning: %s\n", hr_error_msg(&err));
        hr_error_clear(&err);
}

/* Does the runtime still know the container id (with a's globals)? */
static bool runtime_knows_id(const struct runc_args *a, const struct hr_config *cfg, const char *id)
{
        char *tail[] = {"state", (char *)id, NULL};
        cleanup_free char **argv = runc_args_with_globals(a, tail);
        cleanup_free char *out = NULL;
        struct hr_error ignored = {0};
        int rc = argv ? runtime_capture(cfg->runtime, argv, 1 << 20, &out, &ignored) : -1;
        hr_error_clear(&ignored);
        return rc == 0;
}

static bool runtime_knows(const struct runc_args *a, const struct hr_config *cfg)
{
        return runtime_knows_id(a, cfg, a->container_id);
}

struct gc_ctx {
        const struct runc_args *a;
        const struct hr_config *cfg;
        const char *keep; /* a create's own id: its retry reuses what is there */
};

/* Does the runtime know id? runc and crun keep a directory per container
 * under their root: where it is there, yes, without asking; where not
 * (another runtime, another default root), the runtime is asked. */
static bool gc_alive(const char *id, void *arg)
{
        const struct gc_ctx *g = arg;
        cleanup_free char *path = NULL;
        struct stat st;
        if (g->keep != NULL && strcmp(g->keep, id) == 0)
                return true;
        if (asprintf(&path, "%s/%s", g->a->root ? g->a->root : "/run/runc", id) >= 0 &&
            lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                return true;
        return runtime_knows_id(g->a, g->cfg, id);
}

/* gc, and a create's own sweep of its root: staging of containers the
 * runtime no longer knows (their id blocks go with it). gc also takes id
 * block claims and shares whose container directory is gone, which only a
 * crash between a directory's removal and its release leaves: not worth a
 * read of every claim on every create. */
static int collect(const struct runc_args *a, const struct hr_config *cfg, const char *keep,
                   FILE *out, struct hr_error *err)
{
        struct gc_ctx g = {a, cfg, keep};
        if (staging_gc(a->root, gc_alive, &g, out, err) < 0)
                return -1;
        return keep == NULL ? idblock_gc(out, err) : 0;
}

/* A create first sweeps its root (cheap: a stat per container), so what a
 * crash left behind goes with the next create. *lock: the container's
 * directory lock, held until the runtime is done. */
static int harden(const struct runc_args *a, const struct hr_config *cfg, int *lock,
                  struct ns_enter *enter, struct hr_error *err)
{
        struct harden_request req = {a->verb_name, a->bundle,  a->container_id, a->profile,
                                     cfg,          a->dry_run, stdout,          a,
                                     lock,         enter};
        struct hr_error swept = {0};
        if (a->dry_run == DRY_RUN_OFF && collect(a, cfg, a->container_id, NULL, &swept) < 0)
                fprintf(stderr, "hardened-runc: warning: gc: %s\n", hr_error_msg(&swept));
        hr_error_clear(&swept);
        return harden_bundle(&req, err);
}

/* When the staging and the state of a container go after the runtime ran
 * as our child (signals forwarded, stdio, --pid-file and --console-socket
 * its own, as if exec'd):
 *   UNSTAGE_ALWAYS   a foreground run: runc deleted the container itself
 *                    and no delete comes;
 *   UNSTAGE_DELETED  delete: when it succeeded or the runtime no longer
 *                    knows the container, so a refused delete of a running
 *                    container keeps the record its execs are judged by;
 *   UNSTAGE_FAILED   create, run --detach, restore: when the runtime failed
 *                    and does not know the container, so a create that runc
 *                    refused after we staged leaves nothing behind. */
enum unstage { UNSTAGE_NONE, UNSTAGE_ALWAYS, UNSTAGE_DELETED, UNSTAGE_FAILED };

static enum unstage unstage_after(const struct runc_args *a)
{
        if (a->help || a->version || a->dry_run != DRY_RUN_OFF)
                return UNSTAGE_NONE;
        if (a->verb == VERB_RUN)
                return a->detach || a->keep ? UNSTAGE_FAILED : UNSTAGE_ALWAYS;
        if (a->verb == VERB_DELETE)
                return UNSTAGE_DELETED;
        if (a->verb == VERB_CREATE || a->verb == VERB_RESTORE)
                return UNSTAGE_FAILED;
        return UNSTAGE_NONE;
}

/* Returns the runtime's exit status. */
static int run_then_unstage(const struct runc_args *a, const struct hr_config *cfg,
                            enum unstage when, struct hr_error *err)
{
        int status;
        bool go;
        if (runtime_run_wait(cfg->runtime, a->runtime_argv, &status, err) < 0) {
                /* the runtime never ran: what we staged for it goes, unless
                 * this was a delete (the container is still there) */
                if (when != UNSTAGE_DELETED)
                        remove_staging(a);
                return -1;
        }
        go = when == UNSTAGE_ALWAYS || (when == UNSTAGE_DELETED && status == 0);
        if (!go && (when == UNSTAGE_DELETED || (when == UNSTAGE_FAILED && status != 0)))
                go = !runtime_knows(a, cfg);
        if (go)
                remove_staging(a);
        return status;
}

static int seccomp_log(const struct runc_args *a, const struct hr_config *cfg, struct hr_error *err)
{
        const struct flag_use *u = runc_args_last(a, "seconds");
        long long seconds = 0;
        if (u != NULL && (go_parse_int0(u->value, &seconds) < 0 || seconds < 0 || seconds > 86400))
                return hr_fail(err, "seccomp-log --seconds %s: not a number of seconds up to a day",
                               u->value);
        return seccomp_log_run(a, cfg, (long)seconds, stdout, err);
}

/* Print our line, then let the runtime add its own (dockerd parses the
 * runtime's "version" and "commit:" lines; the last ones win). */
static int preface(const struct runc_args *a, struct hr_error *err)
{
        if (a->version)
                printf("hardened-runc version %s\n", HR_VERSION);
        else
                usage_print(stdout);
        if (fflush(stdout) != 0)
                return hr_fail(err, "cannot write to stdout");
        return 0;
}

int main(int argc, char **argv)
{
        struct runc_args a;
        struct hr_config cfg;
        struct hr_error err = {0};
        cleanup_close int lock = -1; /* a create's, until the runtime is done */
        struct ns_enter enter = {0}; /* what a create's runtime runs in */
        int rc = 1;

        if (runc_args_parse(argc, argv, &a, &err) < 0) {
                refuse(&a, &err);
                /* check, setup: bad input */
                return a.verb == VERB_CHECK || a.verb == VERB_SETUP ? 2 : 1;
        }
        if (config_load(a.config, &cfg, &err) < 0)
                goto out_args;
        if ((a.version || (a.help && a.verb == VERB_NONE)) && preface(&a, &err) < 0)
                goto out;
        if (a.help && runc_verb_is_ours(a.verb)) { /* our own commands' help is ours */
                usage_print(stdout);
                rc = fflush(stdout) == 0 ? 0 : hr_fail(&err, "cannot write to stdout");
                goto out;
        }
        if (a.dry_run != DRY_RUN_OFF && !hardens_bundle(&a) && !hardens_running(&a)) {
                hr_fail(&err,
                        "--dry-run works with create, run, restore, exec and update; \"%s\" is "
                        "not rewritten",
                        a.verb_name ? a.verb_name : "(no command)");
                goto out;
        }
        if (a.verb == VERB_GC && !a.help) {
                if (collect(&a, &cfg, NULL, stdout, &err) == 0 && fflush(stdout) == 0)
                        rc = 0;
                goto out;
        }
        if (a.verb == VERB_SECCOMP_LOG && !a.help) {
                if (seccomp_log(&a, &cfg, &err) == 0)
                        rc = 0;
                goto out;
        }
        /* check: 0 compliant, 1 not; setup: 0 done, 1 a snippet to add
         * (containerd, podman); both 2 on bad input or error */
        if ((a.verb == VERB_CHECK || a.verb == VERB_SETUP) && !a.help) {
                rc = a.verb == VERB_CHECK ? check_run(&a, &cfg, STDIN_FILENO, stdout, &err)
                                          : setup_run(&a, stdout, &err);
                if (rc < 0)
                        refuse(&a, &err);
                config_free(&cfg);
                runc_args_free(&a);
                return rc < 0 ? 2 : rc;
        }
        if (a.verb == VERB_KEYS) {
                rc = keys_print(stdout) == 0 && fflush(stdout) == 0
                         ? 0
                         : hr_fail(&err, "cannot print the key table");
                goto out;
        }
        if (a.verb == VERB_FIELDS && !a.help) {
                spec_fields_print(stdout);
                rc = fflush(stdout) == 0 ? 0 : hr_fail(&err, "cannot write to stdout");
                goto out;
        }
        if (hardens_running(&a)) {
                if (harden_and_exec(&a, &cfg, &err) == 0)
                        rc = 0; /* a dry run */
                goto out;
        }
        /* a runtime that cannot run is found before anything is staged */
        if (hardens_bundle(&a) && a.dry_run == DRY_RUN_OFF && !a.help &&
            runtime_check(cfg.runtime, &err) < 0)
                goto out;
        if (hardens_bundle(&a) && harden(&a, &cfg, &lock, &enter, &err) < 0)
                goto out;
        /* the runtime inherits them (nsenter.h); so does the rest of this
         * process, which only waits for it and unstages */
        if (ns_enter_all(&enter, &err) < 0)
                goto out;
        ns_enter_close(&enter);
        if (a.dry_run != DRY_RUN_OFF) {
                rc = 0;
                goto out;
        }
        if (unstage_after(&a) != UNSTAGE_NONE) {
                int status = run_then_unstage(&a, &cfg, unstage_after(&a), &err);
                if (status < 0)
                        goto out;
                config_free(&cfg);
                runc_args_free(&a);
                return status;
        }
        runtime_exec(cfg.runtime, a.runtime_argv, &err);
out:
        ns_enter_close(&enter);
        config_free(&cfg);
out_args:
        runc_args_free(&a);
        if (rc == 0)
                return 0;
        refuse(&a, &err);
        return a.verb == VERB_CHECK || a.verb == VERB_SETUP ? 2 : 1;
}
