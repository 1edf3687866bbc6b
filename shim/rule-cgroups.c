// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroups: linux.cgroupsPath names the cgroup runc puts the container in and
 * writes its limits to. A spec could name an existing cgroup that holds
 * other processes (and change their limits, then have runc remove it), the
 * root, or a parent of every container (/docker, system.slice). So the path
 * must match one of the profile's patterns, each of which ends in this
 * container's own id ({id}; "*" is one path component), have no "." or ".."
 * component, and name a cgroup that does not exist yet, or exists empty: no
 * process and no child cgroup; and its parent must hold no process (the
 * container's usage would count against that process's limits). Absent,
 * runc names the cgroup after the id alone, which is judged the same way:
 * the same id under another runtime root would share a running
 * container's cgroup. Both forms runc reads are judged: a path (cgroupfs
 * driver) and "slice:prefix:name" (systemd driver, the unit
 * slice/prefix-name.scope). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "pipeline.h"
#include "probe.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

static const struct param_field params[] = {
    {"allowed", PT_STRINGS, P_OFF(cgroup_patterns), 0, 0, NULL},
    PARAM_END,
};

/* pattern with every "{id}" replaced by id; NULL when out of memory */
static char *expand(const char *pattern, const char *id)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        if (f == NULL)
                return NULL;
        for (const char *p = pattern; *p;) {
                if (strncmp(p, "{id}", 4) == 0) {
                        fputs(id, f);
                        p += 4;
                } else {
                        fputc(*p++, f);
                }
        }
        if (fclose(f) != 0) {
                free(out);
                return NULL;
        }
        return out;
}

static bool has_dot_component(const char *path)
{
        cleanup_free char *copy = strdup(path);
        char *save = NULL;
        if (copy == NULL)
                return true;
        for (char *c = strtok_r(copy, "/:", &save); c; c = strtok_r(NULL, "/:", &save))
                if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0)
                        return true;
        return strstr(path, "//") != NULL;
}

/* The cgroup directory, relative to a hierarchy's root, that runc makes for
 * the path: itself, or for "slice:prefix:name" the slice's nesting
 * ("a-b.slice" is /a.slice/a-b.slice) and then prefix-name.scope. */
