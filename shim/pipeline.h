/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule pipeline: a table of rules, each with a name, a default action,
 * its parameters and one entry point. A rule states what the spec must look
 * like through the helpers below; the action decides what that means:
 *   enforce  rewrite what can be rewritten; refuse what cannot
 *   deny     refuse anything that does not comply
 *   warn     record, change nothing
 *   off      skip the rule */
#ifndef HR_PIPELINE_H
#define HR_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "json.h"
#include "params.h"
#include "report.h"

enum rule_action {
        ACTION_OFF,
        ACTION_WARN,
        ACTION_ENFORCE,
        ACTION_DENY,
};

struct staging_plan;
struct probe;
struct container_state;

/* What a call hands the runtime, and so which rules judge it:
 *   create   a whole spec (create, run, restore)
 *   exec     a process, as {"process": P}: only the process-level rules
 *   update   new resources, as {"linux": {"resources": R}}; 0 or absent
 *            means "unchanged" there, not "unset" */
enum pipeline_scope {
        SCOPE_CREATE = 1u << 0,
        SCOPE_EXEC = 1u << 1,
        SCOPE_UPDATE = 1u << 2,
};

/* What the rules may know of the call besides the spec. */
struct pipeline_env {
        const char *bundle;        /* bundle directory: relative paths in the spec start here */
        const char *container_id;  /* runc's container id */
        const char *container_dir; /* its staging and state directory (container_dir) */
        /* exec, update: what create recorded (state.h); NULL when the
         * container was not created through us */
        const struct container_state *container;
        struct staging_plan *staging; /* filled by userns when the rootfs must be staged */
        /* what the rules may ask of the host (probe.h); pipeline_run uses
         * a PROBE_HOST one of its own when NULL */
        struct probe *probe;
        enum pipeline_scope scope;
        /* the runtime runs with --systemd-cgroup: a container's cgroup is a
         * systemd unit (rule-systemd.c) */
        bool systemd_cgroup;
        const struct hook_allows *hooks; /* the admin config's; NULL: none */
        /* create: claim the container's host id block (idblock.h); NULL in a
         * dry run */
        int (*claim_ids)(void *arg, long long *host_id, struct hr_error *err);
        /* create, joining another container's user namespace: hold its
         * block from host_id too; NULL in a dry run */
        int (*share_ids)(void *arg, long long host_id, struct hr_error *err);
        void *claim_arg;
};

struct rule_ctx {
        struct json *spec;
        struct pipeline_env *env;
        const char *rule;
        enum rule_action action;
        const struct hr_params *params;
        struct report *report;
        struct hr_error *err;
        bool refused; /* set when this rule refused the spec */
};

typedef int (*rule_fn)(struct rule_ctx *ctx);

/* A rule's descriptor: each rule-*.c exports one, and rule_table lists
 * them in pipeline order. owns names the spec fields the rule judges, as
 * patterns of the field table (fields.h): "*" stands for any array item or
 * map key, and a field owns what lies below it. */
struct rule_def {
        const char *name;
        enum rule_action default_action;
        unsigned scopes;                  /* enum pipeline_scope bits it judges */
        const char *summary;              /* for --help and the man page */
        const struct param_field *fields; /* the rule's profile parameters */
        const char *const *owns;          /* NULL-terminated */
        rule_fn apply;
        bool runs_when_off; /* the rule guards something even when off */
};

/* In pipeline order. */
extern const struct rule_def *const rule_table[];
extern const size_t rule_count;

int rule_index(const char *name);
int rule_action_parse(const char *s, enum rule_action *out);
const char *rule_action_name(enum rule_action a);

/* parent + "/" + key, the key escaped as RFC 6901 asks ("~0", "~1"); the
 * caller frees; NULL when out of memory. */
char *json_pointer_join(const char *parent, const char *key);

/* Require obj[key] == wanted, where obj is the object at parent_pointer
 * (created when missing). Takes ownership of wanted. Returns -1 on refusal
 * or error. */
int rule_set(struct rule_ctx *c, const char *parent_pointer, const char *key, struct json *wanted,
             const char *reason);
/* Require obj[key] to be absent (removed under enforce). */
int rule_unset(struct rule_ctx *c, const char *parent_pointer, const char *key, const char *reason);
/* Require item to be present in the array at array_pointer, inserted at
 * index at (or appended when at >= length). Takes ownership of item. */
int rule_insert(struct rule_ctx *c, const char *array_pointer, size_t at, struct json *item,
                const char *reason);
/* Something no rewrite can fix (a host namespace, a sensitive host path):
 * refused under enforce and deny, recorded under warn. */
int rule_refuse(struct rule_ctx *c, const char *pointer, const struct json *value,
                const char *reason);
/* rule_refuse with a reason formatted on the heap: for reasons that carry
 * the spec's or the host's text, which no fixed buffer may cut. */
int rule_refusef(struct rule_ctx *c, const char *pointer, const struct json *value, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

/* Something judged and let through as it is that the report should show
 * (a kept hook). */
int rule_keep(struct rule_ctx *c, const char *pointer, const struct json *value,
              const char *reason);

/* What the probe could not tell (a dry run, a path not on this host):
 * recorded as judged at create, with what. */
int rule_defer(struct rule_ctx *c, const char *pointer, const struct json *value, const char *what);

/* Run every rule of env->scope with its action from actions[] (indexed like
 * rule_table).
 * All rules run even after a refusal, so the report lists every problem;
 * the first refusal's message is returned in err. */
int pipeline_run(struct json *spec, struct pipeline_env *env, const enum rule_action *actions,
                 const struct hr_params *params, struct report *report, struct hr_error *err);

/* The rules, one file each. */
extern const struct rule_def rule_fields, rule_annotations, rule_groups, rule_oom, rule_cgroups,
    rule_hooks, rule_user, rule_userns, rule_rootfs, rule_nnp, rule_caps, rule_cwd, rule_labels,
    rule_seccomp, rule_resources, rule_rlimits, rule_namespaces, rule_mounts, rule_devices,
    rule_paths, rule_sysctls, rule_systemd;

#endif
