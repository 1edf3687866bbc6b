// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/file.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cleanup.h"
#include "idblock.h"
#include "idmap.h"
#include "kernfs.h"
#include "mountinfo.h"
#include "pathutil.h"
#include "rootless.h"
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
        const char *base;
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
        if ((base = staging_root(err)) == NULL)
                return NULL;
        if (asprintf(&dir, "%s/%s/%s", base, key, id) < 0) {
                hr_fail(err, "out of memory");
                return NULL;
        }
        return dir;
}

/* Take dir's lock if nobody holds it: the fd, or -1 (held, or gone). */
static int try_lock(int parent, const char *name)
{
        int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -1;
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                close(fd);
                return -1;
        }
        return fd;
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
                int lock;
                if (!container_id_safe(e->d_name))
                        continue;
                /* a create or delete in progress holds it */
                if ((lock = try_lock(dirfd(d), e->d_name)) < 0)
                        continue;
                if (!alive(e->d_name, arg)) {
                        if ((dir = container_dir(root, e->d_name, err)) == NULL ||
                            staging_remove(dir, err) < 0)
                                rc = -1;
                        else if (out != NULL)
                                fprintf(out, "removed %s\n", e->d_name);
                }
                close(lock);
        }
        closedir(d);
        return rc;
}

int staging_lock(const char *dir, struct hr_error *err)
{
        for (int tries = 0; tries < 16; tries++) {
                struct stat held, now;
                int fd;
                if (staging_dir_make(dir, err) < 0)
                        return -1;
                fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return hr_fail_errno(err, errno, "open %s", dir);
                if (flock(fd, LOCK_EX) < 0) {
                        close(fd);
                        return hr_fail_errno(err, errno, "lock %s", dir);
                }
                /* a gc may have removed it between the mkdir and the lock */
                if (fstat(fd, &held) == 0 && stat(dir, &now) == 0 && held.st_dev == now.st_dev &&
                    held.st_ino == now.st_ino)
                        return fd;
                close(fd);
        }
        return hr_fail(err, "cannot lock %s: it keeps being removed", dir);
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
        cleanup_free char *base = key_dir ? parent_of(key_dir) : NULL;
        if (base == NULL)
                return hr_fail(err, "out of memory");
        if (make_dir(base, 0711, err) < 0 || make_dir(key_dir, 0711, err) < 0 ||
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

static int apply_mountpoint(const struct step *s, struct hr_error *err)
{
        cleanup_close int root_fd = open(s->src, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return hr_fail_errno(err, errno, "open %s", s->src);
        return make_mountpoint(root_fd, s->dst, s->file, err);
}

static int set_fsids(uid_t id, struct hr_error *err)
{
        setfsgid(id);
        setfsuid(id);
        /* each returns the previous id; an invalid one (-1) reads the current */
        if ((uid_t)setfsuid((uid_t)-1) != id || (gid_t)setfsgid((gid_t)-1) != id)
                return hr_fail(err, "cannot take the filesystem ids %u", (unsigned)id);
        return 0;
}

/* Changing the fsuid away from 0 drops the filesystem capabilities from
 * the effective set; the mount needs them back (the permitted set keeps
 * them). */
static int raise_effective(struct hr_error *err)
{
        struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct d[2];
        if (syscall(SYS_capget, &h, d) < 0)
                return hr_fail_errno(err, errno, "capget");
        d[0].effective = d[0].permitted;
        d[1].effective = d[1].permitted;
        if (syscall(SYS_capset, &h, d) < 0)
                return hr_fail_errno(err, errno, "capset");
        return 0;
}

/* overlay does its work on the upper layer with the mounter's
 * credentials, and makes new files as the caller's fsuid. Through the
 * idmapped upper layer host id 0 maps to nothing (the work directory
 * fails with EOVERFLOW and the mount falls back to read-only); the
 * container root's host id maps to the image's root. So the writable
 * overlay is mounted with that as fsuid and fsgid. */
static int mount_overlay_as(uid_t id, const char *dst, const char *opts, struct hr_error *err)
{
        struct hr_error restore = {0};
        struct statvfs sv;
        int rc = set_fsids(id, err);
        if (rc == 0)
                rc = raise_effective(err);
        if (rc == 0 && mount("overlay", dst, "overlay", MS_NOSUID | MS_NODEV, opts) < 0)
                rc = hr_fail_errno(err, errno, "mount the staged overlay at %s", dst);
        if (set_fsids(0, &restore) < 0 || raise_effective(&restore) < 0) {
                /* never go on with the wrong credentials */
                fprintf(stderr, "hardened-runc: %s\n", hr_error_msg(&restore));
                abort();
        }
        if (rc == 0 && (statvfs(dst, &sv) < 0 || (sv.f_flag & ST_RDONLY) != 0))
                rc = hr_fail(err,
                             "the staged overlay at %s came up read-only: the kernel cannot "
                             "write the idmapped upper layer",
                             dst);
        return rc;
}

static int apply_overlay(const struct staging_plan *p, const struct step *s, struct hr_error *err)
{
        if (make_dir(s->dst, 0755, err) < 0)
                return -1;
        if (s->rw) {
                if (mount_overlay_as((uid_t)p->host_id, s->dst, s->src, err) < 0)
                        return -1;
        } else if (mount("overlay", s->dst, "overlay", MS_RDONLY | MS_NOSUID | MS_NODEV, s->src) <
                   0) {
                return hr_fail_errno(err, errno, "mount the staged overlay at %s", s->dst);
        }
        return make_private(s->dst, err);
}

/* The work directory sits in the runtime's storage, beside the upper
 * layer; DIR/WORKDIR_FILE names it so that removal finds it. */
static int apply_workdir(const struct staging_plan *p, const struct step *s, struct hr_error *err)
{
        cleanup_close int dirfd = open(p->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct stat like = {.st_mode = S_IFREG | 0600, .st_uid = geteuid(), .st_gid = getegid()};
        if (dirfd < 0)
                return hr_fail_errno(err, errno, "open %s", p->dir);
        if (file_replace_at(dirfd, WORKDIR_FILE, s->dst, strlen(s->dst), &like, err) < 0)
                return -1;
        return make_dir(s->dst, 0700, err);
}

/* A volume that cannot be idmapped: a copy of its tree, nosuid,nodev. */
static int apply_copy(const struct step *s, struct hr_error *err)
{
        cleanup_close int fd = -1;
        if (tree_clone(s->src, s->rec, &fd, err) < 0 || tree_nosuid_nodev(fd, s->rec, err) < 0)
                return -1;
        return attach_at(fd, s->dst, !s->file, err);
}

static int apply_step(const struct staging_plan *p, const struct step *s, struct probe *pr,
                      struct hr_error *err)
{
        int fd = -1;
        switch (s->kind) {
        case STEP_DIR:
                return strcmp(s->dst, p->dir) == 0 ? staging_dir_make(s->dst, err)
                                                   : make_dir(s->dst, 0711, err);
        case STEP_MOUNTPOINT:
                return apply_mountpoint(s, err);
        case STEP_BIND:
                if (make_dir(s->dst, 0755, err) < 0)
                        return -1;
                if (mount(s->src, s->dst, NULL, MS_BIND | (s->rec ? MS_REC : 0), NULL) < 0)
                        return hr_fail_errno(err, errno, "bind %s at %s", s->src, s->dst);
                return make_private(s->dst, err);
        case STEP_IDMAP:
                if (probe_idmap(pr, s->src, s->rec, true, p->map, &fd, err) != 0)
                        return err->failed ? -1 : hr_fail(err, "cannot idmap %s here", s->src);
                if (s->nosuid_nodev && tree_nosuid_nodev(fd, s->rec, err) < 0)
                        return -1;
                return attach_at(fd, s->dst, !s->file, err);
        case STEP_COPY:
                return apply_copy(s, err);
        case STEP_WORKDIR:
                return apply_workdir(p, s, err);
        case STEP_OVERLAY:
                return apply_overlay(p, s, err);
        case STEP_KERNFS:
                if (make_dir(s->dst, 0711, err) < 0 || kernfs_mount(&p->kernfs[s->index], err) < 0)
                        return -1;
                return make_private(s->dst, err);
        case STEP_AT_CREATE:
                break;
        }
        return hr_fail(err, "internal error: a step this host cannot carry out");
}

static int remove_staged(const char *dir, bool all, struct hr_error *err);

int staging_apply(const struct staging_plan *p, struct probe *pr, struct hr_error *err)
{
        struct hr_error cleanup = {0};
        /* a retried create: the mounts go, the id block this create holds stays */
        if (remove_staged(p->dir, false, err) < 0)
                return hr_error_prefix(err, "remove a previous staging at %s", p->dir);
        for (size_t i = 0; i < p->nsteps; i++)
                if (apply_step(p, &p->steps[i], pr, err) < 0)
                        break;
        if (!err->failed)
                return 0;
        if (staging_remove(p->dir, &cleanup) < 0)
                hr_error_prefix(err, "(and cleaning up failed too: %s)", hr_error_msg(&cleanup));
        hr_error_clear(&cleanup);
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

/* Remove name below dirfd and everything in it, never following a
 * symlink: for the overlay's work directory only, whose content is the
 * kernel's scratch (the whiteout overlay links its whiteouts to, files of
 * an interrupted copy-up), never anyone's data. */
static int remove_tree(int dirfd, const char *name, int depth, struct hr_error *err)
{
        int fd;
        DIR *d;
        struct dirent *e;
        int rc = 0;
        if (depth > 8)
                return hr_fail(err, "%s: deeper than an overlay work directory gets", name);
        fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "open %s", name);
        if ((d = fdopendir(fd)) == NULL) {
                close(fd);
                return hr_fail_errno(err, errno, "read %s", name);
        }
        while (rc == 0 && (e = readdir(d)) != NULL) {
                struct stat st;
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        rc = hr_fail_errno(err, errno, "stat %s/%s", name, e->d_name);
                else if (S_ISDIR(st.st_mode))
                        rc = remove_tree(fd, e->d_name, depth + 1, err);
                else if (unlinkat(fd, e->d_name, 0) < 0 && errno != ENOENT)
                        rc = hr_fail_errno(err, errno, "remove %s/%s", name, e->d_name);
        }
        closedir(d);
        if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                rc = hr_fail_errno(err, errno, "remove %s", name);
        return rc;
}

/* The overlay's work directory, beside the upper layer (apply_workdir):
 * what the kernel left in it, then it. Gone already when the runtime's
 * storage removed the container first. */
static int remove_workdir(int dirfd, const char *dir, struct hr_error *err)
{
        cleanup_free char *path = NULL;
        cleanup_free char *parent = NULL;
        cleanup_close int pfd = -1;
        struct hr_error missing = {0};
        struct stat st;
        size_t len;
        if (file_read_at(dirfd, WORKDIR_FILE, PATH_MAX, &path, &len, &st, &missing) < 0) {
                hr_error_clear(&missing);
                return 0; /* none recorded */
        }
        if (path[0] != '/' || strlen(path) != len || strrchr(path, '/') == path ||
            strcmp(strrchr(path, '/') + 1, WORKDIR_NAME) != 0)
                return hr_fail(err, "%s/%s: not a work directory's path", dir, WORKDIR_FILE);
        if ((parent = parent_of(path)) == NULL)
                return hr_fail(err, "out of memory");
        pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "open %s", parent);
        if (pfd >= 0 && remove_tree(pfd, WORKDIR_NAME, 0, err) < 0)
                return -1;
        if (unlinkat(dirfd, WORKDIR_FILE, 0) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "remove %s/%s", dir, WORKDIR_FILE);
        return 0;
}

/* A process killed while it replaced one of dir's files leaves the new
 * copy under its temporary name (bundle.h file_replace_at). */
static int remove_temporaries(int fd, const char *dir, struct hr_error *err)
{
        int dup_fd = dup(fd);
        DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
        struct dirent *e;
        int rc = 0;
        if (d == NULL) {
                if (dup_fd >= 0)
                        close(dup_fd);
                return hr_fail_errno(err, errno, "read %s", dir);
        }
        while (rc == 0 && (e = readdir(d)) != NULL) {
                struct stat st;
                if (e->d_name[0] != '.' || strstr(e->d_name, TEMP_INFIX) == NULL ||
                    fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        continue;
                if (unlinkat(fd, e->d_name, 0) < 0 && errno != ENOENT)
                        rc = hr_fail_errno(err, errno, "remove %s/%s", dir, e->d_name);
        }
        closedir(d);
        return rc;
}

/* Unmount and remove what was staged in dir; with all, also its state,
 * its id block and dir itself. */
static int remove_staged(const char *dir, bool all, struct hr_error *err)
{
        cleanup_free char *key_dir = parent_of(dir);
        cleanup_close int fd = -1;
        static const char *const subs[] = {"l", "u", "v", "k"};
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
        if (remove_workdir(fd, dir, err) < 0)
                return -1;
        if (!all)
                return 0;
        if (unlinkat(fd, STATE_FILE, 0) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "remove %s/%s", dir, STATE_FILE);
        if (remove_temporaries(fd, dir, err) < 0)
                return -1;
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
