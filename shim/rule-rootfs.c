// SPDX-License-Identifier: GPL-2.0-or-later
/* rootfs: the root filesystem is mounted read-only (CIS Docker 5.12), and the
 * directories that ordinary programs expect to write get a size-capped
 * tmpfs, unless the spec already mounts something there. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "pipeline.h"

struct scratch_dir {
        const char *path;
        const char *mode;
};

static const struct scratch_dir scratch_dirs[] = {
    {"/tmp", "mode=1777"},
    {"/run", "mode=755"},
    {"/var/tmp", "mode=1777"},
};

/* Per-mount cap: a tmpfs is charged to the container's memory cgroup, the
 * cap keeps one runaway writer from using all of it. */
#define SCRATCH_SIZE "size=65536k"

/* Lexical clean of an absolute path, as Go's filepath.Clean does for runc:
 * "//tmp/./" and "/x/../tmp" both name "/tmp". Caller frees. */
static char *clean_path(const char *p)
{
        size_t n = strlen(p);
        char *out = malloc(n + 2);
        size_t o = 0;
        if (out == NULL)
                return NULL;
        out[o++] = '/';
        while (*p) {
                size_t len;
                while (*p == '/')
                        p++;
                len = strcspn(p, "/");
                if (len == 0)
                        break;
                if (len == 1 && p[0] == '.') {
                        /* skip */
                } else if (len == 2 && p[0] == '.' && p[1] == '.') {
                        while (o > 1 && out[o - 1] != '/')
                                o--;
                        if (o > 1)
                                o--;
                } else {
                        if (o > 1)
                                out[o++] = '/';
                        memcpy(out + o, p, len);
                        o += len;
                }
                p += len;
        }
        out[o] = '\0';
        return out;
}

/* Is path equal to dir or inside it? Both clean. */
static bool within(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static struct json *tmpfs_mount(const struct scratch_dir *d)
{
        static const char *const opts[] = {"nosuid", "nodev", NULL, SCRATCH_SIZE};
        struct hr_error err = {0};
        struct json *m = json_new(JSON_OBJECT);
        struct json *o = json_new(JSON_ARRAY);
        int rc = 0;
        if (m == NULL || o == NULL) {
                json_free(m);
                json_free(o);
                return NULL;
        }
        for (size_t i = 0; i < sizeof(opts) / sizeof(*opts) && rc == 0; i++)
                rc = json_array_append(o, json_new_string(opts[i] ? opts[i] : d->mode), &err);
        rc = rc ?: json_obj_set(m, "destination", json_new_string(d->path), &err);
        rc = rc ?: json_obj_set(m, "type", json_new_string("tmpfs"), &err);
        rc = rc ?: json_obj_set(m, "source", json_new_string("tmpfs"), &err);
        if ((rc ?: json_obj_set(m, "options", o, &err)) < 0) {
                if (rc < 0)
                        json_free(o);
                json_free(m);
                hr_error_clear(&err);
                return NULL;
        }
        return m;
}

/* Where dir stands among the mounts: *exact when a mount targets dir itself;
 * *first_inside is the index of the first mount under it (or the length), so
 * that our tmpfs goes before it and does not hide it. */
static int scan_mounts(struct rule_ctx *c, const struct json *mounts, const char *dir, bool *exact,
                       size_t *first_inside)
{
        *exact = false;
        *first_inside = mounts ? mounts->n : 0;
        for (size_t i = 0; mounts != NULL && i < mounts->n; i++) {
                const struct json *dest = json_obj_get(mounts->vals[i], "destination");
                cleanup_free char *clean = NULL;
                if (dest == NULL || dest->type != JSON_STRING)
                        return hr_fail(c->err, "/mounts/%zu/destination: expected a string", i);
                clean = clean_path(dest->text);
                if (clean == NULL)
                        return hr_fail(c->err, "out of memory");
                if (strcmp(clean, dir) == 0)
                        *exact = true;
                if (within(clean, dir) && i < *first_inside)
                        *first_inside = i;
        }
        return 0;
}

static int ensure_scratch(struct rule_ctx *c, const struct scratch_dir *d)
{
        const struct json *mounts = json_pointer_get(c->spec, "/mounts");
        bool exact;
        size_t at;
        if (mounts != NULL && mounts->type != JSON_ARRAY)
                return hr_fail(c->err, "/mounts: expected an array, found %s",
                               json_type_name(mounts->type));
        if (scan_mounts(c, mounts, d->path, &exact, &at) < 0)
                return -1;
        if (exact)
                return 0;
        return rule_insert(c, "/mounts", at, tmpfs_mount(d),
                           "writable scratch space on a read-only root filesystem");
}

int rule_rootfs_apply(struct rule_ctx *c)
{
        const struct json *root = json_pointer_get(c->spec, "/root");
        if (root != NULL && root->type != JSON_OBJECT)
                return hr_fail(c->err, "/root: expected an object, found %s",
                               json_type_name(root->type));
        if (rule_set(c, "/root", "readonly", json_new_bool(true),
                     "the container must not modify its image (CIS 5.12)") < 0)
                return -1;
        for (size_t i = 0; i < sizeof(scratch_dirs) / sizeof(*scratch_dirs); i++)
                if (ensure_scratch(c, &scratch_dirs[i]) < 0)
                        return -1;
        return 0;
}