static char *cgroup_dir(const char *path)
{
        const char *c1 = strchr(path, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        cleanup_free char *slice = NULL;
        char *out = NULL;
        size_t len = 0;
        FILE *f;
        if (c1 == NULL)
                return strdup(path);
        if (c2 == NULL || strchr(c2 + 1, ':') != NULL)
                return NULL;
        slice = c1 == path ? strdup("system.slice") : strndup(path, (size_t)(c1 - path));
        if (slice == NULL || (f = open_memstream(&out, &len)) == NULL)
                return NULL;
        if (strcmp(slice, "-.slice") != 0) {
                /* every dash-prefix of the slice name is a parent slice */
                size_t n = strlen(slice) - strlen(".slice");
                for (size_t i = 0; i <= n; i++)
                        if (i == n || slice[i] == '-')
                                fprintf(f, "/%.*s.slice", (int)i, slice);
        }
        fprintf(f, "/%.*s-%s.scope", (int)(c2 - c1 - 1), c1 + 1, c2 + 1);
        if (fclose(f) != 0) {
                free(out);
                return NULL;
        }
        return out;
}

/* 1 when dir holds a process (or, with children, a child cgroup), 0 when
 * not or absent, -1 when it cannot be read. */
static int cgroup_in_use(const char *dir, bool children)
{
        cleanup_free char *procs = NULL;
        DIR *d;
        struct dirent *e;
        int used = 0;
        char c;
        int fd;
        if (asprintf(&procs, "%s/cgroup.procs", dir) < 0)
                return -1;
        fd = open(procs, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : -1;
        used = read(fd, &c, 1) != 0; /* an error counts as in use */
        close(fd);
        if (used)
                return 1;
        if (!children)
                return 0;
        if ((d = opendir(dir)) == NULL)
                return -1;
        while ((e = readdir(d)) != NULL && !used)
                used = e->d_type == DT_DIR && strcmp(e->d_name, ".") != 0 &&
                       strcmp(e->d_name, "..") != 0;
        closedir(d);
        return used;
}

/* Check the directory in every hierarchy: the unified one (v2), or each
 * v1 controller mounted under CGROUP_ROOT. */
static int in_use_anywhere(const char *rel, bool children)
{
        cleanup_free char *v2 = NULL;
        DIR *d;
        struct dirent *e;
        int used = 0;
        if (access(CGROUP_ROOT "/cgroup.procs", F_OK) == 0) {
                if (asprintf(&v2, CGROUP_ROOT "%s", rel) < 0)
                        return -1;
                return cgroup_in_use(v2, children);
        }
        if ((d = opendir(CGROUP_ROOT)) == NULL)
                return errno == ENOENT ? 0 : -1;
        while (used == 0 && (e = readdir(d)) != NULL) {
                cleanup_free char *p = NULL;
                if (e->d_type != DT_DIR || e->d_name[0] == '.')
                        continue;
                if (asprintf(&p, CGROUP_ROOT "/%s%s", e->d_name, rel) < 0)
                        used = -1;
                else
                        used = cgroup_in_use(p, children);
        }
        closedir(d);
        return used;
}

static bool matches_allowed(const struct strlist *allowed, const char *path, const char *id)
{
        for (size_t i = 0; i < allowed->n; i++) {
                cleanup_free char *p = expand(allowed->v[i], id);
                if (p != NULL && fnmatch(p, path, FNM_PATHNAME) == 0)
                        return true;
        }
        return false;
}

/* Without a cgroupsPath runc names the cgroup after the id alone: /ID
 * (cgroupfs) or system.slice:runc:ID (systemd). The same id under another
 * runtime root would land in a running container's cgroup and rewrite its
 * limits. */
static int judge_default(struct rule_ctx *c, const char *id)
{
        if (id != NULL && !probe_reads(c->env->probe))
                return rule_defer(c, "/linux/cgroupsPath", NULL,
                                  "whether the cgroup runc names after the id is in use");
        for (size_t i = 0; id != NULL && i < 2; i++) {
                cleanup_free char *dir = NULL;
                int used;
                if ((i == 0 ? asprintf(&dir, "/%s", id)
                            : asprintf(&dir, "/system.slice/runc-%s.scope", id)) < 0)
                        return hr_fail(c->err, "out of memory");
                if ((used = in_use_anywhere(dir, true)) != 0) {
                        return rule_refusef(
                            c, "/linux/cgroupsPath", NULL, "absent, so runc would use %s, %s", dir,
                            used < 0 ? "which cannot be read"
                                     : "an existing cgroup that holds processes or other "
                                       "cgroups (another container with this id?)");
                }
        }
        return 0;
}

static int apply(struct rule_ctx *c)
{
        const struct json *v = json_pointer_get(c->spec, "/linux/cgroupsPath");
        const char *id = c->env->container_id;
        const char *ptr = "/linux/cgroupsPath";
        cleanup_free char *dir = NULL;
        int used;
        if (v == NULL || v->len == 0)
                return judge_default(c, id);
        if (id == NULL || has_dot_component(v->text) ||
            !matches_allowed(&c->params->cgroup_patterns, v->text, id))
                return rule_refuse(c, ptr, v,
                                   "not a new cgroup of this container under an allowed parent "
                                   "(the profile's cgroups.allowed patterns)");
        if ((dir = cgroup_dir(v->text)) == NULL)
                return rule_refuse(c, ptr, v, "not a cgroup path runc reads");
        if (!probe_reads(c->env->probe))
                return rule_defer(c, ptr, v, "whether that cgroup, or its parent, holds processes");
        used = in_use_anywhere(dir, true);
        if (used != 0)
                return rule_refuse(c, ptr, v,
                                   used < 0 ? "cannot tell whether that cgroup is in use"
                                            : "an existing cgroup that holds processes or other "
                                              "cgroups: its limits are not the container's");
        /* the parent: the container's usage counts against it. Not for a
         * systemd slice: under cgroup v1 systemd leaves the processes of
         * units without accounting in their slice's cgroup */
        *strrchr(dir, '/') = '\0';
        if (strchr(v->text, ':') == NULL && dir[0] != '\0' && in_use_anywhere(dir, false) == 1)
                return rule_refuse(c, ptr, v,
                                   "its parent cgroup holds processes, whose limits the "
                                   "container's usage would count against");
        return 0;
}

static const char *const owns[] = {"/linux/cgroupsPath", NULL};

const struct rule_def rule_cgroups = {
    .name = "cgroups",
    .default_action = ACTION_ENFORCE,
    .scopes = SCOPE_CREATE,
    .summary = "a new cgroup of the container's own, under an allowed parent",
    .fields = params,
    .owns = owns,
    .apply = apply,
};
