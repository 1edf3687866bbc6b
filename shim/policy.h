/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The admin configuration and the policy profiles. Both are validated in
 * full on load: an unknown key, a wrong type or a bad value is an error that
 * names the file, the key and the value, never a silent default. */
#ifndef HR_POLICY_H
#define HR_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "params.h"
#include "pipeline.h"

/* Files compiled in at build time (profiles/embed.py); NULL-name ended. */
struct embedded_profile {
        const char *name;
        const char *data;
        size_t len;
};
extern const struct embedded_profile embedded_profiles[];
extern const struct embedded_profile embedded_seccomp[];

/* The annotation with which a container may ask for a profile. */
#define PROFILE_ANNOTATION "org.hardened-runc.profile"

/* decisionLog.exec: a healthcheck execs every few seconds, and a record of
 * each would drown the events an operator looks for. */
enum log_exec {
        LOG_EXEC_ALL,     /* "all": every exec (the default) */
        LOG_EXEC_CHANGED, /* "changed": an exec some rule changed, warned about or refused */
        LOG_EXEC_REFUSED, /* "refused": an exec refused, or one a warn-action rule flagged */
};

struct hr_config {
        char *source;                       /* file it came from, or "built-in defaults" */
        char *runtime;                      /* absolute path of the real runtime */
        char *default_profile;              /* name or path */
        char *profile_dir;                  /* where --profile NAME is looked up */
        struct strlist annotation_profiles; /* what PROFILE_ANNOTATION may pick */
        bool log_syslog;                    /* a decision record per container to syslog */
        char *log_file;                     /* and, if set, one JSON line per container here */
        enum log_exec log_exec;             /* which execs are recorded (decisionLog.exec) */
        struct hook_allows hooks;           /* hooks the admin allows (besides Docker's own) */
};

/* Load path, or the default config path when path is NULL (a missing default
 * file means built-in defaults; a missing explicit file is an error). */
int config_load(const char *path, struct hr_config *cfg, struct hr_error *err);
void config_free(struct hr_config *cfg);

struct hr_profile {
        char *name;
        char *source;              /* file path, or "built-in" */
        enum rule_action *actions; /* indexed like rule_table */
        struct hr_params params;
};

/* selector: a name (looked up as profile_dir/NAME.json, then among the
 * built-in profiles) or a path (contains '/'). NULL means the config's
 * default profile. Every profile starts from the built-in restricted one:
 * what it states replaces restricted's value. */
int profile_load(const struct hr_config *cfg, const char *selector, struct hr_profile *p,
                 struct hr_error *err);
/* Overlay one profile document onto p; source names it in messages. */
int profile_overlay(struct hr_profile *p, const char *data, size_t len, const char *source,
                    struct hr_error *err);
void profile_free(struct hr_profile *p);

#endif
