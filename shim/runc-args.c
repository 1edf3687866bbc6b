// SPDX-License-Identifier: GPL-2.0-or-later
/* Tables of runc 1.1's verbs and flags, and a parser that reproduces how
 * runc reads them:
 *  - Go's flag package: "-name" and "--name" are the same flag, a value is
 *    "--name=value" or the next argument (even one starting with '-'), a bool
 *    takes only "--name" or "--name=<bool>", "--" ends the flags, parsing
 *    stops at the first non-flag argument, a repeated flag's last value wins.
 *  - urfave/cli v1 reorders a verb's arguments before parsing (runc's `exec`
 *    and `ps` opt out), so `create ID --bundle B` works. Its reorder moves
 *    the argument after *any* flag written without '=' next to it, bools
 *    included: `create --no-pivot ID --bundle B` hands "ID" to --no-pivot's
 *    value slot, Go's parser then stops at "ID" and runc refuses three
 *    positionals. We reproduce the quirk rather than guess. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "gonum.h"
#include "runc-args.h"

enum flag_kind {
        FLAG_BOOL,
        FLAG_VALUE,
};

enum flag_role {
        ROLE_NONE,
        ROLE_HELP,
        ROLE_VERSION,
        ROLE_LOG,
        ROLE_LOG_FORMAT,
        ROLE_ROOT,
        ROLE_BUNDLE,
        ROLE_PROCESS,
        ROLE_RESOURCES,
        ROLE_DETACH,
        ROLE_KEEP,
        ROLE_SYSTEMD_CGROUP,
        ROLE_OUR_PROFILE,
        ROLE_OUR_CONFIG,
        ROLE_OUR_DRY_RUN,
};

struct flag_def {
        const char *name;
        const char *alias; /* short form, or NULL */
        enum flag_kind kind;
        enum flag_role role;
};

#define END                                                                                        \
        {                                                                                          \
                NULL, NULL, FLAG_BOOL, ROLE_NONE                                                   \
        }
/* urfave/cli adds --help/-h to every command. */
#define HELP                                                                                       \
        {                                                                                          \
                "help", "h", FLAG_BOOL, ROLE_HELP                                                  \
        }

static const struct flag_def global_flags[] = {
    {"debug", NULL, FLAG_BOOL, ROLE_NONE},
    {"log", NULL, FLAG_VALUE, ROLE_LOG},
    {"log-format", NULL, FLAG_VALUE, ROLE_LOG_FORMAT},
    {"root", NULL, FLAG_VALUE, ROLE_ROOT},
    {"criu", NULL, FLAG_VALUE, ROLE_NONE},
    {"systemd-cgroup", NULL, FLAG_BOOL, ROLE_SYSTEMD_CGROUP},
    {"rootless", NULL, FLAG_VALUE, ROLE_NONE},
    HELP,
    {"version", "v", FLAG_BOOL, ROLE_VERSION},
    /* ours: recognised among the globals, where daemon.json's runtimeArgs
     * put them, and removed before exec */
    {"profile", NULL, FLAG_VALUE, ROLE_OUR_PROFILE},
    {"config", NULL, FLAG_VALUE, ROLE_OUR_CONFIG},
    {"dry-run", NULL, FLAG_BOOL, ROLE_OUR_DRY_RUN}, /* optional "=mode" */
    END,
};

static const struct flag_def create_flags[] = {
    {"bundle", "b", FLAG_VALUE, ROLE_BUNDLE},
    {"console-socket", NULL, FLAG_VALUE, ROLE_NONE},
    {"pid-file", NULL, FLAG_VALUE, ROLE_NONE},
    {"no-pivot", NULL, FLAG_BOOL, ROLE_NONE},
    {"no-new-keyring", NULL, FLAG_BOOL, ROLE_NONE},
    {"preserve-fds", NULL, FLAG_VALUE, ROLE_NONE},
    HELP,
    END,
};

