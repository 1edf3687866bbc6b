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
        /* ours from here on: answered by hardened-runc, never passed on */
        VERB_FIELDS,      /* ours: print the runtime-spec field table */
        VERB_GC,          /* ours: remove staging of containers the runtime does not know */
        VERB_SECCOMP_LOG, /* ours: a container's seccomp audit records by call name */
        VERB_CHECK,       /* ours: judge a spec against a profile, change nothing */
        VERB_KEYS,        /* ours: every profile and admin config key */
        VERB_SETUP,       /* ours: register with docker, containerd or podman */
};

enum dry_run_mode {
        DRY_RUN_OFF,
        DRY_RUN_SPEC,
        DRY_RUN_DIFF,
        DRY_RUN_REPORT,
};

/* One occurrence of a verb's flag on the command line. */
struct flag_use {
        const char *name;  /* the flag's long name ("user" for -u) */
        const char *value; /* its value; for a bool NULL, or what followed '=' */
        int at;            /* index in argv of the flag */
        int span;          /* argv entries it takes: 1, or 2 with a separate value */
};

struct runc_args {
        enum runc_verb verb;
        const char *verb_name;
        /* runc globals we act on (NULL when absent; last occurrence wins) */
        const char *log_path;
        const char *log_format;
        const char *root;    /* --root: the runtime's state directory */
        bool help;           /* --help at global or verb level: runc only prints help */
        bool version;        /* global --version */
        bool detach;         /* run --detach */
        bool keep;           /* run --keep: runc keeps the container after it exits */
        bool systemd_cgroup; /* global --systemd-cgroup: cgroups are systemd units */
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
        /* the verb's flags as runc reads them, in order (exec and update) */
        struct flag_use *uses;
        size_t nuses;
        /* the input, for runc_args_rebuild */
        char **argv;
        int argc;
        int verb_at;    /* index of the verb in argv, 0 when none */
        bool *ours;     /* argv entries that are our own flags */
        int positional; /* index in argv of the verb's first positional argument */
};

/* Parse argv. Fails on what runc itself would refuse for a verb that hands
 * it a spec (unknown flag, missing value, wrong argument count), on unknown
 * global flags, and on malformed values of our own flags: in those cases we
 * cannot know what runc would read, so we must not let it run. */
int runc_args_parse(int argc, char **argv, struct runc_args *out, struct hr_error *err);
void runc_args_free(struct runc_args *a);

/* The last use of the verb flag name (the one Go's flag package keeps), or
 * NULL. Slice flags (exec's --env, --cap, --additional-gids) accumulate:
 * walk a->uses for those. */
const struct flag_use *runc_args_last(const struct runc_args *a, const char *name);
/* A bool flag's value: absent -> dflt, "--x" -> true, "--x=v" -> v. */
bool runc_args_bool(const struct runc_args *a, const char *name, bool dflt);

/* A new runtime argv: the input minus our flags and minus every use of the
 * verb flags named in drop (NULL-ended), with insert (NULL-ended) placed
 * right after the verb. The array is the caller's to free; its entries
 * point into the input and insert. */
char **runc_args_rebuild(const struct runc_args *a, const char *const *drop, char *const *insert);

/* True for our own commands (fields, gc, seccomp-log, check, keys, setup). */
bool runc_verb_is_ours(enum runc_verb verb);
/* True for verbs that hand the runtime a container spec. */
bool runc_verb_carries_spec(enum runc_verb verb);
const char *dry_run_mode_name(enum dry_run_mode mode);

/* argv[0], the global flags as given minus ours, then tail (NULL-ended):
 * another runtime command on the same --root. The caller frees the array. */
char **runc_args_with_globals(const struct runc_args *a, char *const *tail);

/* Every word of our own command line: our global flags ("--profile"),
 * our commands ("check") and their flags ("--format"). For the manual's
 * test. */
void runc_args_our_words(void (*fn)(const char *word, void *arg), void *arg);

#endif
