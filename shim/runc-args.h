/* SPDX-License-Identifier: GPL-2.0-or-later */
/* runc's command-line grammar, as runc 1.1 (urfave/cli v1 over Go's flag
 * package) reads it, so that we find the same bundle, process file and
 * resources source that runc will use. */
#ifndef HR_RUNC_ARGS_H
#define HR_RUNC_ARGS_H

#include <stdbool.h>

#include "error.h"

enum runc_verb {
        VERB_NONE,  /* no verb: e.g. only --version or --help */
        VERB_OTHER, /* not a runc verb we know: passed through untouched */
        VERB_CREATE,
        VERB_RUN,
        VERB_RESTORE,
        VERB_EXEC,
        VERB_UPDATE,
        VERB_START,
        VERB_STATE,
        VERB_KILL,
        VERB_DELETE,
        VERB_PAUSE,
        VERB_RESUME,
        VERB_PS,
        VERB_EVENTS,
        VERB_CHECKPOINT,
        VERB_LIST,
        VERB_SPEC,
        VERB_FEATURES,
};

enum dry_run_mode {
        DRY_RUN_OFF,
        DRY_RUN_SPEC,
        DRY_RUN_DIFF,
        DRY_RUN_REPORT,
};

struct runc_args {
        enum runc_verb verb;
        const char *verb_name;
        /* runc globals we act on (NULL when absent; last occurrence wins) */
        const char *log_path;
        const char *log_format;
        bool help;    /* --help at global or verb level: runc only prints help */
        bool version; /* global --version */
        bool detach;  /* run --detach */
        bool keep;    /* run --keep: runc keeps the container after it exits */
        /* what the verb reads (NULL when absent) */
        const char *bundle;    /* create/run/restore: "." when not given */
        const char *process;   /* exec --process */
        const char *resources; /* update --resources ("-" is stdin) */
        const char *container_id;
        /* our own global flags, removed before exec */
        const char *profile;
        const char *config;
        enum dry_run_mode dry_run;
        /* argv for the real runtime: ours minus our own flags, NULL-ended.
         * Slot 0 is filled in by the caller. Entries point into the input. */
        char **runtime_argv;
        int runtime_argc;
};

/* Parse argv. Fails on what runc itself would refuse for a verb that hands
 * it a spec (unknown flag, missing value, wrong argument count), on unknown
 * global flags, and on malformed values of our own flags: in those cases we
 * cannot know what runc would read, so we must not let it run. */
int runc_args_parse(int argc, char **argv, struct runc_args *out, struct hr_error *err);
void runc_args_free(struct runc_args *a);

/* True for verbs that hand the runtime a container spec. */
bool runc_verb_carries_spec(enum runc_verb verb);
const char *dry_run_mode_name(enum dry_run_mode mode);

#endif