static const struct flag_def run_flags[] = {
    {"bundle", "b", FLAG_VALUE, ROLE_BUNDLE},
    {"console-socket", NULL, FLAG_VALUE, ROLE_NONE},
    {"detach", "d", FLAG_BOOL, ROLE_DETACH},
    {"keep", NULL, FLAG_BOOL, ROLE_KEEP},
    {"pid-file", NULL, FLAG_VALUE, ROLE_NONE},
    {"no-subreaper", NULL, FLAG_BOOL, ROLE_NONE},
    {"no-pivot", NULL, FLAG_BOOL, ROLE_NONE},
    {"no-new-keyring", NULL, FLAG_BOOL, ROLE_NONE},
    {"preserve-fds", NULL, FLAG_VALUE, ROLE_NONE},
    HELP,
    END,
};

static const struct flag_def restore_flags[] = {
    {"console-socket", NULL, FLAG_VALUE, ROLE_NONE},
    {"image-path", NULL, FLAG_VALUE, ROLE_NONE},
    {"work-path", NULL, FLAG_VALUE, ROLE_NONE},
    {"tcp-established", NULL, FLAG_BOOL, ROLE_NONE},
    {"ext-unix-sk", NULL, FLAG_BOOL, ROLE_NONE},
    {"shell-job", NULL, FLAG_BOOL, ROLE_NONE},
    {"file-locks", NULL, FLAG_BOOL, ROLE_NONE},
    {"manage-cgroups-mode", NULL, FLAG_VALUE, ROLE_NONE},
    {"bundle", "b", FLAG_VALUE, ROLE_BUNDLE},
    {"detach", "d", FLAG_BOOL, ROLE_NONE},
    {"pid-file", NULL, FLAG_VALUE, ROLE_NONE},
    {"no-subreaper", NULL, FLAG_BOOL, ROLE_NONE},
    {"no-pivot", NULL, FLAG_BOOL, ROLE_NONE},
    {"empty-ns", NULL, FLAG_VALUE, ROLE_NONE},
    {"auto-dedup", NULL, FLAG_BOOL, ROLE_NONE},
    {"lazy-pages", NULL, FLAG_BOOL, ROLE_NONE},
    {"lsm-profile", NULL, FLAG_VALUE, ROLE_NONE},
    {"lsm-mount-context", NULL, FLAG_VALUE, ROLE_NONE},
    HELP,
    END,
};

static const struct flag_def exec_flags[] = {
    {"console-socket", NULL, FLAG_VALUE, ROLE_NONE},
    {"cwd", NULL, FLAG_VALUE, ROLE_NONE},
    {"env", "e", FLAG_VALUE, ROLE_NONE},
    {"tty", "t", FLAG_BOOL, ROLE_NONE},
    {"user", "u", FLAG_VALUE, ROLE_NONE},
    {"additional-gids", "g", FLAG_VALUE, ROLE_NONE},
    {"process", "p", FLAG_VALUE, ROLE_PROCESS},
    {"detach", "d", FLAG_BOOL, ROLE_NONE},
    {"pid-file", NULL, FLAG_VALUE, ROLE_NONE},
    {"process-label", NULL, FLAG_VALUE, ROLE_NONE},
    {"apparmor", NULL, FLAG_VALUE, ROLE_NONE},
    {"no-new-privs", NULL, FLAG_BOOL, ROLE_NONE},
    {"cap", "c", FLAG_VALUE, ROLE_NONE},
    {"preserve-fds", NULL, FLAG_VALUE, ROLE_NONE},
    {"cgroup", NULL, FLAG_VALUE, ROLE_NONE},
    {"ignore-paused", NULL, FLAG_BOOL, ROLE_NONE},
    HELP,
    END,
};

