// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "cleanup.h"
#include "diff.h"
#include "gonum.h"
#include "json.h"
#include "setup.h"
#include "staging.h"

#define DOCKER_DAEMON_JSON "/etc/docker/daemon.json"
#define DOCKER_PID_FILE    "/run/docker.pid"
#define CONTAINERD_CONFIG  "/etc/containerd/config.toml"
#define PODMAN_CONF        "/etc/containers/containers.conf"
#define CRI_RUNTIMES       "plugins.\"io.containerd.grpc.v1.cri\".containerd"

struct setup_opts {
        const char *target; /* docker, containerd, podman */
        const char *name;   /* the runtime's name: "hardened" */
        const char *profile;
        const char *file;     /* the engine's config file */
        const char *pid_file; /* docker: dockerd's */
        bool name_given, dflt, dry_run, reload, remove;
        char *self; /* the binary the entry runs: --path, else our own */
};

static const char *flag_value(const struct runc_args *a, const char *name, const char *dflt)
{
        const struct flag_use *u = runc_args_last(a, name);
        return u != NULL ? u->value : dflt;
}

static int parse_opts(const struct runc_args *a, struct setup_opts *o, struct hr_error *err)
{
        const char *path = flag_value(a, "path", NULL);
        static const char *const files[][3] = {{"docker", "daemon-json", DOCKER_DAEMON_JSON},
                                               {"containerd", "config-toml", CONTAINERD_CONFIG},
                                               {"podman", "containers-conf", PODMAN_CONF}};
        *o = (struct setup_opts){.target = a->container_id,
                                 .name = flag_value(a, "name", "hardened"),
                                 .profile = flag_value(a, "profile", NULL),
                                 .pid_file = flag_value(a, "pid-file", DOCKER_PID_FILE),
                                 .name_given = runc_args_last(a, "name") != NULL,
                                 .dflt = runc_args_bool(a, "default", false),
                                 .dry_run = runc_args_bool(a, "dry-run", false),
                                 .reload = runc_args_bool(a, "reload", false),
                                 .remove = runc_args_bool(a, "remove", false)};
        if (o->target == NULL)
                return hr_fail(err, "setup: name the engine: docker, containerd or podman");
        for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
                if (strcmp(o->target, files[i][0]) == 0)
                        o->file = flag_value(a, files[i][1], files[i][2]);
                else if (runc_args_last(a, files[i][1]) != NULL)
                        return hr_fail(err, "setup %s: --%s is for setup %s", o->target,
                                       files[i][1], files[i][0]);
        }
        if (o->file == NULL)
                return hr_fail(err, "setup %s: not an engine (docker, containerd or podman)",
                               o->target);
        if (!container_id_safe(o->name) || strlen(o->name) > 64)
                return hr_fail(err,
                               "setup --name %s: a runtime name is letters, digits, '.', "
                               "'_' and '-'",
                               o->name);
        if (o->profile != NULL && (o->profile[0] == '\0' || o->profile[0] == '-'))
                return hr_fail(err, "setup --profile \"%s\": not a profile name or path",
                               o->profile);
        if (o->file[0] != '/' || (path != NULL && path[0] != '/'))
                return hr_fail(err, "setup: %s is not an absolute path",
                               o->file[0] != '/' ? o->file : path);
        if (o->reload && strcmp(o->target, "docker") != 0)
                return hr_fail(err, "setup %s: --reload is for docker (restart %s yourself)",
                               o->target, o->target);
        o->self = path != NULL ? strdup(path) : realpath("/proc/self/exe", NULL);
        if (o->self == NULL)
                return hr_fail_errno(err, errno, "setup: the path of this binary");
        return 0;
}

/* ---- docker: daemon.json ----------------------------------------------------- */

