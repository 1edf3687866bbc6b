/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule parameters. Each rule declares its parameters as a table of fields
 * (key, type, range, offset into struct hr_params); one parser validates any
 * profile against those tables, so a typo is an error naming the file, the
 * key and the value, never a silent default. */
#ifndef HR_PARAMS_H
#define HR_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "json.h"

struct strlist {
        char **v;
        size_t n;
};

struct rlimit_cap {
        char *type; /* RLIMIT_NOFILE, ... */
        long long max;
};

struct rlimit_caps {
        struct rlimit_cap *v;
        size_t n;
};

/* A hook the admin config allows (hooks): its path exactly, its arguments
 * one fnmatch(3) pattern each (as many as there are patterns), each env
 * entry matching one of env (none allowed when env is empty), in the
 * stages of the mask (bits of enum hook_stage, hooks.h). */
struct hook_allow {
        char *path;
        struct strlist args;
        struct strlist env;
        unsigned stages;
};

struct hook_allows {
        struct hook_allow *v;
        size_t n;
};

struct hr_params {
        /* fields */
        char *unknown_fields; /* "refuse" or "warn" */
        /* user */
        long long uid, gid;
        /* labels */
        struct strlist apparmor_default;
        /* groups */
        struct strlist protected_groups, protected_sockets;
        /* cgroups */
        struct strlist cgroup_patterns;
        /* userns */
        long long userns_host_id, userns_size, userns_host_min, userns_blocks;
        char *userns_id_range; /* "exclusive" or "shared" */
        char *userns_strategy; /* "auto", "shift" or "root-only" */
        /* rootfs */
        struct strlist tmpfs_paths;
        long long tmpfs_size;
        bool tmpfs_noexec;
        struct strlist tmpfs_empty;
        /* caps */
        struct strlist cap_allow;
        /* seccomp */
        char *seccomp_profile;       /* "default" (built in) or an absolute path */
        char *seccomp_mode;          /* "enforce" or "log" */
        struct json *seccomp_filter; /* loaded and validated */
        /* resources */
        long long memory_default, memory_max, swap_extra;
        long long pids_default, pids_max;
        bool rootless_without_limits;   /* an admin's choice (rule-resources.c) */
        long long cpu_default, cpu_max; /* millicpus; 0: none */
        long long cpu_shares_max, realtime_runtime_max;
        /* mounts */
        struct strlist sensitive_exact, sensitive_tree;
        struct strlist mount_allowed, mount_allowed_ro, rootfs_allowed;
        /* paths */
        struct strlist masked_paths, readonly_paths;
        /* sysctls */
        struct strlist sysctl_allow, sysctl_allow_prefixes;
        /* annotations */
        struct strlist annotation_strip_prefixes;
        /* systemd */
        struct strlist systemd_keep_properties;
        /* rlimits */
        struct rlimit_caps rlimits;
};

enum param_type {
        PT_INT,   /* integer in [min, max] */
        PT_BYTES, /* integer, or a string with a k/m/g/t suffix (powers of 1024) */
        PT_BOOL,
        PT_CHOICE,  /* string from choices */
        PT_SOURCE,  /* "default" or an absolute path */
        PT_PATHS,   /* list of absolute paths */
        PT_STRINGS, /* list of non-empty strings */
        PT_CAPS,    /* list of capability names, CAP_X, validated with libcap-ng */
        PT_RLIMITS, /* object RLIMIT_X -> integer maximum */
};

struct param_field {
        const char *key;
        enum param_type type;
        size_t offset;
        long long min, max;
        const char *const *choices; /* PT_CHOICE, NULL-terminated */
};

#define PARAM_END                                                                                  \
        {                                                                                          \
                NULL, PT_INT, 0, 0, 0, NULL                                                        \
        }
#define P_OFF(f) offsetof(struct hr_params, f)

/* Parse value v of key into params per field; messages name src and ptr. */
int param_parse(struct hr_params *params, const struct param_field *field, const struct json *v,
                const char *src, const char *ptr, struct hr_error *err);
const struct param_field *param_find(const struct param_field *fields, const char *key);
/* Comma-separated list of the fields' keys, for messages; static buffer. */
const char *param_keys(const struct param_field *fields, char *buf, size_t len);

void params_free(struct hr_params *p);

/* A PT_PATHS, PT_STRINGS or PT_CAPS list into *out (replacing it). */
int param_parse_list(const struct param_field *f, const struct json *v, struct strlist *out,
                     const char *src, const char *ptr, struct hr_error *err);
bool strlist_has(const struct strlist *l, const char *s);
/* Append a copy of s (the list stays NULL-terminated); -1 when out of
 * memory. */
int strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);
/* Validated OCI capability name ("CAP_CHOWN")? Uses libcap-ng's table. */
bool cap_name_known(const char *oci_name);

#endif