static const struct flag_def update_flags[] = {
    {"resources", "r", FLAG_VALUE, ROLE_RESOURCES},
    {"blkio-weight", NULL, FLAG_VALUE, ROLE_NONE},
    {"cpu-period", NULL, FLAG_VALUE, ROLE_NONE},
    {"cpu-quota", NULL, FLAG_VALUE, ROLE_NONE},
    {"cpu-share", NULL, FLAG_VALUE, ROLE_NONE},
    {"cpu-rt-period", NULL, FLAG_VALUE, ROLE_NONE},
    {"cpu-rt-runtime", NULL, FLAG_VALUE, ROLE_NONE},
    {"cpuset-cpus", NULL, FLAG_VALUE, ROLE_NONE},
    {"cpuset-mems", NULL, FLAG_VALUE, ROLE_NONE},
    {"kernel-memory", NULL, FLAG_VALUE, ROLE_NONE},
    {"kernel-memory-tcp", NULL, FLAG_VALUE, ROLE_NONE},
    {"memory", NULL, FLAG_VALUE, ROLE_NONE},
    {"cpu-idle", NULL, FLAG_VALUE, ROLE_NONE},
    {"memory-reservation", NULL, FLAG_VALUE, ROLE_NONE},
    {"memory-swap", NULL, FLAG_VALUE, ROLE_NONE},
    {"pids-limit", NULL, FLAG_VALUE, ROLE_NONE},
    {"l3-cache-schema", NULL, FLAG_VALUE, ROLE_NONE},
    {"mem-bw-schema", NULL, FLAG_VALUE, ROLE_NONE},
    HELP,
    END,
};

static const struct flag_def checkpoint_flags[] = {
    {"image-path", NULL, FLAG_VALUE, ROLE_NONE},
    {"work-path", NULL, FLAG_VALUE, ROLE_NONE},
    {"parent-path", NULL, FLAG_VALUE, ROLE_NONE},
    {"leave-running", NULL, FLAG_BOOL, ROLE_NONE},
    {"tcp-established", NULL, FLAG_BOOL, ROLE_NONE},
    {"ext-unix-sk", NULL, FLAG_BOOL, ROLE_NONE},
    {"shell-job", NULL, FLAG_BOOL, ROLE_NONE},
    {"lazy-pages", NULL, FLAG_BOOL, ROLE_NONE},
    {"status-fd", NULL, FLAG_VALUE, ROLE_NONE},
    {"page-server", NULL, FLAG_VALUE, ROLE_NONE},
    {"file-locks", NULL, FLAG_BOOL, ROLE_NONE},
    {"pre-dump", NULL, FLAG_BOOL, ROLE_NONE},
    {"manage-cgroups-mode", NULL, FLAG_VALUE, ROLE_NONE},
    {"empty-ns", NULL, FLAG_VALUE, ROLE_NONE},
    {"auto-dedup", NULL, FLAG_BOOL, ROLE_NONE},
    HELP,
    END,
};

static const struct flag_def kill_flags[] = {{"all", "a", FLAG_BOOL, ROLE_NONE}, HELP, END};
static const struct flag_def delete_flags[] = {{"force", "f", FLAG_BOOL, ROLE_NONE}, HELP, END};
static const struct flag_def ps_flags[] = {{"format", "f", FLAG_VALUE, ROLE_NONE}, HELP, END};
static const struct flag_def events_flags[] = {
    {"interval", NULL, FLAG_VALUE, ROLE_NONE}, {"stats", NULL, FLAG_BOOL, ROLE_NONE}, HELP, END};
static const struct flag_def list_flags[] = {
    {"format", "f", FLAG_VALUE, ROLE_NONE}, {"quiet", "q", FLAG_BOOL, ROLE_NONE}, HELP, END};
static const struct flag_def spec_flags[] = {
    {"bundle", "b", FLAG_VALUE, ROLE_NONE}, {"rootless", NULL, FLAG_BOOL, ROLE_NONE}, HELP, END};
static const struct flag_def plain_flags[] = {HELP, END};
static const struct flag_def seccomp_log_flags[] = {
    {"seconds", NULL, FLAG_VALUE, ROLE_NONE}, HELP, END};
