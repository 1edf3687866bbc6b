/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The admin configuration and the policy profiles. Both are validated in
 * full on load: an unknown key, a wrong type or a bad value is an error that
 * names the file, the key and the value, never a silent default. */
#ifndef HR_POLICY_H
#define HR_POLICY_H

#include <stddef.h>

#include "error.h"
#include "pipeline.h"

/* Profiles compiled in at build time (profiles/embed.py); NULL-name ended. */
struct embedded_profile {
        const char *name;
        const char *data;
        size_t len;
};
extern const struct embedded_profile embedded_profiles[];

struct hr_config {
        char *source;          /* file it came from, or "built-in defaults" */
        char *runtime;         /* absolute path of the real runtime */
        char *default_profile; /* name or path */
        char *profile_dir;     /* where --profile NAME is looked up */
};

/* Load path, or the default config path when path is NULL (a missing default
 * file means built-in defaults; a missing explicit file is an error). */
int config_load(const char *path, struct hr_config *cfg, struct hr_error *err);
void config_free(struct hr_config *cfg);

struct hr_profile {
        char *name;
        char *source;              /* file path, or "built-in" */
        enum rule_action *actions; /* indexed like rule_table */
};

/* selector: a name (looked up as profile_dir/NAME.json, then among the
 * built-in profiles) or a path (contains '/'). NULL means the config's
 * default profile. */
int profile_load(const struct hr_config *cfg, const char *selector, struct hr_profile *p,
                 struct hr_error *err);
/* Validate and load one profile document; source names it in messages. */
int profile_parse(const char *data, size_t len, const char *source, struct hr_profile *p,
                  struct hr_error *err);
void profile_free(struct hr_profile *p);

#endif
