// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "idblock.h"
#include "idmap.h"
#include "mountinfo.h"
#include "pathutil.h"
#include "staging.h"

bool container_id_safe(const char *id)
{
        size_t n = strlen(id);
        if (n == 0 || n > 1024 || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return false;
        return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+.-") ==
               n;
}

/* runc's own default (not rootless): runc 1.1 main.go */
#define RUNC_DEFAULT_ROOT "/run/runc"
/* A name component is at most 255 bytes; leave room. */
#define ROOT_KEY_MAX 200

/* root's absolute, clean path, '/' written '+' and any byte outside
 * [A-Za-z0-9._-] as %XX: one file name per root, and two roots never
 * share one. NULL when out of memory or too long. */
static char *root_key(const char *root)
{
        cleanup_free char *joined = NULL;
        cleanup_free char *clean = NULL;
        char *key, *o;
        if (root[0] != '/') {
                cleanup_free char *cwd = getcwd(NULL, 0);
                if (cwd == NULL || asprintf(&joined, "%s/%s", cwd, root) < 0)
                        return NULL;
        }
        if ((clean = path_clean(joined ? joined : root)) == NULL ||
            (key = malloc(3 * strlen(clean) + 1)) == NULL)
                return NULL;
        o = key;
        for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
                if (*p == '/')
                        *o++ = '+';
                else if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
                                *p) != NULL)
                        *o++ = (char)*p;
                else
                        o += sprintf(o, "%%%02X", *p);
        }
        *o = '\0';
        if (o - key > ROOT_KEY_MAX) {
                free(key);
                return NULL;
        }
        return key;
}

char *container_dir(const char *root, const char *id, struct hr_error *err)
{
        cleanup_free char *key = NULL;
        char *dir = NULL;
        if (id == NULL || !container_id_safe(id)) {
                hr_fail(err, "container id \"%s\" cannot name a staging directory",
                        id ? id : "(none)");
                return NULL;
        }
        if ((key = root_key(root ? root : RUNC_DEFAULT_ROOT)) == NULL) {
                hr_fail(err, "the runtime root %s cannot name a staging directory (too long?)",
                        root ? root : RUNC_DEFAULT_ROOT);
                return NULL;
        }
        if (asprintf(&dir, "%s/%s/%s", STAGING_ROOT, key, id) < 0) {
                hr_fail(err, "out of memory");
                return NULL;
        }
        return dir;
}

int staging_gc(const char *root, bool (*alive)(const char *id, void *arg), void *arg, FILE *out,
               struct hr_error *err)
{
        cleanup_free char *probe = container_dir(root, "x", err);
        DIR *d;
        struct dirent *e;
        int rc = 0;
        if (probe == NULL)
                return -1;
        *strrchr(probe, '/') = '\0'; /* the root's directory */
        if ((d = opendir(probe)) == NULL)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "open %s", probe);
        while (rc == 0 && (e = readdir(d)) != NULL) {
                cleanup_free char *dir = NULL;
                if (!container_id_safe(e->d_name) || alive(e->d_name, arg))
                        continue;
                if ((dir = container_dir(root, e->d_name, err)) == NULL ||
                    staging_remove(dir, err) < 0)
                        rc = -1;
                else
                        fprintf(out, "removed %s\n", e->d_name);
        }
        closedir(d);
        return rc;
}

struct find_arg {
        const char *path;
        char *fstype, *superopts; /* of the last (top) mount at path */
};

static int find_fn(const struct mount_line *m, void *arg)
{
        struct find_arg *a = arg;
        if (strcmp(m->mountpoint, a->path) != 0)
                return 0;
        free(a->fstype);
        free(a->superopts);
        a->fstype = strdup(m->fstype);
        a->superopts = strdup(m->superopts);
        return a->fstype && a->superopts ? 0 : -1;
}

static int strlist_add(struct strlist *l, const char *s)
{
        char **v = reallocarray(l->v, l->n + 2, sizeof(*v));
        if (v == NULL)
                return -1;
        l->v = v;
        if ((l->v[l->n] = strdup(s)) == NULL)
                return -1;
        l->n++;
        l->v[l->n] = NULL;
        return 0;
}