static const struct flag_def setup_flags[] = {{"default", NULL, FLAG_BOOL, ROLE_NONE},
                                              {"name", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"profile", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"dry-run", NULL, FLAG_BOOL, ROLE_NONE},
                                              {"reload", NULL, FLAG_BOOL, ROLE_NONE},
                                              {"remove", NULL, FLAG_BOOL, ROLE_NONE},
                                              {"daemon-json", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"config-toml", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"containers-conf", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"pid-file", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"path", NULL, FLAG_VALUE, ROLE_NONE},
                                              HELP,
                                              END};
static const struct flag_def check_flags[] = {{"format", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"bundle", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"id", NULL, FLAG_VALUE, ROLE_NONE},
                                              {"running", NULL, FLAG_BOOL, ROLE_NONE},
                                              HELP,
                                              END};

struct verb_def {
        const char *name;
        enum runc_verb verb;
        const struct flag_def *flags;
        bool reorder;           /* urfave/cli reorders flags after positionals */
        bool default_bundle;    /* bundle defaults to the current directory */
        int min_args, max_args; /* positional arguments runc accepts; -1: no limit */
};

static const struct verb_def verbs[] = {
    {"create", VERB_CREATE, create_flags, true, true, 1, 1},
    {"run", VERB_RUN, run_flags, true, true, 1, 1},
    {"restore", VERB_RESTORE, restore_flags, true, true, 1, 1},
    /* runc sets SkipArgReorder on exec: after the ID comes the command */
    {"exec", VERB_EXEC, exec_flags, false, false, 1, -1},
    {"update", VERB_UPDATE, update_flags, true, false, 1, 1},
    {"start", VERB_START, plain_flags, true, false, 1, 1},
    {"state", VERB_STATE, plain_flags, true, false, 1, 1},
    {"kill", VERB_KILL, kill_flags, true, false, 1, 2},
    {"delete", VERB_DELETE, delete_flags, true, false, 1, 1},
    {"pause", VERB_PAUSE, plain_flags, true, false, 1, 1},
    {"resume", VERB_RESUME, plain_flags, true, false, 1, 1},
    {"ps", VERB_PS, ps_flags, false, false, 1, -1},
    {"events", VERB_EVENTS, events_flags, true, false, 1, 1},
    {"checkpoint", VERB_CHECKPOINT, checkpoint_flags, true, false, 1, 1},
    {"list", VERB_LIST, list_flags, true, false, 0, 0},
    {"spec", VERB_SPEC, spec_flags, true, false, 0, 0},
    {"features", VERB_FEATURES, plain_flags, true, false, 0, 0},
    /* ours: answered by hardened-runc itself, never passed on */
    {"fields", VERB_FIELDS, plain_flags, true, false, 0, 0},
    {"gc", VERB_GC, plain_flags, true, false, 0, 0},
    {"seccomp-log", VERB_SECCOMP_LOG, seccomp_log_flags, true, false, 1, 1},
    {"check", VERB_CHECK, check_flags, true, false, 0, 1},
    {"keys", VERB_KEYS, plain_flags, true, false, 0, 0},
    {"setup", VERB_SETUP, setup_flags, true, false, 1, 1},
};

bool runc_verb_is_ours(enum runc_verb verb)
{
        return verb >= VERB_FIELDS;
}

bool runc_verb_carries_spec(enum runc_verb verb)
{
        return verb == VERB_CREATE || verb == VERB_RUN || verb == VERB_RESTORE ||
               verb == VERB_EXEC || verb == VERB_UPDATE;
}

const char *dry_run_mode_name(enum dry_run_mode mode)
{
        static const char *const names[] = {"off", "spec", "diff", "report"};
        return names[mode];
}

static const struct flag_def *find_flag(const struct flag_def *table, const char *name, size_t len)
{
        for (const struct flag_def *f = table; f->name != NULL; f++) {
                if (strlen(f->name) == len && strncmp(f->name, name, len) == 0)
                        return f;
                if (f->alias != NULL && strlen(f->alias) == len &&
                    strncmp(f->alias, name, len) == 0)
                        return f;
        }
        return NULL;
}