/* The file as it is (text "" and *exists false when there is none yet). */
static int read_config(const char *path, char **text, size_t *len, struct stat *st, bool *exists,
                       struct hr_error *err)
{
        cleanup_free char *dir = strdup(path);
        cleanup_close int dirfd = -1;
        if (dir == NULL)
                return hr_fail(err, "out of memory");
        if ((dirfd = open(dirname(dir), O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                return hr_fail_errno(err, errno, "%s: its directory", path);
        *exists = faccessat(dirfd, strrchr(path, '/') + 1, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
        if (!*exists) {
                *text = strdup("");
                *len = 0;
                *st = (struct stat){
                    .st_mode = S_IFREG | 0644, .st_uid = geteuid(), .st_gid = getegid()};
                return *text != NULL ? 0 : hr_fail(err, "out of memory");
        }
        if (file_read_at(dirfd, strrchr(path, '/') + 1, JSON_MAX_SIZE, text, len, st, err) < 0)
                return hr_error_prefix(err, "%s", path);
        return 0;
}

static bool is_ours(const struct json *entry, const char *self)
{
        const struct json *p = json_obj_get(entry, "path");
        return p != NULL && p->type == JSON_STRING && strcmp(p->text, self) == 0;
}

static struct json *docker_entry(const struct setup_opts *o)
{
        struct json *e = json_object_of("path", json_new_string(o->self), NULL);
        const char *args[] = {"--profile", o->profile, NULL};
        struct hr_error err = {0};
        if (e != NULL && o->profile != NULL &&
            json_obj_set(e, "runtimeArgs", json_array_of_strings(args), &err) < 0) {
                hr_error_clear(&err);
                json_free(e);
                return NULL;
        }
        return e;
}

/* Our entries out: the one named (when its path is ours), or every entry
 * whose path is this binary. A default-runtime that named one becomes
 * "runc", dockerd's own: a reload keeps the default it has when the file
 * names none (measured with dockerd 20.10), so removing the key would
 * leave dockerd running a runtime that is gone. */
static int docker_remove(struct json *doc, struct json *runtimes, const struct setup_opts *o,
                         struct hr_error *err)
{
        const struct json *dflt = json_obj_get(doc, "default-runtime");
        bool dflt_gone = false;
        for (size_t i = runtimes != NULL ? runtimes->n : 0; i-- > 0;) {
                if (!is_ours(runtimes->vals[i], o->self) ||
                    (o->name_given && strcmp(runtimes->keys[i], o->name) != 0))
                        continue;
                dflt_gone |= dflt != NULL && dflt->type == JSON_STRING &&
                             strcmp(dflt->text, runtimes->keys[i]) == 0;
                json_remove_at(runtimes, i);
        }
        /* An emptied "runtimes" goes too; it is freed with its slot, so
         * nothing reads it after. */
        for (size_t i = 0; runtimes != NULL && runtimes->n == 0 && i < doc->n; i++)
                if (doc->vals[i] == runtimes) {
                        json_remove_at(doc, i);
                        break;
                }
        if (dflt_gone)
                return json_obj_set(doc, "default-runtime", json_new_string("runc"), err);
        return 0;
}

static int docker_change(struct json *doc, const struct setup_opts *o, struct hr_error *err)
{
        struct json *runtimes = json_obj_get(doc, "runtimes");
        if (runtimes != NULL && runtimes->type != JSON_OBJECT)
                return hr_fail(err, "%s: /runtimes: expected an object, found %s", o->file,
                               json_type_name(runtimes->type));
        if (o->remove)
                return docker_remove(doc, runtimes, o, err);
        if (runtimes == NULL) {
                if (json_obj_set(doc, "runtimes", json_new(JSON_OBJECT), err) < 0)
                        return -1;
                runtimes = json_obj_get(doc, "runtimes");
        }
        if (json_obj_set(runtimes, o->name, docker_entry(o), err) < 0)
                return -1;
        if (o->dflt && json_obj_set(doc, "default-runtime", json_new_string(o->name), err) < 0)
                return -1;
        return 0;
}

/* PATH.bak-YYYYmmddTHHMMSSZ, the bytes as they were, 0600 (daemon.json may
 * hold registry credentials helpers' settings). */
static int backup(const char *path, const char *text, size_t len, char **made, struct hr_error *err)
{
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        cleanup_close int fd = -1;
        if (gmtime_r(&now, &tm) == NULL ||
            strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
                return hr_fail(err, "the time for the backup's name");
        /* a second run in the same second gets .1, .2, ... */
        for (int i = 0; fd < 0 && i < 100; i++) {
                free(*made);
                if ((i == 0 ? asprintf(made, "%s.bak-%s", path, stamp)
                            : asprintf(made, "%s.bak-%s.%d", path, stamp, i)) < 0) {
                        *made = NULL;
                        return hr_fail(err, "out of memory");
                }
                fd = open(*made, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (fd < 0 && errno != EEXIST)
                        break;
        }
        if (fd < 0)
                return hr_fail_errno(err, errno, "backup %s", *made);
        if (write_all(fd, text, len) < 0 || fsync(fd) < 0)
                return hr_fail_errno(err, errno, "backup %s", *made);
        return 0;
}

static int store(const struct setup_opts *o, const char *old, size_t old_len, bool exists,
                 const char *text, size_t len, const struct stat *st, FILE *out,
                 struct hr_error *err)
{
        cleanup_free char *dir = strdup(o->file);
        cleanup_free char *saved = NULL;
        cleanup_close int dirfd = -1;
        if (dir == NULL)
                return hr_fail(err, "out of memory");
        if (exists && backup(o->file, old, old_len, &saved, err) < 0)
                /* dir is cleanup_free: cppcheck does not model the cleanup attribute */
                // cppcheck-suppress memleak
                return -1;
        /* not O_PATH: the directory is fsynced after the rename */
        if ((dirfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                return hr_fail_errno(err, errno, "%s: its directory", o->file);
        if (file_replace_at(dirfd, strrchr(o->file, '/') + 1, text, len, st, err) < 0)
                return hr_error_prefix(err, "%s", o->file);
        fprintf(out, "%s: %s runtime %s%s%s\n", o->file, o->remove ? "removed" : "registered",
                o->name, saved ? "; the old file is " : "", saved ? saved : "");
        return 0;
}

/* dockerd re-reads runtimes and default-runtime on SIGHUP. The pid file
 * must name a root-owned process whose executable is dockerd: a stale
 * file must not make us signal whatever has that pid now. */
static int reload_dockerd(const char *pid_file, FILE *out, struct hr_error *err)
{
        cleanup_free char *text = NULL;
        cleanup_free char *exe = NULL;
        cleanup_free char *proc = NULL;
        long long pid;
        struct stat st;
        size_t len;
        cleanup_close int fd = open(pid_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return hr_fail_errno(err, errno, "--reload: dockerd's pid file %s", pid_file);
        if (fd_read_all(fd, 64, &text, &len, err) < 0)
                return hr_error_prefix(err, "--reload: %s", pid_file);
        text[strcspn(text, "\n")] = '\0';
        if (go_parse_int0(text, &pid) < 0 || pid <= 1 || pid > 4194304)
                return hr_fail(err, "--reload: %s holds \"%s\", not a pid", pid_file, text);
        if (asprintf(&proc, "/proc/%lld/exe", pid) < 0) {
                proc = NULL;
                return hr_fail(err, "out of memory");
        }
        exe = realpath(proc, NULL);
        /* /proc/PID is owned by the process's euid */
        if (exe == NULL || strcmp(strrchr(exe, '/') + 1, "dockerd") != 0 ||
            lstat(dirname(proc), &st) < 0 || st.st_uid != 0)
                return hr_fail(err, "--reload: pid %lld (from %s) is not a root-owned dockerd", pid,
                               pid_file);
        if (kill((pid_t)pid, SIGHUP) < 0)
                return hr_fail_errno(err, errno, "--reload: signal dockerd (pid %lld)", pid);
        fprintf(out, "dockerd (pid %lld): sent SIGHUP, it reloads its runtimes\n", pid);
        return 0;
}

static int setup_docker(const struct setup_opts *o, FILE *out, struct hr_error *err)
{
        cleanup_free char *old = NULL;
        cleanup_free char *text = NULL;
        cleanup_free char *pretty = NULL;
        cleanup_json struct json *doc = NULL;
        struct stat st;
        size_t old_len, len;
        bool exists;
        if (read_config(o->file, &old, &old_len, &st, &exists, err) < 0)
                return -1;
        if (!exists && o->remove) {
                fprintf(out, "%s: none, nothing to remove\n", o->file);
                return 0;
        }
        if (exists && old_len > 0 && json_parse_own(old, old_len, &doc, err) < 0)
                return hr_error_prefix(err, "%s (left as it is)", o->file);
        if (doc == NULL && (doc = json_new(JSON_OBJECT)) == NULL)
                return hr_fail(err, "out of memory");
        if (doc->type != JSON_OBJECT)
                return hr_fail(err, "%s: expected an object, found %s (left as it is)", o->file,
                               json_type_name(doc->type));
        if (docker_change(doc, o, err) < 0 || json_emit(doc, true, &pretty, &len, err) < 0)
                return -1;
        if (asprintf(&text, "%s%s", pretty, len > 0 && pretty[len - 1] == '\n' ? "" : "\n") < 0) {
                text = NULL;
                return hr_fail(err, "out of memory");
        }
        len = strlen(text);
        if (exists && len == old_len && memcmp(text, old, len) == 0)
                fprintf(out, "%s: nothing to change\n", o->file);
        else if (o->dry_run)
                return diff_unified(out, o->file, old, o->file, text, err);
        else if (store(o, old, old_len, exists, text, len, &st, out, err) < 0)
                return -1;
        return o->reload && !o->dry_run ? reload_dockerd(o->pid_file, out, err) : 0;
}

/* ---- containerd and podman: a snippet and a check --------------------------- */

/* Is line (m bytes at s, leading blanks gone) the header table, maybe with
 * blanks or a comment after it? */
static bool is_header(const char *s, size_t m, const char *table)
{
        size_t t = strlen(table), blanks;
        if (m < t || strncmp(s, table, t) != 0)
                return false;
        blanks = strspn(s + t, " \t");
        return t + blanks == m || s[t + blanks] == '#';
}

/* Skip blanks in [*s, end). */
static void toml_blanks(const char **s, const char *end)
{
        while (*s < end && (**s == ' ' || **s == '\t'))
                (*s)++;
}

/* A TOML string at *s ("basic" or 'literal') that is exactly want; *s moves
 * past it. A basic string with an escape is not read (no decoder here): it
 * counts as not equal, so the check says the entry is missing. */
static bool toml_string_is(const char **s, const char *end, const char *want)
{
        char q;
        const char *close;
        size_t n;
        if (*s >= end || (**s != '"' && **s != '\''))
                return false;
        q = *(*s)++;
        close = memchr(*s, q, (size_t)(end - *s));
        if (close == NULL)
                return false;
        n = (size_t)(close - *s);
        if (q == '"' && memchr(*s, '\\', n) != NULL) {
                *s = close + 1;
                return false;
        }
        bool eq = n == strlen(want) && strncmp(*s, want, n) == 0;
        *s = close + 1;
        return eq;
}

/* The key at *s, bare or quoted, is exactly key; *s moves past it. */
static bool toml_key_is(const char **s, const char *end, const char *key)
{
        const char *k = *s;
        if (k < end && (*k == '"' || *k == '\''))
                return toml_string_is(s, end, key);
        while (*s < end && (isalnum((unsigned char)**s) || **s == '_' || **s == '-'))
                (*s)++;
        return (size_t)(*s - k) == strlen(key) && strncmp(k, key, strlen(key)) == 0;
}

/* Nothing but blanks or a comment left on the line. */
static bool toml_line_ends(const char *s, const char *end)
{
        toml_blanks(&s, end);
        return s == end || *s == '#';
}

/* Is line (m bytes at s) `key = "value"`, or with in_array `key = [...]`
 * with "value" among the strings, on this one line, with any blanks and a
 * comment after? */
static bool toml_line_is(const char *s, size_t m, const struct toml_entry *e)
{
        const char *end = s + m;
        bool found = false;
        if (!toml_key_is(&s, end, e->key))
                return false;
        toml_blanks(&s, end);
        if (s >= end || *s++ != '=')
                return false;
        toml_blanks(&s, end);
        if (!e->in_array)
                return toml_string_is(&s, end, e->value) && toml_line_ends(s, end);
        if (s >= end || *s++ != '[')
                return false;
        for (;;) {
                toml_blanks(&s, end);
                if (s < end && *s == ']')
                        return found && toml_line_ends(s + 1, end);
                if (s >= end || (*s != '"' && *s != '\''))
                        return false;
                found |= toml_string_is(&s, end, e->value);
                toml_blanks(&s, end);
                if (s < end && *s == ',')
                        s++;
                else if (s >= end || *s != ']')
                        return false;
        }
}

bool setup_toml_has(const char *text, const struct toml_entry *e)
{
        bool in = false;
        const char *l = text;
        while (*l != '\0') {
                size_t n = strcspn(l, "\n");
                size_t lead = strspn(l, " \t");
                const char *s = l + (lead < n ? lead : n);
                size_t m = n - (size_t)(s - l);
                if (m > 0 && s[m - 1] == '\r')
                        m--;
                if (m > 0 && s[0] == '[')
                        in = is_header(s, m, e->table);
                else if (in && toml_line_is(s, m, e))
                        return true;
                l += n;
                if (*l == '\n')
                        l++;
        }
        return false;
}

static int print_snippet(const struct setup_opts *o, const char *text, bool exists, FILE *out)
{
        cleanup_free char *h1 = NULL, *bin = NULL, *dflt = NULL;
        bool have, have_dflt = true;
        int rc;
        if (strcmp(o->target, "containerd") == 0) {
                rc = asprintf(&h1, "[" CRI_RUNTIMES ".runtimes.%s.options]", o->name);
                rc = rc < 0 ? rc : asprintf(&bin, "BinaryName = \"%s\"", o->self);
                rc = rc < 0 ? rc : asprintf(&dflt, "default_runtime_name = \"%s\"", o->name);
                if (rc < 0)
                        return -1;
                have = setup_toml_has(text, &(struct toml_entry){h1, "BinaryName", o->self, false});
                if (o->dflt)
                        have_dflt = setup_toml_has(
                            text, &(struct toml_entry){"[" CRI_RUNTIMES "]", "default_runtime_name",
                                                       o->name, false});
                if (have && have_dflt) {
                        fprintf(out, "%s: runtime handler %s runs %s%s\n", o->file, o->name,
                                o->self, o->dflt ? ", and is the default" : "");
                        return 0;
                }
                fprintf(out,
                        "%s: %s; add this (containerd 1.6/1.7, config version 2), then "
                        "restart containerd:\n\n",
                        o->file, exists ? "no such runtime handler yet" : "no such file yet");
                if (!have)
                        fprintf(out,
                                "[" CRI_RUNTIMES ".runtimes.%s]\n"
                                "  runtime_type = \"io.containerd.runc.v2\"\n"
                                "  # pods may pick a profile the admin config lists\n"
                                "  pod_annotations = [\"org.hardened-runc.profile\"]\n"
                                "%s\n  %s\n"
                                "  # as the runc handler's options: true on a systemd host\n"
                                "  # SystemdCgroup = true\n\n",
                                o->name, h1, bin);
                if (!have_dflt)
                        fprintf(out, "and, in the existing [" CRI_RUNTIMES "] table:\n\n  %s\n\n",
                                dflt);
                fprintf(out, "A Kubernetes RuntimeClass selects it: handler: %s\n", o->name);
        } else {
                rc = asprintf(&bin, "%s = [\"%s\"]", o->name, o->self);
                rc = rc < 0 ? rc : asprintf(&dflt, "runtime = \"%s\"", o->name);
                if (rc < 0)
                        return -1;
                have = setup_toml_has(
                    text, &(struct toml_entry){"[engine.runtimes]", o->name, o->self, true});
                if (o->dflt)
                        have_dflt = setup_toml_has(
                            text, &(struct toml_entry){"[engine]", "runtime", o->name, false});
                if (have && have_dflt) {
                        fprintf(out, "%s: runtime %s runs %s%s\n", o->file, o->name, o->self,
                                o->dflt ? ", and is the default" : "");
                        return 0;
                }
                fprintf(out, "%s: %s; add this:\n\n", o->file,
                        exists ? "no such runtime yet" : "no such file yet");
                if (!have)
                        fprintf(out,
                                "[engine.runtimes]   # or, where the table exists, the line "
                                "below in it\n%s\n\n",
                                bin);
                if (!have_dflt)
                        fprintf(out, "and, in the [engine] table:\n\n%s\n\n", dflt);
                fprintf(out, "Then: podman run --runtime %s ...\n", o->name);
        }
        if (o->profile != NULL)
                fprintf(out,
                        "--profile: %s passes the runtime no arguments; set defaultProfile in "
                        "the admin config, or list %s in its annotationProfiles and pick it "
                        "with the annotation org.hardened-runc.profile\n",
                        o->target, o->profile);
        return 1;
}

static int setup_toml(const struct setup_opts *o, FILE *out, struct hr_error *err)
{
        cleanup_free char *text = NULL;
        struct stat st;
        size_t len;
        bool exists;
        int rc;
        if (o->remove || o->dry_run)
                return hr_fail(err,
                               "setup %s: --%s is for docker: hardened-runc does not edit "
                               "TOML; remove the snippet by hand",
                               o->target, o->remove ? "remove" : "dry-run");
        if (read_config(o->file, &text, &len, &st, &exists, err) < 0)
                return -1;
        if ((rc = print_snippet(o, text, exists, out)) < 0)
                return hr_fail(err, "out of memory");
        return rc;
}

int setup_run(const struct runc_args *a, FILE *out, struct hr_error *err)
{
        struct setup_opts o;
        int rc;
        if (parse_opts(a, &o, err) < 0)
                return -1;
        rc =
            strcmp(o.target, "docker") == 0 ? setup_docker(&o, out, err) : setup_toml(&o, out, err);
        free(o.self);
        if (rc >= 0 && fflush(out) != 0)
                return hr_fail(err, "cannot write to stdout");
        return rc;
}