/* upperdir first, then lowerdir's entries, from overlay's super options. */
static int overlay_layers(const char *superopts, struct strlist *layers, const char **why)
{
        cleanup_free char *opts = strdup(superopts);
        char *save = NULL, *lower = NULL, *upper = NULL;
        if (opts == NULL)
                return -1;
        if (strchr(opts, '\\') != NULL) {
                *why = "overlay options with escaped characters";
                return 1;
        }
        for (char *o = strtok_r(opts, ",", &save); o != NULL; o = strtok_r(NULL, ",", &save)) {
                if (strncmp(o, "lowerdir=", 9) == 0)
                        lower = o + 9;
                else if (strncmp(o, "upperdir=", 9) == 0)
                        upper = o + 9;
                else if (strncmp(o, "lowerdir+", 9) == 0 || strncmp(o, "datadir+", 8) == 0) {
                        *why = "overlay layers given with lowerdir+ or datadir+";
                        return 1;
                }
        }
        if (lower == NULL) {
                *why = "an overlay without lowerdir";
                return 1;
        }
        if (upper != NULL && strlist_add(layers, upper) < 0)
                return -1;
        for (char *l = strtok_r(lower, ":", &save); l != NULL; l = strtok_r(NULL, ":", &save))
                if (strlist_add(layers, l) < 0)
                        return -1;
        return 0;
}

/* ---- planning ----------------------------------------------------------------------- */

static void close_fds(int *fds, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (fds[i] >= 0)
                        close(fds[i]);
}

static void drop_shift(struct staging_plan *p)
{
        close_fds(p->layer_fds, p->nlayer_fds);
        free(p->layer_fds);
        p->layer_fds = NULL;
        p->nlayer_fds = 0;
        for (size_t i = 0; i < p->nvolumes; i++) {
                if (p->volumes[i].tree_fd >= 0)
                        close(p->volumes[i].tree_fd);
                free(p->volumes[i].source);
                free(p->volumes[i].target);
        }
        free(p->volumes);
        p->volumes = NULL;
        p->nvolumes = 0;
}

/* The layers to idmap: the overlay's, or the rootfs directory itself. */
static int find_layers(struct staging_plan *p, struct hr_error *err)
{
        struct find_arg a = {.path = p->source};
        const char *why = NULL;
        int rc;
        if (mountinfo_each(find_fn, &a, err) < 0)
                return -1;
        p->overlay = a.fstype != NULL && strcmp(a.fstype, "overlay") == 0;
        rc = p->overlay ? overlay_layers(a.superopts, &p->layers, &why)
                        : strlist_add(&p->layers, p->source);
        free(a.fstype);
        free(a.superopts);
        if (rc < 0)
                return hr_fail(err, "out of memory");
        if (rc > 0)
                return hr_fail(err, "cannot take apart %s", why);
        return 0;
}

static int plan_volumes(struct staging_plan *p, const struct json *mounts, int userns_fd,
                        struct hr_error *err)
{
        for (size_t i = 0; mounts != NULL && mounts->type == JSON_ARRAY && i < mounts->n; i++) {
                const struct json *m = mounts->vals[i];
                const struct json *type = json_obj_get(m, "type");
                const struct json *src = json_obj_get(m, "source");
                const struct json *opts = json_obj_get(m, "options");
                struct staged_volume *v;
                struct stat st;
                bool bind = type && type->type == JSON_STRING && strcmp(type->text, "bind") == 0;
                bind = bind || json_array_has_string(opts, "bind") ||
                       json_array_has_string(opts, "rbind");
                if (!bind || src == NULL || src->type != JSON_STRING || stat(src->text, &st) < 0)
                        continue; /* runc reports a missing source itself */
                v = reallocarray(p->volumes, p->nvolumes + 1, sizeof(*v));
                if (v == NULL)
                        return hr_fail(err, "out of memory");
                p->volumes = v;
                v = &p->volumes[p->nvolumes];
                *v = (struct staged_volume){
                    .mount_index = i, .is_dir = S_ISDIR(st.st_mode), .tree_fd = -1};
                p->nvolumes++;
                if ((v->source = strdup(src->text)) == NULL ||
                    asprintf(&v->target, "%s/v/%zu", p->dir, p->nvolumes - 1) < 0) {
                        v->target = NULL;
                        return hr_fail(err, "out of memory");
                }
                if (idmap_clone(v->source, userns_fd, true, &v->tree_fd, err) < 0)
                        return -1;
        }
        return 0;
}