/* One flag as Go's flag package splits it. */
struct flag_token {
        const char *name;
        size_t name_len;
        const char *value; /* after '=', or NULL */
};

/* Returns 1 for a flag, 0 for "not a flag: stop", -1 for bad syntax.
 * "--" is reported as 0 with *terminator set. */
static int split_flag(const char *arg, struct flag_token *t, bool *terminator)
{
        const char *name;
        const char *eq;
        *terminator = false;
        if (arg[0] != '-' || arg[1] == '\0')
                return 0;
        name = arg + 1;
        if (*name == '-') {
                name++;
                if (*name == '\0') {
                        *terminator = true;
                        return 0;
                }
        }
        if (*name == '-' || *name == '=')
                return -1;
        eq = strchr(name + 1, '=');
        t->name = name;
        t->name_len = eq ? (size_t)(eq - name) : strlen(name);
        t->value = eq ? eq + 1 : NULL;
        return 1;
}

/* urfave/cli's argIsFlag: a dash, then a name known to the command. */
static bool arg_is_flag(const struct flag_def *table, const char *arg)
{
        const char *name = arg;
        size_t len;
        if (arg[0] != '-' || strcmp(arg, "-") == 0 || strcmp(arg, "--") == 0)
                return false;
        name += name[1] == '-' ? 2 : 1;
        len = strcspn(name, "=");
        return find_flag(table, name, len) != NULL;
}

/* urfave/cli v1.22 reorderArgs as vendored by runc 1.1 (measured against
 * runc 1.1.5, see tests/unit/test-args.c): after a flag written without '=',
 * the next argument that is not itself one of the verb's flags is moved next
 * to it, bools included; a "--" outside a value slot moves to the front of
 * the positionals together with everything after it. */
static int reorder(const struct flag_def *table, char **args, int n, char ***out)
{
        char **res = calloc((size_t)n + 1, sizeof(*res));
        char **rest = calloc((size_t)n + 1, sizeof(*rest));
        int nr = 0, nrest = 0;
        bool next_may_be_value = false;
        if (res == NULL || rest == NULL) {
                free(res);
                free(rest);
                return -1;
        }
        for (int i = 0; i < n; i++) {
                if (next_may_be_value && !arg_is_flag(table, args[i])) {
                        next_may_be_value = false;
                        res[nr++] = args[i];
                } else if (strcmp(args[i], "--") == 0) {
                        memmove(rest + 1, rest, (size_t)nrest * sizeof(*rest));
                        rest[0] = args[i];
                        nrest++;
                        while (++i < n)
                                rest[nrest++] = args[i];
                        break;
                } else if (arg_is_flag(table, args[i])) {
                        res[nr++] = args[i];
                        next_may_be_value = strchr(args[i], '=') == NULL;
                } else {
                        rest[nrest++] = args[i];
                }
        }
        memcpy(res + nr, rest, (size_t)nrest * sizeof(*rest));
        free(rest);
        *out = res;
        return 0;
}

struct parse_state {
        struct runc_args *a;
        struct hr_error *err;
        const char *where; /* "global" or the verb name, for messages */
        /* when set, uses of the verb's flags are recorded: origin is the
         * verb's arguments as given, starting at argv[origin_at] */
        char **origin;
        int origin_n, origin_at;
};

/* Remember a use of a verb flag by its place in argv (the parser may see a
 * reordered view of the same pointers). */
static int record_use(struct parse_state *ps, const struct flag_def *f, char *arg,
                      const char *value, int span)
{
        struct runc_args *a = ps->a;
        struct flag_use *grown;
        int at = -1;
        for (int j = 0; j < ps->origin_n && at < 0; j++)
                if (ps->origin[j] == arg)
                        at = ps->origin_at + j;
        if (at < 0)
                return hr_fail(ps->err, "internal error: flag %s not found in argv", arg);
        grown = reallocarray(a->uses, a->nuses + 1, sizeof(*grown));
        if (grown == NULL)
                return hr_fail(ps->err, "out of memory");
        a->uses = grown;
        a->uses[a->nuses++] = (struct flag_use){f->name, value, at, span};
        return 0;
}

