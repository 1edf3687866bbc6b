// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#include "idmap.h"
#include "nsprobe.h"
#include "pathutil.h"
#include "probe.h"

void probe_init(struct probe *p, enum probe_mode mode)
{
        memset(p, 0, sizeof(*p));
        p->mode = mode;
        p->userns_fd = -1;
}

void probe_free(struct probe *p)
{
        for (size_t i = 0; i < p->ntrees; i++) {
                if (p->trees[i].fd >= 0)
                        close(p->trees[i].fd);
                free(p->trees[i].path);
        }
        free(p->trees);
        if (p->userns_fd >= 0)
                close(p->userns_fd);
        free(p->map);
        free(p->mounts);
        probe_init(p, p->mode);
}

bool probe_reads(const struct probe *p)
{
        return p->mode != PROBE_BLIND;
}

const char *probe_mode_name(enum probe_mode mode)
{
        return mode == PROBE_HOST ? "create" : mode == PROBE_READ ? "a dry run" : "the spec alone";
}

/* In a dry run a path the spec names may live on another host (a captured
 * config.json): its absence here says nothing. */
static int absent_here(const struct probe *p)
{
        return p->mode == PROBE_READ && (errno == ENOENT || errno == ENOTDIR) ? PROBE_UNKNOWN : -1;
}

int probe_realpath(struct probe *p, const char *path, char **real)
{
        if (p->mode == PROBE_BLIND)
                return PROBE_UNKNOWN;
        *real = realpath(path, NULL);
        return *real != NULL ? 0 : absent_here(p);
}

int probe_stat(struct probe *p, const char *path, struct stat *st)
{
        if (p->mode == PROBE_BLIND)
                return PROBE_UNKNOWN;
        return stat(path, st) == 0 ? 0 : absent_here(p);
}

int probe_readlink(struct probe *p, const char *path, char **target)
{
        char buf[PATH_MAX];
        ssize_t n;
        if (p->mode == PROBE_BLIND)
                return PROBE_UNKNOWN;
        n = readlink(path, buf, sizeof(buf) - 1);
        if (n < 0)
                return absent_here(p);
        buf[n] = '\0';
        if ((*target = strdup(buf)) == NULL) {
                errno = ENOMEM;
                return -1;
        }
        return 0;
}

int probe_file_has(struct probe *p, const char *file, const char *prefix, bool line, bool *found)
{
        FILE *f;
        char *buf = NULL;
        size_t cap = 0;
        *found = false;
        if (p->mode == PROBE_BLIND)
                return PROBE_UNKNOWN;
        if ((f = fopen(file, "re")) == NULL)
                return errno == ENOENT ? 0 : -1;
        while (!*found && getline(&buf, &cap, f) > 0) {
                *found = strncmp(buf, prefix, strlen(prefix)) == 0;
                if (!line)
                        break;
        }
        free(buf);
        fclose(f);
        return 0;
}

int probe_cgroup2(struct probe *p, bool *v2)
{
        struct statfs fs;
        *v2 = false;
        if (p->mode == PROBE_BLIND)
                return PROBE_UNKNOWN;
        if (statfs("/sys/fs/cgroup", &fs) < 0)
                return -1;
        *v2 = fs.f_type == CGROUP2_SUPER_MAGIC;
        return 0;
}

int probe_ns_is_ours(struct probe *p, const char *path, const char *oci_type, bool *ours)
{
        if (p->mode == PROBE_BLIND)
                return PROBE_UNKNOWN;
        return ns_is_ours(path, oci_type, ours) == 0 ? 0 : absent_here(p);
}

int probe_ns_owner(struct probe *p, const char *path, bool *host, dev_t *dev, ino_t *ino)
{
        if (p->mode == PROBE_BLIND)
                return PROBE_UNKNOWN;
        return ns_owner(path, host, dev, ino) == 0 ? 0 : absent_here(p);
}

int probe_mounts(struct probe *p, int (*fn)(const struct mount_line *, void *), void *arg,
                 struct hr_error *err)
{
        if (p->mode == PROBE_BLIND)
                return PROBE_UNKNOWN;
        /* read once per probe: the rules and the planner all ask, and
         * nothing is mounted before the staging is applied */
        if (p->mounts == NULL && mountinfo_read(&p->mounts, err) < 0)
                return -1;
        return mountinfo_each_in(p->mounts, fn, arg, err);
}

int probe_userns_maps(struct probe *p, const char *path, struct json **uid_map,
                      struct json **gid_map, struct hr_error *err)
{
        /* a child joins the namespace: an act, not a read */
        if (p->mode != PROBE_HOST)
                return PROBE_UNKNOWN;
        return userns_maps(path, uid_map, gid_map, err);
}

static int userns_for(struct probe *p, const char *map, struct hr_error *err)
{
        if (p->map != NULL)
                return strcmp(p->map, map) == 0
                           ? 0
                           : hr_fail(err, "internal error: a second id map for one probe");
        if (map[0] == '/') { /* a joined user namespace */
                if ((p->userns_fd = open(map, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
                        return hr_fail_errno(err, errno, "open %s", map);
        } else if (userns_fd_open(map, &p->userns_fd, err) < 0) {
                return -1;
        }
        if ((p->map = strdup(map)) == NULL)
                return hr_fail(err, "out of memory");
        return 0;
}

int probe_idmap(struct probe *p, const char *path, bool rec, bool take, const char *map, int *fd,
                struct hr_error *err)
{
        struct probe_tree *t;
        if (p->mode != PROBE_HOST)
                return PROBE_UNKNOWN;
        for (size_t i = 0; i < p->ntrees; i++)
                if (!p->trees[i].taken && p->trees[i].rec == rec &&
                    strcmp(p->trees[i].path, path) == 0) {
                        p->trees[i].taken = take;
                        *fd = p->trees[i].fd;
                        return 0;
                }
        if (userns_for(p, map, err) < 0)
                return -1;
        if ((t = reallocarray(p->trees, p->ntrees + 1, sizeof(*t))) == NULL)
                return hr_fail(err, "out of memory");
        p->trees = t;
        t = &p->trees[p->ntrees];
        *t = (struct probe_tree){.path = strdup(path), .rec = rec, .taken = take, .fd = -1};
        if (t->path == NULL)
                return hr_fail(err, "out of memory");
        p->ntrees++;
        if (idmap_clone(path, p->userns_fd, rec, &t->fd, err) < 0)
                return -1;
        *fd = t->fd;
        return 0;
}