/* Try the idmapped copies; -1 with err set when any fails. */
static int plan_shift(struct staging_plan *p, const struct json *mounts, const char *map,
                      struct hr_error *err)
{
        cleanup_close int userns_fd = -1;
        if (find_layers(p, err) < 0 || userns_fd_open(map, &userns_fd, err) < 0)
                return -1;
        p->layer_fds = calloc(p->layers.n + 1, sizeof(*p->layer_fds));
        if (p->layer_fds == NULL)
                return hr_fail(err, "out of memory");
        for (size_t i = 0; i < p->layers.n; i++) {
                p->layer_fds[p->nlayer_fds] = -1;
                if (idmap_clone(p->layers.v[i], userns_fd, !p->overlay,
                                &p->layer_fds[p->nlayer_fds++], err) < 0)
                        return -1;
        }
        return plan_volumes(p, mounts, userns_fd, err);
}

/* Every mount destination, and whether runc will want a file there. */
static int plan_mountpoints(struct staging_plan *p, const struct json *mounts, struct hr_error *err)
{
        size_t n = mounts != NULL && mounts->type == JSON_ARRAY ? mounts->n : 0;
        p->mountpoint_is_file = calloc(n + 1, sizeof(*p->mountpoint_is_file));
        if (p->mountpoint_is_file == NULL)
                return hr_fail(err, "out of memory");
        for (size_t i = 0; i < n; i++) {
                const struct json *dest = json_obj_get(mounts->vals[i], "destination");
                const struct json *src = json_obj_get(mounts->vals[i], "source");
                cleanup_free char *clean = NULL;
                struct stat st;
                if (dest == NULL || dest->type != JSON_STRING)
                        continue;
                if ((clean = path_clean(dest->text)) == NULL ||
                    strlist_add(&p->mountpoints, clean) < 0)
                        return hr_fail(err, "out of memory");
                p->mountpoint_is_file[p->mountpoints.n - 1] =
                    src != NULL && src->type == JSON_STRING && src->text[0] == '/' &&
                    stat(src->text, &st) == 0 && !S_ISDIR(st.st_mode);
        }
        return 0;
}

static int plan_make(const char *dir, const char *bundle, const char *rootfs,
                     const struct json *mounts, enum userns_strategy want, const char *shift_map,
                     struct staging_plan *p, struct hr_error *err)
{
        cleanup_free char *joined = NULL;
        char real[PATH_MAX];
        struct hr_error shift_err = {0};
        memset(p, 0, sizeof(*p));
        if (rootfs[0] != '/' && asprintf(&joined, "%s/%s", bundle, rootfs) < 0)
                return hr_fail(err, "out of memory");
        if (realpath(joined ? joined : rootfs, real) == NULL)
                return hr_fail_errno(err, errno, "rootfs %s", joined ? joined : rootfs);
        if ((p->source = strdup(real)) == NULL || (p->dir = strdup(dir)) == NULL ||
            asprintf(&p->rootfs, "%s/rootfs", p->dir) < 0)
                return hr_fail(err, "out of memory");
        if (plan_mountpoints(p, mounts, err) < 0)
                return -1;
        p->strategy = STRATEGY_ROOT_ONLY;
        if (want == STRATEGY_ROOT_ONLY)
                return (p->why = strdup("the profile asks for root-only"))
                           ? 0
                           : hr_fail(err, "out of memory");
        if (plan_shift(p, mounts, shift_map, &shift_err) == 0) {
                p->strategy = STRATEGY_SHIFT;
                if (asprintf(&p->why, "idmapped mounts work for %s",
                             p->overlay ? "every layer of the overlay rootfs"
                                        : "the rootfs directory") < 0)
                        p->why = NULL;
                return p->why ? 0 : hr_fail(err, "out of memory");
        }
        drop_shift(p);
        strlist_free(&p->layers);
        if (want == STRATEGY_SHIFT) {
                hr_fail(err, "strategy shift: %s", hr_error_msg(&shift_err));
                hr_error_clear(&shift_err);
                return -1;
        }
        if (asprintf(&p->why, "shift not possible (%s)", hr_error_msg(&shift_err)) < 0)
                p->why = NULL;
        hr_error_clear(&shift_err);
        return p->why ? 0 : hr_fail(err, "out of memory");
}