static int set_dry_run(struct parse_state *ps, const char *value)
{
        static const struct {
                const char *name;
                enum dry_run_mode mode;
        } modes[] = {{"spec", DRY_RUN_SPEC}, {"diff", DRY_RUN_DIFF}, {"report", DRY_RUN_REPORT}};
        if (value == NULL) {
                ps->a->dry_run = DRY_RUN_SPEC;
                return 0;
        }
        for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++) {
                if (strcmp(value, modes[i].name) == 0) {
                        ps->a->dry_run = modes[i].mode;
                        return 0;
                }
        }
        return hr_fail(ps->err, "--dry-run=%s: unknown mode (expected spec, diff or report)",
                       value);
}

/* Record what a recognised flag means for us. */
static int apply_flag(struct parse_state *ps, const struct flag_def *f, const char *value)
{
        struct runc_args *a = ps->a;
        bool b = true;
        if (f->role == ROLE_OUR_DRY_RUN)
                return set_dry_run(ps, value);
        if (f->kind == FLAG_BOOL && value != NULL && go_parse_bool(value, &b) < 0)
                return hr_fail(ps->err, "%s flag --%s=%s: not a boolean", ps->where, f->name,
                               value);
        switch (f->role) {
        case ROLE_HELP:
                a->help = a->help || b;
                break;
        case ROLE_DETACH:
                a->detach = b;
                break;
        case ROLE_KEEP:
                a->keep = b;
                break;
        case ROLE_SYSTEMD_CGROUP:
                a->systemd_cgroup = b;
                break;
        case ROLE_VERSION:
                a->version = a->version || b;
                break;
        case ROLE_LOG:
                a->log_path = value;
                break;
        case ROLE_LOG_FORMAT:
                a->log_format = value;
                break;
        case ROLE_ROOT:
                a->root = value;
                break;
        case ROLE_BUNDLE:
                a->bundle = value;
                break;
        case ROLE_PROCESS:
                a->process = value;
                break;
        case ROLE_RESOURCES:
                a->resources = value;
                break;
        case ROLE_OUR_PROFILE:
                if (*value == '\0')
                        return hr_fail(ps->err, "--profile: empty value");
                a->profile = value;
                break;
        case ROLE_OUR_CONFIG:
                if (*value == '\0')
                        return hr_fail(ps->err, "--config: empty value");
                a->config = value;
                break;
        case ROLE_NONE:
        case ROLE_OUR_DRY_RUN:
                break;
        }
        return 0;
}

/* Go's FlagSet.Parse over args[0..n): returns the index of the first
 * positional argument. *ours (may be NULL) marks arguments that are our own
 * flags, to be dropped before exec. */
static int parse_flags(struct parse_state *ps, const struct flag_def *table, char **args, int n,
                       bool *ours)
{
        int i = 0;
        while (i < n) {
                struct flag_token t;
                bool terminator;
                const struct flag_def *f;
                const char *value;
                int first = i;
                int k = split_flag(args[i], &t, &terminator);
                if (k < 0)
                        return hr_fail(ps->err, "%s: bad flag syntax: %s", ps->where, args[i]);
                if (k == 0)
                        return terminator ? i + 1 : i;
                f = find_flag(table, t.name, t.name_len);
                if (f == NULL)
                        return hr_fail(ps->err, "%s: flag provided but not defined: %s", ps->where,
                                       args[i]);
                value = t.value;
                i++;
                if (f->kind == FLAG_VALUE && value == NULL) {
                        if (i >= n)
                                return hr_fail(ps->err, "%s: flag needs an argument: %s", ps->where,
                                               args[first]);
                        value = args[i++];
                }
                if (apply_flag(ps, f, value) < 0)
                        return -1;
                if (ps->origin != NULL && record_use(ps, f, args[first], value, i - first) < 0)
                        return -1;
                if (ours != NULL && f->role >= ROLE_OUR_PROFILE)
                        for (int j = first; j < i; j++)
                                ours[j] = true;
        }
        return i;
}

