// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "pathutil.h"
#include "plan.h"

/* ---- deciding ------------------------------------------------------------------------ */

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

/* upperdir and lowerdir's entries, from overlay's super options; 1 with
 * *why for options that cannot be taken apart. */
static int overlay_layers(struct staging_plan *p, const char *superopts, const char **why)
{
        cleanup_free char *opts = strdup(superopts);
        char *save = NULL, *lower = NULL, *upper = NULL;
        if (opts == NULL)
                return -1;
        if (strchr(opts, '\\') != NULL) {
                *why = "overlay options with escaped characters";
                /* opts is cleanup_free (freed on return); cppcheck does not model the cleanup
                 * attribute */
                // cppcheck-suppress memleak
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
        if (upper != NULL && (p->upper = strdup(upper)) == NULL)
                return -1;
        for (char *l = strtok_r(lower, ":", &save); l != NULL; l = strtok_r(NULL, ":", &save))
                if (strlist_add(&p->lowers, l) < 0)
                        return -1;
        return 0;
}

/* Is the rootfs an overlay, and of which layers? Unknown when the probe
 * does not read the mount table. */
static int find_layers(struct probe *pr, struct staging_plan *p, struct hr_error *err)
{
        struct find_arg a = {.path = p->source};
        const char *why = NULL;
        int rc = probe_mounts(pr, find_fn, &a, err);
        if (rc != 0) {
                free(a.fstype);
                free(a.superopts);
                return rc;
        }
        p->layers_known = true;
        p->overlay = a.fstype != NULL && strcmp(a.fstype, "overlay") == 0;
        rc = p->overlay ? overlay_layers(p, a.superopts, &why) : 0;
        free(a.fstype);
        free(a.superopts);
        if (rc < 0)
                return hr_fail(err, "out of memory");
        if (rc > 0)
                return hr_fail(err, "cannot take apart %s", why);
        return 0;
}

/* path as runc opens it: relative to the bundle */
static char *from_bundle(const char *bundle, const char *path)
{
        cleanup_free char *joined = NULL;
        if (path[0] == '/' || bundle == NULL)
                return path_clean(path);
        if (asprintf(&joined, "%s/%s", bundle, path) < 0)
                return NULL;
        return joined[0] == '/' ? path_clean(joined) : strdup(joined);
}

static bool is_bind(const struct json *m)
{
        const struct json *type = json_obj_get(m, "type");
        const struct json *opts = json_obj_get(m, "options");
        return (type != NULL && type->type == JSON_STRING && strcmp(type->text, "bind") == 0) ||
               json_array_has_string(opts, "bind") || json_array_has_string(opts, "rbind");
}

struct holder_arg {
        const char *path;
        size_t best;
        char *opts; /* of the mount holding path */
};

static int holder_fn(const struct mount_line *m, void *arg)
{
        struct holder_arg *a = arg;
        size_t n = strlen(m->mountpoint);
        /* path_within: both are clean absolute paths */
        if (!path_within(a->path, m->mountpoint) || n < a->best)
                return 0;
        a->best = n; /* the last of the longest wins */
        free(a->opts);
        return (a->opts = strdup(m->opts)) ? 0 : -1;
}

/* The flags of the mount holding path that a user namespace cannot drop. */
static int locked_flags(struct probe *pr, const char *path, struct strlist *out,
                        struct hr_error *err)
{
        static const char *const lockable[] = {"ro", "noexec", "noatime", "nodiratime", NULL};
        struct holder_arg a = {.path = path};
        char *save = NULL;
        int rc = probe_mounts(pr, holder_fn, &a, err);
        if (rc != 0 || a.opts == NULL) {
                free(a.opts);
                return rc < 0 ? -1 : 0;
        }
        for (char *o = strtok_r(a.opts, ",", &save); o != NULL; o = strtok_r(NULL, ",", &save))
                for (size_t i = 0; lockable[i] != NULL; i++)
                        if (strcmp(o, lockable[i]) == 0 && strlist_add(out, o) < 0) {
                                free(a.opts);
                                return hr_fail(err, "out of memory");
                        }
        free(a.opts);
        return 0;
}

static int plan_volumes(struct probe *pr, struct staging_plan *p, const struct stage_request *r,
                        struct hr_error *err)
{
        const struct json *mounts = r->mounts;
        for (size_t i = 0; mounts != NULL && mounts->type == JSON_ARRAY && i < mounts->n; i++) {
                const struct json *src = json_obj_get(mounts->vals[i], "source");
                cleanup_free char *path = NULL;
                struct staged_volume *v;
                struct stat st;
                int known;
                if (!is_bind(mounts->vals[i]) || src == NULL || src->type != JSON_STRING)
                        continue;
                if ((path = from_bundle(r->bundle, src->text)) == NULL)
                        return hr_fail(err, "out of memory");
                if ((known = probe_stat(pr, path, &st)) < 0)
                        continue; /* the mounts rule refused it; runc would report it */
                v = reallocarray(p->volumes, p->nvolumes + 1, sizeof(*v));
                if (v == NULL)
                        return hr_fail(err, "out of memory");
                p->volumes = v;
                v = &p->volumes[p->nvolumes];
                *v = (struct staged_volume){.mount_index = i,
                                            .is_dir = known == 0 ? S_ISDIR(st.st_mode) : -1};
                p->nvolumes++;
                v->source = steal_pointer(&path);
                if (asprintf(&v->target, "%s/v/%zu", p->dir, p->nvolumes - 1) < 0) {
                        v->target = NULL;
                        return hr_fail(err, "out of memory");
                }
                if (known == 0 && locked_flags(pr, v->source, &v->locked, err) < 0)
                        return -1;
        }
        return 0;
}

/* The directory holding the upper layer: overlay wants its work directory
 * on the upper layer's own mount, so that is what gets idmapped. */
static char *upper_parent(const char *upper)
{
        const char *slash = strrchr(upper, '/');
        return slash == NULL || slash == upper ? NULL : strndup(upper, (size_t)(slash - upper));
}

/* One trial: 0, -1 with *why (a copy) and *errnum, or PROBE_UNKNOWN. */
static int try_idmap_errno(struct probe *pr, const char *path, bool rec, const char *map,
                           char **why, int *errnum)
{
        struct hr_error e = {0};
        int fd, rc = probe_idmap(pr, path, rec, false, map, &fd, &e);
        *errnum = e.errnum;
        if (rc < 0 && (*why = strdup(hr_error_msg(&e))) == NULL)
                rc = -2;
        hr_error_clear(&e);
        return rc;
}

static int try_idmap(struct probe *pr, const char *path, bool rec, const char *map, char **why)
{
        int errnum;
        return try_idmap_errno(pr, path, rec, map, why, &errnum);
}

struct below_arg {
        const char *path;
        size_t len;
        bool found;
};

/* Is m strictly below a->path? */
static int below_fn(const struct mount_line *m, void *arg)
{
        struct below_arg *a = arg;
        bool root = strcmp(a->path, "/") == 0;
        if (root ? strcmp(m->mountpoint, "/") != 0
                 : strncmp(m->mountpoint, a->path, a->len) == 0 && m->mountpoint[a->len] == '/')
                a->found = true;
        return 0;
}

/* Is the volume at path a tmpfs of its own, with no mount below it? The
 * one case a plain copy stands in for the idmapped one: a tree of other
 * mounts (a daemon's directory, with other containers' overlays below)
 * stays refused when it cannot be idmapped. */
static bool lone_tmpfs(struct probe *pr, const char *path)
{
        struct below_arg a = {.path = path, .len = strlen(path)};
        struct hr_error e = {0};
        struct statfs fs;
        bool ok = statfs(path, &fs) == 0 && fs.f_type == TMPFS_MAGIC && a.len > 0 &&
                  probe_mounts(pr, below_fn, &a, &e) == 0 && !a.found;
        hr_error_clear(&e);
        return ok;
}

/* A volume: idmapped, or, where it is a lone tmpfs the kernel cannot
 * idmap (EINVAL: tmpfs has FS_ALLOW_IDMAP from Linux 6.3), a plain copy. */
static int try_volume(struct probe *pr, struct staged_volume *v, const char *map, char **why)
{
        int errnum = 0;
        int rc = try_idmap_errno(pr, v->source, true, map, why, &errnum);
        if (rc != -1 || errnum != EINVAL || !lone_tmpfs(pr, v->source))
                return rc;
        free(*why);
        *why = NULL;
        v->plain = true;
        return 0;
}

/* Can every tree of a shift be idmapped? The copies stay with the probe
 * for the staging. */
static int shift_trial(struct probe *pr, const struct staging_plan *p, char **why)
{
        int rc = 0, unknown = 0;
        if (p->source == NULL || !p->layers_known)
                unknown = 1;
        else if (!p->overlay)
                rc = try_idmap(pr, p->source, true, p->map, why);
        else {
                cleanup_free char *parent = p->upper ? upper_parent(p->upper) : NULL;
                struct stat a, b;
                if (p->upper != NULL && parent == NULL)
                        return (*why = strdup("the upper layer has no parent directory")) ? -1 : -2;
                if (parent != NULL && probe_stat(pr, parent, &a) == 0 &&
                    probe_stat(pr, p->upper, &b) == 0 && a.st_dev != b.st_dev)
                        return (*why = strdup("the upper layer is a mount of its own")) ? -1 : -2;
                if (parent != NULL)
                        rc = try_idmap(pr, parent, false, p->map, why);
                for (size_t i = 0; rc >= 0 && i < p->lowers.n; i++) {
                        unknown |= rc == PROBE_UNKNOWN;
                        rc = try_idmap(pr, p->lowers.v[i], false, p->map, why);
                }
        }
        for (size_t i = 0; rc >= 0 && i < p->nvolumes; i++) {
                unknown |= rc == PROBE_UNKNOWN;
                rc = try_volume(pr, &p->volumes[i], p->map, why);
        }
        if (rc < 0)
                return rc;
        return unknown || rc == PROBE_UNKNOWN ? PROBE_UNKNOWN : 0;
}

__attribute__((format(printf, 3, 4))) static int set_why(struct staging_plan *p,
                                                         struct hr_error *err, const char *fmt, ...)
{
        va_list ap;
        int n;
        va_start(ap, fmt);
        n = vasprintf(&p->why, fmt, ap);
        va_end(ap);
        if (n < 0) {
                p->why = NULL;
                return hr_fail(err, "out of memory");
        }
        return 0;
}

static int choose(struct probe *pr, struct staging_plan *p, enum userns_strategy want,
                  struct hr_error *err)
{
        cleanup_free char *why = NULL;
        int rc;
        p->strategy = STRATEGY_ROOT_ONLY;
        if (want == STRATEGY_ROOT_ONLY)
                return set_why(p, err, "%s", "the profile asks for root-only");
        rc = shift_trial(pr, p, &why);
        if (rc == -2)
                return hr_fail(err, "out of memory");
        if (rc == 0 || rc == PROBE_UNKNOWN)
                p->strategy = STRATEGY_SHIFT;
        if (rc == 0)
                return set_why(p, err, "idmapped mounts work for %s",
                               p->overlay ? "every layer of the overlay rootfs"
                                          : "the rootfs directory");
        if (rc == PROBE_UNKNOWN)
                return set_why(p, err, "%s",
                               want == STRATEGY_AUTO
                                   ? "auto: shift where create finds that the kernel can idmap "
                                     "the rootfs layers and volumes, else root-only"
                                   : "create checks that the kernel can idmap the rootfs layers "
                                     "and volumes");
        if (want == STRATEGY_SHIFT)
                return hr_fail(err, "strategy shift: %s", why);
        return set_why(p, err, "shift not possible (%s)", why);
}

/* A writable root needs an upper layer to write to. */
static int choose_writable(struct staging_plan *p, bool wanted)
{
        p->writable = wanted;
        if (wanted && p->strategy == STRATEGY_SHIFT && p->overlay && p->upper == NULL) {
                p->writable = false;
                p->writable_why = strdup("the rootfs overlay has no upper layer to write to");
                return p->writable_why ? 0 : -1;
        }
        return 0;
}

static int decide(struct probe *pr, const struct stage_request *r, struct staging_plan *p,
                  struct hr_error *err)
{
        int rc;
        memset(p, 0, sizeof(*p));
        p->host_id = r->host_id;
        if (r->userns_path != NULL)
                p->map = strdup(r->userns_path);
        else if (asprintf(&p->map, "0 %lld %lld", r->host_id, r->size) < 0)
                p->map = NULL;
        if (asprintf(&p->rootfs, "%s/rootfs", r->dir) < 0)
                p->rootfs = NULL;
        p->dir = strdup(r->dir);
        p->written = from_bundle(r->bundle, r->rootfs);
        if (p->map == NULL || p->rootfs == NULL || p->dir == NULL || p->written == NULL)
                return hr_fail(err, "out of memory"); /* staging_decide frees what was made */
        rc = probe_realpath(pr, p->written, &p->source);
        if (rc < 0)
                return hr_fail_errno(err, errno, "rootfs %s", p->written);
        if (rc == 0 && find_layers(pr, p, err) < 0)
                return -1;
        if (plan_volumes(pr, p, r, err) < 0 || choose(pr, p, r->want, err) < 0)
                return -1;
        return choose_writable(p, r->writable) < 0 ? hr_fail(err, "out of memory") : 0;
}

int staging_decide(struct probe *pr, const struct stage_request *r, struct staging_plan *p,
                   struct hr_error *err)
{
        if (decide(pr, r, p, err) == 0)
                return 0;
        staging_plan_free(p);
        return -1;
}

/* ---- the steps ----------------------------------------------------------------------- */

static int step(struct staging_plan *p, enum step_kind kind, const char *src, const char *dst,
                bool rec, bool file)
{
        struct step *s = reallocarray(p->steps, p->nsteps + 1, sizeof(*s));
        if (s == NULL)
                return -1;
        p->steps = s;
        s = &p->steps[p->nsteps];
        *s = (struct step){.kind = kind, .rec = rec, .file = file};
        if ((src != NULL && (s->src = strdup(src)) == NULL) ||
            (dst != NULL && (s->dst = strdup(dst)) == NULL)) {
                free(s->src);
                return -1;
        }
        p->nsteps++;
        return 0;
}

static int step_sub(struct staging_plan *p, enum step_kind kind, const char *src, const char *sub,
                    bool rec, bool file)
{
        cleanup_free char *dst = NULL;
        if (asprintf(&dst, "%s/%s", p->dir, sub) < 0)
                return -1;
        return step(p, kind, src, dst, rec, file);
}

/* Is mount i a bind of a file (runc then wants a file at its destination)?
 * A staged volume knows; others are asked of the probe. */
static bool binds_file(const struct staging_plan *p, const struct json *m, size_t i,
                       struct probe *pr)
{
        const struct json *src = json_obj_get(m, "source");
        struct stat st;
        for (size_t k = 0; k < p->nvolumes; k++)
                if (p->volumes[k].mount_index == i)
                        return p->volumes[k].is_dir == 0;
        return is_bind(m) && src != NULL && src->type == JSON_STRING && src->text[0] == '/' &&
               probe_stat(pr, src->text, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* runc creates missing mountpoints in the rootfs as the container's root,
 * which may not write there (a read-only staging, image directories of
 * unmapped owners): make them in the original rootfs first. */
static int mountpoint_steps(struct staging_plan *p, const struct json *spec, struct probe *pr)
{
        const struct json *mounts = json_obj_get(spec, "mounts");
        for (size_t i = 0; mounts != NULL && mounts->type == JSON_ARRAY && i < mounts->n; i++) {
                const struct json *dest = json_obj_get(mounts->vals[i], "destination");
                cleanup_free char *clean = NULL;
                if (dest == NULL || dest->type != JSON_STRING)
                        continue;
                if ((clean = path_clean(dest->text)) == NULL)
                        return -1;
                if (strcmp(clean, "/") != 0 && step(p, STEP_MOUNTPOINT, p->source, clean, false,
                                                    binds_file(p, mounts->vals[i], i, pr)) < 0)
                        return -1;
        }
        return 0;
}

/* The overlay's options: the idmapped layers, and with a writable root
 * the idmapped upper layer and the work directory beside it. */
static int overlay_steps(struct staging_plan *p)
{
        cleanup_free char *opts = NULL;
        cleanup_free char *base = NULL;
        size_t len = 0;
        FILE *o;
        if (step_sub(p, STEP_DIR, NULL, "l", false, false) < 0)
                return -1;
        if (p->upper != NULL) {
                cleanup_free char *parent = upper_parent(p->upper);
                if (parent == NULL || step_sub(p, STEP_IDMAP, parent, "u", false, false) < 0 ||
                    (base = strdup(strrchr(p->upper, '/') + 1)) == NULL)
                        return -1;
                if (p->writable) {
                        cleanup_free char *work = NULL;
                        if (asprintf(&work, "%s/%s", parent, WORKDIR_NAME) < 0 ||
                            step(p, STEP_WORKDIR, NULL, work, false, false) < 0)
                                /* base is cleanup_free (freed on return); cppcheck does not model
                                 * the cleanup attribute */
                                // cppcheck-suppress memleak
                                return -1;
                }
        }
        for (size_t i = 0; i < p->lowers.n; i++) {
                char sub[32];
                snprintf(sub, sizeof(sub), "l/%zu", i);
                if (step_sub(p, STEP_IDMAP, p->lowers.v[i], sub, false, false) < 0)
                        return -1;
        }
        if ((o = open_memstream(&opts, &len)) == NULL)
                return -1;
        fputs("lowerdir=", o);
        if (base != NULL && !p->writable)
                fprintf(o, "%s/u/%s:", p->dir, base);
        for (size_t i = 0; i < p->lowers.n; i++)
                fprintf(o, "%s%s/l/%zu", i ? ":" : "", p->dir, i);
        if (base != NULL && p->writable)
                fprintf(o, ",upperdir=%s/u/%s,workdir=%s/u/%s,index=off", p->dir, base, p->dir,
                        WORKDIR_NAME);
        if (fclose(o) != 0 || step(p, STEP_OVERLAY, opts, p->rootfs, false, false) < 0)
                return -1;
        p->steps[p->nsteps - 1].rw = p->writable;
        return 0;
}

static int root_steps(struct staging_plan *p)
{
        cleanup_free char *what = NULL;
        if (p->source == NULL || !p->layers_known) {
                if (asprintf(&what,
                             "resolve %s, read its layers from the mount table and %s at %s "
                             "(%s)",
                             p->written,
                             p->strategy == STRATEGY_SHIFT ? "stage each idmapped through the map"
                                                           : "bind it",
                             p->rootfs, p->writable ? "writable" : "read-only") < 0)
                        return -1;
                return step(p, STEP_AT_CREATE, what, NULL, false, false);
        }
        if (p->strategy == STRATEGY_ROOT_ONLY)
                return step(p, STEP_BIND, p->source, p->rootfs, true, false);
        if (!p->overlay)
                return step(p, STEP_IDMAP, p->source, p->rootfs, true, false);
        /* overlay needs two lower layers when it has no upper one */
        if (p->upper == NULL && p->lowers.n == 1)
                return step(p, STEP_IDMAP, p->lowers.v[0], p->rootfs, false, false);
        return overlay_steps(p);
}

static int volume_steps(struct staging_plan *p)
{
        if (p->strategy != STRATEGY_SHIFT || p->nvolumes == 0)
                return 0;
        if (step_sub(p, STEP_DIR, NULL, "v", false, false) < 0)
                return -1;
        for (size_t i = 0; i < p->nvolumes; i++) {
                struct staged_volume *v = &p->volumes[i];
                enum step_kind kind = v->is_dir < 0 ? STEP_AT_CREATE
                                      : v->plain    ? STEP_COPY
                                                    : STEP_IDMAP;
                if (step(p, kind, v->source, v->target, true, v->is_dir == 0) < 0)
                        return -1;
                p->steps[p->nsteps - 1].nosuid_nodev = true;
        }
        return 0;
}

static int kernfs_steps(struct staging_plan *p)
{
        if (p->nkernfs == 0)
                return 0;
        if (step_sub(p, STEP_DIR, NULL, "k", false, false) < 0)
                return -1;
        for (size_t i = 0; i < p->nkernfs; i++) {
                if (step(p, STEP_KERNFS, p->kernfs[i].ns_path, p->kernfs[i].target, false, false) <
                    0)
                        return -1;
                p->steps[p->nsteps - 1].index = i;
        }
        return 0;
}

int staging_add_kernfs(struct staging_plan *p, const struct staged_kernfs *k, const char **target)
{
        struct staged_kernfs *v = reallocarray(p->kernfs, p->nkernfs + 1, sizeof(*v));
        if (v == NULL)
                return -1;
        p->kernfs = v;
        v = &p->kernfs[p->nkernfs];
        *v = *k;
        v->target = NULL;
        if ((v->ns_path = strdup(k->ns_path)) == NULL)
                return -1;
        if (asprintf(&v->target, "%s/k/%zu", p->dir, p->nkernfs) < 0) {
                free(v->ns_path);
                return -1;
        }
        p->nkernfs++;
        *target = v->target;
        return 0;
}

int staging_add_enter(struct staging_plan *p, const struct ns_join *e)
{
        struct ns_join *v = reallocarray(p->enter, p->nenter + 1, sizeof(*v));
        if (v == NULL)
                return -1;
        p->enter = v;
        v[p->nenter] = *e;
        if ((v[p->nenter].path = strdup(e->path)) == NULL)
                return -1;
        p->nenter++;
        return 0;
}

int staging_steps(struct staging_plan *p, const struct json *spec, struct probe *pr,
                  struct hr_error *err)
{
        if (step(p, STEP_DIR, NULL, p->dir, false, false) < 0 ||
            (p->source != NULL && mountpoint_steps(p, spec, pr) < 0) || root_steps(p) < 0 ||
            volume_steps(p) < 0 || kernfs_steps(p) < 0)
                return hr_fail(err, "out of memory");
        return 0;
}

/* ---- printing ------------------------------------------------------------------------ */

static void print_step(FILE *out, const struct staging_plan *p, const struct step *s)
{
        switch (s->kind) {
        case STEP_DIR:
                fprintf(out, "plan: make the directory %s\n", s->dst);
                break;
        case STEP_MOUNTPOINT:
                fprintf(out, "plan: make the mountpoint %s (a %s) in %s where missing\n", s->dst,
                        s->file ? "file" : "directory", s->src);
                break;
        case STEP_BIND:
                fprintf(out, "plan: bind %s at %s%s\n", s->src, s->dst,
                        s->rec ? ", with the mounts below it" : "");
                break;
        case STEP_IDMAP:
                fprintf(out, "plan: idmap %s%s through \"%s\" at %s%s\n", s->src,
                        s->rec ? " (with the mounts below it)" : "", p->map, s->dst,
                        s->nosuid_nodev ? ", nosuid,nodev" : "");
                break;
        case STEP_COPY:
                fprintf(out,
                        "plan: attach a copy of %s%s at %s, nosuid,nodev, not idmapped (its "
                        "filesystem cannot be)\n",
                        s->src, s->rec ? " (with the mounts below it)" : "", s->dst);
                break;
        case STEP_WORKDIR:
                fprintf(out, "plan: make %s for the overlay's work, on the upper layer's mount\n",
                        s->dst);
                break;
        case STEP_OVERLAY:
                fprintf(out, "plan: mount an overlay at %s, %s: %s%s\n", s->dst,
                        s->rw ? "writable" : "read-only", s->src,
                        s->rw ? " (mounted as the container root's host id, so what it writes "
                                "is owned on disk as the image's root)"
                              : "");
                break;
        case STEP_KERNFS: {
                const struct staged_kernfs *k = &p->kernfs[s->index];
                fprintf(out,
                        "plan: mount a fresh %s, %s, for the namespace %s (nsfs inode %ju) at %s, "
                        "as host root in that namespace\n",
                        k->fstype, k->ro ? "read-only" : "writable", k->ns_path, (uintmax_t)k->ino,
                        s->dst);
                break;
        }
        case STEP_AT_CREATE:
                if (s->dst != NULL)
                        fprintf(out,
                                "plan: at create, idmap %s through \"%s\" at %s (not probed "
                                "here)\n",
                                s->src, p->map, s->dst);
                else
                        fprintf(out, "plan: at create, %s\n", s->src);
                break;
        }
}

void staging_plan_print(FILE *out, const struct staging_plan *p)
{
        if (p->dir == NULL)
                return;
        fprintf(out, "plan: strategy %s: %s\n",
                p->strategy == STRATEGY_SHIFT ? "shift" : "root-only", p->why);
        for (size_t i = 0; i < p->nsteps; i++)
                print_step(out, p, &p->steps[i]);
        for (size_t i = 0; i < p->nenter; i++)
                fprintf(out,
                        "plan: enter the %s namespace %s (nsfs inode %ju) before the runtime "
                        "runs, on create and on every exec\n",
                        ns_type_name(p->enter[i].nstype), p->enter[i].path,
                        (uintmax_t)p->enter[i].ino);
}

void staging_plan_free(struct staging_plan *p)
{
        for (size_t i = 0; i < p->nvolumes; i++) {
                free(p->volumes[i].source);
                free(p->volumes[i].target);
                strlist_free(&p->volumes[i].locked);
        }
        free(p->volumes);
        for (size_t i = 0; i < p->nkernfs; i++) {
                free(p->kernfs[i].ns_path);
                free(p->kernfs[i].target);
        }
        free(p->kernfs);
        ns_joins_free(p->enter, p->nenter);
        for (size_t i = 0; i < p->nsteps; i++) {
                free(p->steps[i].src);
                free(p->steps[i].dst);
        }
        free(p->steps);
        strlist_free(&p->lowers);
        free(p->upper);
        free(p->why);
        free(p->writable_why);
        free(p->map);
        free(p->dir);
        free(p->rootfs);
        free(p->written);
        free(p->source);
        memset(p, 0, sizeof(*p));
}