int staging_plan_make(const char *dir, const char *bundle, const char *rootfs,
                      const struct json *mounts, enum userns_strategy want, const char *shift_map,
                      struct staging_plan *p, struct hr_error *err)
{
        if (plan_make(dir, bundle, rootfs, mounts, want, shift_map, p, err) == 0)
                return 0;
        staging_plan_free(p); /* what was planned before the failure */
        return -1;
}

void staging_plan_free(struct staging_plan *p)
{
        drop_shift(p);
        strlist_free(&p->layers);
        strlist_free(&p->mountpoints);
        free(p->mountpoint_is_file);
        free(p->why);
        free(p->dir);
        free(p->rootfs);
        free(p->source);
        memset(p, 0, sizeof(*p));
}

/* ---- applying ------------------------------------------------------------------------ */

/* mkdir, or accept an existing directory (not a symlink) with that mode. */
static int make_dir(const char *path, mode_t mode, struct hr_error *err)
{
        struct stat st;
        if (mkdir(path, mode) == 0)
                return chmod(path, mode) < 0 ? hr_fail_errno(err, errno, "chmod %s", path)
                                             : 0; /* umask */
        if (errno != EEXIST)
                return hr_fail_errno(err, errno, "mkdir %s", path);
        if (lstat(path, &st) < 0)
                return hr_fail_errno(err, errno, "stat %s", path);
        if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid())
                return hr_fail(err, "%s exists and is not a directory of ours", path);
        if ((st.st_mode & 07777) != mode && chmod(path, mode) < 0)
                return hr_fail_errno(err, errno, "chmod %s", path);
        return 0;
}

/* dir's parent, the root's key directory */
static char *parent_of(const char *dir)
{
        return strndup(dir, (size_t)(strrchr(dir, '/') - dir));
}

int staging_dir_make(const char *dir, struct hr_error *err)
{
        cleanup_free char *key_dir = parent_of(dir);
        if (key_dir == NULL)
                return hr_fail(err, "out of memory");
        if (make_dir(STAGING_ROOT, 0711, err) < 0 || make_dir(key_dir, 0711, err) < 0 ||
            make_dir(dir, 0711, err) < 0)
                return -1;
        return 0;
}

static int make_private(const char *path, struct hr_error *err)
{
        /* no mount or unmount below path propagates elsewhere, or back */
        if (mount(NULL, path, NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return hr_fail_errno(err, errno, "make %s private", path);
        return 0;
}

static int attach_at(int fd, const char *path, bool dir, struct hr_error *err)
{
        if (dir) {
                if (make_dir(path, 0711, err) < 0)
                        return -1;
        } else {
                int f = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (f < 0)
                        return hr_fail_errno(err, errno, "create %s", path);
                close(f);
        }
        if (idmap_attach(fd, path, err) < 0)
                return -1;
        return make_private(path, err);
}

/* Create dest below root (a directory, or an empty file when is_file),
 * one component at a time without following symlinks: the rootfs is the
 * image's, and a symlink there must never lead a mkdir out of it. A path
 * through a symlink is left alone (runc resolves it inside the rootfs and
 * reports what it cannot create). */
static int make_mountpoint(int root_fd, const char *dest, bool is_file, struct hr_error *err)
{
        cleanup_free char *path = strdup(dest + 1);
        int fd = dup(root_fd);
        char *save = NULL, *comp, *next;
        int rc = 0;
        if (path == NULL || fd < 0) {
                if (fd >= 0)
                        close(fd);
                return hr_fail(err, "out of memory");
        }
        for (comp = strtok_r(path, "/", &save); comp != NULL && rc == 0; comp = next) {
                int sub;
                next = strtok_r(NULL, "/", &save);
                if (next == NULL && is_file) {
                        /* create only: whatever the image has there (a FIFO,
                         * a device node) is never opened */
                        sub = openat(fd, comp,
                                     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK |
                                         O_CLOEXEC | O_NOCTTY,
                                     0644);
                        if (sub < 0 && errno != EEXIST)
                                rc = hr_fail_errno(err, errno, "create mountpoint %s", dest);
                        if (sub >= 0)
                                close(sub);
                        break;
                }
                if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
                        rc = hr_fail_errno(err, errno, "create mountpoint %s", dest);
                        break;
                }
                sub = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0)
                        break; /* a symlink or a file on the way: runc's to judge */
                close(fd);
                fd = sub;
        }
        close(fd);
        return rc;
}