static const struct verb_def *find_verb(const char *name)
{
        for (size_t i = 0; i < sizeof(verbs) / sizeof(*verbs); i++)
                if (strcmp(verbs[i].name, name) == 0)
                        return &verbs[i];
        return NULL;
}

/* Parse the verb's own arguments. For verbs that do not hand runc a spec,
 * anything we do not understand is left for runc to judge. */
static int parse_verb(struct parse_state *ps, const struct verb_def *v, char **args, int n)
{
        char **view = args;
        char **reordered = NULL;
        int pos, npos, rc = 0;
        /* our own verbs are ours to refuse too */
        bool ours = runc_verb_is_ours(v->verb);
        bool strict = runc_verb_carries_spec(v->verb) || ours;
        struct hr_error scratch = {0};
        struct parse_state local = {ps->a, strict ? ps->err : &scratch, v->name, args,
                                    n,     (int)(args - ps->a->argv)};

        if (v->reorder) {
                if (reorder(v->flags, args, n, &reordered) < 0)
                        return hr_fail(ps->err, "out of memory");
                view = reordered;
        }
        pos = parse_flags(&local, v->flags, view, n, NULL);
        if (pos < 0) {
                rc = strict ? -1 : 0;
                goto out;
        }
        npos = n - pos;
        if (npos > 0)
                ps->a->container_id = view[pos];
        for (int j = 0; j < n && npos > 0; j++)
                if (args[j] == view[pos])
                        ps->a->positional = local.origin_at + j;
        if (strict && !ps->a->help &&
            (npos < v->min_args || (v->max_args >= 0 && npos > v->max_args))) {
                /* "at least 1", "at most 1" or exactly n */
                bool range = v->max_args < 0 || v->max_args > v->min_args;
                int shown = v->max_args > v->min_args ? v->max_args : v->min_args;
                rc = hr_fail(ps->err, "%s: expected %s%d argument%s, got %d%s", v->name,
                             !range            ? ""
                             : v->max_args < 0 ? "at least "
                                               : "at most ",
                             shown, shown == 1 ? "" : "s", npos,
                             ours ? "" : " (runc would refuse it too)");
                goto out;
        }
        if (v->default_bundle && ps->a->bundle == NULL)
                ps->a->bundle = ".";
out:
        hr_error_clear(&scratch);
        free(reordered);
        return rc;
}

int runc_args_parse(int argc, char **argv, struct runc_args *a, struct hr_error *err)
{
        /* a is the output runc_args_parse fills: only its address is stored here */
        // cppcheck-suppress ctuuninitvar
        struct parse_state ps = {a, err, "global", NULL, 0, 0};
        bool *ours = NULL;
        int verb_at;
        const struct verb_def *v;

        memset(a, 0, sizeof(*a));
        if (argc < 1)
                return hr_fail(err, "empty argument vector");
        a->argv = argv;
        a->argc = argc;
        ours = calloc((size_t)argc, sizeof(*ours));
        a->runtime_argv = calloc((size_t)argc + 1, sizeof(*a->runtime_argv));
        if (ours == NULL || a->runtime_argv == NULL) {
                free(ours);
                return hr_fail(err, "out of memory");
        }
        verb_at = parse_flags(&ps, global_flags, argv + 1, argc - 1, ours + 1);
        if (verb_at < 0)
                goto fail;
        verb_at += 1;
        a->verb = VERB_NONE;
        if (verb_at < argc) {
                a->verb_name = argv[verb_at];
                a->verb_at = verb_at;
                v = find_verb(argv[verb_at]);
                a->verb = v ? v->verb : VERB_OTHER;
                if (v != NULL && parse_verb(&ps, v, argv + verb_at + 1, argc - verb_at - 1) < 0)
                        goto fail;
        }
        a->runtime_argv[a->runtime_argc++] = argv[0];
        for (int i = 1; i < argc; i++)
                if (!ours[i])
                        a->runtime_argv[a->runtime_argc++] = argv[i];
        a->runtime_argv[a->runtime_argc] = NULL;
        a->ours = ours;
        return 0;
fail:
        free(ours);
        runc_args_free(a);
        return -1;
}

