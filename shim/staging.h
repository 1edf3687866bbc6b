/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Staging a container's rootfs for a user namespace.
 *
 * Docker keeps rootfs trees under /var/lib/docker (0710 root:root), which
 * the container's mapped root cannot traverse, and image files keep their
 * owners, which a shifted mapping turns into "nobody". The rootfs is
 * therefore staged in the container's directory, STAGING_ROOT/<root>/<id>
 * (see container_dir), at rootfs (parents 0711), either
 *   shift:     re-assembled read-only from idmapped copies of its layers
 *              (an overlay mount itself cannot be idmapped, its layers can),
 *              so owners inside are the image's owners, with the profile's
 *              fully shifted mapping; bind-mounted volumes are staged as
 *              idmapped binds too; or
 *   root-only: bound as it is, with container root alone mapped to an
 *              unprivileged host uid and every other uid left as it is.
 * Staging is removed on `delete`. */
#ifndef HR_STAGING_H
#define HR_STAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "json.h"
#include "params.h"

#ifndef STAGING_ROOT
#define STAGING_ROOT "/run/hardened-runc"
/* Remove the staging and state of every container of root (as
 * container_dir names it) that alive() says the runtime no longer knows,
 * printing "removed ID" lines to out. */
int staging_gc(const char *root, bool (*alive)(const char *id, void *arg), void *arg, FILE *out,
               struct hr_error *err);

#endif
/* <container dir>/STATE_FILE: what exec and update need to know (state.h) */
#define STATE_FILE "state.json"

enum userns_strategy {
        STRATEGY_AUTO,
        STRATEGY_SHIFT,
        STRATEGY_ROOT_ONLY,
};

struct staged_volume {
        size_t mount_index; /* in the spec's mounts */
        char *source;       /* host path */
        char *target;       /* where it is staged */
        bool is_dir;
        int tree_fd; /* the idmapped copy, not yet attached */
};

struct staging_plan {
        enum userns_strategy strategy; /* what was chosen: SHIFT or ROOT_ONLY */
        char *why;                     /* why, for the report */
        char *dir;                     /* STAGING_ROOT/<id> */
        char *rootfs;                  /* dir/rootfs: the new root.path */
        char *source;                  /* the rootfs on the host, resolved */
        bool overlay;                  /* source is an overlay: layers are staged */
        struct strlist layers;         /* overlay: upper first, then the lowers */
        int *layer_fds;                /* shift: idmapped copies of the layers (or of source) */
        size_t nlayer_fds;
        struct staged_volume *volumes; /* shift: bind-mount sources */
        size_t nvolumes;
        struct strlist mountpoints; /* every mount destination, cleaned */
        bool *mountpoint_is_file;   /* bind of a file: runc wants a file there */
};

/* Is id safe as one path component (runc's own rule: [\w+.-], not . or ..)? */
bool container_id_safe(const char *id);

/* The directory of a container's staging and state: STAGING_ROOT/KEY/ID,
 * where KEY names the runtime root (runc's --root, default /run/runc), so
 * that the same id under two roots shares nothing: the root's absolute,
 * clean path with '/' written '+' and every byte outside [A-Za-z0-9._-] as
 * %XX. NULL (err set) for an unsafe id or a root too long for a name. */
char *container_dir(const char *root, const char *id, struct hr_error *err);

/* Decide how to stage in dir (container_dir). rootfs is the spec's root.path (relative to bundle
 * when not absolute); mounts the spec's mounts (for volumes). want AUTO
 * tries shift and falls back to root-only, recording why; SHIFT fails when
 * idmapped mounts do not work. No mount is attached here. */
int staging_plan_make(const char *dir, const char *bundle, const char *rootfs,
                      const struct json *mounts, enum userns_strategy want, const char *shift_map,
                      struct staging_plan *plan, struct hr_error *err);
void staging_plan_free(struct staging_plan *plan);

/* Attach the plan's mounts (removing a previous staging of the same id
 * first, so a retried create works). On failure nothing stays mounted. */
int staging_apply(const struct staging_plan *plan, struct hr_error *err);

/* Make dir and its parents up to STAGING_ROOT, 0711, owned by us; an
 * existing one must be a directory of ours. */
int staging_dir_make(const char *dir, struct hr_error *err);

/* Lazily unmount everything under dir (a container_dir) and remove it,
 * with the container's state file, and the root's directory when it was
 * the last. Never
 * deletes content: only the directories and empty files it created. A
 * missing staging directory is not an error. */
int staging_remove(const char *dir, struct hr_error *err);

/* Remove the staging and state of every container of root (as
 * container_dir names it) that alive() says the runtime no longer knows,
 * printing "removed ID" lines to out. */
int staging_gc(const char *root, bool (*alive)(const char *id, void *arg), void *arg, FILE *out,
               struct hr_error *err);

#endif