/* runc creates missing mountpoints in the rootfs; the staged overlay is
 * read-only, so make them in the original (writable) rootfs first. */
static int make_mountpoints(const struct staging_plan *p, struct hr_error *err)
{
        cleanup_close int root_fd = open(p->source, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return hr_fail_errno(err, errno, "open %s", p->source);
        for (size_t i = 0; i < p->mountpoints.n; i++)
                if (strcmp(p->mountpoints.v[i], "/") != 0 &&
                    make_mountpoint(root_fd, p->mountpoints.v[i], p->mountpoint_is_file[i], err) <
                        0)
                        return -1;
        return 0;
}

static int apply_overlay(const struct staging_plan *p, struct hr_error *err)
{
        cleanup_free char *ldir = NULL;
        char *opts = NULL;
        size_t len = 0;
        FILE *o;
        int rc;
        if (make_mountpoints(p, err) < 0)
                return -1;
        if (asprintf(&ldir, "%s/l", p->dir) < 0)
                return hr_fail(err, "out of memory");
        if (make_dir(ldir, 0700, err) < 0)
                return -1;
        o = open_memstream(&opts, &len);
        if (o == NULL)
                return hr_fail(err, "out of memory");
        fputs("lowerdir=", o);
        for (size_t i = 0; i < p->nlayer_fds; i++) {
                cleanup_free char *at = NULL;
                if (asprintf(&at, "%s/%zu", ldir, i) < 0 ||
                    attach_at(p->layer_fds[i], at, true, err) < 0) {
                        fclose(o);
                        free(opts);
                        return err->failed ? -1 : hr_fail(err, "out of memory");
                }
                fprintf(o, "%s%s", i ? ":" : "", at);
        }
        if (fclose(o) != 0) {
                free(opts);
                return hr_fail(err, "out of memory");
        }
        /* read-only: overlay cannot create its work directory through an
         * idmapped upper layer (EOVERFLOW), and the rootfs is read-only */
        rc = mount("overlay", p->rootfs, "overlay", MS_RDONLY | MS_NOSUID | MS_NODEV, opts);
        if (rc < 0)
                hr_fail_errno(err, errno, "mount the staged overlay at %s", p->rootfs);
        free(opts);
        return rc < 0 ? -1 : make_private(p->rootfs, err);
}

static int apply_mounts(const struct staging_plan *p, struct hr_error *err)
{
        if (staging_dir_make(p->dir, err) < 0 || make_dir(p->rootfs, 0755, err) < 0)
                return -1;
        if (p->strategy == STRATEGY_ROOT_ONLY) {
                if (mount(p->source, p->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
                        return hr_fail_errno(err, errno, "bind %s at %s", p->source, p->rootfs);
                return make_private(p->rootfs, err);
        }
        if (p->overlay && p->nlayer_fds > 1) {
                if (apply_overlay(p, err) < 0)
                        return -1;
        } else if (idmap_attach(p->layer_fds[0], p->rootfs, err) < 0 ||
                   make_private(p->rootfs, err) < 0) {
                return -1;
        }
        if (p->nvolumes > 0) {
                cleanup_free char *vdir = NULL;
                if (asprintf(&vdir, "%s/v", p->dir) < 0)
                        return hr_fail(err, "out of memory");
                if (make_dir(vdir, 0711, err) < 0)
                        return -1;
        }
        for (size_t i = 0; i < p->nvolumes; i++)
                if (attach_at(p->volumes[i].tree_fd, p->volumes[i].target, p->volumes[i].is_dir,
                              err) < 0)
                        return -1;
        return 0;
}

static int remove_staged(const char *dir, bool all, struct hr_error *err);

int staging_apply(const struct staging_plan *p, struct hr_error *err)
{
        /* a retried create: the mounts go, the id block this create holds stays */
        if (remove_staged(p->dir, false, err) < 0)
                return hr_error_prefix(err, "remove a previous staging at %s", p->dir);
        if (apply_mounts(p, err) == 0)
                return 0;
        {
                struct hr_error cleanup = {0};
                if (staging_remove(p->dir, &cleanup) < 0)
                        hr_error_prefix(err, "(and cleaning up failed too: %s)",
                                        hr_error_msg(&cleanup));
                hr_error_clear(&cleanup);
        }
        return hr_error_prefix(err, "staging the rootfs");
}

/* ---- removing ----------------------------------------------------------------------- */

struct under_arg {
        const char *dir;
        size_t len;
        struct strlist found;
};

static int under_fn(const struct mount_line *m, void *arg)
{
        struct under_arg *a = arg;
        if (strncmp(m->mountpoint, a->dir, a->len) != 0 || m->mountpoint[a->len] != '/')
                return 0;
        return strlist_add(&a->found, m->mountpoint);
}

static int by_depth_desc(const void *x, const void *y)
{
        size_t a = strlen(*(char *const *)x), b = strlen(*(char *const *)y);
        return a < b ? 1 : a > b ? -1 : 0;
}

static int unmount_all(const char *dir, struct hr_error *err)
{
        struct under_arg a = {.dir = dir, .len = strlen(dir)};
        int rc = 0;
        if (mountinfo_each(under_fn, &a, err) < 0)
                return -1;
        if (a.found.n > 0)
                qsort(a.found.v, a.found.n, sizeof(*a.found.v), by_depth_desc);
        for (size_t i = 0; i < a.found.n && rc == 0; i++)
                if (umount2(a.found.v[i], MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
                    errno != ENOENT)
                        rc = hr_fail_errno(err, errno, "unmount %s", a.found.v[i]);
        strlist_free(&a.found);
        return rc;
}

/* Remove what staging made in sub (directories and empty files), then sub.
 * Content is never removed: a non-empty directory makes this fail. */
static int remove_sub(int dirfd, const char *sub, struct hr_error *err)
{
        int fd = openat(dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d;
        struct dirent *e;
        int rc = 0;
        if (fd < 0)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "open %s", sub);
        d = fdopendir(fd);
        if (d == NULL) {
                close(fd);
                return hr_fail_errno(err, errno, "read %s", sub);
        }
        while (rc == 0 && (e = readdir(d)) != NULL) {
                struct stat st;
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        rc = hr_fail_errno(err, errno, "stat %s/%s", sub, e->d_name);
                else if (S_ISDIR(st.st_mode) && unlinkat(fd, e->d_name, AT_REMOVEDIR) < 0)
                        rc = hr_fail_errno(err, errno, "remove %s/%s", sub, e->d_name);
                else if (S_ISREG(st.st_mode) && st.st_size == 0 && unlinkat(fd, e->d_name, 0) < 0)
                        rc = hr_fail_errno(err, errno, "remove %s/%s", sub, e->d_name);
        }
        closedir(d);
        if (rc == 0 && unlinkat(dirfd, sub, AT_REMOVEDIR) < 0 && errno != ENOENT)
                rc = hr_fail_errno(err, errno, "remove %s", sub);
        return rc;
}

/* Unmount and remove what was staged in dir; with all, also its state,
 * its id block and dir itself. */
static int remove_staged(const char *dir, bool all, struct hr_error *err)
{
        cleanup_free char *key_dir = parent_of(dir);
        cleanup_close int fd = -1;
        static const char *const subs[] = {"l", "v"};
        if (key_dir == NULL)
                return hr_fail(err, "out of memory");
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "open %s", dir);
        if (unmount_all(dir, err) < 0)
                return -1;
        for (size_t i = 0; i < sizeof(subs) / sizeof(*subs); i++)
                if (remove_sub(fd, subs[i], err) < 0)
                        return -1;
        if (unlinkat(fd, "rootfs", AT_REMOVEDIR) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "remove %s/rootfs", dir);
        if (!all)
                return 0;
        if (unlinkat(fd, STATE_FILE, 0) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "remove %s/%s", dir, STATE_FILE);
        if (idblock_release(dir, err) < 0)
                return -1;
        if (rmdir(dir) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "remove %s", dir);
        /* the root's directory goes with its last container */
        if (rmdir(key_dir) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                return hr_fail_errno(err, errno, "remove %s", key_dir);
        return 0;
}

int staging_remove(const char *dir, struct hr_error *err)
{
        return remove_staged(dir, true, err);
}