void runc_args_free(struct runc_args *a)
{
        free(a->runtime_argv);
        free(a->uses);
        free(a->ours);
        a->runtime_argv = NULL;
        a->uses = NULL;
        a->ours = NULL;
}

const struct flag_use *runc_args_last(const struct runc_args *a, const char *name)
{
        const struct flag_use *last = NULL;
        for (size_t i = 0; i < a->nuses; i++)
                if (strcmp(a->uses[i].name, name) == 0)
                        last = &a->uses[i];
        return last;
}

bool runc_args_bool(const struct runc_args *a, const char *name, bool dflt)
{
        const struct flag_use *u = runc_args_last(a, name);
        bool b = true;
        if (u == NULL)
                return dflt;
        if (u->value != NULL)
                go_parse_bool(u->value, &b); /* the parser already refused a bad one */
        return b;
}

static bool dropped(const struct runc_args *a, const char *const *drop, int i)
{
        for (size_t u = 0; u < a->nuses; u++) {
                if (i < a->uses[u].at || i >= a->uses[u].at + a->uses[u].span)
                        continue;
                for (const char *const *d = drop; *d != NULL; d++)
                        if (strcmp(*d, a->uses[u].name) == 0)
                                return true;
        }
        return false;
}

char **runc_args_rebuild(const struct runc_args *a, const char *const *drop, char *const *insert)
{
        size_t ninsert = 0, n = 0;
        char **out;
        while (insert[ninsert] != NULL)
                ninsert++;
        out = calloc((size_t)a->argc + ninsert + 1, sizeof(*out));
        if (out == NULL)
                return NULL;
        for (int i = 0; i < a->argc; i++) {
                if (a->ours[i] || dropped(a, drop, i))
                        continue;
                out[n++] = a->argv[i];
                if (i == a->verb_at && a->verb_at > 0)
                        for (size_t k = 0; k < ninsert; k++)
                                out[n++] = insert[k];
        }
        out[n] = NULL;
        return out;
}

char **runc_args_with_globals(const struct runc_args *a, char *const *tail)
{
        size_t ntail = 0, n = 0;
        char **out;
        int end = a->verb_at > 0 ? a->verb_at : a->argc;
        while (tail[ntail] != NULL)
                ntail++;
        out = calloc((size_t)end + ntail + 1, sizeof(*out));
        if (out == NULL)
                return NULL;
        for (int i = 0; i < end; i++)
                if (!a->ours[i])
                        out[n++] = a->argv[i];
        for (size_t k = 0; k < ntail; k++)
                out[n++] = tail[k];
        out[n] = NULL;
        return out;
}

void runc_args_our_words(void (*fn)(const char *word, void *arg), void *arg)
{
        char flag[64];
        for (const struct flag_def *f = global_flags; f->name != NULL; f++)
                if (f->role == ROLE_OUR_PROFILE || f->role == ROLE_OUR_CONFIG ||
                    f->role == ROLE_OUR_DRY_RUN) {
                        snprintf(flag, sizeof(flag), "--%s", f->name);
                        fn(flag, arg);
                }
        for (size_t i = 0; i < sizeof(verbs) / sizeof(*verbs); i++) {
                if (!runc_verb_is_ours(verbs[i].verb))
                        continue;
                fn(verbs[i].name, arg);
                for (const struct flag_def *f = verbs[i].flags; f->name != NULL; f++)
                        if (f->role != ROLE_HELP) {
                                snprintf(flag, sizeof(flag), "--%s", f->name);
                                fn(flag, arg);
                        }
        }
}
